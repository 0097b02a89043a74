"""The computation flow of one input: every node's value at every position, in
evaluation order, as RASP's ``draw()`` shows a computation.

One row per node: its name and kind on the left, then one cell per position with the
node's value there (coloured by node kind, grey for nodes the output does not depend
on), the columns aligned with the input tokens at the top. A selector is drawn as a small
query × key matrix under the same columns (key j under position j), its selected cells
filled. The values come from the interpreter (:class:`tpc.ir.Interpreter`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np

from tpc.draw.attention import check_tokens
from tpc.draw.common import (
    DEAD_COLOUR,
    KIND_COLOURS,
    OUTPUT_COLOUR,
    SELECTED_COLOUR,
    DrawError,
    drawing_style,
    figure_bytes,
    new_figure,
    node_detail,
    text,
    value_text,
)
from tpc.errors import TpcError, quote
from tpc.ir import Interpreter, Node, Program, decode, encode_tokens
from tpc.ir.render import live_nodes, program_title
from tpc.ir.types import Selector

#: Most nodes one flow picture draws.
MAX_NODES = 600
#: Inches per position column, per value row, per selector matrix row; the name column.
COLUMN, ROW, MATRIX_ROW, NAMES = 0.62, 0.36, 0.2, 2.6
#: Inches above the rows (the input) and above the columns (the title).
HEADER, TITLE = 0.65, 0.4


def flow_nodes(program: Program, names: Sequence[str] | None = None) -> list[Node]:
    """The nodes a flow picture shows: every node, or the named ones and every node they
    depend on, in evaluation order; TpcError for a name that is not a node."""
    if not names:
        return list(program)
    wanted: set[str] = set()
    for name in names:
        if name not in program.nodes:
            raise TpcError(f"the program has no node named {quote(name)}")
        wanted |= nx.ancestors(program.graph, name) | {name}
    return [node for node in program if node.name in wanted]


def _columns(heights: list[float], width: float) -> list[list[int]]:
    """Rows split into columns of about equal height, as many as make the picture about
    as tall as it is wide (one for a short program)."""
    total = sum(heights)
    k = max(1, min(len(heights), math.ceil(math.sqrt(total / (1.3 * width)))))
    target = total / k
    columns: list[list[int]] = [[]]
    height = 0.0
    for i, h in enumerate(heights):
        if columns[-1] and height + h / 2 > target and len(columns) < k:
            columns.append([])
            height = 0.0
        columns[-1].append(i)
        height += h
    return columns


def draw_flow(
    program: Program,
    tokens: Sequence[str],
    fmt: str = "png",
    *,
    nodes: Sequence[str] | None = None,
    title: str | None = None,
) -> bytes:
    """A PNG or SVG of the values of every node (or of ``nodes`` and what they depend on)
    at every position of ``tokens``; see the module doc for what is drawn. A long program
    is drawn in several columns, each headed by the input."""
    tokens = check_tokens(program, tokens)
    shown = flow_nodes(program, nodes)
    if len(shown) > MAX_NODES:
        raise DrawError(
            f"{len(shown)} nodes are too many for one picture (at most {MAX_NODES}); "
            "choose some with --node"
        )
    codes, lengths = encode_tokens(program, [tokens])
    env = Interpreter(program).run(codes, lengths)
    live = {node.name for node in live_nodes(program)}
    n = len(tokens)
    heights = [n * MATRIX_ROW + 0.2 if isinstance(nd.type, Selector) else ROW for nd in shown]
    column_width = NAMES + n * COLUMN + 0.3
    columns = _columns(heights, column_width)
    tallest = max(sum(heights[i] for i in column) for column in columns) + HEADER
    with drawing_style():
        fig = new_figure(column_width * len(columns), tallest + TITLE, layout=None)
        width, height = fig.get_figwidth(), fig.get_figheight()
        for c, column in enumerate(columns):
            ax = fig.add_axes(
                ((c * column_width + NAMES) / width, 0, n * COLUMN / width, tallest / height)
            )
            ax.axis("off")
            for i, tok in enumerate(tokens):  # the input, as column heads
                ax.text(i + 0.5, 0.2, text(tok, 10), ha="center", va="center", weight="bold")
                ax.text(
                    i + 0.5, 0.45, str(i), ha="center", va="center", color="#707070", fontsize=7
                )
            y = HEADER
            for i in column:
                _draw_row(ax, program, shown[i], env, lengths, y, n, shown[i].name in live)
                y += heights[i]
            ax.set_xlim(0, n)
            ax.set_ylim(tallest, 0)
        fig.suptitle(
            text(title or program_title(program), 60)
            + ": every node on  "
            + text(" ".join(tokens), 80),
            x=0.01,
            ha="left",
            y=1 - 0.12 / height,
            va="top",
        )
        return figure_bytes(fig, fmt)


def _draw_row(ax, program: Program, node: Node, env, lengths, y: float, n: int, live: bool):
    """One node's row at height ``y`` (inches from the top): its name, kind and what it
    computes on the left, its values (or selector matrix) under the position columns."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    fill = KIND_COLOURS.get(node.kind, "white") if live else DEAD_COLOUR
    colour = "black" if live else "#909090"
    output = node.name == program.output
    ax.text(
        -0.12,
        y + 0.12,
        text(node.name, 30),
        ha="right",
        va="center",
        color=OUTPUT_COLOUR if output else colour,
        weight="bold" if output else "normal",
        fontsize=8,
    )
    ax.text(
        -0.12,
        y + 0.27,
        text(node_detail(node), 42),
        ha="right",
        va="center",
        color="#808080",
        fontsize=6,
    )
    if isinstance(node.type, Selector):
        sel = np.asarray(env[node.name][0], dtype=np.int8)
        top, bottom = y + 0.05, y + 0.05 + n * MATRIX_ROW
        on = SELECTED_COLOUR if live else "#b0b0b0"
        ax.imshow(
            sel,
            extent=(0, n, bottom, top),
            cmap=ListedColormap(["white", on]),
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="nearest",
        )
        ax.hlines(top + MATRIX_ROW * np.arange(n + 1), 0, n, color="#c8c8c8", lw=0.4)
        ax.vlines(np.arange(n + 1), top, bottom, color="#c8c8c8", lw=0.4)
        return
    values = decode(program, node.name, env[node.name], lengths)[0]
    for i, v in enumerate(values):
        ax.add_patch(
            Rectangle(
                (i + 0.05, y + 0.03),
                0.9,
                ROW - 0.06,
                facecolor=fill,
                edgecolor="#a0a0a0",
                linewidth=0.4,
            )
        )
        ax.text(
            i + 0.5,
            y + ROW / 2,
            value_text(v, 9),
            ha="center",
            va="center",
            color=colour,
            fontsize=7,
        )
