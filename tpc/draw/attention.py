"""Attention heatmaps: what every head of a program does on one input.

A *head* is an aggregate or a selector width (:func:`tpc.draw.common.is_head`); its
selector is a ``select`` or a combination of selects (RASP's ``and``/``or``/``not``). For
one input, :func:`trace_heads` runs the program through the interpreter
(:mod:`tpc.ir.interp`, the semantics) and keeps, per head, the query × key matrix of the
keys its selector selects and, for a closest-match head (the Transformer Program head),
the key it reads. That key is computed by the interpreter too: the program is extended
with an aggregate of ``indices`` over the head's selector with the head's own reduction,
whose value at query i is the position the head reads there (position 0 when nothing is
selected). Nothing here re-implements attention.

:func:`draw_attention` draws one panel per head in a layer × head grid (layers from
:func:`tpc.draw.common.head_layers`), and beside each categorical head of a trained model
the relaxed model's soft attention when it is given (:mod:`tpc.draw.relaxed`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tpc.draw.common import (
    READ_COLOUR,
    SELECTED_COLOUR,
    DrawError,
    drawing_style,
    figure_bytes,
    head_layers,
    is_head,
    new_figure,
    text,
    value_text,
)
from tpc.errors import TpcError, quote
from tpc.ir import (
    Aggregate,
    Categorical,
    Indices,
    Interpreter,
    Program,
    Select,
    SelectorOp,
    Value,
    decode,
    encode_tokens,
)
from tpc.ir.render import describe_predicate, program_title

#: Most tokens an attention or flow picture takes (each is a row and a column of a panel).
MAX_TOKENS = 64
#: Most head panels in one picture.
MAX_PANELS = 400


@dataclass(frozen=True)
class Head:
    """One attention head of a program, as its panel's title describes it.

    ``reduce`` is the aggregate's reduction (``closest``, ``mean``, ``sum``) or ``width``
    for a selector width; ``queries``/``keys`` are the variables its selects compare
    (several when the selector combines selects), ``values`` the variable it aggregates
    (None for a selector width); ``predicate`` says in one line which keys a query selects.
    """

    name: str
    layer: int
    index: int
    reduce: str
    selector: str
    queries: tuple[str, ...]
    keys: tuple[str, ...]
    values: str | None
    predicate: str


@dataclass
class HeadTrace:
    """A head on one input of ``n`` tokens: ``selected`` bool [n, n] (query i, key j);
    ``read`` int [n], the key each query reads (closest-match heads, else None);
    ``output`` the head's value at each position; ``query_values``/``key_values`` the
    values of its query and key variables (None when the selector combines several)."""

    head: Head
    selected: np.ndarray
    read: np.ndarray | None
    output: list[Value]
    query_values: list[Value] | None
    key_values: list[Value] | None


def _selector_parts(program: Program, name: str, top: bool) -> tuple[list[str], list[str], str]:
    """(query variables, key variables, one-line predicate) of selector ``name``."""
    node = program[name]
    if isinstance(node, Select):
        causal = ", causal" if node.causal else ""
        if top:
            return [node.queries], [node.keys], describe_predicate(node.predicate) + causal
        said = describe_predicate(node.predicate, key=f"k.{node.keys}", query=f"q.{node.queries}")
        return [node.queries], [node.keys], f"({said}{causal})"
    if isinstance(node, SelectorOp):
        parts = [_selector_parts(program, sel, False) for sel in node.sels]
        queries = list(dict.fromkeys(q for p in parts for q in p[0]))
        keys = list(dict.fromkeys(k for p in parts for k in p[1]))
        if node.op == "not":
            said = f"not {parts[0][2]}"
        else:
            said = f" {node.op} ".join(p[2] for p in parts)
        return queries, keys, said if top else f"({said})"
    raise TpcError(f"node {quote(name)} is not a selector")


def program_heads(program: Program) -> list[Head]:
    """Every head of ``program`` in evaluation order, with its layer and place in it."""
    layers = head_layers(program)
    seen: dict[int, int] = {}
    heads = []
    for node in program:
        if not is_head(node):
            continue
        layer = layers[node.name]
        index = seen.get(layer, 0)
        seen[layer] = index + 1
        queries, keys, said = _selector_parts(program, node.sel, True)
        heads.append(
            Head(
                name=node.name,
                layer=layer,
                index=index,
                reduce=node.reduce if isinstance(node, Aggregate) else "width",
                selector=node.sel,
                queries=tuple(queries),
                keys=tuple(keys),
                values=node.values if isinstance(node, Aggregate) else None,
                predicate=said,
            )
        )
    return heads


def select_heads(program: Program, names: Sequence[str] | None) -> list[Head]:
    """The heads named (all when ``names`` is empty or None); TpcError for a name that is
    not a node, or a node that is not a head."""
    heads = program_heads(program)
    if not names:
        return heads
    by_name = {h.name: h for h in heads}
    for name in names:
        if name not in program.nodes:
            raise TpcError(f"the program has no node named {quote(name)}")
        if name not in by_name:
            raise TpcError(
                f"node {quote(name)} is a {program[name].kind}, not an attention head "
                "(an aggregate or selector width)"
            )
    wanted = set(names)
    return [h for h in heads if h.name in wanted]


def check_tokens(program: Program, tokens: Sequence[str]) -> list[str]:
    """``tokens`` as a list, checked against the program (TpcError: no tokens, too many to
    draw, longer than the program takes, or a token outside its vocabulary)."""
    tokens = list(tokens)
    if not tokens:
        raise TpcError("give at least one input token")
    if len(tokens) > MAX_TOKENS:
        raise DrawError(f"{len(tokens)} tokens are too many to draw (at most {MAX_TOKENS})")
    encode_tokens(program, [tokens])  # unknown tokens, too long: InputError
    return tokens


def _fresh(program: Program, stem: str, taken: set[str]) -> str:
    name, i = stem, 0
    while name in program.nodes or name in taken:
        i += 1
        name = f"{stem}_{i}"
    taken.add(name)
    return name


def _with_read_positions(program: Program, heads: Sequence[Head]) -> tuple[Program, dict[str, str]]:
    """``program`` plus, for every closest-match head, an aggregate of the positions over
    its selector (see the module doc); returns it and head name → that node's name."""
    nodes = list(program)
    taken: set[str] = set()
    positions = next((node.name for node in program if isinstance(node, Indices)), None)
    if positions is None:
        positions = _fresh(program, "draw_indices", taken)
        nodes.insert(0, Indices(name=positions, type=Categorical(tuple(range(program.max_len)))))
    position_type = Categorical(tuple(range(program.max_len)))
    read = {}
    for head in heads:
        if head.reduce == "closest":
            name = _fresh(program, f"draw_read_{head.name}", taken)
            nodes.append(
                Aggregate(
                    name=name,
                    type=position_type,
                    sel=head.selector,
                    values=positions,
                    reduce="closest",
                )
            )
            read[head.name] = name
    return program.replace(nodes).validate(), read


