"""Specialisation to the program's input domain (``-O3``): exact on every domain input.

A program lowered from a training run records its *domain* in ``meta["domain"]``,
``{"task": name, "k": k, "n": n}``: every valid input of that task up to length n
(:meth:`tpc.tasks.Task.enumerate`), the inputs the model was trained for and the ones
``tpc verify`` checks exhaustively. When the domain has at most :data:`DOMAIN_LIMIT`
inputs, :func:`specialize_to_domain` evaluates the program on all of them and rewrites
it so that every node computes the same values on every domain input, except that the
output may change at positions the task does not score (BOS, EOS: their labels are
padding). Elsewhere the result may differ, or the interpreter may refuse a value outside
a node's value set. The result records ``meta["exact_on"]`` (the domain), which
``tpc verify`` reads to compare the output at scored positions only.

* Every node's value set becomes the values it takes on the domain (at positions inside
  the input), and tables, table predicates and readout rows shrink with them: the
  shrinking of :func:`tpc.passes.value_sets.infer_value_sets`, fed with observed instead
  of inferred values.
* A readout whose prediction at the scored positions is a function of at most three of
  its features (:func:`deciding_features`) becomes a lookup table over them.
* Otherwise a readout feature is dropped when adding one fixed row of its contributions
  to the bias instead (the row of one of its most frequent values) leaves the prediction
  at every scored position unchanged, computed in the interpreter's floating-point
  order. Features are tried from the smallest spread of contributions up.

Heads and MLPs that only dropped features read then die (``eliminate_dead_code``).
Programs without a domain, or with one too large to enumerate, are returned unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tpc.ir.interp import Interpreter
from tpc.ir.nodes import Constant, Map, Node, Readout, Select, SelectorOp, SequenceMap
from tpc.ir.program import Program
from tpc.ir.types import Categorical, Numerical, Value, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import fresh_name, rebuild, tag
from tpc.passes.value_sets import ValueSets, shrink_to

#: Largest domain (number of inputs) the passes enumerate.
DOMAIN_LIMIT = 2_000_000
#: Inputs per interpreter batch while observing the domain (bounds memory).
CHUNK = 32_768
#: Values of a feature whose contribution rows are tried as its replacement.
CANDIDATE_ROWS = 4
#: Feature subsets of size k are searched for a readout of at most SEARCH_LIMITS[k] features.
SEARCH_LIMITS = {1: 64, 2: 16, 3: 8}
#: Largest lookup table the tabulated readout may need.
MAX_TABLE = 4096


@dataclass(frozen=True)
class Domain:
    """Every valid input of ``task`` with vocabulary size ``k`` and length at most ``n``."""

    task: str
    k: int
    n: int

    def size(self) -> int:
        from tpc.tasks import get_task

        return get_task(self.task).count_inputs(self.k, self.n)

    def to_dict(self) -> dict:
        return {"task": self.task, "k": self.k, "n": self.n}

    def scored(self, lengths: np.ndarray, width: int) -> np.ndarray:
        """Bool [B, width]: the task scores this position (inside the input, not BOS/EOS)."""
        from tpc.tasks import get_task

        eos = int(bool(get_task(self.task).eos))
        pos = np.arange(width)[None, :]
        return (pos >= 1) & (pos < np.asarray(lengths)[:, None] - eos)

    def inputs(self) -> Iterator[list[str]]:
        from tpc.tasks import get_task

        return get_task(self.task).enumerate(self.k, self.n)


def program_domain(program: Program, key: str = "domain") -> Domain | None:
    """The domain recorded in ``program.meta[key]``, if any: ``"domain"`` (the inputs it is
    meant for) or ``"exact_on"`` (set by :func:`specialize_to_domain`: the program is exact
    only on the scored positions of that domain's inputs)."""
    d = program.meta.get(key)
    try:
        return Domain(str(d["task"]), int(d["k"]), int(d["n"]))  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=2)
