"""What every picture shares: image formats, the matplotlib set-up, colours by node kind,
the layer of each attention head, and text that is safe to draw.

matplotlib is imported inside :func:`new_figure` and :func:`figure_bytes` only, so that
importing :mod:`tpc.draw` (and ``tpc --help``) stays cheap. Figures are made with
``matplotlib.figure.Figure`` directly, never through ``pyplot``: no global figure
manager, no GUI back end, nothing left open after a picture is written. Drawing happens
inside :func:`drawing_style`, which fixes the settings that make pictures repeatable
(SVG ids from a fixed salt, no date written: the same program and input give the same
bytes; no TeX). Text from programs and files goes through :func:`text`, which makes it
one printable line and escapes ``$``, so that matplotlib never reads it as math.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tpc.backends.dot import STYLES
from tpc.errors import TpcError, printable
from tpc.ir import (
    Aggregate,
    Constant,
    Map,
    Node,
    Program,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    Value,
)
from tpc.ir.render import describe_predicate, render_value

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Image formats the ``tpc draw`` commands write, by file suffix.
FORMATS = ("png", "svg")
#: Resolution of PNG pictures (dots per inch).
DPI = 100
#: Colours of a PNG's palette (see :func:`figure_bytes`).
PNG_COLOURS = 256
#: Largest side of a picture in inches (at :data:`DPI`, 30,000 pixels: within what the
#: Agg renderer can draw, 2^16 pixels a side).
MAX_INCHES = 300.0
#: Longest text drawn in one label (longer text is cut with "…").
MAX_LABEL = 48

#: Fill colour of each node kind: the DOT back end's, so every picture agrees.
KIND_COLOURS: dict[str, str] = {kind: fill for kind, (_, fill) in STYLES.items()}
#: Colour of a node the output does not depend on (dead code).
DEAD_COLOUR = "#e6e6e6"
#: Colour of the output node's border.
OUTPUT_COLOUR = "#cb181d"
#: Colour of selected keys and of the marker of the key a head reads.
SELECTED_COLOUR = "#4a90d9"
READ_COLOUR = "#d62728"


class DrawError(TpcError):
    """A picture tpc cannot draw: an unknown format, too large a picture."""


def image_format(path: str | Path) -> str:
    """``png`` or ``svg`` from the suffix of ``path``; DrawError for any other suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        shown = printable(str(path))
        raise DrawError(f"cannot tell the image format of {shown}: give a .png or .svg file")
    return suffix


def text(value: object, limit: int = MAX_LABEL) -> str:
    """``value`` as one printable line for a picture, cut to ``limit`` characters, with
    every ``$`` escaped so that matplotlib never reads it as math."""
    shown = printable(value if isinstance(value, str) else str(value))
    shown = shown if len(shown) <= limit else shown[: limit - 1] + "…"
    return shown.replace("$", r"\$")


def value_text(v: Value, limit: int = 12) -> str:
    """A node's value as a picture shows it: strings bare, integral floats as integers,
    other floats with 3 significant digits, booleans as ``T``/``F``."""
    if isinstance(v, bool):
        return "T" if v else "F"
    if isinstance(v, float):
        return text(str(int(v)) if v.is_integer() else f"{v:.3g}", limit)
    if isinstance(v, str):
        return text(v, limit)
    return text(render_value(v), limit)


def node_detail(node: Node) -> str:
    """What a node computes, in a few words: ``select: key < query``, ``map: x + 1``,
    ``aggregate: closest``, ``readout: 12 features``; its kind when there is no more."""
    if isinstance(node, Select):
        return f"select: {describe_predicate(node.predicate)}" + (", causal" if node.causal else "")
    if isinstance(node, SelectorOp):
        return f"selector {node.op}"
    if isinstance(node, (Map, SequenceMap)):
        body = node.form or f"table of {len(node.table or ())}"
        return f"{node.kind}: {body}"
    if isinstance(node, Aggregate):
        default = "" if node.default is None else f", default {value_text(node.default)}"
        return f"aggregate: {node.reduce}{default}"
    if isinstance(node, Constant):
        return f"constant {value_text(node.value)}"
    if isinstance(node, Readout):
        return f"readout: {len(node.features)} features" + (", pooled" if node.pooled else "")
    return node.kind


def is_head(node: object) -> bool:
    """Whether ``node`` is an attention head: an aggregate or a selector width."""
    return isinstance(node, (Aggregate, SelectorWidth))


def head_layers(program: Program) -> dict[str, int]:
    """The layer (from 0) of every head of ``program``, in evaluation order.

    A learned program says each head's layer (``meta["layer"]``, the layer of the model it
    was read off); when every head says one, those are used. Otherwise a head's layer is
    the number of heads on the longest path below it, as a compiler that gives every
    attention its own layer (Tracr) would place it.
    """
    heads = [node for node in program if is_head(node)]
    said = [node.meta.get("layer") for node in heads]
    if heads and all(type(layer) is int and layer >= 0 for layer in said):
        return {node.name: layer for node, layer in zip(heads, said)}  # type: ignore[misc]
    depth: dict[str, int] = {}
    for node in program:
        below = max((depth[op] for op in node.inputs), default=0)
        depth[node.name] = below + is_head(node)
    return {node.name: depth[node.name] - 1 for node in heads}


@contextmanager
def drawing_style() -> Iterator[None]:
    """matplotlib settings for tpc's pictures (see the module doc); warnings about glyphs a
    font lacks are dropped (the character is drawn as a box)."""
    import matplotlib

    settings = {
        "text.usetex": False,
        "svg.hashsalt": "tpc",
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "image.interpolation": "nearest",
    }
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", category=UserWarning, module="matplotlib")
        yield


def new_figure(width: float, height: float, layout: str | None = "constrained") -> Figure:
    """A new figure of ``width`` × ``height`` inches (DrawError when either is above
    :data:`MAX_INCHES`); call inside :func:`drawing_style`."""
    from matplotlib.figure import Figure

    if width > MAX_INCHES or height > MAX_INCHES:
        raise DrawError(
            f"the picture would be {width:.0f} x {height:.0f} inches, more than "
            f"{MAX_INCHES:.0f} a side: draw fewer nodes, heads or tokens"
        )
    return Figure(figsize=(max(width, 1.0), max(height, 1.0)), layout=layout)


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as a PNG or SVG file's bytes, with no date or software stamp (the same
    figure gives the same bytes). A PNG is drawn by Agg and stored with a palette of
    :data:`PNG_COLOURS` colours (Pillow's median cut, no dithering): plots have few
    colours, and the file is several times smaller than a true-colour one."""
    if fmt not in FORMATS:
        raise DrawError(f"unknown image format {fmt!r}; formats: {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    image = rgba.convert("RGB").quantize(
        colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
