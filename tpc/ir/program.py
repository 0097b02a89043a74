"""``Program``: the IR graph (a DAG of named nodes) plus what a run needs to know.

Nodes are kept in a topological order (operands before users), which is also the order
the interpreter evaluates them and back ends print them. ``graph`` gives the same DAG as a
``networkx.DiGraph`` for graph algorithms.
"""

from __future__ import annotations

import itertools
import keyword
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from tpc.errors import IRError, quote
from tpc.ir.forms import OpenForm, check_form
from tpc.ir.limits import (
    MAX_STRING,
    check_json,
    check_max_len,
    check_node_meta,
    check_values,
    value_problem,
)
from tpc.ir.nodes import (
    COMPARISONS,
    REDUCTIONS,
    SELECTOR_OPS,
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.reading import reading_of
from tpc.ir.types import Categorical, Numerical, Selector, Type, Value, tag, value_set

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(eq=True)
class Program:
    """A typed IR program.

    ``vocab`` is the token set (the ``tokens`` node's values) and ``max_len`` the longest
    input, counting ``bos``/``eos`` when the program expects them (learned programs read
    ``<s>`` at position 0; RASP programs have no BOS). ``output`` names the node whose
    values are the program's output. ``meta`` holds provenance (task, config, accuracy).
    """

    nodes: dict[str, Node]
    output: str
    vocab: tuple[str, ...]
    max_len: int
    bos: str | None = None
    eos: str | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocab = tuple(self.vocab)

    def __getitem__(self, name: str) -> Node:
        return self.nodes[name]

    def __iter__(self):
        return iter(self.nodes.values())

    def __len__(self) -> int:
        return len(self.nodes)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The DAG: an edge operand → user for every operand (built on first use)."""
        g = nx.DiGraph()
        for node in self.nodes.values():
            g.add_node(node.name, kind=node.kind)
            for op in node.inputs:
                g.add_edge(op, node.name)
        return g

    def users(self, name: str) -> list[str]:
        """Names of the nodes that read ``name``."""
        return [n.name for n in self.nodes.values() if name in n.inputs]

    @property
    def output_node(self) -> Node:
        return self.nodes[self.output]

    def replace(self, nodes: list[Node] | dict[str, Node], output: str | None = None) -> Program:
        """A new program with other nodes (same metadata); passes use this."""
        if not isinstance(nodes, dict):
            nodes = {n.name: n for n in nodes}
        return Program(
            nodes=dict(nodes),
            output=self.output if output is None else output,
            vocab=self.vocab,
            max_len=self.max_len,
            bos=self.bos,
            eos=self.eos,
            meta=dict(self.meta),
        )

    def validate(self) -> Program:
        """Check names, operand order and every node's typing; raise ``IRError`` naming the node."""
        validate(self)
        return self


def _fail(node: Node, msg: str) -> IRError:
    return IRError(f"node {quote(node.name)} ({node.kind}): {msg}")


def _short(t: Type) -> str:
    """A type as error messages show it: cut to one short line."""
    text = str(t)
    return text if len(text) <= 80 else text[:79] + "…"


def _check_value(node: Node, v: object, what: str) -> None:
    """``v`` is a value an IR node may hold: a str, int, float or bool within the limits
    of :mod:`tpc.ir.limits` (finite, not too long, valid Unicode)."""
    if not isinstance(v, (str, int, float, bool)):
        raise _fail(node, f"{what} holds {quote(v)}, which is not a str, int, float or bool")
    problem = value_problem(v)
    if problem is not None:
        raise _fail(node, f"{what} {problem}")


def _check_value_set(node: Node, values: tuple[Value, ...], what: str) -> None:
    seen: dict[Value, Value] = {}
    for v in values:
        _check_value(node, v, what)
        if v in seen:
            other = seen[v]
            if type(other) is type(v):
                raise _fail(node, f"{what} lists {quote(v)} twice")
            raise _fail(
                node, f"{what} holds both {quote(other)} and {quote(v)}, which compare equal"
            )
        seen[v] = v


def _operand_type(prog: Program, node: Node, name: str) -> Type:
    return prog.nodes[name].type


def _finite_values(prog: Program, node: Node, name: str) -> tuple[Value, ...]:
    t = _operand_type(prog, node, name)
    vals = value_set(t)
    if vals is None:
        raise _fail(node, f"operand '{name}' has no finite value set to tabulate over")
    return vals


def _check_table(node: Node, table: dict, domain: Iterable, size: int, what: str) -> None:
    """``table`` has an entry for each of the ``size`` operand values (or pairs) of
    ``domain`` and no other, and produces only values of the node's type."""
    missing = _first_missing(table, domain)
    if missing:
        raise _fail(node, f"table has no entry for input {what} {quote(missing[0])}")
    if len(table) > size:
        extra = len(table) - size
        raise _fail(node, f"table has {extra:,} entries for inputs outside its operands' values")
    t = node.type
    if isinstance(t, Selector):
        raise _fail(node, "a table cannot produce a selector")
    produced = {tag(out) for out in table.values()}
    allowed = value_set(t)
    if allowed is None:  # any number
        for _, out in produced:
            if isinstance(out, str):
                raise _fail(node, f"table produces the string {quote(out)}, not a number")
            _check_value(node, out, "its table")
        return
    for _, out in produced - {tag(a) for a in allowed}:
        raise _fail(node, f"table produces {quote(out)}, which is not in its type {_short(t)}")


def _first_missing(table: dict, keys: Iterable) -> tuple | None:
    """``(key,)`` for the first of ``keys`` that ``table`` lacks, else None."""
    for key in itertools.filterfalse(table.__contains__, keys):
        return (key,)
    return None


def _is_name(name: object) -> bool:
    """A node name: an ASCII identifier (not a keyword) of at most MAX_STRING characters."""
    return (
        isinstance(name, str)
        and len(name) <= MAX_STRING
        and _NAME.fullmatch(name) is not None
        and not keyword.iskeyword(name)
    )


def validate(prog: Program) -> None:
    """Raise :class:`IRError` unless ``prog`` is well formed and well typed, and every
    value and ``meta`` in it is within the limits of :mod:`tpc.ir.limits`. (The file
    format's own rules, the sizes of :func:`~tpc.ir.limits.check_sizes` and the types of
    the other ``meta`` keys tpc reads, :func:`~tpc.ir.limits.check_meta`, are checked
    where files are read and written; ``meta.text`` is checked here,
    :func:`~tpc.ir.reading.reading_of`.)"""
    check_max_len(prog.max_len)
    if not isinstance(prog.meta, dict):
        raise IRError(f"meta must be an object, not {quote(prog.meta)}")
    check_json(prog.meta, "meta")
    if not prog.vocab:
        raise IRError("the vocabulary is empty")
    if any(not isinstance(tok, str) for tok in prog.vocab):
        raise IRError("the vocabulary holds something other than strings")
    check_values(prog.vocab, "the vocabulary")
    if len(set(prog.vocab)) != len(prog.vocab):
        raise IRError("the vocabulary lists a token twice")
    for tok in (prog.bos, prog.eos):
        if tok is not None and tok not in prog.vocab:
            raise IRError(f"special token {quote(tok)} is not in the vocabulary")
    reading_of(prog)  # meta.text, how a program learned on a corpus reads raw text
    seen: set[str] = set()
    for key, node in prog.nodes.items():
        if not isinstance(node, Node):
            raise IRError(f"entry {quote(key)} is not an IR node")
        if not _is_name(node.name):
            raise IRError(f"node name {quote(node.name)} is not an identifier")
        if key != node.name:
            raise IRError(f"node {quote(node.name)} is stored under the name {quote(key)}")
        check_node_meta(node.name, node.meta)
        for op in node.inputs:
            if op not in prog.nodes:
                raise _fail(node, f"operand {quote(op)} does not exist")
            if op not in seen:
                raise _fail(
                    node,
                    f"operand {quote(op)} comes after its user (nodes must be in topological order)",
                )
        _check_node(prog, node)
        seen.add(node.name)
    if prog.output not in prog.nodes:
        raise IRError(f"output node {quote(prog.output)} does not exist")
    if isinstance(prog.nodes[prog.output].type, Selector):
        raise IRError(f"output node {quote(prog.output)} is a selector, not a sequence")


def _check_node(prog: Program, node: Node) -> None:
    t = node.type
    if isinstance(node, (Select, SelectorOp)):
        if not isinstance(t, Selector):
            raise _fail(node, f"a {node.kind} has type selector, not {_short(t)}")
    elif isinstance(t, Selector):
        raise _fail(node, "only select nodes have type selector")
    if isinstance(t, Categorical):
        _check_value_set(node, t.values, "its value set")
        if not t.values:
            raise _fail(node, "its categorical value set is empty")
    if isinstance(t, Numerical) and t.values is not None:
        _check_value_set(node, t.values, "its value set")
        for v in t.values:
            if isinstance(v, str):
                raise _fail(node, f"a numerical value set holds the string {quote(v)}")
    for op in node.inputs:
        is_sel = isinstance(prog.nodes[op].type, Selector)
        wants_sel = isinstance(node, SelectorOp) or (
            isinstance(node, (Aggregate, SelectorWidth)) and op == node.inputs[0]
        )
        if is_sel != wants_sel:
            raise _fail(node, f"operand '{op}' {'is' if is_sel else 'is not'} a selector")

    if isinstance(node, Tokens):
        if node.name != "tokens" or t != Categorical(prog.vocab):
            raise _fail(node, "the tokens node must be named 'tokens' and typed by the vocabulary")
    elif isinstance(node, Indices):
        if node.name != "indices" or t != Categorical(tuple(range(prog.max_len))):
            raise _fail(node, "the indices node must be named 'indices' and typed 0..max_len-1")
    elif isinstance(node, Constant):
        _check_value(node, node.value, "its value")
        vals = value_set(t)
        if vals is not None and node.value not in vals:
            raise _fail(node, f"value {quote(node.value)} is not in its type {_short(t)}")
    elif isinstance(node, (Map, SequenceMap)):
        _check_map(prog, node)
    elif isinstance(node, Select):
        _check_select(prog, node)
    elif isinstance(node, SelectorOp):
        if SELECTOR_OPS.get(node.op) != len(node.sels):
            raise _fail(
                node,
                f"selector op {quote(node.op)} with {len(node.sels)} operands; expected and/or (2) or not (1)",
            )
    elif isinstance(node, Aggregate):
        _check_aggregate(prog, node)
    elif isinstance(node, SelectorWidth):
        if not isinstance(t, Categorical) or not set(range(prog.max_len + 1)) <= set(t.values):
            raise _fail(node, f"a selector width has type cat{{0..{prog.max_len}}}")
    elif isinstance(node, Readout):
        _check_readout(prog, node)


def _check_map(prog: Program, node: Map | SequenceMap) -> None:
    """A map's form, if any, is text a form may be (:func:`~tpc.ir.forms.check_form`: back
    ends print it); an open map's form defines it, a table map's table covers its
    operands' values exactly."""
    if node.form is not None:
        if not isinstance(node.form, str):
            raise _fail(node, f"its form is {quote(node.form)}, not a string")
        try:
            check_form(node.form, len(node.inputs))
        except IRError as e:
            raise _fail(node, str(e)) from None
    if node.table is None:
        _check_open_map(prog, node)
    elif not isinstance(node.table, dict):
        raise _fail(node, "its table is not a dict")
    elif isinstance(node, Map):
        domain = _finite_values(prog, node, node.x)
        _check_table(node, node.table, domain, len(domain), "value")
    else:
        xs = _finite_values(prog, node, node.x)
        ys = _finite_values(prog, node, node.y)
        _check_table(node, node.table, itertools.product(xs, ys), len(xs) * len(ys), "pair")


def _first_by_stringness(values: Iterable[Value]) -> dict[bool, Value]:
    """The first string (key True) and the first non-string (key False) among ``values``."""
    first: dict[bool, Value] = {}
    for v in values:
        first.setdefault(isinstance(v, str), v)
    return first


def _check_select(prog: Program, node: Select) -> None:
    pred = node.predicate
    if isinstance(pred, Comparison):
        if pred.op not in COMPARISONS:
            raise _fail(
                node,
                f"unknown comparison {quote(pred.op)}; expected one of {', '.join(COMPARISONS)}",
            )
        if pred.op in ("LT", "LEQ", "GT", "GEQ"):  # strings order only against strings
            keys = value_set(_operand_type(prog, node, node.keys)) or ()
            queries = value_set(_operand_type(prog, node, node.queries)) or ()
            ks, qs = _first_by_stringness(keys), _first_by_stringness(queries)
            for is_str, k in ks.items():
                if (not is_str) in qs:
                    raise _fail(
                        node, f"cannot order key {quote(k)} against query {quote(qs[not is_str])}"
                    )
    elif not isinstance(pred, TablePredicate):
        raise _fail(node, f"predicate {quote(pred)} is neither a comparison nor a table")


def _check_aggregate(prog: Program, node: Aggregate) -> None:
    t = node.type
    if node.reduce not in REDUCTIONS:
        raise _fail(
            node, f"unknown reduction {quote(node.reduce)}; expected one of {', '.join(REDUCTIONS)}"
        )
    if node.default is not None:
        _check_value(node, node.default, "its default")
    vt = _operand_type(prog, node, node.values)
    if node.reduce == "closest":
        if t != vt:
            raise _fail(
                node, f"a closest aggregate has its values' type {_short(vt)}, not {_short(t)}"
            )
    elif node.reduce == "sum":
        if not (isinstance(vt, Numerical) and isinstance(t, Numerical)):
            raise _fail(node, "a sum aggregate reads and produces numerical values")
    elif isinstance(vt, Categorical):
        if not isinstance(t, Categorical):
            raise _fail(node, "a mean over categorical values is categorical")
        wanted = {tag(v) for v in vt.values}
        if node.default is not None:
            wanted.add(tag(node.default))
        if not wanted <= {tag(v) for v in t.values}:
            raise _fail(node, f"its type {_short(t)} lacks values of its operand or default")
    elif not isinstance(t, Numerical):
        raise _fail(node, "a mean over numerical values is numerical")
    elif isinstance(node.default, str):
        raise _fail(
            node, f"a mean over numerical values has a numerical default, not {quote(node.default)}"
        )


def _check_open_map(prog: Program, node: Map | SequenceMap) -> None:
    """An open map: its form compiles for its operands and gives only values of its type."""
    if node.form is None:
        raise _fail(node, "a map without a table needs a form to define it")
    try:
        OpenForm(node.form, [_operand_type(prog, node, op) for op in node.inputs]).check_type(
            node.type
        )
    except IRError as e:
        raise _fail(node, f"form {quote(node.form)}: {e}") from None


def _finite_numbers(values: Iterable[float]) -> bool:
    return all(math.isfinite(x) for x in values)


def _is_number_row(row: object) -> bool:
    """Whether ``row`` is a list or tuple of ints and floats (not booleans)."""
    return isinstance(row, (list, tuple)) and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) for x in row
    )


