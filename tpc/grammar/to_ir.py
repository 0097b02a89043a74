"""RASP parse tree → IR program.

:class:`RaspToIR` is a lark ``Interpreter`` that runs a RASP program *symbolically*, as the
reference implementation (tech-srl/RASP) does: atoms, lists, dicts and functions are
ordinary compile-time values, while s-ops and selectors become IR nodes, built with
:class:`~tpc.ir.ProgramBuilder`, which tabulates element-wise operations over their
operands' finite value sets (or keeps their form, below). Semantics follow the reference:

* ``select(keys, queries, op)``: query i selects key j iff ``keys[j] op queries[i]``.
* ``aggregate(sel, sop[, default])``: the mean of the selected values; one selected → that
  value (any type), none → ``default`` (0 if not given), several → numerical mean.
  Aggregates of numbers are numerical mean nodes; of strings/booleans, categorical means
  (defined when at most one key is selected), as are aggregates of numbers with a string
  default. Over strings without a default, a query that selects nothing is undefined (IR
  default None): the reference's 0 there would make a sequence mixing strings and
  numbers, which it rejects as a type error.
* ``and``/``or``/``not`` of selectors combine them (one ``Select`` with the combined
  predicate when all parts read the same keys and queries, else ``SelectorOp`` nodes);
  of s-ops they are element-wise and give booleans; on atoms they are Python's.
* Element-wise ``+ - * / % ^ == < > <= >=``, ``x if c else y``, ``x in list``,
  ``round``, ``indicator``, unary ``- + not`` use Python's operators on the values. A
  chain of element-wise operations in one statement becomes one node (``Map`` or
  ``SequenceMap``) named after the variable it is assigned to; its RASP text (in the
  operands ``x``, ``y``) is kept as ``meta["rasp"]`` for the RASP back end. When an
  operand has no finite value set (a numerical mean or sum of unbounded values) or the
  table would exceed :data:`MAX_TABLE` entries, the node is *open*: that text is its
  definition (:mod:`tpc.ir.forms`: ``+ - *`` in float64), typed ``Numerical(None)``
  unless its outputs are finite (comparisons, conditionals of literals).
* ``def`` functions are inlined at each call; ``for`` loops and list/dict comprehensions
  run at compile time over lists.

Extensions over the reference (which rejects them): ``dict[sop]``, ``list[sop]`` and
``string[sop]`` are element-wise lookups, and comments may stand anywhere. Differences,
all where the reference fails or rounds:

* an operation that fails on a value an operand *might* take (``1/x`` with 0 in x's value
  set, a missing dict key) is a compile-time error: the over-approximated value set
  cannot tell whether the value is reachable (the reference fails when it is reached);
* a value set never holds both ``True`` and ``1`` (Python's ``==`` makes them one value):
  it holds the number (an aggregate's default 0 over booleans becomes ``False``);
* a mean of strings without a default is undefined where nothing is selected, even on
  inputs where nothing is selected anywhere (the reference gives all zeros there);
* numerical means are exact fractions rounded once (the reference adds floats in order).

Errors are :class:`~tpc.errors.ParseError` with the line and column of the expression.
"""

from __future__ import annotations

import itertools
import keyword
import math
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from lark import Tree
from lark.visitors import Interpreter

from tpc.errors import IRError, ParseError
from tpc.grammar.library import LIBRARY
from tpc.grammar.parser import parse_expression, parse_program
from tpc.ir import Comparison, Program, ProgramBuilder, TablePredicate
from tpc.ir.forms import OpenForm
from tpc.ir.forms import literal as atom_literal
from tpc.ir.nodes import PYTHON_COMPARISONS
from tpc.ir.types import Categorical, Numerical, Value, value_set

#: RASP's select operators → IR comparisons (both key-first: ``keys[j] OP queries[i]``).
SELECT_OPS: dict[str, str] = {
    "==": "EQ",
    "!=": "NEQ",
    "<": "LT",
    ">": "GT",
    "<=": "LEQ",
    ">=": "GEQ",
}

#: Names a RASP program cannot assign: the reference grammar's keywords (including its
#: REPL commands) and the names its environment reserves.
RESERVED_NAMES = frozenset(
    "def return for in if else and or not round indicator load draw set show example "
    "examples on off exit quit selector out range zip len get tokens_asis tokens_str "
    "tokens_int tokens_bool tokens_float indices True False".split()
)

#: Largest table (product of operand value-set sizes) an element-wise node may have.
MAX_TABLE = 250_000
#: Deepest nesting of function calls (RASP has no recursion that terminates).
MAX_CALL_DEPTH = 64
#: Longest compile-time list or string (range, repetition).
MAX_LIST = 100_000

#: Element-wise expressions keep their operands as leaves written ``\0name\0`` in ``text``.
_LEAF = "\0"


class _Failure(Exception):
    """A compile error on its way up to the statement that caused it."""

    def __init__(self, msg: str):
        super().__init__(msg)
        self.msg = msg
        self.where: tuple[int, int] | None = None
        self.context: list[str] = []

    def message(self) -> str:
        where = f"line {self.where[0]}, column {self.where[1]}: " if self.where else ""
        calls = (
            self.context if len(self.context) <= 3 else [self.context[0], "...", self.context[-1]]
        )
        context = "".join(f" ({c})" for c in calls)
        return where + self.msg + context


# ---- values ---------------------------------------------------------------------------------


@dataclass(eq=False)
class Seq:
    """An s-op that is an IR node."""

    node: str


