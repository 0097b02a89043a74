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
Programs without a domain, or with one too large to enumerate, are returned unchanged; a
domain the program cannot read (another task's tokens, longer inputs than its
``max_len``) is an ``IRError``.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from tpc.errors import IRError, quote
from tpc.ir.interp import Interpreter
from tpc.ir.limits import is_domain
from tpc.ir.nodes import Constant, Map, Node, Readout, Select, SelectorOp, SequenceMap
from tpc.ir.program import Program
from tpc.ir.readout_rows import contribution_rows, sums_are_exact
from tpc.ir.types import Categorical, Numerical, Value, tag, value_set
from tpc.passes.manager import register_pass
from tpc.passes.rewrite import fresh_name, rebuild
from tpc.passes.value_sets import ValueSets, shrink_to

#: Largest domain (number of inputs) the passes enumerate.
DOMAIN_LIMIT = 2_000_000
#: Inputs per interpreter batch while observing the domain (bounds memory).
CHUNK = 32_768
#: Distinct situations per chunk when checking a pruned readout (most candidates fail early).
CHECK_CHUNK = 65_536
#: Values of a feature whose contribution rows are tried as its replacement.
CANDIDATE_ROWS = 4
#: Feature subsets of size k are searched for a readout of at most SEARCH_LIMITS[k] features.
SEARCH_LIMITS = {1: 64, 2: 16, 3: 8}
#: Largest lookup table the tabulated readout may need.
MAX_TABLE = 4096
#: Codes below this are told apart by counting rather than sorting (a count per code).
COUNT_LIMIT = 1 << 22


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

    def check_readable_by(self, program: Program, key: str = "domain") -> None:
        """``IRError`` unless ``program`` can read every input of the domain (recorded in
        ``meta[key]``): its vocabulary holds the task's tokens, its max_len the inputs."""
        from tpc.tasks import PAD, get_task

        where = f"meta.{key} (task {quote(self.task)}, k = {self.k}, N = {self.n})"
        if self.n > program.max_len:
            raise IRError(
                f"{where} has inputs of up to {self.n} tokens, but the program takes at most "
                f"{program.max_len}: it is not the program's domain"
            )
        vocab = set(program.vocab)
        for tok in get_task(self.task).input_vocab(self.k):
            if tok != PAD and tok not in vocab:
                raise IRError(
                    f"{where} has inputs with the token {quote(tok)}, which the program's "
                    "vocabulary lacks: it is not the program's domain"
                )


def program_domain(program: Program, key: str = "domain") -> Domain | None:
    """The domain recorded in ``program.meta[key]``, if any (None for a malformed record,
    which loading a file refuses): ``"domain"`` (the inputs it is meant for) or
    ``"exact_on"`` (set by :func:`specialize_to_domain`: the program is exact only on the
    scored positions of that domain's inputs). A domain naming a task this process does
    not know (a user's task, :mod:`tpc.tasks.user`, that was not loaded) counts as none:
    the program is then optimised without it."""
    from tpc.tasks import TASKS

    d = program.meta.get(key)
    return Domain(d["task"], d["k"], d["n"]) if is_domain(d) and d["task"] in TASKS else None


@functools.lru_cache(maxsize=2)
def encoded_domain(
    domain: Domain, vocab: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
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
        found = _distinct(self.codes[name])
        t = self.program[name].type
        vals = value_set(t)
        if vals is None:
            return tuple(int(v) if float(v).is_integer() else float(v) for v in found)
        return tuple(vals[i] for i in found)

    def recoded(self, program: Program) -> Observation:
        """The same observation for ``program``, which computes the same values on the
        domain with (possibly) smaller value sets: codes re-indexed into the new sets.
        """
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
        """The (x, y) value pairs that occur together, in value-set order."""
        (xs, x_codes), (ys, y_codes) = self._indexed(x), self._indexed(y)
        both = _distinct(x_codes * len(ys) + y_codes)
        return [(xs[a], ys[b]) for a, b in zip(*np.divmod(both, len(ys)))]

    def _indexed(self, name: str) -> tuple[tuple[Value, ...], np.ndarray]:
        """The node's values and its codes as int64 indices into them: its value set and
        codes, or for a numerical node without a finite set (e.g. the expert router's
        float64 logits) the values it takes (:meth:`values`) and where each one is."""
        values = value_set(self.program[name].type)
        if values is not None:
            return values, self.codes[name]
        found = _distinct(self.codes[name])
        return self.values(name), np.searchsorted(found, self.codes[name])


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
        program,
        {name: np.concatenate(p) for name, p in parts.items()},
        np.concatenate(scored),
    )