def _check_readout(prog: Program, node: Readout) -> None:
    if not isinstance(node.type, Categorical):
        raise _fail(node, "a readout is categorical over its classes")
    n = len(node.type.values)
    if len(node.bias) != n or len(node.mask) != n:
        raise _fail(node, f"bias and mask need one entry per class ({n})")
    if not _finite_numbers(node.bias):
        raise _fail(node, "its bias holds a number that is not finite")
    if not any(node.mask):
        raise _fail(node, "every class is masked")
    if len(node.weights) != len(node.features):
        raise _fail(node, "weights need one entry per feature")
    for feat, w in zip(node.features, node.weights):
        ft = _operand_type(prog, node, feat)
        if isinstance(ft, Categorical):
            if not isinstance(w, dict) or any(v not in w for v in ft.values):
                raise _fail(node, f"feature '{feat}' needs a weight row for each of its values")
            if len(w) > len(ft.values):
                raise _fail(node, f"feature '{feat}' has weight rows for values it cannot take")
            rows = list(w.values())
        elif isinstance(w, dict):
            raise _fail(node, f"numerical feature '{feat}' needs one weight per class, not rows")
        else:
            rows = [w]
        if any(not _is_number_row(r) for r in rows):
            raise _fail(node, f"feature '{feat}' has a weight row that is not a list of numbers")
        if any(len(r) != n for r in rows):
            raise _fail(node, f"feature '{feat}' has a weight row of the wrong length (want {n})")
        if not all(_finite_numbers(r) for r in rows):
            raise _fail(node, f"feature '{feat}' has a weight that is not finite")
