"""``ProgramBuilder``: build IR programs from Python functions, inferring value sets.

Front ends (the RASP parser, the Tracr importer) and tests build programs through this
class: it tabulates a function over its operands' finite value sets, infers every node's
type, and picks fresh readable names. Example::

    b = ProgramBuilder(vocab=["a", "b"], max_len=5)
    length = b.selector_width(b.select(b.tokens, b.tokens, "TRUE"), name="length")
    opp = b.sequence_map(lambda n, i: n - i - 1, length, b.indices, name="opp_index")
    flip = b.select(b.indices, opp, "EQ")
    prog = b.build(b.aggregate(flip, b.tokens, name="reverse"))
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from fractions import Fraction
from functools import lru_cache

from tpc.errors import IRError
from tpc.ir.forms import OpenForm
from tpc.ir.limits import check_max_len
from tpc.ir.nodes import (
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Predicate,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    Tokens,
)
from tpc.ir.program import Program
from tpc.ir.types import (
    Categorical,
    Numerical,
    Selector,
    Type,
    Value,
    unique,
    value_key,
    value_set,
)

#: Largest value set that mean inference enumerates before giving up (``Numerical(None)``).
MAX_INFERRED_VALUES = 20_000
#: The Python types of IR values.
VALUE_TYPES = (str, int, float, bool)


def _sorted_values(values: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(sorted(unique(values), key=value_key))


def mean_values(values: Iterable[float], max_count: int) -> tuple[float, ...] | None:
    """Every mean of 1..max_count values drawn (with repetition) from ``values``.

    Exact (integer sums as ints, their means as correctly rounded floats when small, other
    values as fractions), then converted to floats;
    ``None`` when the set grows past :data:`MAX_INFERRED_VALUES`.
    """
    return _mean_values(frozenset(_exact(values)), max_count)


@lru_cache(maxsize=512)  # passes re-infer the same aggregates round after round
def _mean_values(base: frozenset[int | Fraction], max_count: int) -> tuple[float, ...] | None:
    sums = set(base)
    divide = _int_ratio if _small_ints(base, max_count) else _ratio
    means = {divide(v, 1) for v in base}
    for count in range(2, max_count + 1):
        sums = {s + v for s in sums for v in base}
        means |= {divide(s, count) for s in sums}
        if len(means) > MAX_INFERRED_VALUES:
            return None
    return tuple(sorted(_as_number(m) for m in means))


def _small_ints(base: frozenset[int | Fraction], max_count: int) -> bool:
    """Integers small enough that float division tells every two means apart: means with
    denominators up to ``max_count`` differ by at least 1 / max_count**2, far above the
    float spacing below 2**40."""
    return all(isinstance(v, int) and abs(v) * max_count < 2**40 for v in base)


def _int_ratio(s: int, count: int) -> float:
    """``s / count`` correctly rounded: equal means give equal floats (fast to hash)."""
    return s / count


def _ratio(s: int | Fraction, count: int) -> Fraction:
    return Fraction(s) / count


def sum_values(values: Iterable[float], max_count: int) -> tuple[float, ...] | None:
    """Every sum of 0..max_count values drawn (with repetition) from ``values`` (exact)."""
    return _sum_values(frozenset(_exact(values)), max_count)


@lru_cache(maxsize=512)
def _sum_values(base: frozenset[int | Fraction], max_count: int) -> tuple[float, ...] | None:
    sums = {0}
    result = set(sums)
    for _ in range(max_count):
        sums = {s + v for s in sums for v in base}
        result |= sums
        if len(result) > MAX_INFERRED_VALUES:
            return None
    return tuple(sorted(_as_number(s) for s in result))


def _exact(values: Iterable[float]) -> set[int | Fraction]:
    """Values as exact numbers: integers as ints (fast to add), others as fractions."""
    return {int(v) if float(v).is_integer() else Fraction(v) for v in values}


def _as_number(f: Fraction | int | float) -> int | float:
    if isinstance(f, float):
        return int(f) if f.is_integer() else f
    return int(f) if f.denominator == 1 else float(f)


class ProgramBuilder:
    """Accumulates nodes in topological order; every method returns the new node's name."""

    def __init__(
        self,
        vocab: Iterable[str],
        max_len: int,
        bos: str | None = None,
        eos: str | None = None,
        meta: dict | None = None,
    ):
        check_max_len(max_len)
        self.vocab = tuple(vocab)
        self.max_len = max_len
        self.bos, self.eos = bos, eos
        self.meta = dict(meta or {})
        self.nodes: dict[str, Node] = {}
        self.tokens = self.add(Tokens("tokens", Categorical(self.vocab)))
        self.indices = self.add(Indices("indices", Categorical(tuple(range(max_len)))))

    # ---- plumbing ---------------------------------------------------------------------

    def fresh(self, stem: str) -> str:
        """A name not used yet: ``stem``, else ``stem_1``, ``stem_2``, …"""
        if stem not in self.nodes:
            return stem
        for i in itertools.count(1):
            if f"{stem}_{i}" not in self.nodes:
                return f"{stem}_{i}"
        raise AssertionError("unreachable")

    def add(self, node: Node) -> str:
        """Append a node built elsewhere (its operands must exist); returns its name."""
        if node.name in self.nodes:
            raise IRError(f"node '{node.name}' is defined twice")
        self.nodes[node.name] = node
        return node.name

    def type_of(self, name: str) -> Type:
        return self.nodes[name].type

    def values_of(self, name: str) -> tuple[Value, ...]:
        """The finite value set of a node; ``IRError`` when it has none."""
        vals = value_set(self.nodes[name].type)
        if vals is None:
            raise IRError(
                f"node '{name}' has no finite value set (needed to tabulate a function over it)"
            )
        return vals

    @staticmethod
    def _out_type(outputs: Iterable[Value], numerical: bool) -> Type:
        vals = _sorted_values(outputs)
        if numerical:
            if any(isinstance(v, str) for v in vals):
                raise IRError("a numerical node cannot hold strings")
            return Numerical(vals)
        return Categorical(vals)

    # ---- node constructors --------------------------------------------------------------

    def constant(self, value: Value, numerical: bool = False, name: str | None = None) -> str:
        t = Numerical((value,)) if numerical else Categorical((value,))
        return self.add(Constant(self.fresh(name or "constant"), t, value=value))

    def map(
        self,
        fn: Callable[[Value], Value],
        x: str,
        numerical: bool = False,
        name: str | None = None,
        form: str | None = None,
    ) -> str:
        """``out[i] = fn(x[i])``, tabulated over ``x``'s value set."""
        table = _tabulate(fn, name or "map", [(v,) for v in self.values_of(x)], single=True)
        t = self._out_type(table.values(), numerical)
        return self.add(Map(self.fresh(name or "map"), t, x=x, table=table, form=form))

    def sequence_map(
        self,
        fn: Callable[[Value, Value], Value],
        x: str,
        y: str,
        numerical: bool = False,
        name: str | None = None,
        form: str | None = None,
    ) -> str:
        """``out[i] = fn(x[i], y[i])``, tabulated over every pair of operand values."""
        pairs = list(itertools.product(self.values_of(x), self.values_of(y)))
        table = _tabulate(fn, name or "sequence_map", pairs)
        t = self._out_type(table.values(), numerical)
        return self.add(
            SequenceMap(self.fresh(name or "sequence_map"), t, x=x, y=y, table=table, form=form)
        )

    def table_map(
        self, table: dict, *operands: str, numerical: bool = False, name: str | None = None
    ) -> str:
        """``out[i] = table[x[i]]`` (one operand: a Map) or ``table[(x[i], y[i])]`` (two: a
        SequenceMap), for a table given whole: its keys must be exactly the operands' values
        (pairs of values), IRError otherwise."""
        domains = [self.values_of(op) for op in operands]
        expected = domains[0] if len(operands) == 1 else itertools.product(*domains)
        if len(table) != math.prod(map(len, domains)) or not all(k in table for k in expected):
            raise IRError(
                f"node '{name}': its table does not cover exactly the values of "
                f"{', '.join(operands)}"
            )
        t = self._out_type(table.values(), numerical)
        stem = name or ("map" if len(operands) == 1 else "sequence_map")
        if len(operands) == 1:
            node: Node = Map(self.fresh(stem), t, x=operands[0], table=dict(table))
        else:
            x, y = operands
            node = SequenceMap(self.fresh(stem), t, x=x, y=y, table=dict(table))
        return self.add(node)

    def open_map(
        self, form: str, *operands: str, numerical: bool = False, name: str | None = None
    ) -> str:
        """``out[i] = form(x[i])`` (one operand: a Map) or ``form(x[i], y[i])`` (two: a
        SequenceMap), defined by the form (no table, :mod:`tpc.ir.forms`). Typed
        ``Numerical(None)`` when the form can give any number, else by its finite outputs."""
        outputs = OpenForm(form, [self.type_of(op) for op in operands]).values
        t = Numerical(None) if outputs is None else self._out_type(outputs, numerical)
        stem = name or ("map" if len(operands) == 1 else "sequence_map")
        if len(operands) == 1:
            node: Node = Map(self.fresh(stem), t, x=operands[0], table=None, form=form)
        else:
            x, y = operands
            node = SequenceMap(self.fresh(stem), t, x=x, y=y, table=None, form=form)
        return self.add(node)

    def select(
        self,
        keys: str,
        queries: str,
        predicate: str | Predicate,
        causal: bool = False,
        name: str | None = None,
    ) -> str:
        """``sel[i][j] = predicate(keys[j], queries[i])``; ``predicate`` a comparison name or object."""
        pred = Comparison(predicate) if isinstance(predicate, str) else predicate
        return self.add(
            Select(
                self.fresh(name or "select"),
                Selector(),
                keys=keys,
                queries=queries,
                predicate=pred,
                causal=causal,
            )
        )

    def selector_op(self, op: str, *sels: str, name: str | None = None) -> str:
        """``a and b``, ``a or b`` or ``not a`` over selectors."""
        return self.add(
            SelectorOp(self.fresh(name or f"select_{op}"), Selector(), op=op, sels=sels)
        )

    def aggregate(
        self,
        sel: str,
        values: str,
        reduce: str = "mean",
        default: Value | None = None,
        name: str | None = None,
    ) -> str:
        """Aggregate ``values`` over ``sel`` (see :class:`~tpc.ir.nodes.Aggregate`), typing the result."""
        vt = self.type_of(values)
        if reduce == "closest":
            t: Type = vt
        elif reduce == "sum":
            vals = vt.values if isinstance(vt, Numerical) else None
            t = Numerical(None if vals is None else sum_values(vals, self.max_len))
        elif isinstance(vt, Categorical):
            extra = () if default is None else (default,)
            t = Categorical(vt.values + tuple(v for v in extra if v not in vt.values))
        else:
            if isinstance(default, str):
                raise IRError(f"a numerical mean cannot default to the string {default!r}")
            vals = vt.values if isinstance(vt, Numerical) else None
            means = None if vals is None else mean_values(vals, self.max_len)
            if means is not None:
                means = tuple(sorted(set(means) | {0 if default is None else default}))
            t = Numerical(means)
        return self.add(
            Aggregate(
                self.fresh(name or "aggregate"),
                t,
                sel=sel,
                values=values,
                reduce=reduce,
                default=default,
            )
        )

    def selector_width(self, sel: str, name: str | None = None) -> str:
        t = Categorical(tuple(range(self.max_len + 1)))
        return self.add(SelectorWidth(self.fresh(name or "selector_width"), t, sel=sel))

    def build(self, output: str) -> Program:
        """The validated program whose output is ``output``."""
        return Program(
            nodes=dict(self.nodes),
            output=output,
            vocab=self.vocab,
            max_len=self.max_len,
            bos=self.bos,
            eos=self.eos,
            meta=dict(self.meta),
        ).validate()


def _tabulate(fn: Callable, name: str, keys: list[tuple], single: bool = False) -> dict:
    """``{key: fn(*key)}`` (keyed by the lone value when ``single``); IRError naming the
    node if ``fn`` fails on a key or returns something that is not a value."""
    try:
        table = {k[0] if single else k: fn(*k) for k in keys}
    except Exception:  # noqa: BLE001 -- found again below, to report the failing key
        table = {k[0] if single else k: _call(fn, name, *k) for k in keys}
    if not all(issubclass(kind, VALUE_TYPES) for kind in set(map(type, table.values()))):
        for out in table.values():
            _check_value(out, name)
    return table


def _call(fn: Callable, name: str, *args: Value) -> Value:
    try:
        out = fn(*args)
    except Exception as e:  # noqa: BLE001 -- a user function failing on a reachable value is a program error
        shown = ", ".join(repr(a) for a in args)
        raise IRError(
            f"node '{name}': its function fails on ({shown}): {type(e).__name__}: {e}"
        ) from None
    return _check_value(out, name)


def _check_value(out: object, name: str) -> Value:
    if not isinstance(out, VALUE_TYPES):
        raise IRError(
            f"node '{name}': its function returned {out!r}, not a str, int, float or bool"
        )
    return out
