"""Pictures of the IR graph: one box per node, coloured by kind, an arrow per operand,
the heads of each attention layer grouped, nodes the output does not depend on greyed
(as an ``-O0`` program has them), the output outlined in red.

Two layouts: Graphviz's, when its ``dot`` program is installed (the DOT back end's text,
:func:`tpc.backends.dot.emit_dot`, with the heads of each layer in a cluster, rendered by
``dot``), and a pure-Python one otherwise (or when asked): networkx for the graph and a
layered layout (ranks by dependency, every head of a layer on one rank, nodes ordered on
their rank by the barycentre of their operands), drawn with matplotlib. Which one drew a
picture is returned with it; a missing or failing ``dot`` never fails the picture when
the layout is ``auto``.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Iterable

import networkx as nx

from tpc.draw.common import (
    DEAD_COLOUR,
    KIND_COLOURS,
    OUTPUT_COLOUR,
    DrawError,
    drawing_style,
    figure_bytes,
    head_layers,
    is_head,
    new_figure,
    node_detail,
    text,
)
from tpc.errors import printable
from tpc.ir import Program, Select, SelectorOp
from tpc.ir.render import live_nodes, program_title

#: Layouts :func:`draw_graph` knows.
LAYOUTS = ("auto", "dot", "python")
#: Longest time ``dot`` may take (seconds).
DOT_TIMEOUT = 120
#: Most nodes the pure-Python layout draws.
MAX_NODES = 2000
#: Inches per node slot on a rank, and per rank.
SLOT, RANK = 2.0, 0.8


def dot_program() -> str | None:
    """The path of Graphviz's ``dot``, or None when it is not installed."""
    return shutil.which("dot")


