"""Types of IR nodes.

A node's type says how its per-position values are encoded:

* ``Categorical(values)``: one of a finite, ordered set of values (str, int, float or bool). The
  order is the encoding order (the interpreter stores the index into ``values``); it is
  not the comparison order, which is always Python's order on the values themselves.
* ``Numerical(values)``: a scalar. ``values`` is the finite set of values it can take when
  known (sorted), else ``None``.
* ``Selector``: a boolean query × key matrix; only ``Select`` and ``SelectorOp`` nodes
  have it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Value = str | int | float | bool


def value_key(v: Value) -> tuple[int, Value]:
    """A total order over mixed values: bools, then numbers, then strings."""
    if isinstance(v, bool):
        return (0, v)
    if isinstance(v, (int, float)):
        return (1, v)
    return (2, v)


def exact(values: tuple[Value, ...] | None) -> tuple | None:
    """Values with their Python types, so that ``1``, ``1.0`` and ``True`` differ."""
    return None if values is None else tuple((type(v), v) for v in values)


def tag(v: Value) -> tuple[bool, Value]:
    """The one hashable identity of a value: it keeps ``True`` apart from ``1`` (Python
    hashes them equal; a value set may hold only one of them, see :func:`unique`)."""
    return (isinstance(v, bool), v)


def unique(values: Iterable[Value]) -> tuple[Value, ...]:
    """``values`` without repeats (by :func:`tag`), first occurrence first."""
    values = list(values)
    kinds = set(map(type, values))
    if bool not in kinds or kinds == {bool}:  # == is tag equality: a fast path for big tables
        return tuple(dict.fromkeys(values))
    seen: dict[tuple[bool, Value], Value] = {}
    for v in values:
        seen.setdefault(tag(v), v)
    return tuple(seen.values())


@dataclass(frozen=True, eq=False)
class Categorical:
    """A finite value set; ``values[i]`` is encoded as ``i``."""

    values: tuple[Value, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Categorical) and exact(self.values) == exact(other.values)

    def __hash__(self) -> int:
        return hash(("cat", exact(self.values)))

    def index(self) -> dict[Value, int]:
        """Value → code (a valid value set never holds both ``True`` and ``1``)."""
        return {v: i for i, v in enumerate(self.values)}

    def __str__(self) -> str:
        return "cat{" + ", ".join(repr(v) for v in self.values) + "}"


@dataclass(frozen=True, eq=False)
class Numerical:
    """A scalar; ``values`` is its finite value set (sorted) when known, else ``None``."""

    values: tuple[float | int | bool, ...] | None = None

    def __post_init__(self) -> None:
        if self.values is not None:
            object.__setattr__(self, "values", tuple(sorted(set(self.values), key=value_key)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Numerical) and exact(self.values) == exact(other.values)

    def __hash__(self) -> int:
        return hash(("num", exact(self.values)))

    def __str__(self) -> str:
        if self.values is None:
            return "num"
        return "num{" + ", ".join(repr(v) for v in self.values) + "}"


@dataclass(frozen=True)
class Selector:
    """The type of ``Select`` nodes: a boolean [query, key] matrix per sequence."""

    def __str__(self) -> str:
        return "selector"


Type = Categorical | Numerical | Selector


def label_text(v: Value) -> str:
    """A value as label text, as tasks write labels: integral floats print as integers
    (``2.0`` -> ``"2"``), everything else as ``str``."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def value_set(t: Type) -> tuple[Value, ...] | None:
    """The finite values a categorical or numerical type can take, or ``None``."""
    if isinstance(t, Categorical):
        return t.values
    if isinstance(t, Numerical):
        return t.values
    return None
