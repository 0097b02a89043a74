"""Tasks on real text: corpora with fixed splits (issue 16; docs/design.md §2).

A synthetic :class:`~tpc.tasks.base.Task` samples and enumerates its inputs; a *corpus*
reads them from files. Its examples are raw tokens as the data files hold them (CoNLL's
token column; a classification line split on whitespace), each with its gold labels:
one IOB2 tag per token for a tagging corpus, one class name for a classification corpus.
Splits are fixed by the data (or, where the data has none, made deterministically and
documented in :attr:`Splits.notes`).

What a model reads is derived from the splits, not stored in them: the vocabulary of the
training split (:mod:`tpc.tasks.text`), normalised tokens, ``<unk>`` for other words,
``<s>`` in front, and at most ``max_len`` positions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tpc.errors import quote

from .tokens import TaskError

#: What a corpus asks of a model: a tag per token, or a class per sequence (pooled).
CorpusKind = Literal["tagging", "classification"]


@dataclass(frozen=True)
class Example:
    """One sentence: its raw ``tokens`` and ``labels`` (tagging: one tag per token;
    classification: a single class name)."""

    tokens: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Splits:
    """A corpus as loaded: three disjoint splits, every label name in the data's own order
    (tagging: IOB2 tags with ``O`` first; classification: the class names as the dataset
    numbers them), and how the splits were made (``notes``: the source files, and any
    split tpc made itself)."""

    train: list[Example]
    validation: list[Example]
    test: list[Example]
    labels: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class Corpus:
    """A real-text task: its ``name`` (as ``tpc train`` takes it), ``kind``, a one-line
    ``description``, the Hugging Face dataset it is (``hf_name``, for ``load_dataset``
    where a user has it cached) and ``load(data_dir)``, which reads the local files of
    the shared layout (``DATA_DIR/conll2003/train.txt``, ...) through the ``datasets``
    library, or the cached Hugging Face dataset when ``data_dir`` is None."""

    name: str
    kind: CorpusKind
    description: str
    hf_name: str
    load: Callable[[Path | None], Splits] = field(repr=False)


#: Every corpus, by name (filled by :mod:`tpc.tasks.corpora`).
CORPORA: dict[str, Corpus] = {}


def register_corpus(corpus: Corpus) -> Corpus:
    """Add ``corpus`` to :data:`CORPORA` (a name may be registered once)."""
    if corpus.name in CORPORA:
        raise ValueError(f"a corpus named {corpus.name!r} is already registered")
    CORPORA[corpus.name] = corpus
    return corpus


def get_corpus(name: str) -> Corpus:
    """The corpus called ``name``; ``TaskError`` listing the corpora otherwise."""
    try:
        return CORPORA[name]
    except (KeyError, TypeError):
        raise TaskError(
            f"unknown corpus {quote(name)}; choose from: {', '.join(CORPORA)}"
        ) from None


__all__ = ["CORPORA", "Corpus", "CorpusKind", "Example", "Splits", "get_corpus", "register_corpus"]
