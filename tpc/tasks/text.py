"""From a corpus's raw tokens to model inputs, and from predictions back (issue 16).

Three rules, each written down here once:

**Normalisation** (:func:`normalize`) of a raw token, as princeton-nlp/TransformerPrograms
does it (``src/utils/data_utils.py``, ``fmt`` in ``get_conll_ner``): first, with
``lowercase``, ``str.lower()``; then, with ``replace_numbers``, every maximal run of ASCII
digits becomes one ``@`` (``re.sub(r"[0-9]+", "@", token)``: ``1996`` -> ``@``, ``3-2`` ->
``@-@``, ``12.5`` -> ``@.@``, ``B52`` -> ``B@``). The function uses only its arguments and
the standard library's ``re``, so that its source can be copied into an emitted program
that reads raw text.

**The vocabulary** (:class:`Vocabulary`) of a run is made from the training split only:
its ``size`` most frequent normalised words, by descending count, ties in code point order
of the word (so it does not depend on the order of the examples), after the specials
``<pad>`` (id 0), ``<s>`` (id 1) and ``<unk>`` (id 2). Every other word, and a word that
normalises to a special's spelling, reads as ``<unk>``. (The reference ranks ``<s>`` and
``</s>`` among its 10,000 most frequent tokens, ties in order of first occurrence; tpc's
``size`` counts words only.)

**Inputs** (:func:`encode`) are ``<s>`` followed by the normalised tokens, at most
``max_len`` positions in all, so at most ``max_len - 1`` tokens:

- tagging: a sentence of more than ``max_len - 1`` tokens is split into consecutive
  windows of ``max_len - 1`` tokens (the last one shorter), each an input with its own
  ``<s>``; the labels are the tags, ``<pad>`` (unscored) at ``<s>``. Every token of every
  sentence is in exactly one window, so scores over the windows are scores over the
  sentences, and :meth:`Encoded.per_example` concatenates the windows' predictions back
  into one prediction per token of each sentence. A sentence without tokens has no input
  (and an empty prediction).
- classification: one input per sentence, its first ``max_len - 1`` tokens
  (:attr:`Encoded.truncated` counts the sentences cut); the label is the class. Every
  sentence is classified, so the reported accuracy covers every sentence, the long ones
  from their beginning only.

The reference instead drops every sentence of ``max_length - 1`` or more tokens from the
training *and test* splits (``len(s) < max_length - 1``) and ends each input with
``</s>``; tpc keeps every sentence and has no ``</s>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from tpc.errors import quote
from tpc.ir import Program
from tpc.ir.reading import TextReading, reading_of

from .tokens import BOS, PAD, UNK, TaskError

#: The specials of every corpus vocabulary, in id order (``<pad>`` is id 0).
SPECIALS = (PAD, BOS, UNK)
PAD_ID, BOS_ID, UNK_ID = 0, 1, 2


def normalize(token: str, lowercase: bool, replace_numbers: bool) -> str:
    """The normalised form of a raw ``token``: lowercased if ``lowercase``, then every run
    of ASCII digits replaced by one ``@`` if ``replace_numbers`` (the reference's rule).

    Self-contained (standard library ``re`` only), so that emitted programs can copy it.
    """
    if lowercase:
        token = token.lower()
    if replace_numbers:
        token = re.sub(r"[0-9]+", "@", token)
    return token


def window_starts(length: int, width: int) -> range:
    """Where the windows of a tagged sentence of ``length`` tokens start: every ``width``
    tokens (``width`` = the model's maximum length minus ``<s>``); none for no tokens.

    Self-contained, so that emitted programs can copy it (as :func:`normalize`)."""
    return range(0, length, width)


@dataclass(frozen=True)
class Vocabulary:
    """The input vocabulary of a corpus run: ``words`` in id order (the specials of
    :data:`SPECIALS` first) and the normalisation its words went through."""

    words: tuple[str, ...]
    lowercase: bool = False
    replace_numbers: bool = False
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.words[: len(SPECIALS)] != SPECIALS or len(set(self.words)) != len(self.words):
            raise TaskError("a corpus vocabulary starts with <pad>, <s>, <unk> and repeats no word")
        object.__setattr__(self, "_index", {w: i for i, w in enumerate(self.words)})

    @classmethod
    def build(
        cls,
        sentences: Iterable[Sequence[str]],
        size: int,
        lowercase: bool = False,
        replace_numbers: bool = False,
    ) -> Vocabulary:
        """The specials and the ``size`` most frequent normalised words of ``sentences``
        (raw tokens; the training split), ties in code point order of the word."""
        counts = Counter(
            normalize(token, lowercase, replace_numbers)
            for sentence in sentences
            for token in sentence
        )
        for special in SPECIALS:
            counts.pop(special, None)
        ranked = sorted(counts, key=lambda word: (-counts[word], word))
        return cls((*SPECIALS, *ranked[:size]), lowercase, replace_numbers)

    def __len__(self) -> int:
        return len(self.words)

    def normalize(self, token: str) -> str:
        """``token`` normalised as this vocabulary's words were."""
        return normalize(token, self.lowercase, self.replace_numbers)

    def word(self, token: str) -> str:
        """The vocabulary word a raw ``token`` reads as (``<unk>`` if none)."""
        word = self.normalize(token)
        return word if self._index.get(word, UNK_ID) >= len(SPECIALS) else UNK

    def id(self, token: str) -> int:
        """The id of the word a raw ``token`` reads as."""
        return self._index[self.word(token)]


@dataclass(frozen=True)
class Encoded:
    """A split as model inputs (see the module docstring for the rules).

    ``inputs``: each ``<s>`` + vocabulary words, at most ``max_len`` long. ``labels``: per
    input, one label per position (``<pad>`` at ``<s>``) for tagging, or a single-element
    tuple (the class) for classification. ``example`` and ``start``: the index in the split
    of the example an input comes from, and the position in that example's tokens of the
    input's first token. ``lengths``: the number of tokens of every example of the split.
    ``truncated``: how many examples lost tokens (classification only; tagging windows
    lose none).
    """

    kind: Literal["tagging", "classification"]
    max_len: int
    inputs: tuple[tuple[str, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    example: tuple[int, ...]
    start: tuple[int, ...]
    lengths: tuple[int, ...]
    truncated: int = 0

    def per_example(self, predictions: Sequence[Sequence[str]]) -> list[list[str]]:
        """Predictions per input (tagging: one label per position of the input, ``<s>``'s
        included and ignored; classification: the class first) joined into one per
        example of the split: every token's tag in order, or ``[class]``."""
        if len(predictions) != len(self.inputs):
            raise TaskError(f"{len(predictions)} predictions for {len(self.inputs)} inputs")
        if self.kind == "classification":
            return [[str(p[0])] for p in predictions]
        out: list[list[str]] = [[] for _ in self.lengths]
        for i, (pred, text) in enumerate(zip(predictions, self.inputs)):
            if len(pred) < len(text):
                raise TaskError(f"prediction {i} has {len(pred)} labels for {len(text)} positions")
            if len(out[self.example[i]]) != self.start[i]:
                raise TaskError("an example's windows are out of order")
            out[self.example[i]].extend(str(p) for p in pred[1 : len(text)])
        return out


def encode(
    examples: Sequence[tuple[Sequence[str], Sequence[str]]],
    vocabulary: Vocabulary,
    kind: Literal["tagging", "classification"],
    max_len: int,
) -> Encoded:
    """Model inputs and labels of ``examples`` (``(tokens, labels)`` pairs: a tag per token,
    or one class) by the rules of the module docstring. ``TaskError`` if ``max_len`` < 2
    or a tagging example has not one tag per token or a classification example not one
    label."""
    if max_len < 2:
        raise TaskError(f"inputs need room for <s> and a token: max length {max_len} < 2")
    width = max_len - 1
    inputs, labels, example, start, lengths = [], [], [], [], []
    truncated = 0
    for index, (tokens, tags) in enumerate(examples):
        words = [vocabulary.word(token) for token in tokens]
        lengths.append(len(words))
        if kind == "classification":
            if len(tags) != 1:
                raise TaskError(f"classification example {index} has {len(tags)} labels, not one")
            truncated += len(words) > width
            inputs.append((BOS, *words[:width]))
            labels.append((str(tags[0]),))
            example.append(index)
            start.append(0)
            continue
        if len(tags) != len(words):
            raise TaskError(f"tagging example {index} has {len(tags)} tags for {len(words)} tokens")
        for lo in window_starts(len(words), width):
            inputs.append((BOS, *words[lo : lo + width]))
            labels.append((PAD, *map(str, tags[lo : lo + width])))
            example.append(index)
            start.append(lo)
    return Encoded(
        kind,
        max_len,
        tuple(inputs),
        tuple(labels),
        tuple(example),
        tuple(start),
        tuple(lengths),
        truncated,
    )


@dataclass(frozen=True)
class TextReader:
    """How a program learned on a corpus reads a sentence's raw tokens, by its
    ``meta["text"]`` record (:mod:`tpc.ir.reading`; the rules of this module): raw tokens
    -> the program's inputs (:meth:`inputs`), and its outputs on them -> one tag per token
    or the class (:meth:`labels`). The reference the emitted programs' ``run`` is checked
    against."""

    reading: TextReading
    words: frozenset[str]
    bos: str
    max_len: int

    @classmethod
    def of(cls, program: Program) -> TextReader:
        """The reader of ``program``; ``TaskError`` if it has no ``meta["text"]``."""
        reading = reading_of(program)
        if reading is None or program.bos is None:
            raise TaskError("the program was not learned on a corpus: it reads no raw text")
        words = frozenset(program.vocab) - {program.bos, reading.unk}
        return cls(reading, words, program.bos, program.max_len)

    def word(self, token: str) -> str:
        """The vocabulary word a raw ``token`` reads as (``unk`` if none)."""
        word = normalize(token, self.reading.lowercase, self.reading.replace_numbers)
        return word if word in self.words else self.reading.unk

    def inputs(self, tokens: Sequence[str]) -> list[list[str]]:
        """The program's inputs for one sentence: tagging, one per window; classification,
        one (its first ``max_len - 1`` tokens)."""
        words = [self.word(t) for t in tokens]
        width = self.max_len - 1
        if self.reading.kind == "classification":
            return [[self.bos, *words[:width]]]
        return [[self.bos, *words[lo : lo + width]] for lo in window_starts(len(words), width)]

    def labels(self, outputs: Sequence[Sequence[object]]) -> list[str] | str:
        """The program's ``outputs`` on :meth:`inputs` as one tag per raw token (tagging)
        or the class name (classification)."""
        if self.reading.kind == "classification":
            return str(outputs[0][0])
        return [str(label) for out in outputs for label in out[1:]]


def check_labels(encoded: Encoded, classes: Sequence[str], split: str) -> None:
    """``TaskError`` naming the first label of ``encoded`` that is not one of ``classes``
    (``<pad>`` counts as one)."""
    known = {PAD, *classes}
    for row in encoded.labels:
        for label in row:
            if label not in known:
                raise TaskError(
                    f"the {split} split has the label {quote(label)}, which the corpus "
                    f"does not list ({', '.join(classes)})"
                )


__all__ = [
    "BOS_ID",
    "PAD_ID",
    "SPECIALS",
    "UNK_ID",
    "Encoded",
    "TextReader",
    "Vocabulary",
    "check_labels",
    "encode",
    "normalize",
    "window_starts",
]
