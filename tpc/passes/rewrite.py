"""Small tools the passes share: value identity, operand renaming, rebuilding programs.

Python's ``==`` makes ``True == 1`` and ``1 == 1.0``; IR value sets keep bools apart from
numbers, so passes compare values through :func:`tpc.ir.types.tag` (the one value key).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from tpc.ir.nodes import (
    Aggregate,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    Tokens,
)
from tpc.ir.program import Program
from tpc.ir.types import Type, Value, value_set

#: Fields of each node kind that hold operand names (tuple-valued for SelectorOp/Readout).
OPERAND_FIELDS: dict[type[Node], tuple[str, ...]] = {
    Map: ("x",),
    SequenceMap: ("x", "y"),
    Select: ("keys", "queries"),
    SelectorOp: ("sels",),
    Aggregate: ("sel", "values"),
    SelectorWidth: ("sel",),
    Readout: ("features",),
}

#: The program's inputs, which every pass keeps even when nothing reads them.
INPUT_KINDS = (Tokens, Indices)


def same_value(a: Value, b: Value) -> bool:
    """``a`` and ``b`` are the same value of the same Python type (``1`` is not ``1.0``)."""
    return type(a) is type(b) and a == b


def same_type(a: Type, b: Type) -> bool:
    """Equal types, value by value with :func:`same_value` (``cat{1}`` is not ``cat{True}``)."""
    va, vb = value_set(a), value_set(b)
    if type(a) is not type(b) or (va is None) != (vb is None):
        return False
    return va is None or len(va) == len(vb) and all(map(same_value, va, vb))


def rename_operands(node: Node, mapping: Mapping[str, str]) -> Node:
    """A copy of ``node`` whose operands named in ``mapping`` are renamed."""
    fields = OPERAND_FIELDS.get(type(node), ())
    changes: dict[str, object] = {}
    for f in fields:
        old = getattr(node, f)
        new = (
            tuple(mapping.get(n, n) for n in old)
            if isinstance(old, tuple)
            else mapping.get(old, old)
        )
        if new != old:
            changes[f] = new
    return dataclasses.replace(node, **changes) if changes else node


def live_names(program: Program) -> set[str]:
    """Names of the nodes the output depends on, plus the inputs."""
    seen: set[str] = set()
    stack = [program.output]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(program[name].inputs)
    return seen | {n.name for n in program if isinstance(n, INPUT_KINDS)}


def rebuild(program: Program, nodes: Iterable[Node], output: str | None = None) -> Program:
    """A validated program of ``nodes`` (in order) with ``program``'s metadata, dead nodes dropped.

    Every pass ends here, so a rewrite that orphans nodes (a folded head, a fused map)
    never leaves them behind.
    """
    new = program.replace(list(nodes), output=output)
    live = live_names(new)
    return new.replace([n for n in new if n.name in live]).validate()


def substitute(program: Program, replacements: Mapping[str, Node | str]) -> Program:
    """Replace nodes by new nodes (same name) or by another node's name, rewiring users.

    ``replacements[name]`` is either a node to put in ``name``'s place or the name of an
    earlier node whose value equals ``name``'s (users are rewired to it and ``name`` goes).
    """
    aliases: dict[str, str] = {}
    out: list[Node] = []
    for node in program:
        new = replacements.get(node.name, node)
        if isinstance(new, str):
            aliases[node.name] = aliases.get(new, new)
            continue
        out.append(rename_operands(new, aliases))
    output = aliases.get(program.output, program.output)
    return rebuild(program, out, output)


def fresh_name(program: Program, stem: str) -> str:
    """``stem``, or ``stem_1``, ``stem_2``, ... : the first that names no node of ``program``."""
    name, i = stem, 0
    while name in program.nodes:
        i += 1
        name = f"{stem}_{i}"
    return name
