"""What an IR program may hold: the bounds every ``*.tpir.json`` file is checked against.

An IR file is untrusted input: loading, validating, running or emitting it must never run
anything it holds as code, exhaust memory or take unbounded time. So besides being well
formed and well typed (:func:`tpc.ir.program.validate`) a file must stay within these
limits, each far above what tpc itself makes (the largest program in ``programs/`` is a
2.8 MB file of 63 nodes with ``max_len`` 16, 7 tokens, 257 values in one value set and
70,588 table entries in all; those of ``programs/nlp/`` have up to 10,002 tokens, the
words of a corpus, in files of about 2.2 MB):

================  ===================  ====================================================
limit             value                what it bounds
================  ===================  ====================================================
MAX_FILE_BYTES    32 MiB               the file (checked before it is parsed)
MAX_DEPTH         32                   nesting of JSON arrays and objects (``meta`` too)
MAX_NODES         10,000               nodes
MAX_LEN           4,096                ``max_len`` (the ``indices`` type holds 0..max_len-1)
MAX_VOCAB         131,072              tokens in the vocabulary (a corpus program's
                                       words: the paper's 10,000 and more)
MAX_VALUE_SET     131,072              values in one node's value set
MAX_ENTRIES       1,000,000            table entries of the whole program: map table
                                       rows, table-predicate pairs, readout weights (one
                                       per number) and, for each select over finite value
                                       sets, keys x queries (the interpreter and the
                                       emitted Python tabulate its predicate)
MAX_STRING        1,000 characters     every string: tokens, values, names, forms, ``meta``
                                       keys and strings; each must be valid Unicode (no
                                       lone surrogates), so it can be written as UTF-8
MAX_FORM_DEPTH    100                  nesting of a form's expression (emitted Python
                                       writes it in parentheses; Python reads 200 deep)
MAX_INT           2^63                 magnitude of every integer (values, weights, meta)
(floats)          finite               no NaN or infinity anywhere (JSON's ``NaN`` and
                                       ``Infinity`` literals are refused too)
================  ===================  ====================================================

:func:`tpc.ir.program.validate` checks the limits on single values (strings, integers,
floats) and ``max_len`` for every program (and :class:`~tpc.ir.build.ProgramBuilder`
``max_len`` before it builds the indices), so that whatever tpc writes it can read back;
:func:`tpc.ir.serialize.load` checks the rest. ``meta`` (provenance) is free-form JSON
within these limits, except for the keys tpc reads (:func:`check_meta`):

* ``name``, ``task``, ``source``, ``optimization``: strings;
* ``domain``, ``exact_on``: ``{"task": string, "k": 1..MAX_VOCAB, "n": 1..MAX_LEN}``;
* ``results``: an object whose ``accuracy`` (if any) maps splits to numbers and whose
  ``best_epoch`` (if any) is an integer or null; ``model``: an object;
* ``text``: how a program learned on a corpus reads raw text (:mod:`tpc.ir.reading`);
* a node's ``rasp`` (its RASP text, kept by the RASP front end): one line of printable
  text without comments (:func:`check_form_text`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tpc.errors import IRError, quote
from tpc.ir.nodes import Map, Node, Readout, Select, SequenceMap
from tpc.ir.reading import check_reading
from tpc.ir.types import value_set

if TYPE_CHECKING:
    from tpc.ir.program import Program

MAX_FILE_BYTES = 32 * 2**20
MAX_DEPTH = 32
MAX_NODES = 10_000
MAX_LEN = 4096
MAX_VOCAB = 131_072
MAX_VALUE_SET = 131_072
MAX_ENTRIES = 1_000_000
MAX_STRING = 1000
MAX_FORM_DEPTH = 100
MAX_INT = 2**63


def check_max_len(max_len: Any) -> None:
    """``IRError`` unless ``max_len`` is an integer from 1 to :data:`MAX_LEN` (checked
    before anything typed 0..max_len-1 is built)."""
    if not isinstance(max_len, int) or isinstance(max_len, bool) or not 1 <= max_len <= MAX_LEN:
        raise IRError(f"max_len must be an integer from 1 to {MAX_LEN}, not {quote(max_len)}")


def value_problem(v: Any) -> str | None:
    """Why ``v`` cannot be an IR value (a token, a value-set member, a weight), or None:
    a non-finite float, an integer beyond :data:`MAX_INT`, a string longer than
    :data:`MAX_STRING` or not valid Unicode. Other types are the caller's business."""
    if isinstance(v, float):
        return None if math.isfinite(v) else f"holds {v!r}; only finite numbers are allowed"
    if isinstance(v, int):
        return None if -MAX_INT <= v <= MAX_INT else "holds an integer beyond ±2^63"
    if isinstance(v, str):
        if len(v) > MAX_STRING:
            return f"holds a string of {len(v):,} characters (at most {MAX_STRING:,})"
        if not v.isascii():
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return f"holds the string {quote(v)}, which is not valid Unicode"
    return None


