"""Datasets of distinct inputs, split train/val/test as in the paper.

Reference procedure (``length_dist="reference"``, after ``get_dataset(unique=1)`` in
princeton-nlp/TransformerPrograms): draw inputs from the authors' generator (content
length uniform) in rounds of ``size``, keep the first ``size`` distinct inputs of the
stream, give up after 5 rounds (sort/reverse at k=8 run out at ~14k distinct inputs, ~72%
of them full length). ``length_dist="uniform"`` instead shares ``size`` equally between
the content lengths; a length with fewer distinct inputs than its share contributes all
of them and the rest is shared among the others. Then: shuffle, split
test = ceil(10%), val = ceil(10% of the rest), train = the rest (~81/9/10, as the
authors' two ``train_test_split(test_size=0.1)`` calls). Labels are not stored; a split's
labels come from ``Task.label``. Same arguments, same splits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tpc.errors import quote

from .base import LENGTH_DISTS, REFERENCE_ROUNDS, Task
from .registry import get_task
from .tokens import TaskError, decode, encode

__all__ = ["Dataset", "make_dataset", "encode", "decode", "split_sizes"]

SPLITS = ("train", "val", "test")


@dataclass
class Dataset:
    """Distinct task inputs (token lists incl. BOS/EOS) in three disjoint splits."""

    task: str
    k: int
    n: int
    seed: int
    train: list[list[str]]
    val: list[list[str]]
    test: list[list[str]]
    length_dist: str = "reference"

    def split(self, name: str) -> list[list[str]]:
        """The inputs of split ``name`` ("train", "val" or "test")."""
        if name not in SPLITS:
            raise TaskError(f"unknown split {quote(name)}; choose from: {', '.join(SPLITS)}")
        return getattr(self, name)

    def labels(self, name: str) -> list[list[str]]:
        """The labels of split ``name``, one list per input."""
        task = get_task(self.task)
        return [task.label(tokens) for tokens in self.split(name)]


def split_sizes(total: int) -> tuple[int, int, int]:
    """(train, val, test) sizes for ``total`` examples: test ceil(10%), val ceil(10% of rest)."""
    test = -(-total // 10)
    val = -(-(total - test) // 10)
    return total - test - val, val, test


def _row_keys(ids: np.ndarray) -> np.ndarray:
    """One hashable-by-value scalar per row (raw bytes), for fast duplicate removal."""
    rows = np.ascontiguousarray(ids.astype(np.uint16))
    return rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()


def _first_distinct(draw: Callable[[int], np.ndarray], want: int, rounds: int) -> np.ndarray:
    """The first ``want`` distinct rows of a stream of ``draw(want)`` chunks (at most
    ``rounds`` chunks), in stream order; fewer if the stream runs out of new rows."""
    chunks = [draw(want)]
    keys = [_row_keys(chunks[0])]
    for round_ in range(1, rounds + 1):
        _, first = np.unique(np.concatenate(keys), return_index=True)
        if len(first) >= want or round_ == rounds:
            break
        chunks.append(draw(want))
        keys.append(_row_keys(chunks[-1]))
    return np.concatenate(chunks)[np.sort(first)[:want]]


def _uniform_quotas(counts: dict[int, int], size: int) -> dict[int, int]:
    """Share ``size`` equally over lengths, capped by each length's number of inputs."""
    quotas: dict[int, int] = {}
    open_ = dict(counts)
    budget = size
    while open_:
        share = budget // len(open_)
        full = [length for length, count in open_.items() if count <= share]
        if not full:
            extra = budget - share * len(open_)
            for i, length in enumerate(sorted(open_)):  # leftover to the longest lengths
                quotas[length] = share + (i >= len(open_) - extra)
            break
        for length in full:
            quotas[length] = open_.pop(length)
            budget -= quotas[length]
    return quotas


def _reference_ids(task: Task, rng: np.random.Generator, k: int, n: int, size: int) -> np.ndarray:
    # the authors' generator draws lengths uniformly; deduplication skews them
    return _first_distinct(
        lambda m: task.sample_ids(rng, m, k, n, "uniform"), size, REFERENCE_ROUNDS
    )


def _uniform_ids(task: Task, rng: np.random.Generator, k: int, n: int, size: int) -> np.ndarray:
    counts = task.length_counts(k, n)
    if len(counts) == 1:  # one length: nothing to balance
        return _reference_ids(task, rng, k, n, size)
    parts = []
    for length, quota in _uniform_quotas(counts, size).items():
        if quota == 0:
            continue
        if counts[length] <= 4 * quota:  # small: enumerate the length and choose from it
            total = length + 1 + task.eos
            every, _ = encode(
                list(task.enumerate(k, n, min_len=total, max_len=total)), task.input_vocab(k), n
            )
            parts.append(every[rng.choice(len(every), size=quota, replace=False)])
        else:
            parts.append(
                _first_distinct(
                    lambda m, length=length: task.draw_ids(rng, k, n, np.full(m, length)),
                    quota,
                    REFERENCE_ROUNDS,
                )
            )
    return np.concatenate(parts)


def make_dataset(
    task: str | Task,
    k: int | None = None,
    n: int | None = None,
    size: int = 20000,
    seed: int = 0,
    length_dist: str = "reference",
) -> Dataset:
    """Up to ``size`` distinct inputs of ``task``, shuffled and split ~81/9/10 (module doc).

    k and n default to the task's. Deterministic in all arguments.
    """
    task = get_task(task) if isinstance(task, str) else task
    k = task.default_k if k is None else k
    n = task.default_n if n is None else n
    task.check(k, n)
    if size < 1:
        raise TaskError(f"dataset size must be at least 1, not {size}")
    if length_dist not in LENGTH_DISTS:
        raise TaskError(
            f"unknown length distribution {quote(length_dist)}; choose from: {', '.join(LENGTH_DISTS)}"
        )
    rng = np.random.default_rng(seed)
    make = _reference_ids if length_dist == "reference" else _uniform_ids
    ids = make(task, rng, k, n, size)
    ids = ids[rng.permutation(len(ids))]
    train, val, _ = split_sizes(len(ids))
    inputs = decode(ids, task.input_vocab(k))
    return Dataset(
        task=task.name,
        k=k,
        n=n,
        seed=seed,
        train=inputs[:train],
        val=inputs[train : train + val],
        test=inputs[train + val :],
        length_dist=length_dist,
    )
