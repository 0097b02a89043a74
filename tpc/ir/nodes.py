"""IR node kinds (docs/design.md §3).

Every node has a unique readable ``name``, a :mod:`type <tpc.ir.types>`, operands given by
name (``inputs``) and a free-form ``meta`` dict for provenance (which weights it came from,
which pass made it). Nodes are plain dataclasses; a :class:`~tpc.ir.program.Program`
owns them and checks that they fit together. The interpreter
(:mod:`tpc.ir.interp`) defines what each kind computes; the docstrings here say the same
in words.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from tpc.ir.types import Categorical, Numerical, Selector, Type, Value

#: Named comparisons, ``predicate(key, query)`` in Tracr's argument order:
#: query position i selects key position j iff ``keys[j] OP queries[i]``.
COMPARISONS: dict[str, str] = {
    "EQ": "==",
    "NEQ": "!=",
    "LT": "<",
    "LEQ": "<=",
    "GT": ">",
    "GEQ": ">=",
    "TRUE": "true",
    "FALSE": "false",
}


@dataclass(frozen=True)
class Comparison:
    """A named predicate: ``key OP query`` (``TRUE``/``FALSE`` ignore both)."""

    op: str

    def __call__(self, key: Value, query: Value) -> bool:
        """Apply to one (key, query) pair, as RASP and Tracr do."""
        if self.op == "TRUE":
            return True
        if self.op == "FALSE":
            return False
        if self.op == "EQ":
            return _same(key, query)
        if self.op == "NEQ":
            return not _same(key, query)
        if isinstance(key, str) != isinstance(query, str):
            raise TypeError(f"cannot order {key!r} against {query!r}")
        if self.op == "LT":
            return key < query
        if self.op == "LEQ":
            return key <= query
        if self.op == "GT":
            return key > query
        return key >= query

    def __str__(self) -> str:
        return self.op

    def python_agrees(self, keys: Iterable[Value], queries: Iterable[Value]) -> bool:
        """Whether plain Python operators — how RASP's reference interpreter, Tracr and
        emitted Python read this comparison — give the same answer on these values (they
        differ where bools meet numbers: ``True == 1``)."""
        python = PYTHON_COMPARISONS[self.op]
        queries = list(queries)
        try:
            return all(python(k, q) == self(k, q) for k in keys for q in queries)
        except TypeError:
            return False


#: The named comparisons with plain Python semantics, ``(key, query) -> bool``.
PYTHON_COMPARISONS: dict[str, Callable[[Value, Value], bool]] = {
    "EQ": operator.eq,
    "NEQ": operator.ne,
    "LT": operator.lt,
    "LEQ": operator.le,
    "GT": operator.gt,
    "GEQ": operator.ge,
    "TRUE": lambda key, query: True,
    "FALSE": lambda key, query: False,
}


@dataclass(frozen=True)
class TablePredicate:
    """An explicit predicate: true exactly for the listed ``(query, key)`` pairs."""

    pairs: frozenset[tuple[Value, Value]]

    def __call__(self, key: Value, query: Value) -> bool:
        return (query, key) in self.pairs

    def __str__(self) -> str:
        return f"table[{len(self.pairs)} pairs]"


Predicate = Comparison | TablePredicate


def _same(a: Value, b: Value) -> bool:
    """Equality that keeps bools apart from numbers and strings apart from numbers."""
    if isinstance(a, bool) != isinstance(b, bool) or isinstance(a, str) != isinstance(b, str):
        return False
    return a == b


@dataclass
class Node:
    """Base class of every node kind."""

    kind: ClassVar[str] = "node"
    name: str
    type: Type

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the operand nodes, in operand order."""
        return ()


@dataclass
class Tokens(Node):
    """The input tokens; ``type`` is ``Categorical(vocab)``."""

    kind: ClassVar[str] = "tokens"
    meta: dict = field(default_factory=dict, compare=False)


@dataclass
class Indices(Node):
    """Position indices 0..max_len-1; ``type`` is ``Categorical(range(max_len))``."""

    kind: ClassVar[str] = "indices"
    meta: dict = field(default_factory=dict, compare=False)


@dataclass
class Constant(Node):
    """The same ``value`` at every position (``ones`` is numerical ``Constant(1)``)."""

    kind: ClassVar[str] = "constant"
    value: Value = 0
    meta: dict = field(default_factory=dict, compare=False)


@dataclass
class Map(Node):
    """``out[i] = table[x[i]]``; ``table`` covers every value of ``x``'s type.

    ``form`` is an optional readable equivalent found by passes (e.g. ``"x + 1"``); the
    table stays the definition. An *open* map has ``table=None``: then ``form`` is the
    definition, ``out[i] = form(x[i])``, an element-wise RASP expression with the exact
    semantics of :mod:`tpc.ir.forms` (float64 ``+ - *``, Python comparisons); ``x`` need
    not have a finite value set. Its type is numerical (``Numerical(None)`` when the form
    can give any number) or categorical holding every value the form can give.
    """

    kind: ClassVar[str] = "map"
    x: str = ""
    table: dict | None = field(default_factory=dict)
    form: str | None = None
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.x,)


