"""Special tokens, the task error, and token <-> id conversion for padded batches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tpc.errors import TpcError, quote

PAD = "<pad>"
BOS = "<s>"
EOS = "</s>"
UNK = "<unk>"


class TaskError(TpcError, ValueError):
    """A bad task request: unknown task or length distribution, unusable k or n, bad input."""


def _index(vocab: Sequence[str] | Mapping[str, int]) -> dict[str, int]:
    if isinstance(vocab, Mapping):
        return dict(vocab)
    return {tok: i for i, tok in enumerate(vocab)}


def encode(
    seqs: Sequence[Sequence[str]],
    vocab: Sequence[str] | Mapping[str, int],
    n: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Token lists -> (ids ``int64 [B, n]`` padded with the PAD id, lengths ``int64 [B]``).

    ``vocab`` is a token list (id = position) or a token -> id mapping and must contain
    PAD. ``n`` defaults to the longest sequence. A token outside ``vocab`` or a sequence
    longer than ``n`` raises TaskError.
    """
    index = _index(vocab)
    if PAD not in index:
        raise TaskError(f"vocabulary has no {PAD} token")
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    width = int(lengths.max(initial=0)) if n is None else n
    if lengths.size and lengths.max() > width:
        i = int(np.argmax(lengths))
        raise TaskError(f"sequence {i} has length {lengths[i]}, longer than n={width}")
    ids = np.full((len(seqs), width), index[PAD], dtype=np.int64)
    for row, seq in enumerate(seqs):
        try:
            ids[row, : len(seq)] = [index[tok] for tok in seq]
        except KeyError as err:
            raise TaskError(f"unknown token {quote(err.args[0])} in sequence {row}") from None
    return ids, lengths


def decode(
    ids: np.ndarray, vocab: Sequence[str], lengths: np.ndarray | Sequence[int] | None = None
) -> list[list[str]]:
    """ids ``[B, n]`` -> token lists, cut to ``lengths`` (default: up to the first PAD)."""
    ids = np.asarray(ids)
    table = np.array(list(vocab), dtype=object)
    if lengths is None:
        pad = list(vocab).index(PAD)
        is_pad = ids == pad
        lengths = np.where(is_pad.any(axis=1), is_pad.argmax(axis=1), ids.shape[1])
    tokens = table[ids]
    return [row[:length].tolist() for row, length in zip(tokens, np.asarray(lengths).tolist())]