def restrict(program: Program, seen: Observation) -> Program:
    """Shrink every value set, table and readout row to what occurs on the domain."""
    vs = ObservedValueSets(program)
    vs.values = {name: seen.values(name) for name in seen.codes}
    vs.observed_pairs = {
        (n.x, n.y): seen.pairs(n.x, n.y) for n in program if isinstance(n, SequenceMap)
    }
    # a numerical node without a finite set gets the values it takes, unless it is an
    # open map, whose form defines its type (the expert router's float64 logits)
    typed = program.replace(
        nodes=[
            (
                dataclasses.replace(n, type=Numerical(vs.values[n.name]))
                if isinstance(n.type, Numerical)
                and n.type.values is None
                and n.name in vs.values
                and not _is_open_map(n)
                else n
            )
            for n in program
        ]
    )
    return shrink_to(typed, vs)


def _tables(node: Readout, program: Program) -> tuple[list[np.ndarray], bool]:
    """Each feature's contribution per value, [V, C] in its value set's order (finite
    after :func:`restrict`): the weight rows, or value x weights (the interpreter's
    products); and whether the readout's sums are exact (:func:`sums_are_exact`)."""
    rows = contribution_rows(program, node)
    assert rows is not None
    tables = [
        np.array([r[v] for v in value_set(program[f].type) or ()], dtype=np.float64)
        for f, r in zip(node.features, rows)
    ]
    return tables, sums_are_exact(node.bias, rows)


def _is_open_map(node: object) -> bool:
    """Whether ``node`` is a map defined by its form (``table=None``)."""
    return isinstance(node, Map | SequenceMap) and node.table is None


def _distinct(codes: np.ndarray) -> np.ndarray:
    """The sorted distinct values of ``codes``: counted (linear time) when they are small
    non-negative ints, as value codes are, else sorted (``np.unique``)."""
    if codes.dtype.kind in "iu" and codes.size and 0 <= codes.min() and codes.max() < COUNT_LIMIT:
        return np.flatnonzero(np.bincount(codes))
    return np.unique(codes)


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


