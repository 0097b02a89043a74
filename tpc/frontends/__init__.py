"""Front ends: programs written elsewhere → IR. RASP text (the language of Weiss et al.,
ICML 2021) in :mod:`tpc.frontends.rasp_to_ir`, its standard library in
:mod:`tpc.frontends.rasp_library`; the syntax alone is :mod:`tpc.grammar`. Tracr programs
are read by :mod:`tpc.tracr.tracr_to_ir`, beside the rest of tpc's Tracr support.
"""

from __future__ import annotations

from collections.abc import Sequence

from tpc.errors import TpcError, quote
from tpc.frontends.rasp_to_ir import compile_program
from tpc.grammar import parse_program
from tpc.ir import Program
from tpc.ir.limits import MAX_LEN, MAX_VOCAB, check_values


def parse_rasp(text: str, vocab: Sequence[str], max_len: int, output: str | None = None) -> Program:
    """The IR program of RASP ``text`` over token set ``vocab`` and inputs of at most
    ``max_len`` tokens; its output is the variable ``output`` (default: the last one the
    program assigns at top level). RASP programs have no BOS: ``bos`` is None.

    Malformed text and programs without a finite-valued IR raise
    :class:`~tpc.errors.ParseError` naming the line and column; a vocabulary or length
    beyond the limits of :mod:`tpc.ir.limits` raises :class:`~tpc.errors.TpcError`.
    """
    vocab = tuple(vocab)
    if not vocab or not all(isinstance(t, str) for t in vocab) or len(set(vocab)) != len(vocab):
        raise TpcError("a RASP vocabulary is a non-empty list of distinct strings")
    if len(vocab) > MAX_VOCAB:
        raise TpcError(f"a RASP vocabulary has at most {MAX_VOCAB:,} tokens, not {len(vocab):,}")
    check_values(vocab, "the vocabulary")
    if not isinstance(max_len, int) or isinstance(max_len, bool) or not 1 <= max_len <= MAX_LEN:
        shown = (
            "a larger one" if isinstance(max_len, int) and abs(max_len) > 2**64 else quote(max_len)
        )
        raise TpcError(f"max_len must be an integer from 1 to {MAX_LEN:,}, not {shown}")
    return compile_program(parse_program(text), vocab, max_len, output)


__all__ = ["parse_rasp"]
