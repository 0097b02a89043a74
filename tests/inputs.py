"""Every input of a small program, for exhaustive tests: the one ``all_inputs`` helper."""

from __future__ import annotations

import itertools
from collections.abc import Sequence


def all_inputs(
    vocab: Sequence[str], max_len: int, *, first: str | None = None, min_len: int = 1
) -> list[list[str]]:
    """Every token sequence of ``min_len`` to ``max_len`` tokens, shortest first. With
    ``first`` (a BOS), each starts with it, counted in the length, and the other tokens
    are the vocabulary without it."""
    body = [t for t in vocab if t != first]
    lead = [] if first is None else [first]
    return [
        lead + list(rest)
        for n in range(max(min_len, len(lead)), max_len + 1)
        for rest in itertools.product(body, repeat=n - len(lead))
    ]