def trace_heads(
    program: Program, tokens: Sequence[str], heads: Sequence[Head] | None = None
) -> list[HeadTrace]:
    """Run ``program`` on ``tokens`` and keep what each of ``heads`` (default: all) does."""
    tokens = check_tokens(program, tokens)
    heads = program_heads(program) if heads is None else list(heads)
    extended, read_nodes = _with_read_positions(program, heads)
    codes, lengths = encode_tokens(extended, [tokens])
    env = Interpreter(extended).run(codes, lengths)

    def values(name: str) -> list[Value]:
        return decode(extended, name, env[name], lengths)[0]

    traces = []
    for head in heads:
        sel_node = program[head.selector]
        single = isinstance(sel_node, Select)
        read_node = read_nodes.get(head.name)
        traces.append(
            HeadTrace(
                head=head,
                selected=np.asarray(env[head.selector][0], dtype=bool),
                read=None if read_node is None else np.array(values(read_node), dtype=np.int64),
                output=values(head.name),
                query_values=values(sel_node.queries) if single else None,
                key_values=values(sel_node.keys) if single else None,
            )
        )
    return traces


# ---- drawing ------------------------------------------------------------------------------

#: Size of one query × key cell, inches.
CELL = 0.32
#: Margins of a panel's matrix, inches: tick labels and axis names left and right, the
#: title and key values on top, the key labels below; the picture's title and legend.
LEFT, RIGHT, TOP, BOTTOM = 0.95, 1.55, 1.25, 0.85
HEADER, FOOTER = 0.35, 0.6


