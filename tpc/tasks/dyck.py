"""Dyck-1 and Dyck-2: label every prefix of a bracket string as P / T / F.

Following the authors' generator (``make_dyck_pft`` in princeton-nlp/TransformerPrograms):
the content has fixed length n-1 (15 for the paper's n=16); half the inputs are uniform
random bracket strings, half are random balanced strings of n//2 pairs (each pair either
appended or wrapped around the string so far, kind uniform) truncated to n-1. The symbols
are fixed (``( )`` or ``( ) { }``): the paper's k (16 = N) does not change them, so k is
accepted and ignored. Labels: "P" while the prefix is a valid open prefix with something
open, "T" when it is balanced, "F" from the first unmatched or mismatched close on.
Output vocabulary order ``[<pad>, F, P, T]`` as in the authors' (sorted) tag list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tpc.errors import quote

from .base import Task
from .tokens import PAD, TaskError

BRACKETS = (("(", ")"), ("{", "}"))


@dataclass(frozen=True)
class Dyck(Task):
    """Dyck-``pairs``: ``pairs`` bracket kinds (1 or 2)."""

    pairs: int = 1

    def _n_symbols(self, k: int) -> int:
        return 2 * self.pairs

    def _symbol_names(self, count: int) -> list[str]:
        return [b for pair in BRACKETS[: count // 2] for b in pair]

    def content_lengths(self, n: int) -> range:
        return range(n - 1, n) if n >= 2 else range(0)

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, "F", "P"] + (["T"] if n - 1 >= 2 else [])

    def _label_content(self, content: list[str]) -> list[str]:
        opening = {open_: close for open_, close in BRACKETS[: self.pairs]}
        closing = set(opening.values())
        labels: list[str] = []
        stack: list[str] = []
        for i, tok in enumerate(content):
            if tok in opening:
                stack.append(opening[tok])
            elif tok in closing:
                if not stack or stack.pop() != tok:
                    return labels + ["F"] * (len(content) - i)
            else:
                raise TaskError(f"{self.name}: unexpected token {quote(tok)}")
            labels.append("P" if stack else "T")
        return labels

    def _draw_content(
        self, rng: np.random.Generator, k: int, n: int, lengths: np.ndarray
    ) -> np.ndarray:
        count, width = len(lengths), n - 1
        random = rng.integers(0, 2 * self.pairs, size=(count, width))
        depth = n // 2
        kinds = rng.integers(0, self.pairs, size=(count, depth))
        wrap = rng.integers(0, 2, size=(count, depth)).astype(bool)
        balanced = np.empty((count, 0), dtype=np.int64)
        for step in range(depth):
            open_ = (2 * kinds[:, step])[:, None]
            close = open_ + 1
            appended = np.concatenate([balanced, open_, close], axis=1)
            wrapped = np.concatenate([open_, balanced, close], axis=1)
            balanced = np.where(wrap[:, step, None], wrapped, appended)
        use_balanced = rng.integers(0, 2, size=count).astype(bool)
        return np.where(use_balanced[:, None], balanced[:, :width], random)

    def check_dists(self) -> tuple[str, ...]:
        """ "reference" (the generator above), "random" (uniform random bracket strings)
        and "walk" (random walks over valid prefixes: at each position, while something
        is open, the innermost open bracket is closed with probability 1/2, else a
        bracket of a uniform kind is opened; every prefix is P or T)."""
        return ("reference", "random", "walk")

    def sample_check_ids(
        self, rng: np.random.Generator, count: int, k: int, n: int, dist: str
    ) -> np.ndarray:
        self.check(k, n)
        width = n - 1
        if dist == "reference":
            return self.sample_ids(rng, count, k, n)
        if dist == "random":
            content = rng.integers(0, 2 * self.pairs, size=(count, width))
        elif dist == "walk":
            content = self._walk(rng, count, width)
        else:
            raise TaskError(
                f"unknown check distribution {quote(dist)}; choose from: "
                + ", ".join(self.check_dists())
            )
        return self._frame_ids(content, np.full(count, width), n)

    def _walk(self, rng: np.random.Generator, count: int, width: int) -> np.ndarray:
        rows = np.arange(count)
        stack = np.zeros((count, width), dtype=np.int64)  # kinds of the open brackets
        depth = np.zeros(count, dtype=np.int64)
        content = np.empty((count, width), dtype=np.int64)
        for i in range(width):
            close = (depth > 0) & (rng.random(count) < 0.5)
            kind = np.where(
                close, stack[rows, np.maximum(depth - 1, 0)], rng.integers(0, self.pairs, count)
            )
            content[:, i] = 2 * kind + close
            stack[rows, depth] = np.where(close, stack[rows, depth], kind)
            depth = depth + np.where(close, -1, 1)
        return content


DYCK1 = Dyck(
    name="dyck1",
    description="label each prefix of a ( ) string: P open, T balanced, F broken",
    causal=True,
    default_k=16,
    default_n=16,
    pairs=1,
)
DYCK2 = Dyck(
    name="dyck2",
    description="label each prefix of a ( ) { } string: P open, T balanced, F broken",
    causal=True,
    default_k=16,
    default_n=16,
    pairs=2,
)
