"""Human-readable listings of IR programs (``tpc ir show`` / ``tpc ir stats``).

Every line is printable text (values appear as their ``repr``, and each line goes through
:func:`~tpc.errors.printable`), so no line break, control character or terminal escape
sequence from a program reaches the terminal."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from tpc.errors import printable
from tpc.ir.nodes import Aggregate, Constant, Map, Node, Readout, Select, SelectorOp, SequenceMap
from tpc.ir.program import Program


def _describe(node: Node) -> str:
    if isinstance(node, Constant):
        return f"constant({node.value!r})"
    if isinstance(node, (Map, SequenceMap)):
        args = ", ".join(node.inputs)
        body = node.form or f"{len(node.table)}-entry table"
        return f"{node.kind}({args}: {body})"
    if isinstance(node, Select):
        causal = ", causal" if node.causal else ""
        return f"select(keys={node.keys}, queries={node.queries}, {node.predicate}{causal})"
    if isinstance(node, SelectorOp):
        return f" {node.op} ".join(node.sels) if len(node.sels) == 2 else f"not {node.sels[0]}"
    if isinstance(node, Aggregate):
        default = "" if node.default is None else f", default={node.default!r}"
        return f"aggregate[{node.reduce}]({node.sel}, {node.values}{default})"
    if isinstance(node, Readout):
        pooled = ", pooled" if node.pooled else ""
        return f"readout({', '.join(node.features)}{pooled})"
    return f"{node.kind}({', '.join(node.inputs)})"


def format_program(program: Program) -> str:
    """One line per node, ``name: type = kind(operands ...)``, in evaluation order."""
    head = (
        f"# vocab {list(program.vocab)}, max_len {program.max_len}, "
        f"bos {program.bos!r}, eos {program.eos!r}, output {program.output}"
    )
    width = max(len(n.name) for n in program)
    lines = [head]
    for node in program:
        mark = "  <- output" if node.name == program.output else ""
        lines.append(f"{node.name:<{width}} : {node.type} = {_describe(node)}{mark}")
    return "\n".join(map(printable, lines))


def program_stats(program: Program) -> dict[str, int]:
    """Sizes: nodes by kind, attention heads, table entries, depth in attention layers."""
    kinds = Counter(n.kind for n in program)
    table_entries = sum(len(n.table or ()) for n in program if isinstance(n, (Map, SequenceMap)))
    table_entries += sum(
        len(getattr(n.predicate, "pairs", ())) for n in program if isinstance(n, Select)
    )
    layers: dict[str, int] = {}
    for name in nx.topological_sort(program.graph):
        node = program[name]
        below = max((layers[op] for op in node.inputs), default=0)
        layers[name] = below + (1 if node.kind in ("aggregate", "selector_width") else 0)
    stats = {"nodes": len(program), **{k: v for k, v in sorted(kinds.items())}}
    stats["heads"] = kinds.get("aggregate", 0) + kinds.get("selector_width", 0)
    stats["table_entries"] = table_entries
    stats["attention_layers"] = max(layers.values(), default=0)
    return stats
