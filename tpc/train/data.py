"""Task data as padded tensors for training and evaluation, and GloVe vectors.

A synthetic task's splits are made by :func:`tpc.tasks.make_dataset`; a corpus's are read
by its loader (:mod:`tpc.tasks.corpus`) and encoded by the rules of :mod:`tpc.tasks.text`
(the vocabulary of the training split, ``<s>`` + normalised tokens, long tagging
sentences in windows, long classification sentences truncated). :class:`CorpusData` keeps
what maps a corpus run's predictions back to the sentences of its splits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from tpc.errors import TpcError, quote
from tpc.model import ConfigError
from tpc.tasks import (
    BOS,
    EOS,
    PAD,
    UNK,
    Splits,
    Task,
    default_data_dir,
    encode,
    get_corpus,
    get_task,
    make_dataset,
)
from tpc.tasks.text import Encoded, Vocabulary, check_labels
from tpc.tasks.text import encode as encode_text
from tpc.train.config import MAX_DATASET_TOKENS, TrainConfig

SPLIT_NAMES = ("train", "val", "test")


@dataclass(frozen=True)
class Split:
    """One split: ``ids`` long [B, N], ``lengths`` [B] and ``labels``: long [B, N] (label 0
    = PAD = unscored), or [B] for a pooled (one class per sequence) task.

    ``trim``: a batch of it is cut to its longest input before the model sees it (corpus
    splits, whose inputs are mostly far shorter than N; this changes the shape of the
    relaxed model's Gumbel noise, so synthetic tasks keep their full width and weights).
    """

    ids: Tensor
    lengths: Tensor
    labels: Tensor
    trim: bool = False

    def __len__(self) -> int:
        return self.ids.shape[0]

    def to(self, device: torch.device | str) -> Split:
        """This split's tensors on ``device``."""
        return Split(
            self.ids.to(device), self.lengths.to(device), self.labels.to(device), self.trim
        )

    def batch(self, lo: int, hi: int, order: Tensor | None = None) -> tuple[Tensor, ...]:
        """``(ids, lengths, labels)`` of inputs ``lo:hi`` (of ``order``, a permutation, if
        given), cut to the longest of them if ``trim``."""
        rows = slice(lo, hi) if order is None else order[lo:hi]
        ids, lengths, labels = self.ids[rows], self.lengths[rows], self.labels[rows]
        if self.trim and len(lengths):
            width = int(lengths.max())
            ids = ids[:, :width]
            labels = labels[:, :width] if labels.dim() == 2 else labels
        return ids, lengths, labels


@dataclass(frozen=True)
class CorpusData:
    """What a corpus run's data was made of: the loaded ``splits`` (raw tokens), the
    ``vocabulary`` and each split's ``encoded`` inputs (``"train"``, ``"val"``, ``"test"``;
    which input comes from which sentence, see :class:`tpc.tasks.text.Encoded`)."""

    kind: str
    splits: Splits
    vocabulary: Vocabulary
    encoded: dict[str, Encoded]

    def examples(self, split: str) -> list:
        """The examples of ``split`` (``"train"``, ``"val"`` or ``"test"``)."""
        return getattr(self.splits, "validation" if split == "val" else split)

    def predicted_labels(
        self, split: str, predictions: Tensor | np.ndarray, classes: list[str]
    ) -> list[list[str]]:
        """The model's ``predictions`` (class ids, [B, N] for tagging or [B] for
        classification, one row per input of ``split``) as labels per sentence of the
        split: a tag for every token (windows joined) or ``[class]``."""
        preds = np.asarray(predictions.cpu() if isinstance(predictions, Tensor) else predictions)
        names = np.asarray(classes, dtype=object)[preds]
        rows = [[name] for name in names] if names.ndim == 1 else names.tolist()
        return self.encoded[split].per_example(rows)


@dataclass(frozen=True)
class TaskData:
    """The three splits of a run and what the model needs to know about them
    (``pooled``: one class per sequence; ``corpus``: a corpus run's :class:`CorpusData`)."""

    input_vocab: list[str]
    classes: list[str]
    max_len: int
    causal: bool
    train: Split
    val: Split
    test: Split
    pooled: bool = False
    corpus: CorpusData | None = None

    def to(self, device: torch.device | str) -> TaskData:
        """This data with every split's tensors on ``device``."""
        moved = {name: getattr(self, name).to(device) for name in SPLIT_NAMES}
        return TaskData(
            self.input_vocab,
            self.classes,
            self.max_len,
            self.causal,
            **moved,
            pooled=self.pooled,
            corpus=self.corpus,
        )


def load_data(config: TrainConfig) -> TaskData:
    """Build (deterministically) the dataset a run trains on; TaskError on bad task/k/n
    or unreadable corpus files."""
    if config.is_corpus():
        return load_corpus(config)
    task = get_task(config.task)
    k, n = config.task_size()
    seed = config.seed if config.data_seed is None else config.data_seed
    ds = make_dataset(
        task, k=k, n=n, size=config.dataset_size, seed=seed, length_dist=config.length_dist
    )
    vocab, classes = task.input_vocab(k), task.output_vocab(k, n)
    if not ds.train or not ds.val:
        raise ConfigError(
            f"dataset size {config.dataset_size} leaves no training or validation examples"
        )
    causal = task.causal if config.causal is None else config.causal
    train, val, test = (task_split(task, seqs, k, n) for seqs in (ds.train, ds.val, ds.test))
    return TaskData(vocab, classes, n, causal, train, val, test)


def task_split(task: Task, seqs: list[list[str]], k: int, n: int) -> Split:
    """The inputs ``seqs`` of a synthetic task at (k, n) with their labels, as a Split."""
    ids, lengths = encode(seqs, task.input_vocab(k), n)
    labels, _ = encode(task.label_batch(seqs), task.output_vocab(k, n), n)
    return Split(torch.from_numpy(ids), torch.from_numpy(lengths), torch.from_numpy(labels))


def corpus_data_dir(config: TrainConfig) -> Path | None:
    """The directory a corpus run reads: ``--data-dir``, else the corpora's default
    (:func:`tpc.tasks.default_data_dir`; None: the Hugging Face datasets)."""
    return default_data_dir() if config.data_dir is None else Path(config.data_dir)


def load_corpus(config: TrainConfig) -> TaskData:
    """The data of a corpus run: read the corpus (:func:`corpus_data_dir`), build the
    vocabulary of its training split and encode every split (:mod:`tpc.tasks.text`).
    Classification corpora are pooled: one label per input, labels [B]."""
    corpus = get_corpus(config.task)
    splits = corpus.load(corpus_data_dir(config))
    _, n = config.task_size()
    vocabulary = Vocabulary.build(
        (example.tokens for example in splits.train),
        config.vocab_size,
        config.lowercase,
        config.replace_numbers,
    )
    classes = [PAD, *splits.labels]
    encoded = {}
    for name, examples in zip(SPLIT_NAMES, (splits.train, splits.validation, splits.test)):
        encoded[name] = encode_text(
            [(e.tokens, e.labels) for e in examples], vocabulary, corpus.kind, n
        )
        check_labels(encoded[name], splits.labels, name)
    if not encoded["train"].inputs or not encoded["val"].inputs:
        raise ConfigError(f"the corpus {config.task} has no training or validation inputs")
    total = sum(len(e.inputs) for e in encoded.values())
    if total * n > MAX_DATASET_TOKENS:
        raise ConfigError(
            f"{total:,} inputs x N {n} is more than {MAX_DATASET_TOKENS:,} tokens; "
            "use a shorter --n"
        )
    pooled = corpus.kind == "classification"
    vocab = list(vocabulary.words)

    def split(enc: Encoded) -> Split:
        ids, lengths = encode(enc.inputs, vocab, n)
        if pooled:
            index = {c: i for i, c in enumerate(classes)}
            labels = torch.tensor([index[row[0]] for row in enc.labels], dtype=torch.long)
        else:
            labels = torch.from_numpy(encode(enc.labels, classes, n)[0])
        return Split(torch.from_numpy(ids), torch.from_numpy(lengths), labels, trim=True)

    causal = False if config.causal is None else config.causal
    return TaskData(
        vocab,
        classes,
        n,
        causal,
        *(split(encoded[name]) for name in SPLIT_NAMES),
        pooled=pooled,
        corpus=CorpusData(corpus.kind, splits, vocabulary, encoded),
    )


# ---- GloVe ------------------------------------------------------------------------------

#: Tokens never looked up in GloVe (they are no words).
NOT_WORDS = frozenset({PAD, BOS, EOS, UNK})


class GloveError(TpcError):
    """A GloVe file that cannot be read."""


def read_glove(path: str | Path, words: set[str]) -> tuple[dict[str, np.ndarray], int]:
    """The vectors of those of ``words`` that the GloVe text file ``path`` has (``word v1
    ... vD`` per line, space-separated; a word may itself hold spaces, as a few of
    glove.840B's do, so the last D fields are the vector), and D. The first line fixes D;
    a later line with fewer fields, or an unreadable number in a wanted word's line,
    raises :class:`GloveError` naming the line. The first occurrence of a word counts."""
    found: dict[str, np.ndarray] = {}
    dim = 0
    try:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                line = line.rstrip("\n").rstrip("\r")
                if not line:
                    continue
                spaces = line.count(" ")
                if dim == 0:
                    dim = spaces
                    if dim < 1:
                        raise GloveError(f"{path} line 1 is no GloVe vector (no fields)")
                if spaces < dim:
                    raise GloveError(
                        f"{path} line {number} has {spaces} numbers, the file's vectors {dim}"
                    )
                word = line[: line.index(" ")] if spaces == dim else line.rsplit(" ", dim)[0]
                if word in words and word not in found:
                    try:
                        found[word] = np.array(line.rsplit(" ", dim)[1:], dtype=np.float64)
                    except ValueError:
                        raise GloveError(
                            f"{path} line {number} ({quote(word)}) has a field that is no number"
                        ) from None
                    if not np.isfinite(found[word]).all():
                        raise GloveError(f"{path} line {number} ({quote(word)}) is not finite")
    except OSError as exc:
        raise GloveError(f"cannot read GloVe file {path}: {exc.strerror or exc}") from None
    if dim == 0:
        raise GloveError(f"{path} holds no GloVe vectors")
    return found, dim


def glove_rows(
    path: str | Path, vocab: list[str], width: int, seed: int
) -> tuple[list[int], np.ndarray]:
    """The token ids of ``vocab`` found in the GloVe file (specials are never looked up;
    a word must match exactly: the vocabulary's normalisation decides the case) and
    their vectors projected to ``width`` dimensions: float32 [found, width].

    The projection is the reference's (``get_glove_embeddings``: scikit-learn's
    ``GaussianRandomProjection``): a D x width matrix of independent N(0, 1/width)
    entries, here drawn from numpy's ``default_rng(seed)``, so it is the same for the
    same seed and leaves torch's random stream alone. Words missing from GloVe keep the
    model's random initialisation (the reference draws them a random GloVe-space
    vector instead)."""
    wanted = {word for word in vocab if word not in NOT_WORDS}
    vectors, dim = read_glove(path, wanted)
    ids = [i for i, word in enumerate(vocab) if word in vectors]
    projection = np.random.default_rng(seed).standard_normal((dim, width)) / math.sqrt(width)
    if not ids:
        return [], np.zeros((0, width), dtype=np.float32)
    matrix = np.stack([vectors[vocab[i]] for i in ids])
    return ids, (matrix @ projection).astype(np.float32)


__all__ = [
    "CorpusData",
    "GloveError",
    "Split",
    "TaskData",
    "corpus_data_dir",
    "glove_rows",
    "load_corpus",
    "load_data",
    "read_glove",
]
