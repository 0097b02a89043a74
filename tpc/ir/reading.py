"""How a program learned on a corpus reads raw text: the ``meta["text"]`` record.

A program trained on real text (issue 16) computes over *model inputs*: ``bos`` followed
by words of its vocabulary, at most ``max_len`` positions. Its ``meta["text"]`` says how a
sentence's raw tokens become such inputs, so that every back end, ``tpc explain`` and the
verifier read text the same way the training run did::

    {"corpus": "conll_ner", "kind": "tagging", "lowercase": false,
     "replace_numbers": true, "unk": "<unk>"}

* each raw token is normalised (``lowercase``, then ``replace_numbers``: every run of ASCII
  digits becomes ``@``; :func:`tpc.tasks.text.normalize`), and read as ``unk`` unless the
  normalised word is in the vocabulary and is not ``bos`` or ``unk`` itself;
* ``tagging``: the words are cut into consecutive windows of ``max_len - 1``, each read
  as ``[bos, *window]``; the output at each window position is that token's tag (one tag
  per raw token, none for an empty sentence);
* ``classification``: ``[bos, *words[:max_len - 1]]``; the class is the output (a pooled
  readout gives it at every position; position 0 is read).

The record is plain data (no code); :func:`check_reading` checks it wherever meta is read
or written, and that the program has the ``bos`` and ``unk`` tokens it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tpc.errors import IRError, quote

if TYPE_CHECKING:
    from tpc.ir.program import Program

#: The keys of the record, and what each must be.
KINDS = ("tagging", "classification")


@dataclass(frozen=True)
class TextReading:
    """The ``meta["text"]`` record of a program learned on a corpus (module docstring)."""

    corpus: str
    kind: Literal["tagging", "classification"]
    lowercase: bool
    replace_numbers: bool
    unk: str

    def to_meta(self) -> dict[str, Any]:
        """The record as ``meta["text"]`` holds it."""
        return {
            "corpus": self.corpus,
            "kind": self.kind,
            "lowercase": self.lowercase,
            "replace_numbers": self.replace_numbers,
            "unk": self.unk,
        }


def check_reading(record: Any) -> TextReading:
    """The :class:`TextReading` of a ``meta["text"]`` record; ``IRError`` unless it is an
    object with exactly the keys of the module docstring, each of its type."""
    shape = '{"corpus": str, "kind": "tagging"|"classification", "lowercase": bool, "replace_numbers": bool, "unk": str}'
    if not isinstance(record, dict) or set(record) != {
        "corpus",
        "kind",
        "lowercase",
        "replace_numbers",
        "unk",
    }:
        raise IRError(f"meta.text must be {shape}, not {quote(record)}")
    ok = (
        isinstance(record["corpus"], str)
        and record["kind"] in KINDS
        and isinstance(record["lowercase"], bool)
        and isinstance(record["replace_numbers"], bool)
        and isinstance(record["unk"], str)
    )
    if not ok:
        raise IRError(f"meta.text must be {shape}, not {quote(record)}")
    return TextReading(**record)


def reading_of(program: Program) -> TextReading | None:
    """How ``program`` reads raw text, or None for a program without ``meta["text"]``.
    ``IRError`` if the record is malformed or names tokens the program lacks (its ``bos``
    must be set, ``unk`` in its vocabulary, and ``max_len`` at least 2: room for ``bos``
    and a word)."""
    if "text" not in program.meta:
        return None
    reading = check_reading(program.meta["text"])
    if program.bos is None:
        raise IRError("a program that reads text (meta.text) needs a bos token")
    if program.max_len < 2:
        raise IRError("a program that reads text (meta.text) needs max_len 2 or more")
    if reading.unk not in program.vocab or reading.unk == program.bos:
        raise IRError(
            f"meta.text.unk {quote(reading.unk)} must be a vocabulary token other than bos"
        )
    return reading


__all__ = ["KINDS", "TextReading", "check_reading", "reading_of"]