@dataclass
class SequenceMap(Node):
    """``out[i] = table[(x[i], y[i])]``; ``table`` covers every pair of operand values.

    Open (``table=None``) as :class:`Map`: ``out[i] = form(x[i], y[i])``.
    """

    kind: ClassVar[str] = "sequence_map"
    x: str = ""
    y: str = ""
    table: dict | None = field(default_factory=dict)
    form: str | None = None
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.x, self.y)


@dataclass
class Select(Node):
    """``sel[i][j] = predicate(keys[j], queries[i])`` and ``j < length`` (and ``j <= i`` if causal)."""

    kind: ClassVar[str] = "select"
    keys: str = ""
    queries: str = ""
    predicate: Predicate = Comparison("TRUE")
    causal: bool = False
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.keys, self.queries)


#: Boolean operators of :class:`SelectorOp` and how many operands each takes.
SELECTOR_OPS: dict[str, int] = {"and": 2, "or": 2, "not": 1}


@dataclass
class SelectorOp(Node):
    """Element-wise boolean combination of selectors: ``a and b``, ``a or b``, ``not a``.

    RASP writes these as ``sel1 and sel2``; keys past the input's length stay unselected
    (and causal masks of the operands are kept: ``not`` re-applies the length mask only).
    """

    kind: ClassVar[str] = "selector_op"
    op: str = "and"
    sels: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.sels = tuple(self.sels)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.sels


#: Aggregate reductions (see :class:`Aggregate`).
REDUCTIONS = ("closest", "mean", "sum")


@dataclass
class Aggregate(Node):
    """Reduce ``values`` over the keys that ``sel`` selects for each query.

    * ``closest`` (Transformer Program categorical head): with M the selected keys of query
      i, the value at the element of M \\ {i} minimising (|i − j|, j); at i itself only when
      M = {i}; at position 0 (BOS) when M is empty. ``default`` is unused.
    * ``mean`` (RASP/Tracr): the mean of the selected values, ``default`` when none is
      selected. On categorical values exactly one key may be selected (else undefined: the
      interpreter raises).
    * ``sum`` (Transformer Program numerical head): the sum of the selected values (0 if none).
    """

    kind: ClassVar[str] = "aggregate"
    sel: str = ""
    values: str = ""
    reduce: str = "mean"
    default: Value | None = None
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.sel, self.values)


@dataclass
class SelectorWidth(Node):
    """The number of keys ``sel`` selects for each query (categorical 0..max_len)."""

    kind: ClassVar[str] = "selector_width"
    sel: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.sel,)


@dataclass
class Readout(Node):
    """The Transformer Program classifier, exactly.

    ``logits[c] = bias[c] + Σ_f w_f(feature_f)[c]`` where a categorical feature contributes
    ``weights[f][value]`` (a row over classes) and a numerical one ``value · weights[f]``.
    Classes with ``mask[c]`` false are never predicted. The prediction is the argmax, the
    first class on ties. With ``pooled``, logits are averaged over the sequence's positions
    first and every position gets the sequence's class.
    """

    kind: ClassVar[str] = "readout"
    features: tuple[str, ...] = ()
    weights: tuple = ()
    bias: tuple[float, ...] = ()
    mask: tuple[bool, ...] = ()
    pooled: bool = False
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.features = tuple(self.features)
        self.weights = tuple(
            {v: tuple(float(x) for x in row) for v, row in w.items()}
            if isinstance(w, dict)
            else tuple(float(x) for x in w)
            for w in self.weights
        )
        self.bias = tuple(float(x) for x in self.bias)
        self.mask = tuple(bool(x) for x in self.mask)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.features

    @property
    def classes(self) -> tuple[Value, ...]:
        """The class labels (the output type's values)."""
        assert isinstance(self.type, Categorical)
        return self.type.values


NODE_KINDS: dict[str, type[Node]] = {
    cls.kind: cls
    for cls in (
        Tokens,
        Indices,
        Constant,
        Map,
        SequenceMap,
        Select,
        SelectorOp,
        Aggregate,
        SelectorWidth,
        Readout,
    )
}

__all__ = [
    "COMPARISONS",
    "NODE_KINDS",
    "PYTHON_COMPARISONS",
    "REDUCTIONS",
    "SELECTOR_OPS",
    "Aggregate",
    "Categorical",
    "Comparison",
    "Constant",
    "Indices",
    "Map",
    "Node",
    "Numerical",
    "Predicate",
    "Readout",
    "Select",
    "Selector",
    "SelectorWidth",
    "SequenceMap",
    "TablePredicate",
    "Tokens",
]
