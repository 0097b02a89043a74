"""Scores on the NLP corpora (issue 16): entity F1 for tagging, accuracy for
classification, and the paper's unigram baseline for NER.

Entity scores are CoNLL's: an entity is a maximal ``B-X I-X ... I-X`` run of one type X
(strict IOB2: an ``I-X`` that does not continue a ``B-X`` or ``I-X`` starts no entity), a
predicted entity is correct when a gold entity has the same sentence, span and type, and
precision, recall and F1 are micro-averaged over all types. They are computed by
``seqeval`` (``mode="strict"``, ``scheme=IOB2``), imported when first used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tpc.errors import quote

from .corpus import Example
from .tokens import TaskError


@dataclass(frozen=True)
class EntityScores:
    """Micro-averaged entity ``precision``, ``recall`` and ``f1`` (each 0.0 where its
    denominator is 0: no predicted entity, no gold entity, or both scores 0), and
    ``support``, the number of gold entities."""

    precision: float
    recall: float
    f1: float
    support: int


def entity_scores(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> EntityScores:
    """Entity-level scores of ``predicted`` tag sequences against ``gold`` ones (strict
    IOB2, by ``seqeval``). Both must hold the same number of sequences, pairwise of equal
    length, every tag ``O``, ``B-X`` or ``I-X``; TaskError otherwise."""
    if len(gold) != len(predicted):
        raise TaskError(f"{len(predicted)} predicted sequences for {len(gold)} gold ones")
    for i, (want, got) in enumerate(zip(gold, predicted)):
        if len(want) != len(got):
            raise TaskError(f"sequence {i}: {len(got)} predicted tags for {len(want)} gold tags")
        for tag in (*want, *got):
            _check_iob2(tag)
    from seqeval.metrics.v1 import precision_recall_fscore_support
    from seqeval.scheme import IOB2

    precision, recall, f1, support = precision_recall_fscore_support(
        [list(tags) for tags in gold],
        [list(tags) for tags in predicted],
        average="micro",
        scheme=IOB2,
        zero_division=0,
    )
    return EntityScores(float(precision), float(recall), float(f1), int(support))


def _check_iob2(tag: str) -> None:
    if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
        raise TaskError(f"tag {quote(tag)} is not IOB2 (O, B-TYPE or I-TYPE)")


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The fraction of positions where ``predicted`` equals ``gold`` (one class per
    example); TaskError when the lengths differ or there is nothing to score."""
    if len(gold) != len(predicted):
        raise TaskError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    if not gold:
        raise TaskError("no examples to score")
    return sum(want == got for want, got in zip(gold, predicted)) / len(gold)


def unigram_baseline(train: Iterable[Example]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The paper's unigram baseline for tagging, fitted on ``train``: a tagger that gives
    each token the tag it has most often in ``train`` (exact string match), and a token
    that ``train`` lacks the most frequent tag of ``train`` overall. Ties go to the tag
    seen first in ``train``. TaskError if ``train`` has no token."""
    by_word: dict[str, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for example in train:
        for token, tag in zip(example.tokens, example.labels, strict=True):
            by_word.setdefault(token, Counter())[tag] += 1
            overall[tag] += 1
    if not overall:
        raise TaskError("the unigram baseline needs a training split with tokens")
    best = {word: _most_frequent(counts) for word, counts in by_word.items()}
    default = _most_frequent(overall)

    def tag(tokens: Sequence[str]) -> tuple[str, ...]:
        return tuple(best.get(token, default) for token in tokens)

    return tag


def _most_frequent(counts: Counter[str]) -> str:
    """The most frequent key of ``counts``; of equals, the first inserted."""
    return max(counts, key=counts.__getitem__)


__all__ = ["EntityScores", "accuracy", "entity_scores", "unigram_baseline"]