def _quote(*lines: str) -> str:
    """A DOT string of ``lines`` (printable, quotes and backslashes escaped), one per line."""
    escaped = (printable(line).replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def layer_groups(program: Program) -> dict[int, list[str]]:
    """Layer → the heads of that layer and the selectors they read (each node once, in
    evaluation order): what a picture groups together."""
    layers = head_layers(program)
    group_of: dict[str, int] = {}
    for node in program:
        if not is_head(node):
            continue
        stack = [node.sel]
        group_of.setdefault(node.name, layers[node.name])
        while stack:
            name = stack.pop()
            if name in group_of:
                continue
            group_of[name] = layers[node.name]
            sel = program[name]
            if isinstance(sel, SelectorOp):
                stack.extend(sel.sels)
    groups: dict[int, list[str]] = {}
    for node in program:
        if node.name in group_of:
            groups.setdefault(group_of[node.name], []).append(node.name)
    return dict(sorted(groups.items()))


def graph_dot(program: Program, title: str | None = None) -> str:
    """DOT text of the picture: a box per node (name and what it computes, in the colour
    of its kind as the DOT back end has it), an edge per operand, a cluster per attention
    layer, dead nodes grey and dashed, the output outlined in red."""
    live = {node.name for node in live_nodes(program)}
    caption = text(title or program_title(program), 60) + f": {len(program)} nodes"
    lines = [
        f"digraph {_quote(program_title(program))} {{",
        f"  graph [rankdir=TB, newrank=true, fontname=Helvetica, fontsize=11, labelloc=t, nodesep=0.15, "
        f"ranksep=0.35, label={_quote(caption)}];",
        '  node [shape=box, style="rounded,filled", fontname=Helvetica, fontsize=9, '
        'margin="0.06,0.03", color=gray30];',
        "  edge [color=gray45, arrowsize=0.6];",
    ]
    for node in program:
        label = _quote(text(node.name, 30), text(node_detail(node), 36))
        attrs = [f"label={label}"]
        if node.name not in live:
            attrs += [
                f'fillcolor="{DEAD_COLOUR}"',
                'style="rounded,filled,dashed"',
                "fontcolor=gray45",
                "color=gray60",
            ]
        else:
            attrs.append(f'fillcolor="{KIND_COLOURS.get(node.kind, "white")}"')
        if node.name == program.output:
            attrs += [f'color="{OUTPUT_COLOUR}"', "penwidth=2.5"]
        lines.append(f"  {_quote(node.name)} [{', '.join(attrs)}];")
    layers = head_layers(program)
    by_layer: dict[int, list[str]] = {}
    for name, layer in layers.items():
        by_layer.setdefault(layer, []).append(name)
    for layer, names in sorted(by_layer.items()):  # a layer's heads: one row, one box
        lines.append(f"  subgraph cluster_layer_{layer} {{")
        lines.append(
            f'    rank=same; label="layer {layer}"; labeljust=l; fontsize=9; '
            'fontcolor="#6a6a8a"; style="rounded,filled"; fillcolor="#f3f3fa"; color="#c0c0d8";'
        )
        lines.extend(f"    {_quote(name)};" for name in names)
        lines.append("  }")
    for node in program:
        for operand in dict.fromkeys(node.inputs):
            lines.append(f"  {_quote(operand)} -> {_quote(node.name)};")
    ordered = [by_layer[layer] for layer in sorted(by_layer)]
    for above, below in zip(ordered, ordered[1:]):  # keep the layers in order
        lines.extend(
            f"  {_quote(above[0])} -> {_quote(name)} [style=invis, weight=0];" for name in below
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _run_dot(source: str, fmt: str) -> bytes:
    """``dot -T<fmt>`` on ``source``; DrawError if it is missing, fails or takes too long."""
    dot = dot_program()
    if dot is None:
        raise DrawError("Graphviz's dot program is not installed")
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DrawError(f"Graphviz's dot took more than {DOT_TIMEOUT} s") from None
    except OSError as exc:
        raise DrawError(f"cannot run Graphviz's dot: {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        said = printable(done.stderr.decode("utf-8", "replace").strip()[:200])
        raise DrawError(f"Graphviz's dot failed (exit {done.returncode}): {said}")
    return done.stdout


# ---- the pure-Python layout ---------------------------------------------------------------


def layered_ranks(program: Program) -> dict[str, int]:
    """A rank (0 at the top) for every node: below all its operands, every head of a
    layer on the same rank (the lowest any of them needs), and each selector just above
    the first node that reads it, so that a layer's selectors sit over its heads."""
    layers = head_layers(program)
    floor: dict[int, int] = {}
    while True:
        rank: dict[str, int] = {}
        for node in program:
            r = max((rank[op] + 1 for op in node.inputs), default=0)
            if node.name in layers:
                r = max(r, floor.get(layers[node.name], 0))
            rank[node.name] = r
        needed: dict[int, int] = {}
        for name, layer in layers.items():
            needed[layer] = max(needed.get(layer, 0), rank[name])
        if needed == floor:
            break
        floor = needed
    graph = program.graph
    for node in reversed(list(program)):
        if isinstance(node, (Select, SelectorOp)) and graph.out_degree(node.name):
            rank[node.name] = min(rank[user] for user in graph.successors(node.name)) - 1
    return rank


def _order(graph: nx.DiGraph, rank: dict[str, int]) -> dict[int, list[str]]:
    """Nodes of each rank, ordered by the barycentre of their neighbours (three sweeps)."""
    ranks: dict[int, list[str]] = {}
    for name in graph.nodes:  # evaluation order to start with
        ranks.setdefault(rank[name], []).append(name)
    place = {name: i - (len(row) - 1) / 2 for row in ranks.values() for i, name in enumerate(row)}

    def sweep(levels: Iterable[int], neighbours) -> None:
        for level in levels:
            row = ranks[level]
            centre = (len(row) - 1) / 2

            def key(name: str, row=row, centre=centre) -> float:
                near = [place[m] for m in neighbours(name)]
                return sum(near) / len(near) if near else centre

            row.sort(key=key)
            for i, name in enumerate(row):
                place[name] = i - (len(row) - 1) / 2

    levels = sorted(ranks)
    sweep(levels[1:], graph.predecessors)
    sweep(levels[-2::-1], graph.successors)
    sweep(levels[1:], graph.predecessors)
    return ranks


def _draw_python(program: Program, fmt: str, note: str, title: str | None) -> bytes:
    from matplotlib.patches import Patch

    if len(program) > MAX_NODES:
        raise DrawError(f"{len(program)} nodes are too many to draw (at most {MAX_NODES})")
    graph = program.graph
    rank = layered_ranks(program)
    ranks = _order(graph, rank)
    widest = max(len(row) for row in ranks.values())
    pos = {
        name: (i - (len(row) - 1) / 2, -level)
        for level, row in ranks.items()
        for i, name in enumerate(row)
    }
    live = {node.name for node in live_nodes(program)}
    depth = max(ranks) + 1
    kinds = list(dict.fromkeys(node.kind for node in program))
    entries = len(kinds) + (len(live) < len(program))
    width = max(widest * SLOT + 1.0, 6.0)
    columns = max(1, min(entries, int(width / 1.7)))
    bottom = 0.3 + 0.2 * math.ceil(entries / columns)  # the legend's rows and the note
    with drawing_style():
        fig = new_figure(width, depth * RANK + 0.7 + bottom, layout=None)
        height = fig.get_figheight()
        ax = fig.add_axes((0, bottom / height, 1, 1 - (bottom + 0.6) / height))
        ax.set_xlim(-widest / 2 - 0.25, widest / 2 + 0.25)
        ax.set_ylim(-depth + 0.4, 0.6)
        ax.axis("off")
        layers = head_layers(program)
        for layer in sorted(set(layers.values())):
            levels = [rank[name] for name, lay in layers.items() if lay == layer]
            groups = layer_groups(program).get(layer, [])
            levels += [rank[name] for name in groups]
            top, bottom = min(levels), max(levels)
            ax.axhspan(-bottom - 0.42, -top + 0.42, color="#f0f0f8", zorder=0)
            ax.text(
                -widest / 2 - 0.2,
                -top + 0.3,
                f"layer {layer}",
                color="#6a6a8a",
                fontsize=8,
                va="top",
                zorder=1,
            )
        boxes = {}
        for node in program:
            x, y = pos[node.name]
            dead = node.name not in live
            output = node.name == program.output
            box = ax.text(
                x,
                y,
                f"{text(node.name, 26)}\n{text(node_detail(node), 30)}",
                ha="center",
                va="center",
                fontsize=7,
                zorder=3,
                color="#8a8a8a" if dead else "black",
                bbox={
                    "boxstyle": "round,pad=0.3",
                    "facecolor": DEAD_COLOUR if dead else KIND_COLOURS.get(node.kind, "white"),
                    "edgecolor": OUTPUT_COLOUR if output else ("#a0a0a0" if dead else "#505050"),
                    "linewidth": 2.0 if output else 0.7,
                    "linestyle": "--" if dead else "-",
                },
            )
            boxes[node.name] = box
        # size the boxes now: an arrow is clipped to its boxes when it is drawn, before
        # the boxes (above it) are, which would otherwise still have their initial size
        fig.draw_without_rendering()
        for node in program:
            for operand in dict.fromkeys(node.inputs):
                ax.annotate(
                    "",
                    xy=pos[node.name],
                    xytext=pos[operand],
                    zorder=2,
                    arrowprops={
                        "arrowstyle": "-|>",
                        "color": "#707070",
                        "linewidth": 0.7,
                        "patchA": boxes[operand].get_bbox_patch(),
                        "patchB": boxes[node.name].get_bbox_patch(),
                        "shrinkA": 1,
                        "shrinkB": 1,
                        "mutation_scale": 8,
                    },
                )
        handles = [
            Patch(facecolor=KIND_COLOURS.get(k, "white"), edgecolor="#505050", label=k)
            for k in kinds
        ]
        if len(live) < len(program):
            handles.append(
                Patch(
                    facecolor=DEAD_COLOUR,
                    edgecolor="#a0a0a0",
                    linestyle="--",
                    label="dead (the output does not need it)",
                )
            )
        fig.legend(
            handles=handles,
            loc="lower center",
            ncols=columns,
            frameon=False,
            fontsize=7,
            bbox_to_anchor=(0.5, 0.2 / height),
        )
        caption = text(title or program_title(program), 60) + f": {len(program)} nodes"
        fig.suptitle(caption, y=1 - 0.1 / height, va="top")
        fig.text(
            0.5,
            0.04 / height,
            text(note, 160),
            ha="center",
            va="bottom",
            fontsize=6,
            color="#808080",
        )
        return figure_bytes(fig, fmt)


def draw_graph(
    program: Program, fmt: str = "svg", layout: str = "auto", title: str | None = None
) -> tuple[bytes, str]:
    """A PNG or SVG of ``program``'s graph (see the module doc) and which layout drew it;
    ``title`` names the program in the caption (default: its recorded name or task).

    ``layout``: ``dot`` (Graphviz; DrawError when it is not installed or fails),
    ``python`` (networkx + matplotlib), or ``auto``: Graphviz when its ``dot`` is
    installed and works, else the pure-Python layout.
    """
    if layout not in LAYOUTS:
        raise DrawError(f"unknown layout {layout!r}; layouts: {', '.join(LAYOUTS)}")
    if layout != "python":
        why = "Graphviz's dot is not installed"
        if dot_program() is not None:
            try:
                return _run_dot(graph_dot(program, title), fmt), "Graphviz (dot)"
            except DrawError as exc:
                if layout == "dot":
                    raise
                why = str(exc)
        elif layout == "dot":
            raise DrawError("--layout dot: Graphviz's dot program is not installed")
        note = f"pure-Python layout (networkx + matplotlib): {why}"
    else:
        note = "pure-Python layout (networkx + matplotlib), as asked"
    return _draw_python(program, fmt, note, title), note
