"""The RASP tasks over digit symbols: reverse, sort, hist, double_hist, most_freq.

Conventions follow the authors' generator (princeton-nlp/TransformerPrograms,
``src/utils/data_utils.py``): symbols are the digits "0".."S-1" with S = k - 3 for
reverse/sort (inputs end with ``</s>``) and S = k - 2 for the others, so k is the input
vocabulary size; content length is uniform over 1..n-2 (reverse, sort) or 1..n-1; content
tokens are uniform over the symbols.

Differences from the authors' code, all deliberate:
- output vocabularies hold exactly the reachable labels (theirs: the labels seen in the
  training split), counts in numeric order (theirs: string order, which differs once
  counts reach 10);
- double_hist content length is 1..n-1 like hist, per REFERENCE.md (their function
  defaults differ but the scripts pass min_length=1, max_length=n).
"""

from __future__ import annotations

from collections import Counter

from .base import Task
from .tokens import BOS, PAD


class DigitTask(Task):
    """A task whose content is any string of digit symbols of length 1..n-1-eos."""

    def _n_symbols(self, k: int) -> int:
        return k - len(self._specials())

    def content_lengths(self, n: int) -> range:
        return range(1, max(1, n - self.eos))


class Reverse(DigitTask):
    """Label each content position with the content reversed."""

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, *self.symbols(k)]

    def _label_content(self, content: list[str]) -> list[str]:
        return content[::-1]


class Sort(DigitTask):
    """Label each content position with the content sorted in string order."""

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, *self.symbols(k)]

    def _label_content(self, content: list[str]) -> list[str]:
        return sorted(content)


class Hist(DigitTask):
    """Label each token with how often it occurs in the content ("1".."n-1")."""

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, *(str(c) for c in range(1, max(self.content_lengths(n)) + 1))]

    def _label_content(self, content: list[str]) -> list[str]:
        counts = Counter(content)
        return [str(counts[tok]) for tok in content]


class DoubleHist(DigitTask):
    """Label each token with how many distinct tokens occur as often as it does."""

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        top = min(self._n_symbols(k), max(self.content_lengths(n)))
        return [PAD, *(str(c) for c in range(1, top + 1))]

    def _label_content(self, content: list[str]) -> list[str]:
        counts = Counter(content)
        same = Counter(counts.values())
        return [str(same[counts[tok]]) for tok in content]


class MostFreq(DigitTask):
    """Content positions hold the distinct tokens by (-count, first position), then
    ``<s>`` fillers (scored) for the remaining positions."""

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        filler = [BOS] if max(self.content_lengths(n)) >= 2 else []
        return [PAD, *filler, *self.symbols(k)]

    def _label_content(self, content: list[str]) -> list[str]:
        counts = Counter(content)  # insertion order = first position
        ranked = sorted(counts, key=lambda tok: -counts[tok])  # stable: ties by first position
        return ranked + [BOS] * (len(content) - len(ranked))


REVERSE = Reverse(
    name="reverse",
    description="reverse the content (between <s> and </s>)",
    causal=False,
    default_k=8,
    default_n=8,
    eos=True,
)
HIST = Hist(
    name="hist",
    description="label each token with how many times it occurs",
    causal=False,
    default_k=8,
    default_n=8,
)
DOUBLE_HIST = DoubleHist(
    name="double_hist",
    description="label each token with how many distinct tokens share its count",
    causal=False,
    default_k=8,
    default_n=8,
)
SORT = Sort(
    name="sort",
    description="sort the content (between <s> and </s>)",
    causal=False,
    default_k=8,
    default_n=8,
    eos=True,
)
MOST_FREQ = MostFreq(
    name="most_freq",
    description="distinct tokens by decreasing count (ties: first occurrence), then <s>",
    causal=False,
    default_k=8,
    default_n=8,
)
