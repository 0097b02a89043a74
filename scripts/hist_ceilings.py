"""How well can a categorical-only hist program do, given what its variables can see?

Estimates the best token accuracy reachable from a set of per-position features: each
feature tuple predicts the label most often seen with it on the train split (the overall
most common label for a tuple never seen), scored on the test split. That is the Bayes
rate of the features up to sampling error, and an upper bound for any program whose
readout sees only them. Labels come from the task definition (``Task.label``).

Feature sets, each what some categorical-only program can compute:

- ``nearest``: the token, its position and the position of the nearest other occurrence
  of the token (a closest-match head ``key == query`` on tokens reading positions; the
  query itself when the token occurs once);
- ``nearest + 1 equality``: also whether the token at one other position p(i), chosen per
  query position i, equals this one (a head reading the token at p(i) plus an MLP over
  the two tokens);
- ``nearest + 2 equalities``: two such positions;
- ``nearest of nearest``: also the nearest occurrence's own nearest occurrence (a second
  layer);
- ``every equality``: whether each position holds the same token (enough to count).

Usage: ``python scripts/hist_ceilings.py [--size 20000] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence

from tpc.tasks import get_task
from tpc.tasks.data import make_dataset

Row = tuple[list[str], int, str]  # (tokens, query position, label)
Feature = Callable[[list[str], int], Hashable]


def nearest(tokens: Sequence[str], i: int) -> int:
    """The closest-match rule on ``key == query`` tokens: the nearest other position
    holding tokens[i] (the earlier one on ties), else i itself."""
    others = [j for j in range(len(tokens)) if j != i and tokens[j] == tokens[i]]
    return min(others, key=lambda j: (abs(i - j), j)) if others else i


def same(tokens: Sequence[str], i: int, p: int) -> bool | None:
    """Whether position p holds tokens[i] (None past the end)."""
    return tokens[p] == tokens[i] if p < len(tokens) else None


def rows(task_name: str, inputs: list[list[str]]) -> list[Row]:
    """One row per scored position (every position after BOS) of every input."""
    task = get_task(task_name)
    out = []
    for tokens in inputs:
        labels = task.label(tokens)
        out.extend((tokens, i, labels[i]) for i in range(1, len(tokens)))
    return out


def right(train: list[Row], test: list[Row], feature: Feature) -> int:
    """How many ``test`` labels the majority train label of their feature value gets."""
    seen: defaultdict[Hashable, Counter[str]] = defaultdict(Counter)
    for tokens, i, label in train:
        seen[feature(tokens, i)][label] += 1
    fallback = Counter(label for _, _, label in train).most_common(1)[0][0]
    majority = {key: counts.most_common(1)[0][0] for key, counts in seen.items()}
    return sum(majority.get(feature(t, i), fallback) == label for t, i, label in test)


def ceiling(train: list[Row], test: list[Row], feature: Feature) -> float:
    """Test accuracy of predicting the majority train label of each feature value."""
    return right(train, test, feature) / len(test)


def base(tokens: list[str], i: int) -> tuple[str, int, int]:
    """The ``nearest`` feature set: token, position, nearest other occurrence."""
    return tokens[i], i, nearest(tokens, i)


def best_equalities(train: list[Row], test: list[Row], n: int, count: int) -> float:
    """``nearest`` plus ``count`` equality flags at positions chosen per query position
    (the best choice on the train split, by its own ceiling there)."""
    total = 0
    for i in range(1, n):
        tr = [r for r in train if r[1] == i]
        te = [r for r in test if r[1] == i]
        choices = itertools.combinations([p for p in range(1, n) if p != i], count)

        def with_flags(ps: tuple[int, ...]) -> Feature:
            return lambda t, q: (*base(t, q), *(same(t, q, p) for p in ps))

        best = max(choices, key=lambda ps: right(tr, tr, with_flags(ps)))
        total += right(tr, te, with_flags(best))
    return total / len(test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20000, help="dataset size (default 20000)")
    parser.add_argument("--seed", type=int, default=0, help="dataset seed (default 0)")
    args = parser.parse_args()
    data = make_dataset("hist", size=args.size, seed=args.seed)
    train, test = rows("hist", data.train), rows("hist", data.test)
    n = data.n

    def nearest_of_nearest(t: list[str], i: int) -> Hashable:
        return (*base(t, i), nearest(t, nearest(t, i)))

    def every_equality(t: list[str], i: int) -> Hashable:
        return t[i], i, tuple(same(t, i, p) for p in range(n))

    figures = [
        ("nearest", ceiling(train, test, base)),
        ("nearest + 1 equality", best_equalities(train, test, n, 1)),
        ("nearest + 2 equalities", best_equalities(train, test, n, 2)),
        ("nearest of nearest", ceiling(train, test, nearest_of_nearest)),
        ("every equality", ceiling(train, test, every_equality)),
    ]
    print(f"hist (k = {data.k}, N = {n}), dataset seed {args.seed}: best test token accuracy")
    for name, value in figures:
        print(f"  {name:<24} {100 * value:6.2f}%")


if __name__ == "__main__":
    main()