@dataclass(eq=False)
class Elementwise:
    """An element-wise s-op not made a node yet: ``get(leaf values)`` over ≤ 2 leaf nodes.

    ``text`` is its RASP text with each leaf written ``\\0name\\0`` (None: no RASP form).
    """

    leaves: tuple[str, ...]
    get: Callable[[dict[str, Value]], Value]
    text: str | None
    where: tuple[int, int] | None = None  # (line, column) of the expression, for errors


@dataclass(eq=False)
class Pending:
    """An s-op whose node (an aggregate, a selector width, a built-in) is made on first use.

    ``build(stem)`` adds the node, named after ``stem``, and returns its name; ``name``
    fixes the stem (built-ins such as ``length``) regardless of where it is first used.
    """

    build: Callable[[str], str]
    kind: str
    name: str | None = None
    node: str | None = None
    where: tuple[int, int] | None = None


@dataclass(eq=False)
class SimpleSelector:
    """``select(keys, queries, op)`` over two nodes; ``op`` an IR comparison name.

    ``name`` fixes the stem of its node (built-ins such as ``full_s``).
    """

    keys: str
    queries: str
    op: str
    name: str | None = None
    node: str | None = None
    where: tuple[int, int] | None = None


@dataclass(eq=False)
class CombinedSelector:
    """``a and b``, ``a or b`` or ``not a`` over selectors."""

    op: str
    parts: tuple[SimpleSelector | CombinedSelector, ...]
    node: str | None = None
    where: tuple[int, int] | None = None


Selector = SimpleSelector | CombinedSelector


@dataclass(eq=False)
class Function:
    """A ``def``: inlined at every call, in a scope nested in the one it was defined in."""

    name: str
    params: tuple[str, ...]
    body: list[Tree]
    result: Tree
    scope: Scope
    library: bool


@dataclass(eq=False)
class Builtin:
    """A function implemented in Python (``selector_width``)."""

    name: str
    arity: int
    fn: Callable[..., object]


@dataclass
class Scope:
    """Variables of one environment; lookups fall back to the enclosing one."""

    parent: Scope | None = None
    vars: dict[str, object] = field(default_factory=dict)

    def lookup(self, name: str) -> object:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        raise KeyError(name)


def _is_atom(v: object) -> bool:
    return isinstance(v, (str, int, float, bool))


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_sop(v: object) -> bool:
    return isinstance(v, (Seq, Elementwise, Pending))


def _is_selector(v: object) -> bool:
    return isinstance(v, (SimpleSelector, CombinedSelector))


def _describe(v: object) -> str:
    if _is_sop(v):
        return "an s-op"
    if _is_selector(v):
        return "a selector"
    if isinstance(v, (Function, Builtin)):
        return f"the function '{v.name}'"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a dict"
    return repr(v) if isinstance(v, str) else str(v)


def literal(v: object) -> str | None:
    """RASP text for a compile-time value (None if RASP cannot write it); atoms as
    :func:`tpc.ir.forms.literal` writes them, exactly."""
    if isinstance(v, list):
        items = [literal(x) for x in v]
        return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return atom_literal(v) if _is_atom(v) else None


# ---- safe Python operators -------------------------------------------------------------------


def _pow(a, b):
    if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
        if b * abs(a).bit_length() > 4096:
            raise OverflowError("the result would be too large")
    return pow(a, b)


def _mul(a, b):
    for seq, n in ((a, b), (b, a)):
        if isinstance(seq, (str, list)) and isinstance(n, int) and len(seq) * n > MAX_LIST:
            raise OverflowError("the result would be too long")
    return a * b


def _add(a, b):
    if isinstance(a, (str, list)) and isinstance(b, type(a)) and len(a) + len(b) > MAX_LIST:
        raise OverflowError("the result would be too long")
    return a + b


