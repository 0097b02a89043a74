"""Read a program from disk, whatever its format: ``*.tpir.json`` or RASP text (``*.rasp``).

RASP text carries no vocabulary, length bound or output name, so callers pass them
(the CLI's ``--vocab``, ``--max-len``, ``--output``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tpc.errors import FormatError, TpcError
from tpc.ir import Program, load


def load_program(
    path: str | Path,
    vocab: Sequence[str] | None = None,
    max_len: int | None = None,
    output: str | None = None,
) -> Program:
    """Load ``path``; RASP text needs ``vocab`` and ``max_len``, IR files must not get them."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"no such program file: {path}")
    if path.suffix == ".rasp":
        if vocab is None or max_len is None:
            raise TpcError(f"{path} is RASP text: give its --vocab and --max-len")
        from tpc.grammar import parse_rasp

        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise FormatError(f"{path} is not a text file") from None
        try:
            return parse_rasp(text, vocab=list(vocab), max_len=max_len, output=output)
        except TpcError as e:
            raise type(e)(f"{path}: {e}") from None
    if path.name.endswith(".json"):
        prog = load(path)
        if output is not None:
            if output not in prog.nodes:
                raise TpcError(f"{path} has no node named '{output}'")
            prog = prog.replace(prog.nodes, output=output).validate()
        return prog
    raise FormatError(f"{path}: unknown program format (expected .rasp or .tpir.json)")
