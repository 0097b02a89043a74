"""The exceptions tpc raises for bad input. The CLI prints them as one line and exits 1.

Anything else that escapes is a bug in tpc, not in the user's input.

Messages quote user values (tokens, names, forms) through :func:`quote`, and any other
text of theirs through :func:`printable`, so that a message stays one line of printable
text: no line breaks, control characters or terminal escapes, and no 100 KB token echoed
whole.
"""

from __future__ import annotations

import reprlib


class TpcError(Exception):
    """Base class: a problem with the user's input (program, tokens, files, options)."""


class IRError(TpcError):
    """Malformed or ill-typed IR; the message names the node."""


class InputError(TpcError):
    """A run-time input the program cannot take (unknown token, too long)."""


class EvalError(TpcError):
    """A program that is undefined on an input (e.g. a categorical mean over two keys)."""


class FormatError(TpcError):
    """A file of the wrong format or version."""


class ParseError(TpcError):
    """RASP text that cannot be read or compiled to IR; the message gives line and column."""


class EmitError(TpcError):
    """A program a back end cannot express (yet); the message names the node and why."""


#: Characters :func:`quote` shows of a value by default.
QUOTE_LIMIT = 40


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as its Python escape
    (``\\n``, ``\\x1b``, ``\\u2028``, ``\\ud800``…): one line, safe in a terminal, in a
    comment of generated code and in an error message. Printable text is unchanged."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` as an error message shows it: its ``repr`` (strings in quotes, escapes
    for line breaks and control characters), cut to at most ``limit`` characters with
    ``…``."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]  # no need to escape what will be cut
    text = printable(_repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repr(value: object) -> str:
    """``repr(value)``; of a container its first few items only (a whole table is no use in
    one line); a description of an integer too long for Python to write in decimal."""
    try:
        return reprlib.repr(value) if isinstance(value, (list, tuple, dict)) else repr(value)
    except ValueError:  # beyond Python's int-to-decimal digit limit
        if isinstance(value, int):
            return f"an integer of {value.bit_length():,} bits"
        return f"a {type(value).__name__} too large to show"