_BINARY_OPS: dict[str, Callable[[object, object], object]] = {
    "+": _add,
    "-": operator.sub,
    "*": _mul,
    "/": operator.truediv,
    "%": operator.mod,
    "^": _pow,
    "==": operator.eq,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


def _predicate(sel: Selector) -> Callable[[Value, Value], bool]:
    """The Python predicate ``(key, query) -> bool`` a selector over one key/query pair computes."""
    if isinstance(sel, SimpleSelector):
        return PYTHON_COMPARISONS[sel.op]
    parts = [_predicate(p) for p in sel.parts]
    if sel.op == "not":
        return lambda k, q: not parts[0](k, q)
    if sel.op == "and":
        return lambda k, q: bool(parts[0](k, q)) and bool(parts[1](k, q))
    return lambda k, q: bool(parts[0](k, q)) or bool(parts[1](k, q))


def _simple_parts(sel: Selector) -> Iterator[SimpleSelector]:
    if isinstance(sel, SimpleSelector):
        yield sel
    else:
        for p in sel.parts:
            yield from _simple_parts(p)


def _canonical(outputs: list[Value]) -> list[Value]:
    """Values Python treats as equal must not be told apart: bools become 0/1 next to numbers."""
    if any(isinstance(v, bool) for v in outputs) and any(_is_number(v) for v in outputs):
        return [int(v) if isinstance(v, bool) else v for v in outputs]
    return outputs


# ---- the compiler ----------------------------------------------------------------------------


class RaspToIR(Interpreter):
    """Runs a RASP parse tree, building the IR of its s-ops (see the module docstring)."""

    def __init__(self, vocab: tuple[str, ...], max_len: int):
        self.b = ProgramBuilder(vocab, max_len, meta={"frontend": "rasp"})
        self.hint = "out"  # the variable the current statement assigns: stem of its nodes
        self.depth = 0
        self.in_library = False
        self.last_assigned: str | None = None
        self.top: Scope | None = None  # the program's own scope, below the library's
        self._constants: dict[tuple, str] = {}
        self._casts: dict[str, str] = {}
        self.base = Scope()
        self._install_builtins()
        self.scope = self.base
        self.in_library = True
        self._run(_library_tree())
        self.in_library = False
        self.top = self.scope = Scope(self.base)

    # ---- driver -----------------------------------------------------------------------------

    def _run(self, tree: Tree) -> None:
        for statement in tree.children:
            self.visit(statement)

    def visit(self, tree: Tree):
        where = _position(tree)
        try:
            value = super().visit(tree)
        except _Failure as f:
            f.where = f.where or where
            raise
        if isinstance(value, _LOCATED) and value.where is None:
            value.where = where  # the innermost expression that made it
        return value

    @contextmanager
    def _located(self, value: object):
        """Failures while making a value's node point at the expression that made it."""
        try:
            yield
        except _Failure as f:
            f.where = f.where or getattr(value, "where", None)
            raise

    def program(self, tree: Tree, output: str | None) -> Program:
        """Run the whole program and build the IR of ``output`` (default: the last assignment)."""
        self._run(tree)
        name = output if output is not None else self.last_assigned
        if name is None:
            raise _Failure("the program assigns no variable, so it has no output")
        try:
            value = self.top.lookup(name)
        except KeyError:
            raise _Failure(f"the output '{name}' is not a variable of the program") from None
        if _is_atom(value):
            node = self._constant(value, _is_number(value), stem=name)
        elif _is_sop(value):
            node = self._node(value, name)
        else:
            raise _Failure(f"the output '{name}' is {_describe(value)}, not an s-op")
        return self._build(node)

    def _build(self, output: str) -> Program:
        """The program of ``output`` and the nodes it needs (inputs always kept)."""
        needed = {output, self.b.tokens, self.b.indices}
        for name in reversed(list(self.b.nodes)):
            if name in needed:
                needed.update(self.b.nodes[name].inputs)
        self.b.nodes = {n: node for n, node in self.b.nodes.items() if n in needed}
        with self._ir_errors():
            return self.b.build(output)

    @contextmanager
    def _ir_errors(self):
        try:
            yield
        except IRError as e:
            raise _Failure(str(e)) from None

    # ---- names and nodes --------------------------------------------------------------------

    def _fresh(self, stem: str) -> str:
        if keyword.iskeyword(stem):
            stem += "_"
        return self.b.fresh(stem)

    def _node(self, value: object, stem: str) -> str:
        """The node of an s-op (made now, named after ``stem``, if it is not one yet)."""
        if isinstance(value, Seq):
            return value.node
        if isinstance(value, Pending):
            if value.node is None:
                with self._located(value):
                    value.node = value.build(value.name or stem)
            return value.node
        if isinstance(value, Elementwise):
            with self._located(value):
                return self._materialize(value, stem)
        if _is_atom(value):
            return self._constant(value, numerical=False)
        raise _Failure(f"expected an s-op, got {_describe(value)}")

    def _operand_node(self, value: object, kind: str) -> str:
        """The node of an s-op used inside an expression: named ``<variable>_<kind>``."""
        return self._node(value, f"{self.hint}_{kind}")

    def _constant(self, value: Value, numerical: bool, stem: str | None = None) -> str:
        _check_size(value)
        key = (type(value) is bool, value, numerical)
        if stem is None and key in self._constants:
            return self._constants[key]
        if stem is None:
            slug = str(value).replace("-", "m")
            stem = f"const_{slug}" if f"const_{slug}".isidentifier() and slug.isascii() else "const"
        with self._ir_errors():
            node = self.b.constant(value, numerical=numerical, name=self._fresh(stem))
        self._constants.setdefault(key, node)
        return node

    def _values(self, node: str) -> tuple[Value, ...]:
        with self._ir_errors():
            return self.b.values_of(node)

    def _tabulate(self, ew: Elementwise) -> dict[tuple, Value]:
        """Every output of an element-wise expression, keyed by its leaves' values."""
        domains = [self._values(leaf) for leaf in ew.leaves]
        if math.prod(len(d) for d in domains) > MAX_TABLE:
            sizes = " x ".join(f"{len(d)} ({leaf})" for d, leaf in zip(domains, ew.leaves))
            raise _Failure(f"the element-wise table would have {sizes} entries, too many")
        outputs = _vectorised(ew, domains)
        if outputs is not None:
            return dict(zip(itertools.product(*domains), _canonical(outputs)))
        table: dict[tuple, Value] = {}
        for combo in itertools.product(*domains):
            env = dict(zip(ew.leaves, combo))
            try:
                out = ew.get(env)
            except Exception as e:  # noqa: BLE001 -- any failure of the user's expression
                shown = ", ".join(f"{k} = {v!r}" for k, v in env.items())
                raise _Failure(
                    f"the expression fails when {shown}: {type(e).__name__}: {e}"
                ) from None
            if not _is_atom(out) or (isinstance(out, float) and not math.isfinite(out)):
                shown = ", ".join(f"{k} = {v!r}" for k, v in env.items())
                raise _Failure(
                    f"when {shown} the expression gives {_describe(out)}, "
                    "not a string, a finite number or a boolean"
                )
            _check_size(out)
            table[combo] = out
        return dict(zip(table, _canonical(list(table.values()))))

    def _materialize(self, ew: Elementwise, stem: str, numbers_numerical: bool = False) -> str:
        """Make an element-wise expression a Map/SequenceMap node: tabulated over its
        operands' values, or open (defined by its form, :mod:`tpc.ir.forms`) when an
        operand has no finite value set or the table would exceed :data:`MAX_TABLE`.

        It is numerical when its outputs are all numbers and some operand is numerical
        (or, with ``numbers_numerical``, whenever its outputs are all numbers).
        """
        types = [self.b.type_of(leaf) for leaf in ew.leaves]
        some_numerical = numbers_numerical or any(isinstance(t, Numerical) for t in types)
        sizes = [len(value_set(t) or ()) for t in types]
        if ew.text is not None and (None in map(value_set, types) or math.prod(sizes) > MAX_TABLE):
            return self._open_map(ew, stem, some_numerical)
        table = self._tabulate(ew)
        numerical = some_numerical and all(_is_number(v) for v in table.values())
        name = self._fresh(stem)
        with self._ir_errors():
            if len(ew.leaves) == 1:
                node = self.b.map(lambda v: table[(v,)], ew.leaves[0], numerical, name)
            else:
                x, y = ew.leaves
                node = self.b.sequence_map(lambda a, b: table[(a, b)], x, y, numerical, name)
        if ew.text is not None:
            self.b.nodes[node].meta["rasp"] = _form_text(ew)
        return node

    def _open_map(self, ew: Elementwise, stem: str, some_numerical: bool) -> str:
        form = _form_text(ew)
        try:
            outputs = OpenForm(form, [self.b.type_of(leaf) for leaf in ew.leaves]).values
        except IRError as e:
            shown = ", ".join(ew.leaves)
            raise _Failure(
                f"the element-wise expression cannot be tabulated over ({shown}) and has no "
                f"exact open form: {e}"
            ) from None
        numerical = some_numerical and all(_is_number(v) for v in outputs or ())
        with self._ir_errors():
            return self.b.open_map(form, *ew.leaves, numerical=numerical, name=self._fresh(stem))

    def _selector_node(self, sel: Selector, stem: str | None = None) -> str:
        """The node of a selector (made now if needed; parts first, then the whole)."""
        if sel.node is not None:
            return sel.node
        with self._located(sel):
            return self._make_selector(sel, stem)

    def _make_selector(self, sel: Selector, stem: str | None) -> str:
        parts = list(_simple_parts(sel))
        keys, queries = parts[0].keys, parts[0].queries
        foldable = all(p.keys == keys and p.queries == queries for p in parts)
        if foldable:
            pred = self._fold(sel, keys, queries)
            fixed = sel.name if isinstance(sel, SimpleSelector) else None
            name = self._fresh(fixed or stem or f"{self.hint}_sel")
            with self._ir_errors():
                sel.node = self.b.select(keys, queries, pred, name=name)
        else:
            assert isinstance(sel, CombinedSelector)
            operands = [self._selector_node(p) for p in sel.parts]
            name = self._fresh(stem or f"{self.hint}_sel")
            with self._ir_errors():
                sel.node = self.b.selector_op(sel.op, *operands, name=name)
        return sel.node

    def _fold(self, sel: Selector, keys: str, queries: str) -> Comparison | TablePredicate:
        """One predicate for a selector over a single key/query pair: a comparison if one
        computes the same table over the operands' value sets, else an explicit table."""
        preferred = sel.op if isinstance(sel, SimpleSelector) else "EQ"
        kvals = value_set(self.b.type_of(keys))
        qvals = value_set(self.b.type_of(queries))
        if kvals is None or qvals is None:
            if isinstance(sel, SimpleSelector):
                return Comparison(sel.op)
            raise _Failure("a combined selector needs keys and queries with finite value sets")
        if len(kvals) * len(qvals) > MAX_TABLE:
            raise _Failure(f"the selector's table would have {len(kvals) * len(qvals)} entries")
        pred = _predicate(sel)
        table: dict[tuple[Value, Value], bool] = {}
        for q in qvals:
            for k in kvals:
                try:
                    table[(q, k)] = bool(pred(k, q))
                except TypeError:
                    raise _Failure(
                        f"select cannot compare key {k!r} ({keys}) with query {q!r} ({queries})"
                    ) from None
        if all(table.values()):
            return Comparison("TRUE")
        if not any(table.values()):
            return Comparison("FALSE")
        for op in dict.fromkeys([preferred, "EQ", "NEQ", "LT", "LEQ", "GT", "GEQ"]):
            if _matches(Comparison(op), table):
                return Comparison(op)
        return TablePredicate(frozenset(pair for pair, on in table.items() if on))

    # ---- element-wise operations ------------------------------------------------------------

    def _leafify(self, value: object) -> tuple[tuple[str, ...], Callable, str | None]:
        """An operand of an element-wise operation as (leaves, get(env), text)."""
        if _is_atom(value) or isinstance(value, (list, dict)):
            return (), (lambda env: value), literal(value)
        if isinstance(value, Pending):
            value = Seq(self._operand_node(value, value.kind))
        if isinstance(value, Seq):
            node = value.node
            return (node,), (lambda env: env[node]), f"{_LEAF}{node}{_LEAF}"
        if isinstance(value, Elementwise):
            return value.leaves, value.get, value.text
        raise _Failure(f"{_describe(value)} cannot be used in an element-wise operation")

    def elementwise(
        self,
        fn: Callable[..., object],
        args: list[object],
        text: Callable[..., str] | None,
    ) -> object:
        """``fn`` applied position by position: an atom if no argument is an s-op."""
        if not any(_is_sop(a) for a in args):
            for a in args:
                self._leafify(a)  # rejects selectors and functions
            try:
                return fn(*args)
            except Exception as e:  # noqa: BLE001 -- any failure of the user's expression
                raise _Failure(f"{type(e).__name__}: {e}") from None
        ops = [self._leafify(a) for a in args]
        if len({leaf for leaves, _, _ in ops for leaf in leaves}) > 2:
            args = [
                Seq(self._operand_node(a, "map")) if isinstance(a, Elementwise) else a for a in args
            ]
            ops = [self._leafify(a) for a in args]
        leaves = tuple(dict.fromkeys(leaf for ls, _, _ in ops for leaf in ls))
        if len(leaves) > 2:
            ops, leaves = self._pair_up(ops, leaves)
        getters = [get for _, get, _ in ops]
        texts = [t for _, _, t in ops]
        joined = text(*texts) if text is not None and None not in texts else None
        return Elementwise(leaves, _apply_getters(fn, getters), joined)

    def _pair_up(self, ops, leaves):
        """Three operand nodes: replace the first two by one node of their value pairs."""
        a, b = leaves[0], leaves[1]
        pairs = list(itertools.product(self._values(a), self._values(b)))
        code = {pair: i for i, pair in enumerate(pairs)}
        with self._ir_errors():
            pair = self.b.sequence_map(
                lambda x, y: code[(x, y)], a, b, name=self._fresh(f"{self.hint}_pair")
            )

        def unpack(get):
            return lambda env: get({**env, a: pairs[env[pair]][0], b: pairs[env[pair]][1]})

        ops = [(ls, unpack(get), None) for ls, get, _ in ops]
        return ops, (pair, *leaves[2:])

    # ---- statements -------------------------------------------------------------------------

    def _bind(self, name: str, value: object) -> None:
        if name in RESERVED_NAMES:
            raise _Failure(f"'{name}' is reserved in RASP and cannot be assigned")
        self._set(name, value)

    def _set(self, name: str, value: object) -> None:
        if _is_sop(value):
            value = Seq(self._node(value, name))
        elif _is_selector(value):
            self._selector_node(value, name)
        self.scope.vars[name] = value
        if self.scope is self.top:
            self.last_assigned = name

    def _exprs(self, tree: Tree | None) -> list[object]:
        return [] if tree is None else [self.visit(t) for t in tree.children]

    @contextmanager
    def _target(self, name: str):
        saved, self.hint = self.hint, name
        try:
            yield
        finally:
            self.hint = saved

    def assign(self, tree: Tree):
        ids, exprs = tree.children
        names = [str(t) for t in ids.children]
        with self._target(names[0]):
            values = self._exprs(exprs)
            value = values[0] if len(values) == 1 else values
            if len(names) == 1:
                self._bind(names[0], value)
                return
            if not isinstance(value, list) or len(value) != len(names):
                got = f"{len(value)} values" if isinstance(value, list) else _describe(value)
                raise _Failure(f"{len(names)} names but {got} to assign to them")
            for name, v in zip(names, value):
                self._bind(name, v)

    def expr_stmt(self, tree: Tree):
        with self._target("out"):
            self._set("out", self.visit(tree.children[0]))

    def funcdef(self, tree: Tree):
        name, params, *body, result = tree.children
        names = tuple(str(t) for t in params.children) if params is not None else ()
        for n in (str(name), *names):
            if n in RESERVED_NAMES:
                raise _Failure(f"'{n}' is reserved in RASP and cannot be assigned")
        func = Function(str(name), names, body, result, self.scope, self.in_library)
        self.scope.vars[str(name)] = func

    def forloop(self, tree: Tree):
        ids, iterable, *body = tree.children
        names = [str(t) for t in ids.children]
        for item in self._iterate(self.visit(iterable)):
            self._unpack(names, item)
            for statement in body:
                self.visit(statement)

    def _iterate(self, value: object) -> list:
        if not isinstance(value, (list, dict)):
            raise _Failure(f"can only loop over a list or a dict, not {_describe(value)}")
        return list(value)

    def _unpack(self, names: list[str], item: object) -> None:
        if len(names) == 1:
            self._bind(names[0], item)
            return
        if not isinstance(item, list) or len(item) != len(names):
            raise _Failure(f"cannot unpack {_describe(item)} into {len(names)} names")
        for n, v in zip(names, item):
            self._bind(n, v)

    # ---- expressions ------------------------------------------------------------------------

    def var(self, tree: Tree):
        name = str(tree.children[0])
        try:
            return self.scope.lookup(name)
        except KeyError:
            hint = ""
            if name in ("select", "aggregate", "range", "zip", "len"):
                hint = f" (write '{name}(' with no space before the parenthesis)"
            raise _Failure(f"undefined name '{name}'{hint}") from None

    def int_lit(self, tree: Tree):
        return int(tree.children[0])

    def float_lit(self, tree: Tree):
        return float(tree.children[0])

    def string_lit(self, tree: Tree):
        return str(tree.children[0])[1:-1]

    def list_lit(self, tree: Tree):
        return self._exprs(tree.children[0])

    def dict_lit(self, tree: Tree):
        result = {}
        for pair in tree.children:
            if pair is not None:
                key, value = (self.visit(t) for t in pair.children)
                if not _is_atom(key):
                    raise _Failure(f"dict keys must be atoms, not {_describe(key)}")
                result[key] = value
        return result

    def list_comp(self, tree: Tree):
        value, ids, iterable = tree.children
        return [v for _, v in self._comprehend(ids, iterable, value)]

    def dict_comp(self, tree: Tree):
        key, value, ids, iterable = tree.children
        result = {}
        for scope, v in self._comprehend(ids, iterable, value):
            saved, self.scope = self.scope, scope
            try:
                k = self.visit(key)
            finally:
                self.scope = saved
            if not _is_atom(k):
                raise _Failure(f"dict keys must be atoms, not {_describe(k)}")
            result[k] = v
        return result

    def _comprehend(self, ids: Tree, iterable: Tree, value: Tree):
        names = [str(t) for t in ids.children]
        for item in self._iterate(self.visit(iterable)):
            saved, self.scope = self.scope, Scope(self.scope)
            try:
                self._unpack(names, item)
                yield self.scope, self.visit(value)
            finally:
                self.scope = saved

    def select(self, tree: Tree):
        key_tree, query_tree, op = tree.children
        keys, queries = self.visit(key_tree), self.visit(query_tree)
        for what, v in (("keys", keys), ("queries", queries)):
            if not (_is_sop(v) or _is_atom(v)):
                raise _Failure(f"select's {what} must be an s-op or an atom, not {_describe(v)}")
        return SimpleSelector(
            self._operand_node(keys, "keys"),
            self._operand_node(queries, "queries"),
            SELECT_OPS[str(op)],
        )

    def aggregate(self, tree: Tree):
        sel_tree, seq_tree, default_tree = tree.children
        sel, seq = self.visit(sel_tree), self.visit(seq_tree)
        default = None if default_tree is None else self.visit(default_tree)
        if not _is_selector(sel):
            raise _Failure(f"aggregate needs a selector first, not {_describe(sel)}")
        if not (_is_sop(seq) or _is_atom(seq)):
            raise _Failure(f"aggregate needs an s-op to average, not {_describe(seq)}")
        if default is not None and not _is_atom(default):
            raise _Failure(f"aggregate's default must be an atom, not {_describe(default)}")
        return Pending(lambda stem: self._build_aggregate(sel, seq, default, stem), "agg")

    def _build_aggregate(self, sel: Selector, seq: object, default: Value | None, stem: str) -> str:
        sel_node = self._selector_node(sel)
        # numbers are averaged (a numerical mean) unless a string default makes them labels
        values, numerical = self._mean_values(seq, numbers=not isinstance(default, str))
        known = value_set(self.b.type_of(values)) or ()  # an open numerical node: numbers
        if default is None and not any(isinstance(v, str) for v in known):
            default = 0  # RASP's default default; over strings it would be a mixed-type error
        if numerical and isinstance(default, str):
            raise _Failure(f"the default {default!r} of an aggregate of numbers is not a number")
        if not numerical and default is not None and not isinstance(default, str):
            # a default equal to a value (0 == False) is that value, as Python sees it
            same = [v for v in self._values(values) if not isinstance(v, str) and v == default]
            default = same[0] if same else default
        with self._ir_errors():
            return self.b.aggregate(sel_node, values, "mean", default, name=self._fresh(stem))

    def _mean_values(self, seq: object, numbers: bool) -> tuple[str, bool]:
        """The node an aggregate averages, and whether it is numerical: its values are all
        numbers and ``numbers`` asks for numbers to be averaged."""
        if _is_atom(seq):
            numerical = numbers and _is_number(seq)
            return self._constant(seq, numerical), numerical
        if isinstance(seq, Elementwise):
            node = self._materialize(seq, f"{self.hint}_values", numbers_numerical=numbers)
            return node, isinstance(self.b.type_of(node), Numerical)
        node = self._operand_node(seq, "values")
        t = self.b.type_of(node)
        if isinstance(t, Numerical):
            return node, True
        if numbers and isinstance(t, Categorical) and all(_is_number(v) for v in t.values):
            if node not in self._casts:
                with self._ir_errors():
                    cast = self.b.map(
                        lambda v: v, node, numerical=True, name=self._fresh(f"{node}_num")
                    )
                self.b.nodes[cast].meta["rasp"] = "x"
                self._casts[node] = cast
            return self._casts[node], True
        return node, False

    def round_op(self, tree: Tree):
        return self.elementwise(round, [self.visit(tree.children[0])], lambda a: f"round({a})")

    def indicator(self, tree: Tree):
        value = self.visit(tree.children[0])
        if not _is_sop(value):
            raise _Failure(f"indicator needs an s-op, not {_describe(value)}")
        return self.elementwise(lambda a: 1 if a else 0, [value], lambda a: f"indicator({a})")

    def range_op(self, tree: Tree):
        args = self._exprs(tree.children[0])
        if not 1 <= len(args) <= 3 or not all(
            isinstance(a, int) and not isinstance(a, bool) for a in args
        ):
            raise _Failure("range takes 1 to 3 integers")
        if len(args) == 3 and args[2] == 0:
            raise _Failure("range's step must not be 0")
        result = range(*args)
        if len(result) > MAX_LIST:
            raise _Failure(f"range of {len(result)} numbers is too long")
        return list(result)

    def zip_op(self, tree: Tree):
        lists = self._exprs(tree.children[0])
        if not all(isinstance(v, list) for v in lists):
            raise _Failure("zip takes lists")
        if len({len(v) for v in lists}) > 1:
            raise _Failure("zip takes lists of the same length")
        return [list(t) for t in zip(*lists)]

    def len_op(self, tree: Tree):
        value = self.visit(tree.children[0])
        if not isinstance(value, list):
            raise _Failure(f"len takes a list, not {_describe(value)}")
        return len(value)

    def unop(self, tree: Tree):
        op, operand_tree = tree.children
        op, value = str(op), self.visit(operand_tree)
        if op == "not" and _is_selector(value):
            return CombinedSelector("not", (value,))
        if op == "not":
            return self.elementwise(operator.not_, [value], lambda a: f"(not {a})")
        fn = operator.neg if op == "-" else operator.pos
        return self.elementwise(fn, [value], lambda a: f"({op}{a})")

    def binop(self, tree: Tree):
        left_tree, op, right_tree = tree.children
        op = str(op)
        left, right = self.visit(left_tree), self.visit(right_tree)
        if op in ("and", "or"):
            if _is_selector(left) and _is_selector(right):
                return CombinedSelector(op, (left, right))
            if _is_selector(left) or _is_selector(right):
                raise _Failure(f"'{op}' cannot combine a selector with {_describe(right)}")
            if _is_sop(left) or _is_sop(right):
                both = op == "and"
                return self.elementwise(
                    (lambda a, b: bool(a) and bool(b))
                    if both
                    else (lambda a, b: bool(a) or bool(b)),
                    [left, right],
                    lambda a, b: f"({a} {op} {b})",
                )
            return (left and right) if op == "and" else (left or right)
        if _is_selector(left) or _is_selector(right):
            raise _Failure(f"'{op}' cannot be applied to selectors")
        return self.elementwise(_BINARY_OPS[op], [left, right], lambda a, b: f"({a} {op} {b})")

    def conditional(self, tree: Tree):
        yes_tree, cond_tree, no_tree = tree.children
        cond = self.visit(cond_tree)
        if _is_selector(cond):
            raise _Failure("the condition of 'if' cannot be a selector")
        if not _is_sop(cond):  # compile time: only the branch taken is evaluated
            return self.visit(yes_tree if cond else no_tree)
        return self.elementwise(
            lambda c, a, b: a if c else b,
            [cond, self.visit(yes_tree), self.visit(no_tree)],
            lambda c, a, b: f"({a} if {c} else {b})",
        )

    def contains(self, tree: Tree):
        item_tree, container_tree = tree.children
        item, container = self.visit(item_tree), self.visit(container_tree)
        if _is_sop(item):
            if not isinstance(container, list) or not all(_is_atom(v) for v in container):
                raise _Failure(f"'s-op in X' needs a list of atoms, not {_describe(container)}")
            return self.elementwise(
                lambda a: a in container, [item], lambda a: f"({a} in {literal(container)})"
            )
        if _is_atom(item) and isinstance(container, list):
            return item in container
        if _is_atom(item) and _is_sop(container):  # as the reference: a mean over all positions
            hits = self.elementwise(lambda v: int(v == item), [container], None)
            full = self.base.vars["full_s"]
            assert isinstance(full, SimpleSelector)
            share = Pending(lambda stem: self._build_aggregate(full, hits, None, stem), "agg")
            return self.elementwise(lambda m: m > 0, [share], None)
        raise _Failure(f"cannot test whether {_describe(item)} is in {_describe(container)}")

    def index(self, tree: Tree):
        container_tree, index_tree = tree.children
        container, index = self.visit(container_tree), self.visit(index_tree)
        if isinstance(container, (list, str, dict)) and _is_sop(index):  # tpc extension
            return self.elementwise(lambda v: container[v], [index], None)
        if isinstance(container, (list, str)):
            if not isinstance(index, int):
                raise _Failure(f"a list index must be an integer, not {_describe(index)}")
            if not -len(container) <= index < len(container):
                raise _Failure(f"index {index} is out of range for length {len(container)}")
            return container[index]
        if isinstance(container, dict):
            if not _is_atom(index) or index not in container:
                raise _Failure(f"the dict has no key {_describe(index)}")
            return container[index]
        if _is_sop(container):
            if not isinstance(index, int) or isinstance(index, bool):
                raise _Failure(f"an s-op index must be an integer, not {_describe(index)}")
            if index >= 0:
                where: object = index
            else:
                where = self.elementwise(lambda n: n + index, [self.scope.lookup("length")], None)
            sel = SimpleSelector(self.b.indices, self._operand_node(where, "index"), "EQ")
            return Pending(lambda stem: self._build_aggregate(sel, container, None, stem), "agg")
        raise _Failure(f"cannot index into {_describe(container)}")

    def call(self, tree: Tree):
        fn_tree, args_tree = tree.children
        fn = self.visit(fn_tree)
        args = self._exprs(args_tree)
        if isinstance(fn, Builtin):
            if len(args) != fn.arity:
                raise _Failure(f"'{fn.name}' takes {fn.arity} argument(s), not {len(args)}")
            return fn.fn(*args)
        if isinstance(fn, Function):
            return self._inline(fn, args, tree)
        if _is_sop(fn) or _is_selector(fn):
            raise _Failure(
                "applying an s-op or selector to an input is a REPL feature, not part of a program"
            )
        raise _Failure(f"{_describe(fn)} is not a function")

    def _inline(self, fn: Function, args: list[object], tree: Tree):
        if len(args) != len(fn.params):
            raise _Failure(f"'{fn.name}' takes {len(fn.params)} argument(s), not {len(args)}")
        if self.depth >= MAX_CALL_DEPTH:
            raise _Failure(f"function calls nest more than {MAX_CALL_DEPTH} deep (recursion?)")
        saved = self.scope
        self.scope = Scope(fn.scope, dict(zip(fn.params, args)))
        self.depth += 1
        try:
            for statement in fn.body:
                self.visit(statement)
            results = self._exprs(fn.result.children[0])
            if fn.library and not self.in_library:  # point errors at the call, not the library
                for r in results:
                    if isinstance(r, _LOCATED):
                        r.where = _position(tree)
        except _Failure as f:
            if fn.library and not self.in_library:
                f.where, f.msg = None, f"in library function '{fn.name}': {f.msg}"
            elif not fn.library:
                f.context.append(f"in '{fn.name}' called at line {tree.meta.line}")
            raise
        finally:
            self.scope = saved
            self.depth -= 1
        return results[0] if len(results) == 1 else results

    # ---- built-ins --------------------------------------------------------------------------

    def _install_builtins(self) -> None:
        b, scope = self.b, self.base.vars
        tokens = Seq(b.tokens)
        scope.update(tokens=tokens, tokens_str=tokens, indices=Seq(b.indices))
        scope.update({"True": True, "False": False})
        for name, convert in (("tokens_int", int), ("tokens_float", float), ("tokens_bool", bool)):
            scope[name] = Pending(self._converted_tokens(convert), "map", name=name)
        everything = SimpleSelector(b.tokens, b.tokens, "TRUE", name="full_s")
        scope["full_s"] = everything
        scope["length"] = Pending(
            lambda stem: b.selector_width(self._selector_node(everything), name=self._fresh(stem)),
            "width",
            name="length",
        )
        scope["selector_width"] = Builtin("selector_width", 1, self._selector_width)

    def _converted_tokens(self, convert: Callable[[str], Value]) -> Callable[[str], str]:
        def build(stem: str) -> str:
            ew = Elementwise((self.b.tokens,), lambda env: convert(env[self.b.tokens]), None)
            return self._materialize(ew, stem)

        return build

    def _selector_width(self, sel: object) -> Pending:
        if not _is_selector(sel):
            raise _Failure(f"selector_width needs a selector, not {_describe(sel)}")

        def build(stem: str) -> str:
            node = self._selector_node(sel)  # type: ignore[arg-type]
            with self._ir_errors():
                return self.b.selector_width(node, name=self._fresh(stem))

        return Pending(build, "width")


def _check_size(v: Value) -> None:
    if isinstance(v, int) and abs(v) > 2**53:
        raise _Failure(f"the value {v} is beyond ±2^53, which IR numbers cannot hold exactly")


_LOCATED = (Elementwise, Pending, SimpleSelector, CombinedSelector)


def _vectorised(ew: Elementwise, domains: list[tuple[Value, ...]]) -> list[Value] | None:
    """The expression's outputs over ``domains`` computed with numpy
    (:meth:`tpc.ir.forms.OpenForm.tabulate`) when that is exactly what Python computes and
    every output is a valid value; else None (tabulate one by one, for errors too)."""
    if ew.text is None:
        return None
    try:
        outputs = OpenForm(_form_text(ew), [Categorical(d) for d in domains]).tabulate()
    except IRError:
        return None
    ok = outputs is not None and all(
        math.isfinite(v) if isinstance(v, float) else not isinstance(v, int) or abs(v) <= 2**53
        for v in outputs
    )
    return outputs if ok else None


def _form_text(ew: Elementwise) -> str:
    """An element-wise expression's RASP text in the operands ``x`` and ``y``."""
    assert ew.text is not None
    form = ew.text
    for leaf, var in zip(ew.leaves, ("x", "y")):
        form = form.replace(f"{_LEAF}{leaf}{_LEAF}", var)
    return form


def _position(tree: Tree) -> tuple[int, int] | None:
    line = getattr(tree.meta, "line", None)
    return None if line is None else (line, tree.meta.column)


def _matches(cmp: Comparison, table: dict[tuple[Value, Value], bool]) -> bool:
    try:
        return all(cmp(k, q) == on for (q, k), on in table.items())
    except TypeError:
        return False


@cache
def _library_tree() -> Tree:
    return parse_program(LIBRARY)


# ---- entry points ----------------------------------------------------------------------------


def compile_program(
    tree: Tree, vocab: tuple[str, ...], max_len: int, output: str | None = None
) -> Program:
    """The IR of a parsed RASP program (see :func:`tpc.grammar.parse_rasp`)."""
    try:
        return RaspToIR(vocab, max_len).program(tree, output)
    except _Failure as f:
        raise ParseError(f.message()) from None
    except RecursionError:
        raise ParseError("the program is nested too deeply to compile") from None


def _apply_getters(fn: Callable[..., object], getters: list[Callable]) -> Callable:
    """``env -> fn(*(g(env) for g in getters))``, unrolled for one and two operands (forms
    are evaluated on every entry of large tables)."""
    if len(getters) == 1:
        (g,) = getters
        return lambda env: fn(g(env))
    if len(getters) == 2:
        g, h = getters
        return lambda env: fn(g(env), h(env))
    return lambda env: fn(*[g(env) for g in getters])


#: The tree kinds an element-wise form may use (see :func:`compile_form`).
_FORM_KINDS = frozenset(
    "binop unop conditional contains var int_lit float_lit string_lit list_lit exprlist "
    "round_op indicator".split()
)


def compile_form(text: str) -> Callable[[Value, Value], Value] | None:
    """A RASP element-wise expression in the operands ``x`` and ``y`` as a function of
    their values, computed as RASP would; None if ``text`` is not such an expression."""
    try:
        tree = parse_expression(text)
    except ParseError:
        return None
    for sub in tree.iter_subtrees():
        if sub.data not in _FORM_KINDS:
            return None
        if sub.data == "var" and str(sub.children[0]) not in ("x", "y", "True", "False"):
            return None
    compiler = RaspToIR(("x",), 1)
    compiler.scope = Scope(compiler.base, {"x": Seq("x"), "y": Seq("y")})
    try:
        value = compiler.visit(tree)
    except (_Failure, RecursionError):
        return None
    if isinstance(value, Elementwise):
        get = value.get
        return lambda x, y: get({"x": x, "y": y})
    if isinstance(value, Seq):
        return (lambda x, y: x) if value.node == "x" else (lambda x, y: y)
    if _is_atom(value):
        return lambda x, y: value
    return None
