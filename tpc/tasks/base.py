"""The Task interface shared by every synthetic task.

An input is ``<s>`` + content (+ ``</s>`` for tasks with ``eos``). Input vocabularies are
``[<pad>, <s>, (</s>), *symbols]``, so ``k`` (the paper's "vocabulary size incl. specials")
is the length of the input vocabulary. ``n`` is the maximum total length (BOS/EOS
included). Labels are strings, one per input token, ``<pad>`` where unscored.

Subclasses supply ``symbols``/``output_vocab``/``content_lengths`` and the label, draw and
(if not "every string of symbols is valid") enumeration and validity hooks; everything
else (framing, sampling, enumeration, counting) lives here.
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from tpc.errors import quote

from .tokens import BOS, EOS, PAD, TaskError, decode

LENGTH_DISTS = ("reference", "uniform")
REFERENCE_SIZE = 20000  # dataset size the reference length marginal is computed for
REFERENCE_ROUNDS = 5  # the authors draw at most 5 x size examples when deduplicating

PAD_ID, BOS_ID, EOS_ID = 0, 1, 2
#: The most inputs a command holds in memory to check every one (``--exhaustive``).
MAX_ENUMERATED = 5_000_000


@dataclass(frozen=True)
class Task(ABC):
    """A synthetic sequence-labelling task (see the module docstring for conventions)."""

    name: str
    description: str  # one line, for `tpc tasks`
    causal: bool  # trained with causal attention (dyck, induction)
    default_k: int
    default_n: int
    eos: bool = False  # inputs end with </s>

    # ---- hooks for subclasses -------------------------------------------------------

    @abstractmethod
    def _n_symbols(self, k: int) -> int:
        """Number of content symbols for vocabulary size k (may be < 1 for a bad k)."""
        ...

    def _symbol_names(self, count: int) -> list[str]:
        """The content symbols, in vocabulary order."""
        return [str(i) for i in range(count)]

    @abstractmethod
    def content_lengths(self, n: int) -> range:
        """Content lengths (tokens between the framing) of valid inputs for max length n."""
        ...

    @abstractmethod
    def output_vocab(self, k: int, n: int) -> list[str]:
        """Every label some valid input gets, PAD (= unscored) first."""
        ...

    @abstractmethod
    def _label_content(self, content: list[str]) -> list[str]:
        """Labels of the content positions."""
        ...

    def _draw_content(
        self, rng: np.random.Generator, k: int, n: int, lengths: np.ndarray
    ) -> np.ndarray:
        """Symbol indices ``[count, width]`` (entries past each length are ignored).

        Default: uniform over symbols, the authors' generator for the RASP tasks.
        """
        width = max(self.content_lengths(n))
        return rng.integers(0, self._n_symbols(k), size=(len(lengths), width))

    def _content_valid(self, content: list[str], k: int) -> bool:
        """Task-specific validity beyond "right length, known symbols"."""
        return True

    def _enumerate_content(self, k: int, length: int) -> Iterator[tuple[str, ...]]:
        """Every valid content of one length, lexicographic in vocabulary order."""
        return itertools.product(self.symbols(k), repeat=length)

    def length_counts(self, k: int, n: int) -> dict[int, int]:
        """Number of valid inputs per content length."""
        self.check(k, n)
        s = self._n_symbols(k)
        return {length: s**length for length in self.content_lengths(n)}

    # ---- parameter checks ----------------------------------------------------------

    def _check_k(self, k: int) -> None:
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
            raise TaskError(f"{self.name}: k must be an integer, not {quote(k)}")
        if self._n_symbols(k) < 1:
            raise TaskError(
                f"{self.name}: k={k} leaves no content symbols "
                f"(k counts the {len(self._specials())} special tokens too)"
            )

    def _check_n(self, n: int) -> None:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise TaskError(f"{self.name}: n must be an integer, not {quote(n)}")
        if len(self.content_lengths(n)) == 0:
            raise TaskError(f"{self.name}: n={n} is too short for any input")

    def check(self, k: int, n: int) -> None:
        """Raise TaskError unless (k, n) is a usable configuration."""
        self._check_k(k)
        self._check_n(n)

    # ---- vocabularies and labels ---------------------------------------------------

    def _specials(self) -> list[str]:
        return [PAD, BOS, EOS] if self.eos else [PAD, BOS]

    def symbols(self, k: int) -> list[str]:
        """Content symbols for vocabulary size k, e.g. sort k=8 -> "0".."4"."""
        self._check_k(k)
        return self._symbol_names(self._n_symbols(k))

    def input_vocab(self, k: int) -> list[str]:
        """Every token that can appear in an input, specials first; ``len == k``."""
        return self._specials() + self.symbols(k)

    def _content(self, tokens: Sequence[str]) -> list[str] | None:
        """The content of a correctly framed input, else None."""
        frame = 1 + self.eos
        if len(tokens) < frame or tokens[0] != BOS or (self.eos and tokens[-1] != EOS):
            return None
        return list(tokens[1 : len(tokens) - self.eos])

    def label(self, tokens: list[str]) -> list[str]:
        """Labels for one input, same length, PAD at BOS/EOS. Bad framing raises TaskError."""
        content = self._content(tokens)
        if content is None:
            end = f" and end with {EOS}" if self.eos else ""
            raise TaskError(
                f"{self.name}: an input must start with {BOS}{end}: {quote(tokens, 80)}"
            )
        return [PAD, *self._label_content(content)] + [PAD] * self.eos

    def label_batch(self, inputs: Sequence[list[str]]) -> list[list[str]]:
        """:meth:`label` of every input (a task may label a batch at once)."""
        return [self.label(list(tokens)) for tokens in inputs]

    def is_valid(self, tokens: list[str], k: int, n: int) -> bool:
        """Could this input come from the task (framing, length, symbols, structure)?"""
        self.check(k, n)
        content = self._content(tokens)
        if content is None or len(content) not in self.content_lengths(n):
            return False
        known = set(self.symbols(k))
        return all(tok in known for tok in content) and self._content_valid(content, k)

    # ---- enumeration and counting --------------------------------------------------

    def _frame(self, content: Sequence[str]) -> list[str]:
        return [BOS, *content] + [EOS] * self.eos

    def enumerate(
        self, k: int, n: int, max_len: int | None = None, min_len: int | None = None
    ) -> Iterator[list[str]]:
        """Every valid input with total length in [min_len, max_len] (default: all, up to n),
        shortest first, lexicographic in vocabulary order within a length."""
        self.check(k, n)
        for length in self.content_lengths(n):
            total = length + 1 + self.eos
            if max_len is not None and total > max_len:
                break
            if min_len is not None and total < min_len:
                continue
            for content in self._enumerate_content(k, length):
                yield self._frame(content)

    def count_inputs(self, k: int, n: int, max_len: int | None = None) -> int:
        """How many inputs ``enumerate(k, n, max_len)`` yields, computed without enumerating."""
        frame = 1 + self.eos
        return sum(
            count
            for length, count in self.length_counts(k, n).items()
            if max_len is None or length + frame <= max_len
        )

    def check_enumerable(self, k: int, n: int) -> int:
        """How many inputs there are up to length ``n``; TaskError when they are more than
        :data:`MAX_ENUMERATED` (a list of them would not fit in memory)."""
        total = self.count_inputs(k, n)
        if total > MAX_ENUMERATED:
            raise TaskError(
                f"{self.name} has {total:,} inputs up to length {n}, too many to check every "
                f"one (at most {MAX_ENUMERATED:,}); check a sample instead"
            )
        return total

    # ---- sampling ------------------------------------------------------------------

    def length_probs(self, k: int, n: int, length_dist: str = "reference") -> dict[int, float]:
        """Probability of each content length under ``length_dist``.

        "uniform": uniform over ``content_lengths(n)`` -- this is also how the authors'
        generator draws lengths, for every task here. "reference": the length marginal of
        the paper's *datasets*: the authors keep the first ``REFERENCE_SIZE`` distinct
        inputs of a uniform-length stream of at most 5x that many draws, so lengths with
        few distinct inputs are rare (sort k=8: ~72% full length). Computed in
        expectation: after t draws a length with c inputs (of r lengths) has
        ``c * (1 - (1 - 1/(r c))**t)`` distinct ones.
        """
        if length_dist not in LENGTH_DISTS:
            raise TaskError(
                f"unknown length distribution {quote(length_dist)}; choose from: "
                + ", ".join(LENGTH_DISTS)
            )
        counts = self.length_counts(k, n)
        r = len(counts)
        if length_dist == "uniform" or r == 1:
            return {length: 1.0 / r for length in counts}

        def distinct(t: float) -> list[float]:
            return [-c * math.expm1(t * math.log1p(-1.0 / (r * c))) for c in counts.values()]

        lo, hi = 0.0, float(REFERENCE_ROUNDS * REFERENCE_SIZE)
        if sum(distinct(hi)) > REFERENCE_SIZE:
            for _ in range(100):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if sum(distinct(mid)) < REFERENCE_SIZE else (lo, mid)
        expected = distinct(hi)
        total = sum(expected)
        return {length: e / total for length, e in zip(counts, expected)}

    def _frame_ids(self, content: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
        count, width = content.shape
        ids = np.full((count, n), PAD_ID, dtype=np.int64)
        ids[:, 0] = BOS_ID
        inside = np.arange(width)[None, :] < lengths[:, None]
        ids[:, 1 : 1 + width] = np.where(inside, content + len(self._specials()), PAD_ID)
        if self.eos:
            ids[np.arange(count), lengths + 1] = EOS_ID
        return ids

    def draw_ids(
        self, rng: np.random.Generator, k: int, n: int, lengths: np.ndarray | Sequence[int]
    ) -> np.ndarray:
        """Random inputs with the given content lengths, drawn as the authors' generator
        does, as input-vocabulary ids ``int64 [count, n]`` padded with PAD (id 0)."""
        self.check(k, n)
        lengths = np.asarray(lengths, dtype=np.int64)
        allowed = self.content_lengths(n)
        if lengths.size and (lengths.min() < allowed.start or lengths.max() >= allowed.stop):
            raise TaskError(f"{self.name}: content lengths must lie in {allowed} for n={n}")
        return self._frame_ids(self._draw_content(rng, k, n, lengths), lengths, n)

    def sample_ids(
        self,
        rng: np.random.Generator,
        count: int,
        k: int,
        n: int,
        length_dist: str = "reference",
    ) -> np.ndarray:
        """``count`` i.i.d. inputs as ids ``[count, n]``; lengths from ``length_probs``."""
        if count < 0:
            raise TaskError(f"count must be >= 0, not {count}")
        probs = self.length_probs(k, n, length_dist)
        lengths = rng.choice(np.array(list(probs)), size=count, p=np.array(list(probs.values())))
        return self.draw_ids(rng, k, n, lengths)

    def check_dists(self) -> tuple[str, ...]:
        """The input distributions a sampled check of a program draws from (``tpc refine``
        on a domain too large to enumerate): by default the length distributions."""
        return LENGTH_DISTS

    def sample_check_ids(
        self, rng: np.random.Generator, count: int, k: int, n: int, dist: str
    ) -> np.ndarray:
        """``count`` i.i.d. inputs from the check distribution ``dist`` (one of
        :meth:`check_dists`) as ids ``[count, n]``."""
        return self.sample_ids(rng, count, k, n, dist)

    def sample(
        self,
        rng: np.random.Generator,
        count: int,
        k: int,
        n: int,
        length_dist: str = "reference",
    ) -> list[list[str]]:
        """``count`` i.i.d. inputs (duplicates possible) as token lists.

        length_dist "reference": the paper's dataset distribution (see ``length_probs``);
        "uniform": content length uniform over its range. Given its length, an input is
        drawn as in the authors' generator.
        """
        return decode(self.sample_ids(rng, count, k, n, length_dist), self.input_vocab(k))
