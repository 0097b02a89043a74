"""DOT back end: the IR DAG as a Graphviz graph (``dot -Tsvg prog.dot``).

One node per IR node, labelled with its name, kind, type and what it computes (predicate,
reduction, table size); shapes and colours by kind; an edge operand → user, labelled with
the operand's role where a node has several. The output node is drawn bold and red, nodes
the output does not depend on dashed and grey. The text is a function of the program only.
"""

from __future__ import annotations

from tpc.errors import printable
from tpc.ir.nodes import (
    Aggregate,
    Constant,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SequenceMap,
)
from tpc.ir.program import Program
from tpc.ir.render import (
    describe_predicate,
    describe_specials,
    live_nodes,
    program_title,
    summarize_values,
)
from tpc.ir.types import Categorical, Numerical, Selector

#: Shape and fill colour per node kind (other kinds: a plain box).
STYLES: dict[str, tuple[str, str]] = {
    "tokens": ("invhouse", "#c6dbef"),
    "indices": ("invhouse", "#c6dbef"),
    "constant": ("ellipse", "#f0f0f0"),
    "map": ("box", "#c7e9c0"),
    "sequence_map": ("box3d", "#a1d99b"),
    "select": ("diamond", "#fdd0a2"),
    "selector_op": ("diamond", "#fdae6b"),
    "aggregate": ("ellipse", "#dadaeb"),
    "selector_width": ("ellipse", "#bcbddc"),
    "readout": ("doubleoctagon", "#fcbba1"),
}

#: Operand roles shown on edges, for the kinds whose operands play different parts.
ROLES: dict[str, tuple[str, ...]] = {
    "sequence_map": ("x", "y"),
    "select": ("keys", "queries"),
    "aggregate": ("sel", "values"),
}

#: Longest label line before it is cut with "…".
MAX_LINE = 72


def emit_dot(program: Program) -> str:
    """The program's DAG in the DOT language."""
    live = {node.name for node in live_nodes(program)}
    lines = [
        f"digraph {_quote(program_title(program))} {{",
        f"  graph [rankdir=TB, fontname=Helvetica, labelloc=t, label={_quote(_caption(program))}];",
        "  node [fontname=Helvetica, fontsize=10, style=filled];",
        "  edge [fontname=Helvetica, fontsize=9, color=gray40];",
    ]
    for node in program:
        shape, fill = STYLES.get(node.kind, ("box", "white"))
        attrs = [f"label={_quote(*_label(node))}", f"shape={shape}", f'fillcolor="{fill}"']
        if node.name == program.output:
            attrs += ['color="#cb181d"', "penwidth=3", 'style="filled,bold"']
        elif node.name not in live:
            attrs += ['style="filled,dashed"', "fontcolor=gray45"]
        lines.append(f"  {_quote(node.name)} [{', '.join(attrs)}];")
    for node in program:
        roles = ROLES.get(node.kind, ())
        for k, operand in enumerate(node.inputs):
            label = f" [label={_quote(roles[k])}]" if k < len(roles) else ""
            lines.append(f"  {_quote(operand)} -> {_quote(node.name)}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _caption(program: Program) -> str:
    specials = describe_specials(program)
    return (
        f"vocab ({len(program.vocab)}): {summarize_values(program.vocab)}; "
        f"max_len {program.max_len}" + (f"; {specials}" if specials else "")
    )


def _label(node: Node) -> list[str]:
    kind = (
        node.kind if isinstance(node.type, Selector) else f"{node.kind}: {_type_summary(node.type)}"
    )
    lines = [node.name, kind]
    if isinstance(node, Constant):
        lines.append(f"value {node.value!r}")
    elif isinstance(node, (Map, SequenceMap)):
        lines.append(node.form or f"table, {len(node.table)} entries")
    elif isinstance(node, Select):
        lines.append(describe_predicate(node.predicate) + (", causal" if node.causal else ""))
    elif isinstance(node, SelectorOp):
        lines.append(node.op)
    elif isinstance(node, Aggregate):
        default = "" if node.default is None else f", default {node.default!r}"
        lines.append(f"{node.reduce}{default}")
    elif isinstance(node, Readout):
        masked = [repr(c) for c, ok in zip(node.classes, node.mask) if not ok]
        lines.append(
            f"{len(node.features)} features"
            + (", pooled" if node.pooled else "")
            + (f", masked {', '.join(masked)}" if masked else "")
        )
    return [_cut(line) for line in lines]


def _type_summary(t: Categorical | Numerical) -> str:
    if isinstance(t, Categorical):
        return f"cat[{len(t.values)}] {{{summarize_values(t.values, 5)}}}"
    if isinstance(t, Numerical):
        if t.values is None:
            return "num"
        return f"num[{len(t.values)}] {{{summarize_values(t.values, 5)}}}"
    raise AssertionError(t)


def _cut(line: str) -> str:
    line = printable(line)
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def _quote(*lines: str) -> str:
    """A DOT double-quoted string of ``lines`` separated by DOT's centred line breaks;
    each line printable (:func:`~tpc.errors.printable`), quotes and backslashes escaped."""
    escaped = (printable(line).replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return '"' + "\\n".join(escaped) + '"'