def encoded_domain(domain: Domain, vocab: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """All domain inputs as interpreter codes [B, n] and lengths [B] (cached)."""
    index = {tok: i for i, tok in enumerate(vocab)}
    rows = [[index[t] for t in seq] for seq in domain.inputs()]
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    codes = np.zeros((len(rows), int(lengths.max(initial=1))), dtype=np.int64)
    for b, row in enumerate(rows):
        codes[b, : len(row)] = row
    return codes, lengths


class ObservedValueSets(ValueSets):
    """:class:`ValueSets` holding what the program does on the domain, not an inference."""

    observed_pairs: dict[tuple[str, str], list[tuple[Value, Value]]]

    def pairs(self, x: str, y: str) -> list[tuple[Value, Value]]:
        return self.observed_pairs[(x, y)]


@dataclass
class Observation:
    """What each node computes on the domain, at valid positions.

    ``codes[name]``: int64 [P] codes of a node with a finite value set (indices into it),
    float64 [P] values of a numerical node without one; P counts every valid position of
    every domain input, in the same order for every node.
    """

    program: Program
    codes: dict[str, np.ndarray]
    scored: np.ndarray  #: bool [P]: the task scores this position (not BOS/EOS)

    def values(self, name: str) -> tuple[Value, ...]:
        """The node's values that occur, in its value-set order."""
        found = np.unique(self.codes[name])
        t = self.program[name].type
        vals = value_set(t)
        if vals is None:
            return tuple(int(v) if float(v).is_integer() else float(v) for v in found)
        return tuple(vals[i] for i in found)

    def recoded(self, program: Program) -> Observation:
        """The same observation for ``program``, which computes the same values on the
        domain with (possibly) smaller value sets: codes re-indexed into the new sets."""
        codes = {}
        for name, arr in self.codes.items():
            old, new = value_set(self.program[name].type), value_set(program[name].type)
            if new is None or old == new:
                codes[name] = arr
            elif old is None:  # floats -> positions in the new (sorted) numerical set
                keys = np.asarray(new, dtype=np.float64)
                codes[name] = np.searchsorted(keys, arr)
            else:
                index = {tag(v): i for i, v in enumerate(new)}
                lookup = np.array([index.get(tag(v), -1) for v in old], dtype=np.int64)
                codes[name] = lookup[arr]
        return Observation(program, codes, self.scored)

    def pairs(self, x: str, y: str) -> list[tuple[Value, Value]]:
        xs, ys = value_set(self.program[x].type), value_set(self.program[y].type)
        assert xs is not None and ys is not None
        both = np.unique(self.codes[x] * len(ys) + self.codes[y])
        return [(xs[a], ys[b]) for a, b in zip(*np.divmod(both, len(ys)))]


def observe(program: Program, domain: Domain) -> Observation:
    """Run ``program`` on every domain input; keep each (non-selector) node's values."""
    codes, lengths = encoded_domain(domain, tuple(program.vocab))
    interp = Interpreter(program)
    names = [n.name for n in program if not isinstance(n, (Select, SelectorOp))]
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    scored = []
    for lo in range(0, len(codes), CHUNK):
        batch, lens = codes[lo : lo + CHUNK], lengths[lo : lo + CHUNK]
        width = int(lens.max())
        env = interp.run(batch[:, :width], lens)
        valid = interp.valid
        scored.append(domain.scored(lens, width)[valid])
        for name in names:
            t = program[name].type
            arr = interp.value_codes(name) if value_set(t) is not None else env[name]
            parts[name].append(np.broadcast_to(arr, valid.shape)[valid])
    return Observation(
        program, {name: np.concatenate(p) for name, p in parts.items()}, np.concatenate(scored)
    )


def restrict(program: Program, seen: Observation) -> Program:
    """Shrink every value set, table and readout row to what occurs on the domain."""
    vs = ObservedValueSets(program)
    vs.values = {name: seen.values(name) for name in seen.codes}
    vs.observed_pairs = {
        (n.x, n.y): seen.pairs(n.x, n.y) for n in program if isinstance(n, SequenceMap)
    }
    # a numerical node without a finite set gets the values it takes
    typed = program.replace(
        nodes=[
            dataclasses.replace(n, type=Numerical(vs.values[n.name]))
            if isinstance(n.type, Numerical) and n.type.values is None and n.name in vs.values
            else n
            for n in program
        ]
    )
    return shrink_to(typed, vs)


def _contributions(node: Readout, program: Program, codes: list[np.ndarray]) -> list[np.ndarray]:
    """Each feature's contribution to the logits, [P, C], given its codes [P] (value-set
    indices after :func:`restrict`, which gives every observed node a finite set)."""
    out = []
    for feat, w, code in zip(node.features, node.weights, codes):
        t = program[feat].type
        vals = value_set(t)
        assert vals is not None
        if isinstance(t, Categorical):
            out.append(np.array([w[v] for v in vals], dtype=np.float64)[code])
        else:
            x = np.asarray(vals, np.float64)[code]
            out.append(x[:, None] * np.asarray(w, dtype=np.float64))
    return out


def _combined(codes: np.ndarray) -> np.ndarray:
    """One int64 key per column of ``codes`` [F, P] (mixed radix over the rows' ranges)."""
    key = np.zeros(codes.shape[1], dtype=np.int64)
    scale = 1
    for row in codes:
        size = int(row.max()) + 1
        if scale * size >= 2**62:  # too many combinations for one integer: rank them
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
            scale = int(key.max()) + 1
        key, scale = key + row * scale, scale * size
    return key


def _predict(bias: np.ndarray, terms: list[np.ndarray], mask: np.ndarray) -> np.ndarray:
    """The interpreter's readout: bias, then each term added in order; first allowed argmax."""
    logits = np.broadcast_to(bias, terms[0].shape if terms else (1, len(bias))).copy()
    for term in terms:
        logits += term
    logits[:, ~mask] = -np.inf
    return logits.argmax(-1)


def prune_readout(node: Readout, program: Program, seen: Observation) -> Readout:
    """Drop the features of ``node`` that never change its prediction on the domain
    (module docstring)."""
    if node.pooled or not node.features:
        return node
    # positions with the same feature values behave alike: keep one of each
    codes = np.stack([seen.codes[f][seen.scored] for f in node.features])
    _, first, counts = np.unique(_combined(codes), return_index=True, return_counts=True)
    codes = codes[:, first]
    terms = _contributions(node, program, list(codes))
    mask = np.asarray(node.mask, dtype=bool)
    bias = np.asarray(node.bias, dtype=np.float64)
    want = _predict(bias, terms, mask)
    kept = list(range(len(node.features)))
    spread = [float(np.ptp(t, axis=0).max()) for t in terms]
    for i in sorted(kept, key=lambda j: spread[j]):
        others = [terms[j] for j in kept if j != i]
        frequency = np.bincount(codes[i], weights=counts)
        for value in np.argsort(-frequency, kind="stable")[:CANDIDATE_ROWS]:
            if frequency[value] == 0:
                break
            new_bias = bias + terms[i][np.argmax(codes[i] == value)]
            if np.array_equal(_predict(new_bias, others, mask), want):
                bias, kept = new_bias, [j for j in kept if j != i]
                break
    if len(kept) == len(node.features):
        return node
    return dataclasses.replace(
        node,
        features=tuple(node.features[j] for j in kept),
        weights=tuple(node.weights[j] for j in kept),
        bias=tuple(float(b) for b in bias),
    )


def deciding_features(node: Readout, seen: Observation) -> tuple[str, ...] | None:
    """The fewest features (at most three, see :data:`SEARCH_LIMITS`; smallest table first) whose values
    determine the readout's prediction at every scored position of the domain, or None."""
    names = list(dict.fromkeys(node.features))
    rows = np.stack([seen.codes[f][seen.scored] for f in [*names, node.name]])
    rows = rows[:, np.unique(_combined(rows), return_index=True)[1]]  # distinct situations
    out, codes = rows[-1], dict(zip(names, rows))
    sizes = {f: len(value_set(seen.program[f].type) or ()) for f in names}
    most = max((k for k, limit in SEARCH_LIMITS.items() if len(names) <= limit), default=0)
    for k in range(most + 1):
        subsets = sorted(
            itertools.combinations(names, k), key=lambda c: math.prod(sizes[f] for f in c)
        )
        for subset in subsets:
            if math.prod(sizes[f] for f in subset) > MAX_TABLE:
                break
            key = _combined(np.stack([codes[f] for f in subset] + [np.zeros_like(out)]))
            if len(np.unique(key)) == len(np.unique(key * (int(out.max()) + 1) + out)):
                return subset
    return None


def tabulate_readout(node: Readout, subset: tuple[str, ...], seen: Observation) -> list[Node]:
    """Nodes computing the readout's prediction from ``subset`` (a lookup table; three
    features go through a pair code first), named so that the last one replaces it.
    Combinations that never occur at a scored position take the most common prediction."""
    program = seen.program
    out = seen.codes[node.name][seen.scored]
    classes = value_set(node.type)
    assert classes is not None
    common = classes[int(np.bincount(out).argmax())]
    grids = [value_set(program[f].type) or () for f in subset]  # what the table covers
    if not subset:
        return [Constant(node.name, node.type, value=common, meta=dict(node.meta))]
    found: dict[tuple, Value] = {}
    cols = [seen.codes[f][seen.scored] for f in subset]
    for row in np.unique(np.stack([*cols, out], 1), axis=0).tolist():
        found[tuple(grid[c] for grid, c in zip(grids, row[:-1]))] = classes[row[-1]]
    meta = {**node.meta, "pass": "specialize_to_domain"}
    if len(subset) == 1:
        table = {v: found.get((v,), common) for v in grids[0]}
        return [Map(node.name, node.type, x=subset[0], table=table, meta=meta)]
    pairs = list(itertools.product(grids[0], grids[1]))
    if len(subset) == 2:
        table = {(a, b): found.get((a, b), common) for a, b in pairs}
        return [SequenceMap(node.name, node.type, x=subset[0], y=subset[1], table=table, meta=meta)]
    pair_name = fresh_name(program, f"{node.name}_key")
    pair = SequenceMap(
        pair_name,
        Categorical(tuple(range(len(pairs)))),
        x=subset[0],
        y=subset[1],
        table={ab: i for i, ab in enumerate(pairs)},
        meta=meta,
    )
    table = {(i, c): found.get((*ab, c), common) for i, ab in enumerate(pairs) for c in grids[2]}
    last = SequenceMap(node.name, node.type, x=pair_name, y=subset[2], table=table, meta=meta)
    return [pair, last]


@register_pass("specialize_to_domain")
def specialize_to_domain(program: Program) -> Program:
    """Value sets from the domain, then readout features pruned on it (module docstring)."""
    domain = program_domain(program)
    if domain is None or domain.size() > DOMAIN_LIMIT:
        return program
    seen = observe(program, domain)
    program = restrict(program, seen)
    seen = seen.recoded(program)
    nodes: list[Node] = []
    for node in program:
        if not isinstance(node, Readout) or node.pooled:
            nodes.append(node)
            continue
        subset = deciding_features(node, seen)
        if subset is None:
            nodes.append(prune_readout(node, program, seen))
        else:
            nodes += tabulate_readout(node, subset, seen)
    program = rebuild(program, nodes)
    if program.meta.get("exact_on") != domain.to_dict():
        program = dataclasses.replace(program, meta={**program.meta, "exact_on": domain.to_dict()})
    return program


__all__ = [
    "DOMAIN_LIMIT",
    "Domain",
    "Observation",
    "encoded_domain",
    "observe",
    "program_domain",
    "prune_readout",
    "restrict",
    "specialize_to_domain",
]
