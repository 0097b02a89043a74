"""Pictures of programs and runs: attention heatmaps, the computation flow of one input,
the IR graph, training curves, and the program report page (``tpc draw``, ``tpc report``).

Each module draws one kind of picture with matplotlib (Graphviz's ``dot`` for graphs
when it is installed) and returns the file's bytes or text; nothing here writes files,
which the commands do atomically. matplotlib and torch are imported by the functions
that need them, so importing this package is cheap.
"""

from tpc.draw.attention import Head, HeadTrace, draw_attention, program_heads, trace_heads
from tpc.draw.common import FORMATS, DrawError, head_layers, image_format
from tpc.draw.flow import draw_flow
from tpc.draw.graph import draw_graph
from tpc.draw.relaxed import relaxed_attention
from tpc.draw.report import build_report
from tpc.draw.training import Curves, draw_training, read_curves

__all__ = [
    "FORMATS",
    "Curves",
    "DrawError",
    "Head",
    "HeadTrace",
    "build_report",
    "draw_attention",
    "draw_flow",
    "draw_graph",
    "draw_training",
    "head_layers",
    "image_format",
    "program_heads",
    "read_curves",
    "relaxed_attention",
    "trace_heads",
]
