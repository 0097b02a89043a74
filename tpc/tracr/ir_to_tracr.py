"""IR → Tracr: an IR program as a ``tracr.rasp`` program (docs/design.md §5).

:func:`tracr_steps` legalises the program (:func:`~tpc.passes.legalize.tracr.legalize_for_tracr`)
and lists one :class:`Step` per live node: the Tracr constructor, its operands, its
encoding and its table. Two renderers read the same steps:

* :func:`emit_tracr` prints a standalone, black-formatted module defining
  ``program() -> rasp.SOp`` and the constants ``VOCAB``, ``MAX_SEQ_LEN`` and
  ``COMPILER_BOS``, so that
  ``compiling.compile_rasp_to_model(program(), vocab=VOCAB, max_seq_len=MAX_SEQ_LEN,
  compiler_bos=COMPILER_BOS)`` compiles it as it stands (``MLP_EXACTNESS`` is the
  ``mlp_exactness`` that keeps its selector widths exact);
* :func:`build_tracr` builds the same ``rasp.SOp`` in memory.

Every node keeps its IR name (``.named(...)``) and gets an explicit ``rasp.categorical`` /
``rasp.numerical`` annotation. Named comparisons print as ``rasp.Comparison.EQ``; tables
(Maps, SequenceMaps, table predicates as ``query → selected keys``) are module-level dict
literals. Tracr calls predicates as ``predicate(key, query)``, like the IR. A Map that
reads a Tracr-numerical value looks up the nearest table key, because Tracr evaluates it on
its own (coarser) inference of the operand's values. ``tracr`` is imported only by
:func:`build_tracr`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import black
import networkx as nx

from tpc.errors import EmitError, TpcError
from tpc.ir import (
    Aggregate,
    Comparison,
    Indices,
    Map,
    Program,
    Select,
    SelectorWidth,
    SequenceMap,
    Tokens,
)
from tpc.ir.render import Namer, dict_literal, render_set, render_value
from tpc.ir.types import Value, value_key
from tpc.passes.legalize.tracr import (
    legalize_for_tracr,
    nearest_key,
    needs_one_key,
    tracr_mlp_exactness,
    tracr_numerical,
    unproved_one_key,
)

if TYPE_CHECKING:
    from tracr.rasp import rasp

#: Width of the emitted source's lines.
LINE = 100
#: Tracr's compile-time padding token, which the vocabulary must not hold either.
COMPILER_PAD = "compiler_pad"


@dataclasses.dataclass(frozen=True)
class Step:
    """One Tracr expression: ``op`` over earlier steps named in ``args``.

    ``op`` is ``tokens``, ``indices``, ``map``, ``sequence_map``, ``select``, ``aggregate``
    or ``selector_width``. ``table``: a Map's value → value, a SequenceMap's (x, y) →
    value, a table predicate's query → frozenset of selected keys. ``comparison``: a named
    predicate. ``nearest``: the Map reads a Tracr-numerical operand.
    """

    name: str
    op: str
    args: tuple[str, ...] = ()
    numerical: bool = False
    table: dict | None = None
    comparison: str | None = None
    nearest: bool = False
    default: Value | None = None
    note: str | None = None


@dataclasses.dataclass(frozen=True)
class TracrPlan:
    """A legalised program and its steps, in operand order."""

    program: Program
    steps: tuple[Step, ...]
    compiler_bos: str

    @property
    def output(self) -> str:
        return self.program.output


def compiler_bos_for(vocab: Sequence[str]) -> str:
    """A BOS token outside the vocabulary (and not Tracr's pad token)."""
    if COMPILER_PAD in vocab:
        raise EmitError(
            f"the vocabulary holds {COMPILER_PAD!r}, Tracr's own padding token; rename that token"
        )
    bos, i = "compiler_bos", 0
    while bos in vocab:
        i += 1
        bos = f"compiler_bos_{i}"
    return bos


def _select_table(node: Select, keys: Sequence[Value], queries: Sequence[Value]) -> dict:
    return {q: frozenset(k for k in keys if node.predicate(k, q)) for q in queries}


def tracr_steps(program: Program) -> TracrPlan:
    """Legalise ``program`` for Tracr and describe one Tracr expression per live node."""
    legal = legalize_for_tracr(program)
    live = nx.ancestors(legal.graph, legal.output) | {legal.output}
    if "tokens" not in live:
        raise EmitError(
            f"the output '{legal.output}' does not depend on the tokens; Tracr compiles only "
            "programs that read them"
        )
    numerical = tracr_numerical(legal)
    unproved = set(unproved_one_key(legal))
    steps: list[Step] = []
    for node in legal:
        if node.name not in live:
            continue
        num = node.name in numerical
        if isinstance(node, Tokens):
            step = Step(node.name, "tokens")
        elif isinstance(node, Indices):
            step = Step(node.name, "indices")
        elif isinstance(node, Map):
            step = Step(node.name, "map", (node.x,), num, node.table, nearest=node.x in numerical)
        elif isinstance(node, SequenceMap):
            if num or any(op in numerical for op in node.inputs):
                raise EmitError(f"node '{node.name}': Tracr's SequenceMaps are categorical")
            step = Step(node.name, "sequence_map", (node.x, node.y), table=node.table)
        elif isinstance(node, Select):
            if node.causal or any(op in numerical for op in node.inputs):
                raise EmitError(f"node '{node.name}': Tracr selects are categorical, not causal")
            if isinstance(node.predicate, Comparison):
                step = Step(node.name, "select", node.inputs, comparison=node.predicate.op)
            else:
                keys, queries = legal[node.keys].type.values, legal[node.queries].type.values
                step = Step(
                    node.name, "select", node.inputs, table=_select_table(node, keys, queries)
                )
        elif isinstance(node, Aggregate) and node.reduce == "mean":
            if num != (node.values in numerical):
                raise EmitError(f"node '{node.name}': its values' encoding differs from its own")
            note = None
            if node.name in unproved:
                note = "must select at most one key: not proved, `tpc tracr compile` checks"
            elif needs_one_key(legal, node):
                note = "selects at most one key (proved)"
            default = 0 if num else None
            if node.default != default and not (num and node.default is None):
                raise EmitError(f"node '{node.name}': Tracr aggregates default to {default}")
            step = Step(node.name, "aggregate", node.inputs, num, default=default, note=note)
        elif isinstance(node, SelectorWidth):
            step = Step(node.name, "selector_width", node.inputs)
        else:
            raise EmitError(f"node '{node.name}' ({node.kind}): no Tracr form after legalisation")
        steps.append(step)
    return TracrPlan(legal, tuple(steps), compiler_bos_for(legal.vocab))


# ---- in-memory builder --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Lookup:
    """``table[x]``, or with ``nearest`` the entry of the key closest to ``x``."""

    table: dict
    nearest: bool = False

    def __call__(self, x: Value) -> Value:
        return self.table[nearest_key(list(self.table), x) if self.nearest else x]


@dataclasses.dataclass(frozen=True)
class PairLookup:
    """``table[x, y]``."""

    table: dict

    def __call__(self, x: Value, y: Value) -> Value:
        return self.table[x, y]


@dataclasses.dataclass(frozen=True)
class Selects:
    """A table predicate in Tracr's argument order: ``key in table[query]``."""

    table: dict

    def __call__(self, key: Value, query: Value) -> bool:
        return key in self.table[query]


def tracr_rasp() -> Any:
    """The ``tracr.rasp.rasp`` module, imported on first use; ``TpcError`` naming the extra
    when tracr is not installed."""
    try:
        from tracr.rasp import rasp
    except ImportError:
        raise TpcError(
            "tracr is not installed; install tpc with the extra: pip install 'tpc[tracr]'"
        ) from None
    return rasp


def build_tracr(program: Program) -> rasp.SOp:
    """The ``tracr.rasp`` program of ``program`` (legalised), built in memory."""
    rasp = tracr_rasp()
    plan = tracr_steps(program)
    env: dict[str, Any] = {}
    for step in plan.steps:
        args = [env[a] for a in step.args]
        if step.op in ("tokens", "indices"):
            env[step.name] = getattr(rasp, step.op)
            continue
        if step.op == "map":
            expr = rasp.Map(Lookup(step.table, step.nearest), *args, simplify=False)
        elif step.op == "sequence_map":
            expr = rasp.SequenceMap(PairLookup(step.table), *args)
        elif step.op == "select":
            pred = rasp.Comparison[step.comparison] if step.comparison else Selects(step.table)
            expr = rasp.Select(*args, pred)
        elif step.op == "aggregate":
            expr = rasp.Aggregate(*args, default=step.default)
        else:
            expr = rasp.SelectorWidth(*args)
        expr = expr.named(step.name)
        if step.op != "select":
            expr = rasp.numerical(expr) if step.numerical else rasp.categorical(expr)
        env[step.name] = expr
    return env[plan.output]


# ---- source emitter -----------------------------------------------------------------------

_NEAREST_HELPER = '''
def _nearest(table: dict, x: float):
    """The entry of the key closest to x (Tracr evaluates Maps of numerical values on its
    own inference of their value set)."""
    return table[min(table, key=lambda k: (abs(k - x), k))]
'''


def _dict_literal(name: str, table: dict, render_key: Callable[[Any], str]) -> str:
    """``NAME = {k: v, ...}`` in key order, wrapped by :func:`~tpc.ir.render.dict_literal`."""
    items = sorted(table.items(), key=lambda kv: _sort_key(kv[0]))
    return dict_literal(name, (f"{render_key(k)}: {_render(v)}" for k, v in items))


def _sort_key(k: Any) -> tuple:
    return tuple(value_key(x) for x in k) if isinstance(k, tuple) else (value_key(k),)


def _render(v: Any) -> str:
    if isinstance(v, frozenset):
        return render_set(v)
    if isinstance(v, tuple):
        return "(" + ", ".join(render_value(x) for x in v) + ")"
    return render_value(v)


def _largest_space(program: Program) -> int:
    """Tracr's ``key_size`` for the program, from the IR's value sets: the largest query
    space plus BOS and one, or key space plus BOS, of any select."""
    sizes = [1]
    for node in program:
        if isinstance(node, Select):
            sizes.append(len(program[node.queries].type.values) + 2)
            sizes.append(len(program[node.keys].type.values) + 1)
    return max(sizes)


def _expression(step: Step, var: dict[str, str], const: str | None) -> str:
    args = [var[a] for a in step.args]
    if step.op == "map":
        fn = f"lambda x: _nearest({const}, x)" if step.nearest else f"lambda x: {const}[x]"
        return f"rasp.Map({fn}, {args[0]}, simplify=False)"
    if step.op == "sequence_map":
        return f"rasp.SequenceMap(lambda x, y: {const}[x, y], {args[0]}, {args[1]})"
    if step.op == "select":
        pred = (
            f"rasp.Comparison.{step.comparison}"
            if step.comparison
            else f"lambda key, query: key in {const}[query]"
        )
        return f"rasp.Select({args[0]}, {args[1]}, {pred})"
    if step.op == "aggregate":
        default = "None" if step.default is None else render_value(step.default)
        return f"rasp.Aggregate({args[0]}, {args[1]}, default={default})"
    return f"rasp.SelectorWidth({args[0]})"


def emit_tracr(program: Program) -> str:
    """Python source defining ``program() -> rasp.SOp``, ``VOCAB``, ``MAX_SEQ_LEN``,
    ``COMPILER_BOS`` and ``MLP_EXACTNESS`` for ``program`` (legalised for Tracr);
    black-formatted."""
    plan = tracr_steps(program)
    legal = plan.program
    reserved = {
        "rasp",
        "program",
        "VOCAB",
        "MAX_SEQ_LEN",
        "COMPILER_BOS",
        "MLP_EXACTNESS",
        "_nearest",
    }
    names = Namer(reserved)
    var = {"tokens": "rasp.tokens", "indices": "rasp.indices"}
    consts: list[str] = []
    body: list[str] = []
    for step in plan.steps:
        if step.op in ("tokens", "indices"):
            continue
        const = None
        if step.table is not None:
            const = names.name(f"{step.name.upper()}_TABLE")
            render_key = _render if step.op == "sequence_map" else render_value
            what = {
                "map": "value → value",
                "sequence_map": "(x, y) → value",
                "select": "query → the keys it selects",
            }[step.op]
            consts.append(f"# {step.name}: {what}\n{_dict_literal(const, step.table, render_key)}")
        var[step.name] = names.name(step.name)
        expr = f"{_expression(step, var, const)}.named({step.name!r})"
        if step.op != "select":
            expr = f"rasp.{'numerical' if step.numerical else 'categorical'}({expr})"
        if step.note:
            body.append(f"# {step.name} {step.note}")
        body.append(f"{var[step.name]} = {expr}")
    output = var[plan.output]
    vocab = render_set(legal.vocab)
    header = (
        f'"""Tracr program emitted by tpc (the Transformer Program Compiler).\n\n'
        f"Output: {legal.output!r}. Compile it with\n\n"
        "    from tracr.compiler import compiling\n"
        "    model = compiling.compile_rasp_to_model(\n"
        "        program(), vocab=VOCAB, max_seq_len=MAX_SEQ_LEN, compiler_bos=COMPILER_BOS,\n"
        "        mlp_exactness=MLP_EXACTNESS,\n"
        "    )\n\n"
        "and run it as ``model.apply([COMPILER_BOS, *tokens]).decoded[1:]``.\n\n"
        "Tracr's default mlp_exactness (100) reads selector widths over more than 6 keys "
        "inexactly;\nMLP_EXACTNESS keeps them exact. Tracr's compiled attention divides its "
        "logits by\nsqrt(key_size), the largest query/key space of any head (here up to "
        f"about {_largest_space(legal)}); once\nthat reaches a few dozen the attention is no "
        "longer hard. For exact outputs multiply\nthe ``*/attn/query`` weights by "
        "sqrt(model.model_config.key_size), as ``tpc tracr compile``\ndoes.\n"
        '"""\n'
    )
    parts = [
        header,
        "from tracr.rasp import rasp\n",
        f"VOCAB = {vocab}",
        f"MAX_SEQ_LEN = {legal.max_len}",
        f"COMPILER_BOS = {plan.compiler_bos!r}",
        f"MLP_EXACTNESS = {tracr_mlp_exactness(legal.max_len)!r}\n",
        "# fmt: off",
        *consts,
        "# fmt: on",
    ]
    if any(s.nearest for s in plan.steps):
        parts.append(_NEAREST_HELPER)
    parts.append(
        "\ndef program() -> rasp.SOp:\n"
        '    """The program as a Tracr RASP expression."""\n'
        + "".join(f"    {line}\n" for line in "\n".join(body).splitlines())
        + f"    return {output}\n"
    )
    source = "\n".join(parts)
    return black.format_str(source, mode=black.Mode(line_length=LINE))


__all__ = [
    "COMPILER_PAD",
    "Lookup",
    "PairLookup",
    "Selects",
    "Step",
    "TracrPlan",
    "build_tracr",
    "compiler_bos_for",
    "emit_tracr",
    "tracr_rasp",
    "tracr_steps",
]
