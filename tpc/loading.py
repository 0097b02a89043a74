"""Read a program from disk, whatever its format: ``*.tpir.json`` or RASP text (``*.rasp``).

RASP text carries no vocabulary or length bound, so callers pass them (the CLI's
``--vocab``, ``--max-len``, ``--output``), unless its header comments give them, as the
text ``tpc emit --to rasp`` writes does (:func:`rasp_header`).
"""

from __future__ import annotations

import dataclasses
import json
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
        from tpc.grammar import parse_rasp

        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise FormatError(f"{path} is not a text file") from None
        header = rasp_header(text)
        vocab = header.get("vocab") if vocab is None else vocab
        max_len = header.get("max_len") if max_len is None else max_len
        if vocab is None or max_len is None:
            raise TpcError(f"{path} is RASP text: give its --vocab and --max-len")
        try:
            prog = parse_rasp(text, vocab=list(vocab), max_len=max_len, output=output)
            bos, eos = header.get("bos"), header.get("eos")
            return dataclasses.replace(prog, bos=bos, eos=eos).validate() if bos or eos else prog
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


#: Header comments of emitted RASP text that :func:`load_program` reads (JSON values).
HEADER_KEYS = ("vocab", "max_len", "bos", "eos")


def rasp_header(text: str) -> dict:
    """``# key: json`` comments at the top of RASP text (as ``tpc emit --to rasp`` writes
    them) for the keys of :data:`HEADER_KEYS`; lines that do not parse are ignored. ``bos``
    (and ``eos``) say that the program reads the task's BOS token at position 0, as
    programs learned from a task do, so they run on whole task inputs."""
    found: dict = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep and key.strip() in HEADER_KEYS:
            try:
                found[key.strip()] = json.loads(value)
            except ValueError:
                continue
    return found


def rasp_file_header(path: str | Path) -> dict:
    """:func:`rasp_header` of a file; empty if it cannot be read (loading it says why)."""
    try:
        return rasp_header(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
