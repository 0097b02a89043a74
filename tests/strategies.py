"""Hypothesis strategies for random small IR programs.

``programs()`` draws a vocabulary, a max_len and a random DAG of every node kind over
random value sets: categorical ints, strings, bools and mixtures, numerical ints, halves
and bools; open maps (defined by a form: float arithmetic, comparisons, conditionals);
comparison and table predicates, causal or not; and/or/not of selectors;
closest, mean (categorical with or without default, numerical) and sum aggregates;
selector widths; an optional readout, pooled or not. Node names are sometimes ones that
collide with Python builtins or emitted-code names. Means and sums only read values
whose sums are exact in floating point (multiples of 1/4), so every evaluation order
gives the same numbers. Categorical means may be undefined on some inputs (the
interpreter raises ``EvalError``); callers compare errors too.
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from tpc.ir import (
    Categorical,
    Numerical,
    Program,
    ProgramBuilder,
    Readout,
    Selector,
    TablePredicate,
)
from tpc.ir.types import Value, value_set

#: Value pools a node's outputs are drawn from (no pool mixes True with 1 or False with 0).
CATEGORICAL_POOLS = (
    (0, 1, 2, 3),
    ("p", "q", "r"),
    (False, True),
    (2, 3, "p", "q"),
)
NUMERICAL_POOLS = ((0, 1, 2), (-1, 0.5, 1.5), (False, True))

#: Names that clash with builtins, keywords-adjacent identifiers or the emitted module's own.
TRICKY_NAMES = (
    "len",
    "sum",
    "max",
    "list",
    "n",
    "i",
    "key",
    "query",
    "row",
    "x",
    "run",
    "VOCAB",
    "MAX_LEN",
    "SELECT_TABLE",
    "map_TABLE",
    "_select",
    "f0",
    "w0",
    "logits",
)

REDUCES = ("closest", "mean", "sum")

#: Forms of open maps over number-valued operands: one operand (x) or two (x, y).
OPEN_FORMS = {
    1: ("x * 0.5 - 1.25", "x >= 1", "x if x >= 1 else 0.75"),
    2: ("x + y", "x * y - 0.1", "x >= y", "x if x >= y else y", "1 if x < y and x > 0 else 2"),
}
#: Open forms whose outputs never mix booleans with numbers: they may be categorical.
CATEGORICAL_FORMS = ("x >= 1", "x >= y", "1 if x < y and x > 0 else 2")


def _exact_sums(values: tuple[Value, ...]) -> bool:
    """Sums of these values are exact in floating point (multiples of 1/4, small)."""
    return all(float(v) * 4 == int(float(v) * 4) and abs(v) <= 4 for v in values)


@st.composite
def programs(draw, max_nodes: int = 7, max_len: int = 4) -> Program:
    """A random valid program (see the module docstring)."""
    vocab = draw(
        st.lists(st.sampled_from(["<s>", "a", "b", "c", "1"]), min_size=1, max_size=3, unique=True)
    )
    bos = vocab[0] if draw(st.booleans()) else None
    b = ProgramBuilder(vocab, draw(st.integers(1, max_len)), bos=bos)

    def name(stem: str) -> str:
        if draw(st.integers(0, 3)) == 0:
            stem = draw(st.sampled_from(TRICKY_NAMES))
        return b.fresh(stem)

    def sequences(finite: bool = True, exact: bool = False) -> list[str]:
        return [
            n
            for n, node in b.nodes.items()
            if not isinstance(node.type, Selector)
            and (not finite or value_set(node.type) is not None)
            and (not exact or isinstance(node.type, Numerical) and _exact_sums(node.type.values))
        ]

    def selectors() -> list[str]:
        return [n for n, node in b.nodes.items() if isinstance(node.type, Selector)]

    def table(domain, numerical: bool) -> dict:
        pool = draw(st.sampled_from(NUMERICAL_POOLS if numerical else CATEGORICAL_POOLS))
        return {v: draw(st.sampled_from(pool)) for v in domain}

    def select() -> str:
        keys, queries = draw(st.sampled_from(sequences())), draw(st.sampled_from(sequences()))
        return b.select(
            keys,
            queries,
            draw(_predicates(b.values_of(keys), b.values_of(queries))),
            causal=draw(st.booleans()),
            name=name("select"),
        )

    def aggregate(sel: str) -> None:
        reduce = draw(st.sampled_from(REDUCES))
        exact = sequences(exact=True)
        candidates = {
            "closest": sequences(),
            "mean": [n for n in sequences() if isinstance(b.type_of(n), Categorical)] + exact,
            "sum": exact,
        }[reduce]
        if not candidates:
            return
        values = draw(st.sampled_from(candidates))
        default = None
        if reduce == "mean" and draw(st.booleans()):
            vt = b.type_of(values)
            pool = NUMERICAL_POOLS if isinstance(vt, Numerical) else CATEGORICAL_POOLS
            options = [
                v
                for v in draw(st.sampled_from(pool))
                if _compatible(v, vt.values)
                # a bool among numbers breaks the interpreter's numerical lookups (the value
                # set is not sorted as floats); see the back-end report
                and not (isinstance(vt, Numerical) and isinstance(v, bool))
            ]
            default = draw(st.sampled_from(options)) if options else None
        b.aggregate(sel, values, reduce=reduce, default=default, name=name("aggregate"))

    if draw(st.booleans()):
        b.constant(1, numerical=True, name="ones")
    if draw(st.booleans()):
        b.map(lambda t: vocab.index(t) / 2, b.tokens, numerical=True, name="token_value")
    for _ in range(draw(st.integers(1, max_nodes))):
        kinds = ["constant", "map", "sequence_map", "open_map"]
        kinds += ["attention", "attention", "attention"]
        if selectors():
            kinds += ["aggregate", "selector_width", "selector_op"]
        kind = draw(st.sampled_from(kinds))
        if kind == "constant":
            numerical = draw(st.booleans())
            pool = NUMERICAL_POOLS if numerical else CATEGORICAL_POOLS
            value = draw(st.sampled_from(draw(st.sampled_from(pool))))
            b.constant(value, numerical=numerical, name=name("constant"))
        elif kind == "map":
            x = draw(st.sampled_from(sequences()))
            numerical = draw(st.booleans())
            t = table(b.values_of(x), numerical)
            b.map(t.__getitem__, x, numerical=numerical, name=name("map"))
        elif kind == "sequence_map":
            x, y = draw(st.sampled_from(sequences())), draw(st.sampled_from(sequences()))
            domain = list(itertools.product(b.values_of(x), b.values_of(y)))
            if len(domain) <= 60:
                numerical = draw(st.booleans())
                t = table(domain, numerical)
                b.sequence_map(
                    lambda u, v, t=t: t[u, v], x, y, numerical=numerical, name=name("mlp")
                )
        elif kind == "open_map":
            numbers = [n for n in sequences(finite=False) if _numbers(value_set(b.type_of(n)))]
            operands = draw(st.lists(st.sampled_from(numbers), min_size=1, max_size=2))
            form = draw(st.sampled_from(OPEN_FORMS[len(operands)]))
            numerical = form not in CATEGORICAL_FORMS or draw(st.booleans())
            b.open_map(form, *operands, numerical=numerical, name=name("open"))
        elif kind == "attention":
            aggregate(select())
        elif kind == "aggregate":
            aggregate(draw(st.sampled_from(selectors())))
        elif kind == "selector_op":
            op = draw(st.sampled_from(["and", "or", "not"]))
            operands = [draw(st.sampled_from(selectors())) for _ in range(1 if op == "not" else 2)]
            sel = b.selector_op(op, *operands, name=name(f"select_{op}"))
            if draw(st.booleans()):
                aggregate(sel)
            else:
                b.selector_width(sel, name=name("width"))
        else:
            b.selector_width(draw(st.sampled_from(selectors())), name=name("width"))

    outputs = sequences(finite=False)
    if draw(st.booleans()):
        return b.build(b.add(draw(_readouts(b, outputs))))
    return b.build(outputs[-1] if draw(st.integers(0, 3)) else draw(st.sampled_from(outputs)))


def _numbers(values: tuple[Value, ...] | None) -> bool:
    """No strings (``None``: a numerical node without a value set, so numbers)."""
    return values is None or not any(isinstance(v, str) for v in values)


def _compatible(v: Value, values: tuple[Value, ...]) -> bool:
    """``v`` can join a value set holding ``values`` (no True next to 1, no False next to 0)."""
    return all(not (v == u and isinstance(v, bool) != isinstance(u, bool)) for u in values)


@st.composite
def _predicates(draw, keys, queries):
    """A comparison the operands can take, or a table over their values (with extras)."""
    ops = ["EQ", "NEQ", "TRUE", "FALSE"]
    strings = {isinstance(v, str) for v in (*keys, *queries)}
    if len(strings) == 1:
        ops += ["LT", "LEQ", "GT", "GEQ"]
    if draw(st.booleans()):
        return draw(st.sampled_from(ops))
    pairs = [(q, k) for q in queries for k in keys]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs))) if pairs else []
    extra = draw(st.lists(st.tuples(st.sampled_from(["zz", 9]), st.sampled_from(keys)), max_size=1))
    return TablePredicate(frozenset(chosen + extra))


@st.composite
def _readouts(draw, b: ProgramBuilder, candidates: list[str]):
    """A readout over some of ``candidates`` with weights from a small grid (ties happen)."""
    features = draw(st.lists(st.sampled_from(candidates), max_size=4))
    classes = draw(st.sampled_from([("x",), ("x", "y"), ("<pad>", 0, "y", True)]))
    grid = st.sampled_from([-1.0, -0.5, 0.0, 0.25, 1.0])
    weights = []
    for f in features:
        row = st.lists(grid, min_size=len(classes), max_size=len(classes))
        if isinstance(b.type_of(f), Categorical):
            weights.append({v: draw(row) for v in b.values_of(f)})
        else:
            weights.append(draw(row))
    mask = draw(st.lists(st.booleans(), min_size=len(classes), max_size=len(classes)))
    if not any(mask):
        mask[-1] = True
    return Readout(
        b.fresh("readout"),
        Categorical(classes),
        features=tuple(features),
        weights=weights,
        bias=draw(st.lists(grid, min_size=len(classes), max_size=len(classes))),
        mask=mask,
        pooled=draw(st.booleans()),
    )
