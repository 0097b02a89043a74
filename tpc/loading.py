"""Read a program from disk, whatever its format: ``*.tpir.json`` or RASP text (``*.rasp``).

RASP text carries no vocabulary or length bound, so callers pass them (the CLI's
``--vocab``, ``--max-len``, ``--output``), unless its header comments give them, as the
text ``tpc emit --to rasp`` writes does (:func:`rasp_header`). An IR file carries its own
and must not get them. Either file may be at most
:data:`~tpc.ir.limits.MAX_FILE_BYTES` long.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from tpc.errors import FormatError, TpcError, printable, quote
from tpc.ir import Program, load
from tpc.ir.serialize import read_text


def load_program(
    path: str | Path,
    vocab: Sequence[str] | None = None,
    max_len: int | None = None,
    output: str | None = None,
) -> Program:
    """Load ``path``; RASP text needs ``vocab`` and ``max_len``, IR files must not get them."""
    path = Path(path)
    shown = printable(str(path))  # paths in messages: one printable line
    if not path.is_file():
        raise FormatError(f"no such program file: {shown}")
    if path.suffix == ".rasp":
        from tpc.frontends import parse_rasp

        text = read_text(path)
        header = rasp_header(text)
        vocab = header.get("vocab") if vocab is None else vocab
        max_len = header.get("max_len") if max_len is None else max_len
        if vocab is None or max_len is None:
            raise TpcError(f"{shown} is RASP text: give its --vocab and --max-len")
        try:
            prog = parse_rasp(text, vocab=list(vocab), max_len=max_len, output=output)
            bos, eos = header.get("bos"), header.get("eos")
            return dataclasses.replace(prog, bos=bos, eos=eos).validate() if bos or eos else prog
        except TpcError as e:
            raise type(e)(f"{shown}: {e}") from None
    if path.name.endswith(".json"):
        if vocab is not None or max_len is not None:
            raise TpcError("--vocab/--max-len apply to RASP text; an IR file carries its own")
        prog = load(path)
        if output is not None:
            if output not in prog.nodes:
                raise TpcError(f"{shown} has no node named {quote(output)}")
            prog = prog.replace(prog.nodes, output=output).validate()
        return prog
    raise FormatError(f"{shown}: unknown program format (expected .rasp or .tpir.json)")


def _is_token_list(v: object) -> bool:
    return isinstance(v, list) and all(isinstance(t, str) for t in v)


def _is_length(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


#: Header comments of emitted RASP text that :func:`load_program` reads (JSON values),
#: and what each must be.
HEADER_KEYS: dict[str, Callable[[object], bool]] = {
    "vocab": _is_token_list,
    "max_len": _is_length,
    "bos": lambda v: isinstance(v, str),
    "eos": lambda v: isinstance(v, str),
}


def rasp_header(text: str) -> dict:
    """``# key: json`` comments at the top of RASP text (as ``tpc emit --to rasp`` writes
    them) for the keys of :data:`HEADER_KEYS`; lines that do not parse or give a value of
    the wrong kind are ignored. ``bos`` (and ``eos``) say that the program reads the task's
    BOS token at position 0, as programs learned from a task do, so they run on whole task
    inputs."""
    found: dict = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        key = key.strip()
        if sep and key in HEADER_KEYS:
            try:
                parsed = json.loads(value)
            except (ValueError, RecursionError):
                continue
            if HEADER_KEYS[key](parsed):
                found[key] = parsed
    return found


def rasp_file_header(path: str | Path) -> dict:
    """:func:`rasp_header` of a file; empty if it cannot be read (loading it says why)."""
    try:
        return rasp_header(read_text(path))
    except FormatError:
        return {}
