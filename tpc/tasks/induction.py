"""In-context associative recall ("induction"), after ``make_induction`` in
princeton-nlp/TransformerPrograms.

With S = (k - 2) // 2 (k must be even): letters ``a``.. (S of them) and numbers
``"0"..`` (S of them); input vocabulary ``[<pad>, <s>, *letters, *numbers]`` (length k).
Each input draws a random letter -> number map (a function, not necessarily a bijection)
and p = (n - 2) // 2 random letters, each followed by its number. With probability 1/2 a
random number is put in front, otherwise a random letter is appended, so every input has
total length exactly n (n must be even; the paper's k = n = 10). The authors' script
passes max_length 9, which their generator turns into 4 pairs + 1 token + ``<s>`` = 10.

Labels: each letter gets the number that followed its most recent earlier occurrence,
``<unk>`` if it has none; numbers and ``<s>`` are ``<pad>`` (unscored), as in the
reference. ``<unk>`` is a real, scored class here (the reference trains induction with
the unembedding mask off). Output vocabulary ``[<pad>, <unk>, *numbers]`` (specials first;
the reference sorts ``<unk>`` after the numbers).
"""

from __future__ import annotations

import string
from collections.abc import Iterator

import numpy as np

from .base import Task
from .tokens import PAD, UNK, TaskError


class Induction(Task):
    """Associative recall over letter/number pairs."""

    def _n_symbols(self, k: int) -> int:
        return 2 * ((k - 2) // 2)

    def _symbol_names(self, count: int) -> list[str]:
        size = count // 2
        return list(string.ascii_lowercase[:size]) + [str(i) for i in range(size)]

    def _check_k(self, k: int) -> None:
        super()._check_k(k)
        if k % 2 or (k - 2) // 2 > len(string.ascii_lowercase):
            raise TaskError(
                f"{self.name}: k={k} must be even and at most 54 "
                "(<pad>, <s>, then as many letters as numbers)"
            )

    def _check_n(self, n: int) -> None:
        if isinstance(n, (int, np.integer)) and (n < 4 or n % 2):
            raise TaskError(f"{self.name}: n={n} must be even and at least 4")
        super()._check_n(n)

    def content_lengths(self, n: int) -> range:
        return range(n - 1, n) if n >= 4 and n % 2 == 0 else range(0)

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, UNK, *self.symbols(k)[(k - 2) // 2 :]]

    def _label_content(self, content: list[str]) -> list[str]:
        follower: dict[str, str] = {}
        labels = []
        for i, tok in enumerate(content):
            if tok.isdigit():
                labels.append(PAD)
            else:
                labels.append(follower.get(tok, UNK))
            if i > 0 and not content[i - 1].isdigit():
                follower[content[i - 1]] = tok
        return labels

    def _content_valid(self, content: list[str], k: int) -> bool:
        numbers_first = content[0].isdigit()
        mapping: dict[str, str] = {}
        for i, tok in enumerate(content):
            if tok.isdigit() != ((i % 2 == 0) == numbers_first):
                return False
            if tok.isdigit() and i > 0:
                if mapping.setdefault(content[i - 1], tok) != tok:
                    return False
        return True

    def _enumerate_content(self, k: int, length: int) -> Iterator[tuple[str, ...]]:
        symbols = self.symbols(k)
        letters, numbers = symbols[: len(symbols) // 2], symbols[len(symbols) // 2 :]

        def extend(
            prefix: tuple[str, ...], mapping: dict[str, str], numbers_first: bool
        ) -> Iterator[tuple[str, ...]]:
            i = len(prefix)
            if i == length:
                yield prefix
            elif (i % 2 == 0) != numbers_first:  # a letter goes here
                for letter in letters:
                    yield from extend(prefix + (letter,), mapping, numbers_first)
            elif i == 0:  # the leading number is free
                for number in numbers:
                    yield from extend((number,), mapping, numbers_first)
            elif prefix[-1] in mapping:
                yield from extend(prefix + (mapping[prefix[-1]],), mapping, numbers_first)
            else:
                for number in numbers:
                    chosen = {**mapping, prefix[-1]: number}
                    yield from extend(prefix + (number,), chosen, numbers_first)

        yield from extend((), {}, numbers_first=False)  # letters sort before numbers
        yield from extend((), {}, numbers_first=True)

    def length_counts(self, k: int, n: int) -> dict[int, int]:
        self.check(k, n)
        size, pairs = (k - 2) // 2, (n - 2) // 2
        ways = {0: 1}  # distinct letters used so far -> number of pair sequences
        for _ in range(pairs):
            step: dict[int, int] = {}
            for seen, count in ways.items():
                step[seen] = step.get(seen, 0) + count * seen  # repeat: number forced
                step[seen + 1] = step.get(seen + 1, 0) + count * (size - seen) * size
            ways = step
        # two layouts (leading number / trailing letter), each with `size` free choices
        return {n - 1: 2 * size * sum(ways.values())}

    def _draw_content(
        self, rng: np.random.Generator, k: int, n: int, lengths: np.ndarray
    ) -> np.ndarray:
        count, size, pairs = len(lengths), (k - 2) // 2, (n - 2) // 2
        to_number = rng.integers(0, size, size=(count, size))
        letters = rng.integers(0, size, size=(count, pairs))
        numbers = np.take_along_axis(to_number, letters, axis=1) + size
        body = np.stack([letters, numbers], axis=2).reshape(count, 2 * pairs)
        numbers_first = rng.integers(0, 2, size=count).astype(bool)[:, None]
        lead = rng.integers(0, size, size=(count, 1)) + size
        tail = rng.integers(0, size, size=(count, 1))
        return np.where(
            numbers_first,
            np.concatenate([lead, body], axis=1),
            np.concatenate([body, tail], axis=1),
        )


INDUCTION = Induction(
    name="induction",
    description="label each letter with the number that followed it earlier (<unk> if new)",
    causal=True,
    default_k=10,
    default_n=10,
)
