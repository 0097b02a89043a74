"""RASP text → IR: the front end for the language of Weiss et al. (ICML 2021).

The dialect is that of the reference implementation (tech-srl/RASP): ``rasp.lark`` is its
grammar, :mod:`tpc.grammar.library` its standard library, :mod:`tpc.grammar.to_ir` its
semantics. Parsing (:mod:`tpc.grammar.parser`) and compiling to IR are separate steps.
"""

from __future__ import annotations

from collections.abc import Sequence

from tpc.errors import TpcError
from tpc.grammar.parser import parse_expression, parse_program
from tpc.grammar.to_ir import compile_program
from tpc.ir import Program


def parse_rasp(text: str, vocab: Sequence[str], max_len: int, output: str | None = None) -> Program:
    """The IR program of RASP ``text`` over token set ``vocab`` and inputs of at most
    ``max_len`` tokens; its output is the variable ``output`` (default: the last one the
    program assigns at top level). RASP programs have no BOS: ``bos`` is None.

    Malformed text and programs without a finite-valued IR raise
    :class:`~tpc.errors.ParseError` naming the line and column.
    """
    vocab = tuple(vocab)
    if not vocab or not all(isinstance(t, str) for t in vocab) or len(set(vocab)) != len(vocab):
        raise TpcError("a RASP vocabulary is a non-empty list of distinct strings")
    if not isinstance(max_len, int) or isinstance(max_len, bool) or max_len < 1:
        raise TpcError(f"max_len must be a positive integer, not {max_len!r}")
    return compile_program(parse_program(text), vocab, max_len, output)


__all__ = ["parse_expression", "parse_program", "parse_rasp"]