def _title(head: Head, width_chars: int) -> str:
    what = {"closest": "closest match", "mean": "mean", "sum": "sum", "width": "selector width"}
    first = f"{head.name}  (layer {head.layer}, {what.get(head.reduce, head.reduce)})"
    q = ", ".join(head.queries)
    k = ", ".join(head.keys)
    second = f"q {q} · k {k}" + (f" · v {head.values}" if head.values else "")
    return "\n".join(text(line, max(width_chars, 16)) for line in (first, second, head.predicate))


def _rotation(labels: Sequence[str]) -> int:
    """Key labels stand upright when any is longer than two characters."""
    return 90 if max((len(label) for label in labels), default=0) > 2 else 0


def _tick_axes(ax, tokens: Sequence[str], n: int) -> None:
    labels = [text(t, 10) for t in tokens]
    ax.set_xticks(range(n), labels, rotation=_rotation(labels))
    ax.set_yticks(range(n), labels)
    ax.tick_params(length=2)
    edges = np.arange(n + 1) - 0.5
    ax.hlines(edges, -0.5, n - 0.5, color="#d0d0d0", linewidth=0.6)
    ax.vlines(edges, -0.5, n - 0.5, color="#d0d0d0", linewidth=0.6)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel("key")
    ax.set_ylabel("query")


def _mark_reads(ax, trace: HeadTrace) -> None:
    from matplotlib.patches import Rectangle

    if trace.read is None:
        return
    for i, j in enumerate(trace.read.tolist()):
        none = not trace.selected[i].any()
        ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5),
                1,
                1,
                fill=False,
                edgecolor=READ_COLOUR,
                linewidth=1.8,
                linestyle="--" if none else "-",
            )
        )


def _discrete_panel(ax, trace: HeadTrace, tokens: Sequence[str], width_chars: int) -> None:
    from matplotlib.colors import ListedColormap

    n = len(tokens)
    ax.imshow(
        trace.selected.astype(np.int8),
        cmap=ListedColormap(["white", SELECTED_COLOUR]),
        vmin=0,
        vmax=1,
        aspect="auto",
    )
    _tick_axes(ax, tokens, n)
    _mark_reads(ax, trace)
    head = trace.head
    small = {"fontsize": 7, "color": "#555555"}
    pad = 4.0  # points between the matrix and the title: room for the key values
    if trace.key_values is not None:  # the key variable's values above the keys
        labels = [value_text(v, 8) for v in trace.key_values]
        rotation = _rotation(labels)
        for j, label in enumerate(labels):
            ax.text(j, -0.6, label, ha="center", va="bottom", rotation=rotation, **small)
        ax.text(
            -0.6,
            -0.6,
            text(f"k.{head.keys[0]}", 24),
            ha="right",
            va="bottom",
            style="italic",
            **small,
        )
        pad += 12 if not rotation else 6 + 4.6 * max(len(label) for label in labels)
    ax.set_title(_title(trace.head, width_chars), loc="left", pad=pad)
    outputs = [value_text(v, 8) for v in trace.output]
    if trace.query_values is not None:  # the query variable's values and the output, right
        labels = [f"{value_text(q, 8)} → {o}" for q, o in zip(trace.query_values, outputs)]
        said = f"q.{head.queries[0]} → {head.name}"
    else:
        labels = [f"→ {o}" for o in outputs]
        said = f"→ {head.name}"
    for i, label in enumerate(labels):
        ax.text(n - 0.35, i, label, ha="left", va="center", **small)
    ax.text(n - 0.35, n - 0.35, text(said, 30), ha="left", va="top", style="italic", **small)