def _first_argmax(logits: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The first allowed class with the highest logit, per row of ``logits`` [P, C]."""
    return np.where(mask, logits, -np.inf).argmax(-1)


def _swapped(
    total: np.ndarray,
    table: np.ndarray,
    codes: np.ndarray,
    row: np.ndarray,
    rows: slice,
) -> np.ndarray:
    """Logits ``total`` with one feature's term (``table[codes]``) replaced by ``row``, on
    ``rows``: exact when the readout's sums are."""
    return total[rows] - table[codes[rows]] + row


def prune_readout(node: Readout, program: Program, seen: Observation) -> Readout:
    """Drop the features of ``node`` that never change its prediction on the domain
    (module docstring).

    When the readout's sums are exact in float64 (:func:`sums_are_exact`; so they are
    after moving a row into the bias too), the logits without feature i are the total
    minus its term, in any order; otherwise they are recomputed in the interpreter's order.
    """
    if node.pooled or not node.features:
        return node
    # positions with the same feature values behave alike: keep one of each
    codes = np.stack([seen.codes[f][seen.scored] for f in node.features])
    _, first, counts = np.unique(
        _combined(codes), return_index=True, return_counts=True
    )
    codes = codes[:, first]
    tables, exact = _tables(node, program)
    mask = np.asarray(node.mask, dtype=bool)
    bias = np.asarray(node.bias, dtype=np.float64)

    def logits(
        bias: np.ndarray, kept: list[int], rows: slice = slice(None)
    ) -> np.ndarray:
        out = np.broadcast_to(bias, (len(codes[0, rows]), len(bias))).copy()
        for j in kept:
            out += tables[j][codes[j, rows]]
        return out

    def agrees(candidate: Callable[[slice], np.ndarray]) -> bool:
        """The candidate's logits (computed a chunk at a time) predict what ``node`` does."""
        return all(
            np.array_equal(_first_argmax(candidate(rows), mask), want[rows])
            for rows in (
                slice(lo, lo + CHECK_CHUNK)
                for lo in range(0, codes.shape[1], CHECK_CHUNK)
            )
        )

    kept = list(range(len(node.features)))
    total = logits(bias, kept)
    want = _first_argmax(total, mask)
    spread = [
        float(np.ptp(t[_distinct(c)], axis=0).max()) for t, c in zip(tables, codes)
    ]
    for i in sorted(kept, key=lambda j: spread[j]):
        others = [j for j in kept if j != i]
        frequency = np.bincount(codes[i], weights=counts)
        for value in np.argsort(-frequency, kind="stable")[:CANDIDATE_ROWS]:
            if frequency[value] == 0:
                break
            new_bias, row = bias + tables[i][value], tables[i][value]
            if exact:
                candidate = functools.partial(_swapped, total, tables[i], codes[i], row)
            else:
                candidate = functools.partial(logits, new_bias, others)
            if agrees(candidate):
                bias, kept = new_bias, others
                total = candidate(slice(None))
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
    determine the readout's prediction at every scored position of the domain, or None.
    """
    names = list(dict.fromkeys(node.features))
    rows = np.stack([seen.codes[f][seen.scored] for f in [*names, node.name]])
    rows = rows[
        :, np.unique(_combined(rows), return_index=True)[1]
    ]  # distinct situations
    out, codes = rows[-1], dict(zip(names, rows))
    sizes = {f: len(value_set(seen.program[f].type) or ()) for f in names}
    most = max(
        (k for k, limit in SEARCH_LIMITS.items() if len(names) <= limit), default=0
    )
    for k in range(most + 1):
        subsets = sorted(
            itertools.combinations(names, k),
            key=lambda c: math.prod(sizes[f] for f in c),
        )
        for subset in subsets:
            if math.prod(sizes[f] for f in subset) > MAX_TABLE:
                break
            key = _combined(np.stack([codes[f] for f in subset] + [np.zeros_like(out)]))
            if len(_distinct(key)) == len(_distinct(key * (int(out.max()) + 1) + out)):
                return subset
    return None


def tabulate_readout(
    node: Readout, subset: tuple[str, ...], seen: Observation
) -> list[Node]:
    """Nodes computing the readout's prediction from ``subset`` (a lookup table; three
    features go through a pair code first), named so that the last one replaces it.
    Combinations that never occur at a scored position take the most common prediction.
    """
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
    situations = np.stack([*cols, out])
    _, first = np.unique(_combined(situations), return_index=True)
    for row in situations[:, first].T.tolist():
        found[tuple(grid[c] for grid, c in zip(grids, row[:-1]))] = classes[row[-1]]
    meta = {**node.meta, "pass": "specialize_to_domain"}
    if len(subset) == 1:
        table = {v: found.get((v,), common) for v in grids[0]}
        return [Map(node.name, node.type, x=subset[0], table=table, meta=meta)]
    pairs = list(itertools.product(grids[0], grids[1]))
    if len(subset) == 2:
        table = {(a, b): found.get((a, b), common) for a, b in pairs}
        return [
            SequenceMap(
                node.name, node.type, x=subset[0], y=subset[1], table=table, meta=meta
            )
        ]
    pair_name = fresh_name(program, f"{node.name}_key")
    pair = SequenceMap(
        pair_name,
        Categorical(tuple(range(len(pairs)))),
        x=subset[0],
        y=subset[1],
        table={ab: i for i, ab in enumerate(pairs)},
        meta=meta,
    )
    table = {
        (i, c): found.get((*ab, c), common)
        for i, ab in enumerate(pairs)
        for c in grids[2]
    }
    last = SequenceMap(
        node.name, node.type, x=pair_name, y=subset[2], table=table, meta=meta
    )
    return [pair, last]


@register_pass("specialize_to_domain")
def specialize_to_domain(program: Program) -> Program:
    """Value sets from the domain, then readout features pruned on it (module docstring)."""
    domain = program_domain(program)
    if domain is None:
        return program
    domain.check_readable_by(program)
    if domain.size() > DOMAIN_LIMIT:
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
        program = dataclasses.replace(
            program, meta={**program.meta, "exact_on": domain.to_dict()}
        )
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