def check_values(values: Iterable[Any], what: str) -> None:
    """``IRError`` (``what`` says where) for the first value :func:`value_problem` refuses."""
    for v in values:
        problem = value_problem(v)
        if problem is not None:
            raise IRError(f"{what} {problem}")


def check_json(value: Any, what: str) -> None:
    """``IRError`` unless ``value`` (parsed JSON: ``meta``) nests at most :data:`MAX_DEPTH`
    deep and every key and value in it is within the limits of :func:`value_problem`."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise IRError(f"{what} nests deeper than {MAX_DEPTH} levels")
            if isinstance(item, dict):
                check_values(item, f"{what} has a key that")
                items: Iterable[Any] = item.values()
            else:
                items = item
            stack.extend((child, depth + 1) for child in items)
        elif item is not None and not isinstance(item, (str, int, float)):
            raise IRError(f"{what} holds {quote(item)}, which is not a JSON value")
        else:
            check_values((item,), what)


#: String literals of RASP text (which hold no quotes or line breaks).
_STRING_LITERAL = re.compile(r'"[^"\r\n]*"')


def check_form_text(text: str) -> None:
    """``IRError`` unless ``text`` is one line of printable text of at most
    :data:`MAX_STRING` characters without a comment (a ``#`` outside string
    literals), as every form is: back ends copy forms into comments and RASP text, where a
    line break or a comment would end what they write."""
    if len(text) > MAX_STRING:
        raise IRError(f"the form is {len(text):,} characters long (at most {MAX_STRING:,})")
    if not text.isprintable():
        raise IRError(
            f"the form {quote(text)} is not one line of printable text (it holds "
            f"{quote(next(c for c in text if not c.isprintable()))})"
        )
    if "#" in _STRING_LITERAL.sub("", text):
        raise IRError(f"the form {quote(text)} holds a comment ('#')")


def is_domain(d: Any) -> bool:
    """Whether ``d`` is a domain record, ``{"task": name, "k": 1..MAX_VOCAB, "n":
    1..MAX_LEN}`` (:mod:`tpc.passes.domain`)."""

    def count(v: Any, limit: int) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= limit

    return (
        isinstance(d, dict)
        and isinstance(d.get("task"), str)
        and count(d.get("k"), MAX_VOCAB)
        and count(d.get("n"), MAX_LEN)
    )


def _check_domain(d: Any, what: str) -> None:
    if not is_domain(d):
        raise IRError(
            f'{what} must be {{"task": name, "k": 1..{MAX_VOCAB}, "n": 1..{MAX_LEN}}}, '
            f"not {quote(d)}"
        )


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_meta(meta: Any) -> None:
    """``IRError`` unless a program's ``meta`` is a JSON object within the limits whose
    keys that tpc reads have the types it reads them as (module docstring)."""
    if not isinstance(meta, dict):
        raise IRError(f"meta must be an object, not {quote(meta)}")
    check_json(meta, "meta")
    for key in ("name", "task", "source", "optimization"):
        if key in meta and not isinstance(meta[key], str):
            raise IRError(f"meta.{key} must be a string, not {quote(meta[key])}")
    for key in ("domain", "exact_on"):
        if key in meta:
            _check_domain(meta[key], f"meta.{key}")
    if "text" in meta:
        check_reading(meta["text"])
    if "model" in meta and not isinstance(meta["model"], dict):
        raise IRError(f"meta.model must be an object, not {quote(meta['model'])}")
    results = meta.get("results", {})
    if not isinstance(results, dict):
        raise IRError(f"meta.results must be an object, not {quote(results)}")
    accuracy = results.get("accuracy", {})
    if not isinstance(accuracy, dict):
        raise IRError(f"meta.results.accuracy must be an object, not {quote(accuracy)}")
    for split, v in accuracy.items():
        if not _is_number(v):
            raise IRError(f"meta.results.accuracy.{split} must be a number, not {quote(v)}")
    epoch = results.get("best_epoch")
    if epoch is not None and (not isinstance(epoch, int) or isinstance(epoch, bool)):
        raise IRError(f"meta.results.best_epoch must be an integer, not {quote(epoch)}")


def check_node_meta(name: str, meta: Any) -> None:
    """``IRError`` unless a node's ``meta`` is a JSON object within the limits whose
    ``rasp`` text, if any, is one line of printable text without comments."""
    where = f"node {quote(name)}: meta"
    if not isinstance(meta, dict):
        raise IRError(f"{where} must be an object, not {quote(meta)}")
    check_json(meta, where)
    if "rasp" in meta:
        if not isinstance(meta["rasp"], str):
            raise IRError(f"{where}.rasp must be a string, not {quote(meta['rasp'])}")
        try:
            check_form_text(meta["rasp"])
        except IRError as e:
            raise IRError(f"{where}.rasp: {e}") from None


def _entries(program: Program, node: Node) -> int:
    """How many table entries ``node`` holds or makes its readers tabulate (module
    docstring); operands that do not exist (yet) count nothing."""
    if isinstance(node, (Map, SequenceMap)):
        return len(node.table or ())
    if isinstance(node, Select):
        pairs = len(getattr(node.predicate, "pairs", ()))
        operands = [program.nodes.get(name) for name in node.inputs]
        sets = [value_set(op.type) if op is not None else None for op in operands]
        return pairs + (len(sets[0]) * len(sets[1]) if None not in sets else 0)  # type: ignore[arg-type]
    if isinstance(node, Readout):
        rows = (w.values() if isinstance(w, dict) else (w,) for w in node.weights)
        return len(node.bias) + sum(len(row) for group in rows for row in group)
    return 0


def check_sizes(program: Program) -> None:
    """``IRError`` (naming the node where there is one) when ``program`` has more nodes,
    tokens, values in a value set or table entries than the limits allow."""
    if len(program.nodes) > MAX_NODES:
        raise IRError(
            f"the program has {len(program.nodes):,} nodes; tpc reads at most {MAX_NODES:,}"
        )
    if len(program.vocab) > MAX_VOCAB:
        raise IRError(
            f"the vocabulary has {len(program.vocab):,} tokens; tpc reads at most {MAX_VOCAB:,}"
        )
    total = 0
    for node in program:
        values = value_set(node.type)
        if values is not None and len(values) > MAX_VALUE_SET:
            raise IRError(
                f"node {quote(node.name)} ({node.kind}): its value set has {len(values):,} "
                f"values; tpc reads at most {MAX_VALUE_SET:,}"
            )
        total += _entries(program, node)
        if total > MAX_ENTRIES:
            raise IRError(
                f"node {quote(node.name)} ({node.kind}): the program's tables reach "
                f"{total:,} entries here; tpc reads at most {MAX_ENTRIES:,} in all"
            )