def _soft_panel(ax, trace: HeadTrace, weights: np.ndarray, tokens: Sequence[str], tau: float):
    image = ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    _tick_axes(ax, tokens, len(tokens))
    _mark_reads(ax, trace)
    ax.set_title(
        f"{text(trace.head.name, 30)}: relaxed model\nsoft attention at τ = {tau:.3g}", loc="left"
    )
    return image


def draw_attention(
    program: Program,
    tokens: Sequence[str],
    fmt: str = "png",
    *,
    heads: Sequence[str] | None = None,
    soft: dict[str, np.ndarray] | None = None,
    tau: float | None = None,
    title: str | None = None,
) -> bytes:
    """A PNG or SVG of every head's attention on ``tokens`` (or the heads named in
    ``heads``), one panel per head in a layer × head grid.

    A panel is the query × key matrix of the input: the keys the head's selector selects
    filled, and for a closest-match head the key it reads at each query outlined in red
    (dashed where nothing is selected and the head reads position 0). Token labels are on
    both axes; the head's query/key/value variables and predicate are in its title; the
    key variable's values are on the top axis and the query variable's values with the
    head's output on the right. ``soft`` maps a head name to the relaxed model's attention
    weights [n, n] (query, key) at temperature ``tau``: drawn beside that head's panel.
    """
    tokens = check_tokens(program, tokens)
    chosen = select_heads(program, heads)
    if not chosen:
        raise DrawError("the program has no attention heads to draw")
    traces = trace_heads(program, tokens, chosen)
    soft = soft or {}
    n = len(tokens)
    rows: dict[int, list[HeadTrace]] = {}
    for trace in traces:
        rows.setdefault(trace.head.layer, []).append(trace)
    width_of = {t.head.name: 2 if t.head.name in soft else 1 for t in traces}
    ncols = max(sum(width_of[t.head.name] for t in row) for row in rows.values())
    if len(rows) * ncols > MAX_PANELS:
        raise DrawError(
            f"{len(traces)} heads are too many for one picture; choose some with --head"
        )
    side = n * CELL
    discrete_w = LEFT + side + RIGHT
    soft_w = LEFT + side + 0.35
    panel_h = TOP + side + BOTTOM
    row_widths = [
        sum(discrete_w + (soft_w if t.head.name in soft else 0.0) for t in row)
        for row in rows.values()
    ]
    width, height = max(row_widths) + 0.2, len(rows) * panel_h + HEADER + FOOTER
    with drawing_style():
        fig = new_figure(width, height, layout=None)

        def axes(x: float, y: float):  # a panel's matrix at (x, y) inches from the top left
            return fig.add_axes((x / width, 1 - (y + side) / height, side / width, side / height))

        width_chars = int((discrete_w - 0.2) * 11)
        for r, layer in enumerate(sorted(rows)):
            x, y = 0.1, HEADER + r * panel_h + TOP
            for trace in rows[layer]:
                _discrete_panel(axes(x + LEFT, y), trace, tokens, width_chars)
                x += discrete_w
                if trace.head.name in soft:
                    weights = soft[trace.head.name]
                    _soft_panel(axes(x + LEFT, y), trace, weights, tokens, tau or math.nan)
                    x += soft_w
        _legend(fig, traces, bool(soft))
        shown = text(" ".join(tokens), 120)
        fig.suptitle(
            text(title or program_title(program), 80) + f": attention on  {shown}",
            y=1 - 0.1 / height,
            va="top",
        )
        return figure_bytes(fig, fmt)


def _legend(fig, traces: Sequence[HeadTrace], soft: bool) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=SELECTED_COLOUR, edgecolor="#808080", label="selected key")]
    if any(t.read is not None for t in traces):
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=READ_COLOUR,
                linewidth=1.8,
                label="key the head reads (closest match)",
            )
        )
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=READ_COLOUR,
                linewidth=1.8,
                linestyle="--",
                label="nothing selected: reads position 0",
            )
        )
    if soft:
        handles.append(Patch(facecolor="#2171b5", label="relaxed attention weight (0 to 1)"))
    wide = fig.get_figwidth() > 3.0 * len(handles)
    fig.legend(
        handles=handles, loc="lower center", ncols=len(handles) if wide else 2, frameon=False
    )
