"""IR → RASP text, in the dialect of the language's reference implementation (tech-srl/RASP).

``emit_rasp(program)`` writes one statement per node, in topological order, each assigning
the node's (RASP-safe) name, and ends with the output as an expression statement. The
text uses only what the reference interpreter accepts and evaluates to the same outputs;
``tpc.frontends.parse_rasp`` reads it back:

* ``tokens``, ``indices`` and ``length`` (a selector width over an all-true select) are
  the built-ins; a constant is written where it is used, as an atom (RASP lifts atoms to
  s-ops where it needs them).
* ``Map``/``SequenceMap``: the node's recorded RASP form (``meta["rasp"]``, else
  ``form``) in the operands ``x``/``y``, when it computes the table exactly; otherwise the
  table itself as a conditional chain over ``in`` tests (the reference cannot index a
  dict with an s-op, so there are no dict lookups). An open map (no table) is its form,
  fully parenthesised, numbers written positionally and exactly (``0.000015``).
* ``Select``: ``select(keys, queries, op)`` when RASP's comparison computes the same
  table (e.g. no ``True``/``1`` clashes); any other predicate as an ``or`` of
  ``select(keys in K, True, ==) and select(True, queries in Q, ==)`` terms, one per group
  of query values with the same key set. ``causal`` adds ``and select(indices, indices, <=)``.
  ``SelectorOp`` is ``and``/``or``/``not``.
* ``Aggregate`` (mean) is ``aggregate``, with its default unless the text means that one
  without it (0, or over strings none: :func:`~tpc.frontends.rasp_to_ir.implicit_default`);
  ``SelectorWidth`` is ``selector_width``.

``closest``/``sum`` aggregates and ``Readout`` nodes have no RASP form: :func:`emit_rasp`
legalises them first (:func:`~tpc.passes.legalize.rasp.legalize_for_rasp`); what is left raises
:class:`~tpc.errors.EmitError` naming the node and why.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter

from tpc.errors import EmitError
from tpc.frontends.rasp_to_ir import (
    RESERVED_NAMES,
    SELECT_OPS,
    compile_form,
    implicit_default,
    literal,
)
from tpc.ir import (
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Numerical,
    Program,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.forms import render_form
from tpc.ir.nodes import PYTHON_COMPARISONS
from tpc.ir.render import comparison_rows
from tpc.ir.types import Value, value_set
from tpc.passes.legalize.rasp import legalize_for_rasp

#: IR comparison → RASP select operator.
_RASP_OPS = {ir: rasp for rasp, ir in SELECT_OPS.items()}
#: Names the emitted text relies on, beyond those RASP reserves.
_BUILTIN_NAMES = frozenset(
    {"tokens", "indices", "length", "selector_width", "full_s", "select", "aggregate"}
)
_ALL_TRUE = "select(1, 1, ==)"
_ALL_FALSE = "select(1, 0, ==)"
#: Longest chain of conditionals, or of ``or`` terms, written as one; longer ones are
#: halved, so emitted text nests far less deep than the RASP reader follows
#: (:data:`tpc.frontends.rasp_to_ir.MAX_NESTING`).
_MAX_CHAIN = 32


def emit_rasp(program: Program) -> str:
    """RASP text computing ``program`` (see the module docstring), legalised first
    (:func:`~tpc.passes.legalize.rasp.legalize_for_rasp`); ``EmitError`` naming the node if it cannot be written."""
    return _Emitter(legalize_for_rasp(program.validate())).text()


class _Emitter:
    def __init__(self, program: Program):
        self.p = program
        self.names = _rasp_names(program)

    def text(self) -> str:
        p = self.p
        lines = [
            "# RASP program emitted by tpc (the dialect of tech-srl/RASP). The reference REPL",
            "# test-runs each statement on its example: `set example` to an input first.",
            f"# vocab: {json.dumps(list(p.vocab))}",
            f"# max_len: {p.max_len}",
            f"# output: {self.names[p.output]}",
            *(f"# {k}: {json.dumps(v)}" for k, v in (("bos", p.bos), ("eos", p.eos)) if v),
        ]
        needed = _needed(p)
        for node in p:
            if node.name in needed:
                lines.append(f"{self.names[node.name]} = {self.expression(node)};")
        lines.append(f"{self.names[p.output]};")
        return "\n".join(lines) + "\n"

    def fail(self, node: Node, why: str) -> EmitError:
        return EmitError(f"node '{node.name}' ({node.kind}) has no RASP form: {why}")

    def lit(self, node: Node, value: Value) -> str:
        text = literal(value)
        if text is None:
            raise self.fail(node, f"RASP cannot write the value {value!r}")
        return text

    def expression(self, node: Node) -> str:
        n = self.names
        if isinstance(node, Constant):
            return self.lit(node, _written(node))
        if isinstance(node, Map):
            return self.map(node, [node.x])
        if isinstance(node, SequenceMap):
            return self.map(node, [node.x, node.y])
        if isinstance(node, Select):
            sel = self.select(node)
            return f"({sel}) and select(indices, indices, <=)" if node.causal else sel
        if isinstance(node, SelectorOp):
            if node.op == "not":
                return f"not {n[node.sels[0]]}"
            return f" {node.op} ".join(n[s] for s in node.sels)
        if isinstance(node, Aggregate):
            if node.reduce != "mean":
                raise self.fail(
                    node,
                    f"RASP has only mean aggregates, not '{node.reduce}' "
                    "(legalise the program first)",
                )
            return self.aggregate(node)
        if isinstance(node, SelectorWidth):
            return f"selector_width({n[node.sel]})"
        if isinstance(node, Readout):
            raise self.fail(node, "a readout (argmax of weighted features) is not a RASP operation")
        raise self.fail(node, f"unknown node kind '{node.kind}'")

    def aggregate(self, node: Aggregate) -> str:
        """``aggregate(sel, values[, default])``: the default is written unless it is the
        one RASP text gets without it (:func:`~tpc.frontends.rasp_to_ir.implicit_default`: 0, or
        over strings none). A default of None over other values cannot be written (RASP
        has no "undefined"): the text then defaults to 0 where the IR is undefined, except
        for a categorical mean of booleans, which defaults to one of them (a 0 among booleans would make a
        later mean of this one numerical)."""
        default = node.default
        if isinstance(node.type, Numerical) and isinstance(default, bool):
            default = int(default)  # RASP averages numbers, not booleans
        args = f"{self.names[node.sel]}, {self.names[node.values]}"
        values = value_set(self.p[node.values].type)
        categorical = not isinstance(node.type, Numerical)
        if default is None and categorical and values and all(isinstance(v, bool) for v in values):
            default = values[0]
        implicit = implicit_default(values)
        if default is None or (type(default) is type(implicit) and default == implicit):
            return f"aggregate({args})"
        return f"aggregate({args}, {self.lit(node, default)})"

    # ---- element-wise tables ------------------------------------------------------------------

    def map(self, node: Map | SequenceMap, operands: list[str]) -> str:
        """A Map/SequenceMap: its form if it is open or computes its table, else its table
        as a conditional chain."""
        if node.table is None:
            names = [self.names[x] for x in operands]
            text = render_form(node.form, names, lambda v: self.lit(node, v))  # type: ignore[arg-type]
            return f"({text} * 1)" if _numerical_booleans(node) else text
        domains = [value_set(self.p[x].type) or () for x in operands]
        keys = list(zip(node.table)) if isinstance(node, Map) else list(node.table)
        entries = list(zip(keys, node.table.values()))
        members = [frozenset(d) for d in domains]  # same == membership as the tuples, O(1)
        used = [set(map(itemgetter(i), keys)) for i in range(len(operands))]
        if not all(u <= d for u, d in zip(used, members)):  # drop entries outside the domains
            entries = [(k, v) for k, v in entries if all(a in d for a, d in zip(k, members))]
        # in the operands' value order, so that the text does not depend on the table's
        # (a program and its JSON round trip write the same RASP)
        positions = [{v: i for i, v in enumerate(d)} for d in domains]
        entries.sort(key=lambda e: tuple((p.get(a, -1), repr(a)) for p, a in zip(positions, e[0])))
        if isinstance(node.type, Numerical) and bool in set(map(type, map(itemgetter(1), entries))):
            # RASP averages numbers, not booleans: numerical 0/1 flags are written as ints
            return self.table(node, operands, domains, [(k, int(v)) for k, v in entries])
        for form in (node.meta.get("rasp"), node.form):
            if isinstance(form, str) and _form_computes(form, entries):
                return _substitute(form, [self.names[x] for x in operands])
        return self.table(node, operands, domains, entries)

    def table(self, node: Node, operands: list[str], domains, entries) -> str:
        """A table as conditionals choosing among its outputs, the most frequent last (it
        needs no test): a chain while there are at most :data:`_MAX_CHAIN` outputs, else
        halved (the first half's operand values tested), so that the text nests about
        log2(outputs) deep."""
        groups: dict[tuple[bool, Value], list[tuple]] = {}
        outputs: dict[tuple[bool, Value], Value] = {}
        for key, out in entries:
            tag = (isinstance(out, bool), out)
            groups.setdefault(tag, []).append(key)
            outputs.setdefault(tag, out)
        counts = Counter({tag: len(keys) for tag, keys in groups.items()})
        default = counts.most_common(1)[0][0]
        names = [self.names[x] for x in operands]

        def choose(tags: list[tuple[bool, Value]]) -> str:
            if len(tags) > _MAX_CHAIN:
                half = len(tags) // 2
                first = [key for tag in tags[:half] for key in groups[tag]]
                cond = _condition(node, first, names, domains)
                return f"({choose(tags[:half])} if {cond} else {choose(tags[half:])})"
            text = self.lit(node, outputs[tags[-1]])
            for tag in reversed(tags[:-1]):
                cond = _condition(node, groups[tag], names, domains)
                text = f"({self.lit(node, outputs[tag])} if {cond} else {text})"
            return text

        return choose([t for t in groups if t != default] + [default])

    # ---- selects --------------------------------------------------------------------------------

    def select(self, node: Select) -> str:
        keys, queries = self.names[node.keys], self.names[node.queries]
        pred = node.predicate
        kvals, qvals = value_set(self.p[node.keys].type), value_set(self.p[node.queries].type)
        if isinstance(pred, Comparison) and pred.op in ("TRUE", "FALSE"):
            return _ALL_TRUE if pred.op == "TRUE" else _ALL_FALSE
        if kvals is None or qvals is None:
            if isinstance(pred, Comparison):  # numbers, compared as RASP does
                return f"select({keys}, {queries}, {_RASP_OPS[pred.op]})"
            raise self.fail(node, "a table predicate over operands without finite value sets")
        table = {(q, k): bool(pred(k, q)) for q in qvals for k in kvals}
        if all(table.values()):
            return _ALL_TRUE
        if not any(table.values()):
            return _ALL_FALSE
        ops = [pred.op] if isinstance(pred, Comparison) else []
        for op in dict.fromkeys([*ops, "EQ", "NEQ", "LT", "LEQ", "GT", "GEQ"]):
            if _python_computes(op, table):
                return f"select({keys}, {queries}, {_RASP_OPS[op]})"
        return self.select_table(node, keys, queries, kvals, qvals, table)

    def select_table(self, node, keys, queries, kvals, qvals, table) -> str:
        """``or`` over groups of query values sharing a key set (keys in K and queries in
        Q); or, when shorter, a comparison for the query values it gives right ``or`` such
        groups for the others."""
        text = _any(self.select_groups(node, keys, queries, kvals, qvals, table, qvals))
        pred = TablePredicate(frozenset(pair for pair, on in table.items() if on))
        best = comparison_rows(pred, kvals, qvals)
        if best is not None:
            cmp, rows = best
            others = [q for q in qvals if q not in set(rows)]
            if len(rows) <= len(others):
                where = f"select(True, {_in(queries, list(rows), node)}, ==)"
            else:
                where = f"select(True, not {_in(queries, others, node)}, ==)"
            compared = f"select({keys}, {queries}, {_RASP_OPS[cmp.op]}) and {where}"
            groups = self.select_groups(node, keys, queries, kvals, qvals, table, others)
            text = min(text, _any([compared, *groups]), key=len)
        return text

    def select_groups(self, node, keys, queries, kvals, qvals, table, among) -> list[str]:
        """A select per group of the query values ``among`` that share a (non-empty) key
        set: ``select(keys in K, True, ==) and select(True, queries in Q, ==)``."""
        key_sets: dict[tuple, list[Value]] = {}
        for q in among:
            chosen = tuple(k for k in kvals if table[(q, k)])
            if chosen:
                key_sets.setdefault(chosen, []).append(q)
        terms = []
        for chosen, group in key_sets.items():
            parts = []
            if len(chosen) < len(kvals):
                parts.append(f"select({_in(keys, list(chosen), node)}, True, ==)")
            if len(group) < len(qvals):
                parts.append(f"select(True, {_in(queries, group, node)}, ==)")
            terms.append(" and ".join(parts))
        return terms


def _any(terms: list[str]) -> str:
    """Selects joined by ``or`` (one needs no parentheses; many are halved, as
    :func:`_balanced` does)."""
    if len(terms) == 1:
        return terms[0]
    if len(terms) > _MAX_CHAIN:
        return _balanced("or", [f"({t})" for t in terms])
    return " or ".join(f"({t})" for t in terms)


def _balanced(op: str, terms: list[str]) -> str:
    """``(t1 op t2 op ...)``, or one term alone; more than :data:`_MAX_CHAIN` terms are
    split in parenthesised halves, so that the text nests about log2(terms) deep (``and``
    and ``or`` are associative, on s-ops and selectors alike)."""
    if len(terms) == 1:
        return terms[0]
    if len(terms) > _MAX_CHAIN:
        half = len(terms) // 2
        return f"({_balanced(op, terms[:half])} {op} {_balanced(op, terms[half:])})"
    return "(" + f" {op} ".join(terms) + ")"


def _is_length(node: Node, program: Program) -> bool:
    """Is this the built-in ``length``: a selector width of an all-true, non-causal select?"""
    if node.name != "length" or not isinstance(node, SelectorWidth):
        return False
    sel = program[node.sel]
    return (
        isinstance(sel, Select)
        and not sel.causal
        and isinstance(sel.predicate, Comparison)
        and sel.predicate.op == "TRUE"
    )


def _numerical_booleans(node: Node) -> bool:
    """Does a numerical node hold booleans? RASP text reads booleans as labels (a mean of
    them is categorical), so the text writes them as the numbers 1 and 0."""
    values = value_set(node.type) if isinstance(node.type, Numerical) else None
    return values is not None and any(isinstance(v, bool) for v in values)


def _written(node: Constant) -> Value:
    """The value the text writes for a constant: a numerical boolean as 1 or 0."""
    return int(node.value) if _numerical_booleans(node) else node.value


def _inlined(node: Node, program: Program) -> bool:
    """Is the node written where it is used: a built-in, or a constant (not the output)?"""
    if isinstance(node, (Tokens, Indices)) or _is_length(node, program):
        return True
    return (
        isinstance(node, Constant)
        and node.name != program.output
        and literal(_written(node)) is not None
    )


def _needed(program: Program) -> set[str]:
    """The nodes the output needs that the text must assign."""
    needed: set[str] = set()
    todo = [program.output]
    while todo:
        name = todo.pop()
        node = program[name]
        if name in needed or _inlined(node, program):
            continue
        needed.add(name)
        todo.extend(node.inputs)
    return needed


def _rasp_names(program: Program) -> dict[str, str]:
    """A RASP variable per node: its own name unless RASP reserves it or the text needs it."""
    names: dict[str, str] = {}
    taken = set(RESERVED_NAMES) | _BUILTIN_NAMES
    for node in program:
        if isinstance(node, Tokens):
            names[node.name] = "tokens"
        elif isinstance(node, Indices):
            names[node.name] = "indices"
        elif _is_length(node, program):
            names[node.name] = "length"
        elif _inlined(node, program):
            names[node.name] = literal(_written(node))  # type: ignore[assignment,arg-type]
    taken |= set(program.nodes) - set(names)
    for node in program:
        if node.name in names:
            continue
        name = node.name
        if name in RESERVED_NAMES or name in _BUILTIN_NAMES:
            name += "_"
            while name in taken:
                name += "_"
            taken.add(name)
        names[node.name] = name
    return names


def _same(a: Value, b: Value) -> bool:
    """Equal as RASP sees it (Python ``==``), but never a string against a number."""
    return isinstance(a, str) == isinstance(b, str) and a == b


@lru_cache(maxsize=1024)
def _compiled(form: str):
    return compile_form(form)


def _form_computes(form: str, entries: Sequence[tuple[tuple, Value]]) -> bool:
    fn = _compiled(form)
    if fn is None:
        return False
    try:
        got = [fn(*key, None) if len(key) == 1 else fn(*key) for key, _ in entries]
    except Exception:  # noqa: BLE001 -- a form that fails on some entry is not the table
        return False
    return all(map(_same, got, map(itemgetter(1), entries)))


_NAME_OR_STRING = re.compile(r'"[^"]*"|\b[A-Za-z_][A-Za-z0-9_]*\b')


def _substitute(form: str, names: list[str]) -> str:
    """Put the operands' variable names for ``x`` and ``y`` (outside string literals)."""
    mapping = dict(zip(("x", "y"), names))
    return _NAME_OR_STRING.sub(lambda m: mapping.get(m.group(0), m.group(0)), form)


def _python_computes(op: str, table: dict[tuple[Value, Value], bool]) -> bool:
    try:
        return all(bool(PYTHON_COMPARISONS[op](k, q)) == on for (q, k), on in table.items())
    except TypeError:
        return False


def _condition(node: Node, keys: list[tuple], names: list[str], domains) -> str:
    """RASP text true exactly for the listed operand-value tuples (the shorter of grouping
    by the first or by the second operand, for two operands)."""
    if len(names) == 1:
        return _in(names[0], [k[0] for k in keys], node)
    flipped = [(b, a) for a, b in keys]
    return min(
        _grouped(node, keys, names, domains),
        _grouped(node, flipped, names[::-1], domains[::-1]),
        key=len,
    )


def _grouped(node: Node, keys: list[tuple], names: list[str], domains) -> str:
    """``or`` over groups of first-operand values that pair with the same second values."""
    xs, ys = domains
    by_x: dict[Value, list[Value]] = {}
    for a, b in keys:
        by_x.setdefault(a, []).append(b)
    groups: dict[tuple, list[Value]] = {}
    for a, bs in by_x.items():
        groups.setdefault(tuple(bs), []).append(a)
    terms = []
    for bs, as_ in groups.items():
        parts = []
        if len(as_) < len(xs):
            parts.append(_in(names[0], as_, node))
        if len(bs) < len(ys):
            parts.append(_in(names[1], list(bs), node))
        terms.append(" and ".join(parts) if len(parts) < 2 else f"({parts[0]} and {parts[1]})")
    return _balanced("or", terms)


def _in(var: str, values: list[Value], node: Node) -> str:
    """``(var == v)`` or ``(var in [v, ...])``."""
    texts = [literal(v) for v in values]
    if None in texts:
        bad = values[texts.index(None)]
        raise EmitError(
            f"node '{node.name}' ({node.kind}) has no RASP form: "
            f"RASP cannot write the value {bad!r} of '{var}'"
        )
    if len(values) == 1:
        return f"({var} == {texts[0]})"
    return f"({var} in [{', '.join(texts)}])"  # type: ignore[arg-type]
