"""RASP parse tree → IR program.

:class:`RaspToIR` is a lark ``Interpreter`` that runs a RASP program *symbolically*, as the
reference implementation (tech-srl/RASP) does: atoms, lists, dicts and functions are
ordinary compile-time values, while s-ops and selectors become IR nodes, built with
:class:`~tpc.ir.ProgramBuilder`, which tabulates element-wise operations over their
operands' finite value sets (or keeps their form, below). Semantics follow the reference:

* ``select(keys, queries, op)``: query i selects key j iff ``keys[j] op queries[i]``.
* ``aggregate(sel, sop[, default])``: the mean of the selected values; one selected → that
  value (any type), none → ``default`` (0 if not given), several → numerical mean.
  Aggregates of numbers (booleans among them count as 1 and 0) are numerical mean nodes;
  of strings/booleans, categorical means (defined when at most one key is selected), as
  are aggregates of numbers with a string or boolean default. Over strings without a
  default, a query that selects nothing is undefined (IR default None): the reference's 0
  there would make a sequence mixing strings and numbers, which it rejects as a type
  error. (:func:`implicit_default` is the default of an aggregate written without one.)
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
  it holds the number (an aggregate's default 0 over booleans becomes ``False``); a
  boolean next to numbers it does not equal stays a boolean;
* a mean of strings without a default is undefined where nothing is selected, even on
  inputs where nothing is selected anywhere (the reference gives all zeros there);
* numerical means are exact fractions rounded once (the reference adds floats in order).

RASP text is untrusted input: nothing in it runs as Python code, and what it may ask of the
compiler is bounded (``MAX_*`` below: steps, IR nodes, table entries, operations evaluated
to fill them, nesting, integer size, the values a numerical mean averages, the length of
compile-time lists and strings), each above what real programs need. Literal strings hold printable characters only, as
forms and emitted text do.

Errors are :class:`~tpc.errors.ParseError` with the line and column of the expression, in
one line (values quoted and cut short); a limit's error names it.
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

from tpc.errors import IRError, ParseError, printable, quote
from tpc.frontends.rasp_library import LIBRARY
from tpc.grammar.parser import parse_expression, parse_program
from tpc.ir import Comparison, Program, ProgramBuilder, Select, TablePredicate
from tpc.ir.forms import OpenForm
from tpc.ir.forms import literal as atom_literal
from tpc.ir.limits import MAX_STRING, value_problem
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

# What a RASP text may ask of the compiler. The language sets no limits, but RASP text is
# untrusted input: these bound the time and memory reading it takes (each far above what
# real programs need: the largest in ``programs/``, learned programs read back from their
# emitted text, take up to 920,000 steps, make 1,260 nodes and 6.8 million table entries
# and nest 65 deep).

#: Compile-time steps: each statement or expression evaluated (a loop's body once per
#: iteration); each item of a list or character of a string made, copied or compared;
#: each character of a form parsed (and each 64 of an element-wise expression's text).
MAX_STEPS = 5_000_000
#: IR nodes made while compiling (those the output does not need included).
MAX_NODES = 50_000
#: Table entries (element-wise tables, selector tables) made while compiling, in all.
MAX_ENTRIES = 10_000_000
#: Operations evaluated to fill those tables entry by entry (an entry of an expression
#: of n operations counts n; tables numpy computes whole count one per entry). The
#: learned dyck1's text evaluates 170 million, in about a minute.
MAX_EVALUATIONS = 400_000_000
#: Deepest nesting of expressions and statements being evaluated, inlined calls included.
MAX_NESTING = 150
#: Most distinct values, not all integers, a numerical mean may average: inferring its
#: possible results adds every pair of them as exact fractions (2,000 values: 20 s and
#: 600 MB). The learned dyck2's text averages 931.
MAX_MEAN_VALUES = 1500
#: Largest compile-time integer, in bits (IR values are within ±2^53 anyway).
MAX_INT_BITS = 4096
#: Longest variable name kept as a node name (longer ones are cut).
MAX_STEM = 100

#: Element-wise expressions keep their operands as leaves written ``\0name\0`` in ``text``.
_LEAF = "\0"
#: Longest such text kept (learned programs read back from their emitted RASP text have
#: forms of up to 180,000 characters: their tables written as conditional chains).
_MAX_TEXT = 1_000_000
#: Characters of such text made per compile-time step (copying is cheap; parsing a form
#: counts a step per character).
_CHARS_PER_STEP = 64
#: Smallest table computed with numpy (parsing the form costs about as much as computing
#: a few hundred entries one by one).
_VECTORISE_FROM = 1024
#: Most digits an integer literal may have (:data:`MAX_INT_BITS` bits).
_MAX_INT_DIGITS = math.ceil(MAX_INT_BITS * math.log10(2))


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
    depth: int = 1  # how deeply its operations nest (at most MAX_NESTING)
    size: int = 1  # how many operations it evaluates for one combination of leaf values


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
    if isinstance(v, int) and not isinstance(v, bool):
        return _number(v)
    return quote(v) if isinstance(v, str) else str(v)


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


def _mod(a, b):
    if isinstance(a, str) or isinstance(b, str):  # not Python's string formatting
        raise TypeError("'%' takes numbers, not strings")
    return a % b


_BINARY_OPS: dict[str, Callable[[object, object], object]] = {
    "+": _add,
    "-": operator.sub,
    "*": _mul,
    "/": operator.truediv,
    "%": _mod,
    "^": _pow,
    "==": operator.eq,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}


def _canonical(outputs: list[Value]) -> list[Value]:
    """Values Python treats as equal must not be told apart: a boolean next to a number
    equal to it (``True`` and ``1``, ``False`` and ``0.0``) becomes that number; other
    booleans stay (``True if c else 0`` gives ``True`` or ``0``, as in Python)."""
    if not any(isinstance(v, bool) for v in outputs):
        return outputs
    numbers = {v: v for v in outputs if _is_number(v)}  # keyed by ==: True finds 1 or 1.0
    if not numbers:
        return outputs
    return [numbers.get(v, v) if isinstance(v, bool) else v for v in outputs]


def _averaged(values: tuple[Value, ...]) -> bool:
    """Are these the values of a numerical mean: numbers, perhaps with booleans (counted as
    1 and 0, as Python adds them), but not booleans alone (a mean of booleans is
    categorical: a boolean where at most one is selected)?"""
    return any(_is_number(v) for v in values) and all(
        _is_number(v) or isinstance(v, bool) for v in values
    )


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
        self._suffixes: dict[str, int] = {}  # stem -> last suffix _fresh gave it
        self._assigned_at: dict[str, tuple[int, int] | None] = {}  # top-level variables
        # work done so far, against MAX_STEPS, MAX_NODES, MAX_ENTRIES, MAX_EVALUATIONS and
        # MAX_NESTING
        self.steps = self.nodes_made = self.entries = self.evaluations = self.nesting = 0
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
        self.nesting += 1
        try:
            self._spend(1)
            if self.nesting > MAX_NESTING:
                raise _Failure(
                    f"expressions, statements and calls nest more than {MAX_NESTING} deep "
                    "(tpc's limit for RASP text)"
                )
            value = super().visit(tree)
        except _Failure as f:
            f.where = f.where or where
            raise
        except RecursionError:  # Python's stack ends before MAX_NESTING (deep selector logic)
            failure = _Failure("the program is nested too deeply to compile (Python's stack)")
            failure.where = where
            raise failure from None
        finally:
            self.nesting -= 1
        if isinstance(value, _LOCATED) and value.where is None:
            value.where = where  # the innermost expression that made it
        return value

    # ---- limits -----------------------------------------------------------------------------

    def _spend(self, steps: int) -> None:
        """Count compile-time work against :data:`MAX_STEPS`."""
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise _Failure(
                f"the program takes more than {MAX_STEPS:,} compile-time steps (statements, "
                "expressions and loop iterations evaluated, list items and characters made "
                "or compared; tpc's limit for RASP text)"
            )

    def _spend_deep(self, value: object) -> None:
        """Count the work of copying, comparing or writing a compile-time value."""
        if isinstance(value, (str, list, dict)):
            self._spend(_deep_size(value, MAX_STEPS - self.steps))

    def _spend_evaluations(self, evaluations: int) -> None:
        """Count operations evaluated to fill tables against :data:`MAX_EVALUATIONS`."""
        self.evaluations += evaluations
        if self.evaluations > MAX_EVALUATIONS:
            raise _Failure(
                f"filling the program's tables takes more than {MAX_EVALUATIONS:,} "
                "operations (tpc's limit for RASP text)"
            )

    def _spend_entries(self, entries: int) -> None:
        """Count table entries made against :data:`MAX_ENTRIES`."""
        self.entries += entries
        if self.entries > MAX_ENTRIES:
            raise _Failure(
                f"the program's tables reach more than {MAX_ENTRIES:,} entries in all "
                "(tpc's limit for RASP text)"
            )

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
            raise _Failure(f"the output {quote(name)} is not a variable of the program") from None
        try:  # failures point at the statement that assigned the output last
            if _is_atom(value):
                node = self._constant(value, _is_number(value), stem=name)
            elif _is_sop(value):
                node = self._node(value, name)
            else:
                raise _Failure(f"the output '{name}' is {_describe(value)}, not an s-op")
            return self._build(node)
        except _Failure as f:
            f.where = f.where or self._assigned_at.get(name)
            raise

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
        """The name of a node about to be made (counted against :data:`MAX_NODES`):
        ``stem`` (cut to :data:`MAX_STEM` characters, ``_`` added to a Python keyword) if
        no node has it, else ``stem_1``, ``stem_2``, ... (the first free one, found in
        constant time on average: suffixes only grow, as nodes are never removed here)."""
        self.nodes_made += 1
        if self.nodes_made > MAX_NODES:
            raise _Failure(
                f"the program makes more than {MAX_NODES:,} IR nodes (tpc's limit for RASP text)"
            )
        stem = stem[:MAX_STEM]
        if keyword.iskeyword(stem):
            stem += "_"
        if stem not in self.b.nodes:
            return stem
        suffix = self._suffixes.get(stem, 0) + 1
        while f"{stem}_{suffix}" in self.b.nodes:
            suffix += 1
        self._suffixes[stem] = suffix
        return f"{stem}_{suffix}"

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
        entries = math.prod(len(d) for d in domains)
        if entries > MAX_TABLE:
            sizes = " x ".join(f"{len(d)} ({leaf})" for d, leaf in zip(domains, ew.leaves))
            raise _Failure(f"the element-wise table would have {sizes} entries, too many")
        self._spend_entries(entries)
        outputs = None
        if entries >= _VECTORISE_FROM and ew.text is not None:
            self._spend(len(ew.text))  # parsing its form
            outputs = _vectorised(ew, domains)
        if outputs is not None:
            self._spend_evaluations(entries)
            for out in set(outputs):  # numbers are checked already; strings may be too long
                _check_size(out)
        else:
            self._spend_evaluations(entries * ew.size)
            outputs = [_output(ew, combo) for combo in itertools.product(*domains)]
        return dict(zip(itertools.product(*domains), _canonical(outputs)))

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
        form = _form_text(ew)
        if form is not None and (None in map(value_set, types) or math.prod(sizes) > MAX_TABLE):
            return self._open_map(ew, form, stem, some_numerical)
        table = self._tabulate(ew)
        numerical = some_numerical and all(_is_number(v) for v in table.values())
        name = self._fresh(stem)
        with self._ir_errors():
            if len(ew.leaves) == 1:
                node = self.b.map(lambda v: table[(v,)], ew.leaves[0], numerical, name)
            else:
                x, y = ew.leaves
                node = self.b.sequence_map(lambda a, b: table[(a, b)], x, y, numerical, name)
        if form is not None and len(form) <= MAX_STRING:  # a hint for the RASP back end
            self.b.nodes[node].meta["rasp"] = form
        return node

    def _open_map(self, ew: Elementwise, form: str, stem: str, some_numerical: bool) -> str:
        self._spend(len(form))  # parsing it
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
        operands = {self._operands(p) for p in self._parts(sel)}
        foldable = len(operands) == 1 and None not in operands
        if foldable:
            ((keys, queries),) = operands  # type: ignore[misc]
            pred = self._fold(sel, keys, queries)
            fixed = sel.name if isinstance(sel, SimpleSelector) else None
            name = self._fresh(fixed or stem or f"{self.hint}_sel")
            with self._ir_errors():
                sel.node = self.b.select(keys, queries, pred, name=name)
        else:
            assert isinstance(sel, CombinedSelector)
            nodes = [self._selector_node(p) for p in sel.parts]
            name = self._fresh(stem or f"{self.hint}_sel")
            with self._ir_errors():
                sel.node = self.b.selector_op(sel.op, *nodes, name=name)
        return sel.node

    def _parts(self, sel: Selector) -> Iterator[Selector]:
        """The selects a selector combines: its simple parts, and its parts that are nodes
        already taken whole (so a selector built up step by step is not walked again)."""
        if isinstance(sel, SimpleSelector) or sel.node is not None:
            yield sel
        else:
            for p in sel.parts:
                yield from self._parts(p)

    def _operands(self, part: Selector) -> tuple[str, str] | None:
        """The keys and queries of one of :meth:`_parts` (None: a node of selector logic)."""
        if isinstance(part, SimpleSelector):
            return part.keys, part.queries
        node = self.b.nodes[part.node]  # type: ignore[index]
        return (node.keys, node.queries) if isinstance(node, Select) else None

    def _predicate(self, sel: Selector) -> Callable[[Value, Value], bool]:
        """The Python predicate ``(key, query) -> bool`` of a foldable selector (one whose
        parts share their keys and queries); a part that is a node already is its
        predicate, which computes its table over those operands."""
        if sel.node is not None:
            node = self.b.nodes[sel.node]
            assert isinstance(node, Select)
            return node.predicate
        if isinstance(sel, SimpleSelector):
            return PYTHON_COMPARISONS[sel.op]
        parts = [self._predicate(p) for p in sel.parts]
        if sel.op == "not":
            return lambda k, q: not parts[0](k, q)
        if sel.op == "and":
            return lambda k, q: bool(parts[0](k, q)) and bool(parts[1](k, q))
        return lambda k, q: bool(parts[0](k, q)) or bool(parts[1](k, q))

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
        self._spend_entries(len(kvals) * len(qvals))
        pred = self._predicate(sel)
        self._spend_evaluations(len(kvals) * len(qvals) * sum(1 for _ in self._parts(sel)))
        table: dict[tuple[Value, Value], bool] = {}
        for q in qvals:
            for k in kvals:
                try:
                    table[(q, k)] = bool(pred(k, q))
                except TypeError:
                    raise _Failure(
                        f"select cannot compare key {quote(k)} ({keys}) with query "
                        f"{quote(q)} ({queries})"
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
            return (), (lambda env: value), self._literal(value)
        if isinstance(value, Pending):
            value = Seq(self._operand_node(value, value.kind))
        if isinstance(value, Seq):
            node = value.node
            return (node,), (lambda env: env[node]), f"{_LEAF}{node}{_LEAF}"
        if isinstance(value, Elementwise):
            return value.leaves, value.get, value.text
        raise _Failure(f"{_describe(value)} cannot be used in an element-wise operation")

    def _literal(self, value: object) -> str | None:
        """RASP text of a compile-time value in a form (None if RASP cannot write it or it
        is longer than forms may be); writing it counts as steps."""
        self._spend_deep(value)
        if _deep_size(value, _MAX_TEXT) > _MAX_TEXT:
            return None
        return literal(value)

    def elementwise(
        self,
        fn: Callable[..., object],
        args: list[object],
        text: Callable[..., str] | None,
    ) -> object:
        """``fn`` applied position by position: an atom if no argument is an s-op.

        An s-op result nests at most :data:`MAX_NESTING` operations deep, as one
        statement does (deeper ones, which only loops over lists of s-ops make, make their
        operands nodes first), and keeps its text only while it is short."""
        if not any(_is_sop(a) for a in args):
            for a in args:
                if not (_is_atom(a) or isinstance(a, (list, dict))):
                    raise _Failure(f"{_describe(a)} cannot be used in an element-wise operation")
                self._spend_deep(a)
            try:
                result = fn(*args)
            except Exception as e:  # noqa: BLE001 -- any failure of the user's expression
                raise _Failure(_error_text(e)) from None
            _check_atom(result)
            self._spend_deep(result)
            return result
        args = [
            Seq(self._operand_node(a, "map"))
            if isinstance(a, Elementwise) and a.depth >= MAX_NESTING
            else a
            for a in args
        ]
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
        if joined is not None:
            self._spend(len(joined) // _CHARS_PER_STEP)
            joined = joined if len(joined) <= _MAX_TEXT else None
        parts = [a for a in args if isinstance(a, Elementwise)]
        depth = 1 + max((a.depth for a in parts), default=0)
        size = 1 + sum(a.size for a in parts)
        return Elementwise(leaves, _apply_getters(fn, getters), joined, depth=depth, size=size)

    def _pair_up(self, ops, leaves):
        """Three operand nodes: replace the first two by one node of their value pairs."""
        a, b = leaves[0], leaves[1]
        entries = len(self._values(a)) * len(self._values(b))
        if entries > MAX_TABLE:
            raise _Failure(f"the table of value pairs of {a} and {b} would have {entries} entries")
        self._spend_entries(entries)
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
            elif not isinstance(value, list) or len(value) != len(names):
                got = f"{len(value)} values" if isinstance(value, list) else _describe(value)
                raise _Failure(f"{len(names)} names but {got} to assign to them")
            else:
                for name, v in zip(names, value):
                    self._bind(name, v)
        self._note_assigned(names, tree)

    def expr_stmt(self, tree: Tree):
        with self._target("out"):
            self._set("out", self.visit(tree.children[0]))
        self._note_assigned(["out"], tree)

    def _note_assigned(self, names: list[str], tree: Tree) -> None:
        """Remember where top-level variables were last assigned (for the output's errors)."""
        if self.scope is self.top:
            for name in names:
                self._assigned_at[name] = _position(tree)

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
        self._spend(len(value))
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
        digits = str(tree.children[0])
        if len(digits) > _MAX_INT_DIGITS:  # before int(): Python refuses over 4,300 digits
            raise _Failure(
                f"the integer literal of {len(digits):,} digits is too large "
                f"(compile-time integers have at most {MAX_INT_BITS:,} bits)"
            )
        value = int(digits)
        _check_atom(value)
        return value

    def float_lit(self, tree: Tree):
        text = str(tree.children[0])
        value = float(text)
        if not math.isfinite(value):
            raise _Failure(f"the number literal of {len(text):,} characters is too large")
        return value

    def string_lit(self, tree: Tree):
        text = str(tree.children[0])[1:-1]
        if not text.isprintable():  # as forms and emitted text are: one line, no escapes
            bad = next(c for c in text if not c.isprintable())
            raise _Failure(f"a string may hold only printable characters, not {quote(bad)}")
        return text

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
        # numbers are averaged (a numerical mean) unless a string or boolean default makes
        # them labels (a boolean next to numbers in a numerical value set would be a number)
        labels = isinstance(default, (str, bool))
        values, numerical = self._mean_values(seq, numbers=not labels)
        if default is not None:
            _check_size(default)
        if default is None:
            default = implicit_default(value_set(self.b.type_of(values)))
        if numerical:
            self._check_mean_values(value_set(self.b.type_of(values)))
        if numerical and isinstance(default, str):
            raise _Failure(
                f"the default {_describe(default)} of an aggregate of numbers is not a number"
            )
        if not numerical and default is not None and not isinstance(default, str):
            # a default equal to a value (0 == False) is that value, as Python sees it
            same = [v for v in self._values(values) if not isinstance(v, str) and v == default]
            default = same[0] if same else default
        with self._ir_errors():
            return self.b.aggregate(sel_node, values, "mean", default, name=self._fresh(stem))

    def _check_mean_values(self, values: tuple[Value, ...] | None) -> None:
        """``_Failure`` when a numerical mean's values are too many to infer its results."""
        if values is not None and len(values) > MAX_MEAN_VALUES:
            if not all(float(v).is_integer() for v in values):  # integers add up quickly
                raise _Failure(
                    f"a numerical mean of {len(values):,} values, not all integers, has too "
                    f"many possible results to work out (at most {MAX_MEAN_VALUES:,} such "
                    "values; tpc's limit for RASP text)"
                )

    def _mean_values(self, seq: object, numbers: bool) -> tuple[str, bool]:
        """The node an aggregate averages, and whether it is numerical: its values are all
        numbers and ``numbers`` asks for numbers to be averaged."""
        if _is_atom(seq):
            numerical = numbers and _is_number(seq)
            return self._constant(seq, numerical), numerical
        if isinstance(seq, Elementwise):
            node = self._materialize(seq, f"{self.hint}_values", numbers_numerical=numbers)
        else:
            node = self._operand_node(seq, "values")
        t = self.b.type_of(node)
        if isinstance(t, Numerical):
            return node, True
        if numbers and isinstance(t, Categorical) and _averaged(t.values):
            if node not in self._casts:
                self._spend_entries(len(t.values))
                with self._ir_errors():
                    cast = self.b.map(
                        lambda v: int(v) if isinstance(v, bool) else v,
                        node,
                        numerical=True,
                        name=self._fresh(f"{node}_num"),
                    )
                self.b.nodes[cast].meta["rasp"] = "x * 1" if bool in map(type, t.values) else "x"
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
        try:
            size = len(result)
        except OverflowError:  # more than sys.maxsize numbers
            size = MAX_LIST + 1
        if size > MAX_LIST:
            raise _Failure(f"a range of more than {MAX_LIST:,} numbers is too long")
        self._spend(size)
        return list(result)

    def zip_op(self, tree: Tree):
        lists = self._exprs(tree.children[0])
        if not all(isinstance(v, list) for v in lists):
            raise _Failure("zip takes lists")
        if len({len(v) for v in lists}) > 1:
            raise _Failure("zip takes lists of the same length")
        self._spend(sum(map(len, lists)))
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
        if isinstance(container, list):
            self._spend(len(container))
        if _is_sop(item):
            if not isinstance(container, list) or not all(_is_atom(v) for v in container):
                raise _Failure(f"'s-op in X' needs a list of atoms, not {_describe(container)}")
            members = frozenset(container)  # atoms: hashing agrees with ==, as 'in' tests
            written = self._literal(container)
            return self.elementwise(
                lambda a: a in members,
                [item],
                None if written is None else lambda a: f"({a} in {written})",
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
                raise _Failure(
                    f"index {_describe(index)} is out of range for length {len(container)}"
                )
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


def implicit_default(values: tuple[Value, ...] | None) -> Value | None:
    """The default of ``aggregate(sel, seq)`` written without one, given the values the
    aggregate averages (None: an open numerical node): RASP's 0, except over strings, where
    it would make a sequence mixing strings and numbers (the reference rejects that), so
    None: undefined where nothing is selected. The RASP back end writes a default exactly
    when it is not this one."""
    if values is not None and any(isinstance(v, str) for v in values):
        return None
    return 0


def _check_size(v: Value) -> None:
    """``_Failure`` unless ``v`` can be an IR value (:func:`tpc.ir.limits.value_problem`)
    and, if an integer, is exact in float64 (within ±2^53)."""
    if isinstance(v, int) and abs(v) > 2**53:
        raise _Failure(
            f"the value {_number(v)} is beyond ±2^53, which IR numbers cannot hold exactly"
        )
    problem = value_problem(v)
    if problem is not None:
        raise _Failure(f"the value {quote(v)} cannot be an IR value: it {problem}")


def _check_atom(v: object) -> None:
    """``_Failure`` for a compile-time number RASP text may not make: an integer of more
    than :data:`MAX_INT_BITS` bits or a float that is not finite."""
    if isinstance(v, int) and v.bit_length() > MAX_INT_BITS:
        raise _Failure(
            f"an integer of {v.bit_length():,} bits is too large (at most {MAX_INT_BITS:,})"
        )
    if isinstance(v, float) and not math.isfinite(v):
        raise _Failure(f"the number {v} is not finite")


def _number(v: int) -> str:
    """An integer as a message shows it: in full when short, else by its size."""
    return str(v) if v.bit_length() <= 64 else f"(an integer of {v.bit_length():,} bits)"


def _error_text(e: BaseException) -> str:
    """A Python exception raised by the user's expression, as one short line."""
    text = printable(f"{type(e).__name__}: {e}")
    return text if len(text) <= 200 else text[:199] + "…"


def _deep_size(value: object, limit: int) -> int:
    """Items and characters in a compile-time value (lists and dicts counted to the
    bottom, shared parts each time they occur), counted up to just past ``limit``: the
    work of copying, comparing or writing it."""
    size, todo = 0, [value]
    while todo and size <= limit:
        v = todo.pop()
        size += len(v) if isinstance(v, (str, list, dict)) else 1
        if isinstance(v, list):
            todo.extend(v)
        elif isinstance(v, dict):
            todo.extend(v.values())
    return size


_LOCATED = (Elementwise, Pending, SimpleSelector, CombinedSelector)


def _output(ew: Elementwise, combo: tuple[Value, ...]) -> Value:
    """An element-wise expression's output for one combination of its leaves' values;
    ``_Failure`` naming them if it fails or gives what IR values cannot be."""
    env = dict(zip(ew.leaves, combo))
    try:
        out = ew.get(env)
    except Exception as e:  # noqa: BLE001 -- any failure of the user's expression
        raise _Failure(f"the expression fails when {_shown(env)}: {_error_text(e)}") from None
    if not _is_atom(out) or (isinstance(out, float) and not math.isfinite(out)):
        raise _Failure(
            f"when {_shown(env)} the expression gives {_describe(out)}, "
            "not a string, a finite number or a boolean"
        )
    try:
        _check_size(out)
    except _Failure as f:
        raise _Failure(f"when {_shown(env)} {f.msg}") from None
    return out


def _shown(env: dict[str, Value]) -> str:
    """Operand values as an error message shows them."""
    return ", ".join(f"{k} = {quote(v)}" for k, v in env.items())


def _vectorised(ew: Elementwise, domains: list[tuple[Value, ...]]) -> list[Value] | None:
    """The expression's outputs over ``domains`` computed with numpy
    (:meth:`tpc.ir.forms.OpenForm.tabulate`) when that is exactly what Python computes and
    every output is a valid value; else None (tabulate one by one, for errors too)."""
    form = _form_text(ew)
    if form is None:
        return None
    try:
        outputs = OpenForm(form, [Categorical(d) for d in domains]).tabulate()
    except IRError:
        return None
    ok = outputs is not None and all(
        math.isfinite(v) if isinstance(v, float) else not isinstance(v, int) or abs(v) <= 2**53
        for v in outputs
    )
    return outputs if ok else None


def _form_text(ew: Elementwise) -> str | None:
    """An element-wise expression's RASP text in the operands ``x`` and ``y`` (None if it
    has none)."""
    if ew.text is None:
        return None
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
    """The IR of a parsed RASP program (see :func:`tpc.frontends.parse_rasp`)."""
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
