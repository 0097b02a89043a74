"""The exceptions tpc raises for bad input. The CLI prints them as one line and exits 1.

Anything else that escapes is a bug in tpc, not in the user's input.
"""


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
