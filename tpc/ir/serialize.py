"""``*.tpir.json``: the IR on disk.

The format is versioned (``"format": "tpc-ir/1"``), keys are sorted, tables are lists of
``[*inputs, output]`` entries sorted by input, so the same program always gives the
same bytes and ``load(dump(p)) == p``. An open map (defined by its form, see
:mod:`tpc.ir.forms`) has ``"table": null`` and its ``"form"``. ``meta`` dicts must hold
JSON values only.

Files are untrusted input: :func:`load` and :func:`loads` refuse anything malformed,
ill-typed or beyond the limits of :mod:`tpc.ir.limits` with a one-line
:class:`~tpc.errors.FormatError` or :class:`~tpc.errors.IRError` naming the node.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from tpc.errors import FormatError, IRError, printable, quote
from tpc.fileio import write_atomic
from tpc.ir.forms import check_form, parse_form
from tpc.ir.limits import (
    MAX_FILE_BYTES,
    MAX_STRING,
    check_meta,
    check_node_meta,
    check_sizes,
    check_values,
    value_problem,
)
from tpc.ir.nodes import (
    NODE_KINDS,
    Aggregate,
    Comparison,
    Constant,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
)
from tpc.ir.program import Program
from tpc.ir.reading import reading_of
from tpc.ir.types import Categorical, Numerical, Selector, Type, value_key

FORMAT = "tpc-ir/1"


_SCALARS = (str, int, float, bool)


def _scalar(v: Any, what: str) -> Any:
    """``v`` if it is a value the IR may hold (:func:`tpc.ir.limits.value_problem`)."""
    if not isinstance(v, _SCALARS):
        raise ValueError(f"{what} must be a string, number or boolean, not {quote(v)}")
    problem = value_problem(v)
    if problem is not None:
        raise ValueError(f"{what} {problem}")
    return v


def _type_to_json(t: Type) -> dict:
    if isinstance(t, Categorical):
        return {"kind": "categorical", "values": list(t.values)}
    if isinstance(t, Numerical):
        return {"kind": "numerical", "values": None if t.values is None else list(t.values)}
    return {"kind": "selector"}


def _type_from_json(d: Any) -> Type:
    kind = d.get("kind") if isinstance(d, dict) else None
    if kind == "categorical" and isinstance(d.get("values"), list):
        return Categorical(tuple(_scalar(v, "a type's value") for v in d["values"]))
    if kind == "numerical":
        vals = d.get("values")
        if vals is None:
            return Numerical(None)
        if isinstance(vals, list) and all(isinstance(v, (int, float)) for v in vals):
            return Numerical(tuple(_scalar(v, "a type's value") for v in vals))
    if kind == "selector":
        return Selector()
    raise ValueError(f"unknown type {quote(d)}")


def _sorted_entries(entries: list[list]) -> list[list]:
    """Table entries ``[*inputs, output]`` sorted by their inputs."""
    return sorted(entries, key=lambda e: tuple(value_key(v) for v in e[:-1]))


def node_to_json(node: Node) -> dict:
    """One node as a JSON object."""
    d: dict[str, Any] = {"name": node.name, "kind": node.kind, "type": _type_to_json(node.type)}
    if node.meta:
        d["meta"] = node.meta
    if isinstance(node, Constant):
        d["value"] = node.value
    elif isinstance(node, Map):
        d["x"] = node.x
        d["table"] = (
            None if node.table is None else _sorted_entries([[k, v] for k, v in node.table.items()])
        )
    elif isinstance(node, SequenceMap):
        d["x"], d["y"] = node.x, node.y
        d["table"] = (
            None
            if node.table is None
            else _sorted_entries([[x, y, v] for (x, y), v in node.table.items()])
        )
    elif isinstance(node, Select):
        d["keys"], d["queries"], d["causal"] = node.keys, node.queries, node.causal
        if isinstance(node.predicate, Comparison):
            d["predicate"] = {"comparison": node.predicate.op}
        else:
            pairs = sorted(node.predicate.pairs, key=lambda p: (value_key(p[0]), value_key(p[1])))
            d["predicate"] = {"table": [list(p) for p in pairs]}
    elif isinstance(node, SelectorOp):
        d["op"], d["sels"] = node.op, list(node.sels)
    elif isinstance(node, Aggregate):
        d["sel"], d["values"], d["reduce"], d["default"] = (
            node.sel,
            node.values,
            node.reduce,
            node.default,
        )
    elif isinstance(node, SelectorWidth):
        d["sel"] = node.sel
    elif isinstance(node, Readout):
        d["features"] = list(node.features)
        d["weights"] = [
            {"rows": [[v, list(r)] for v, r in w.items()]}
            if isinstance(w, dict)
            else {"scale": list(w)}
            for w in node.weights
        ]
        d["bias"], d["mask"], d["pooled"] = list(node.bias), list(node.mask), node.pooled
    if isinstance(node, (Map, SequenceMap)) and node.form is not None:
        d["form"] = node.form
    return d


def _name(v: Any, what: str) -> str:
    if not isinstance(v, str) or len(v) > MAX_STRING:
        raise ValueError(f"{what} must be a node name, not {quote(v)}")
    return v


def _rows(v: Any, arity: int, what: str) -> list[list]:
    if not isinstance(v, list) or any(not isinstance(r, list) or len(r) != arity for r in v):
        raise ValueError(f"{what} must be a list of {arity}-element lists")
    return [[_scalar(x, what) for x in r] for r in v]


def _table(rows: Any, arity: int) -> dict:
    """A map's table from its ``[*inputs, output]`` rows, each input listed once."""
    checked = _rows(rows, arity + 1, "table")
    table = {(r[0] if arity == 1 else tuple(r[:-1])): r[-1] for r in checked}
    if len(table) != len(checked):
        raise ValueError("table lists an input twice")
    return table


def _floats(v: Any, what: str) -> list[float]:
    if not isinstance(v, list) or any(
        isinstance(x, bool) or not isinstance(x, (int, float)) for x in v
    ):
        raise ValueError(f"{what} must be a list of numbers")
    return [_scalar(x, what) for x in v]


def _checked_form(name: Any, form: Any, table: Any, arity: int) -> str | None:
    """A map's form: text a map's form may be (:func:`tpc.ir.forms.check_form`) whether
    or not the map has a table (back ends print it), present and a form proper
    (:func:`tpc.ir.forms.parse_form`) when the table is null; ``FormatError`` naming the
    node otherwise."""
    if form is None:
        if table is None:
            raise FormatError(
                f"node {quote(name)}: a map with a null table needs a form to define it"
            )
        return None
    if not isinstance(form, str):
        raise FormatError(f"node {quote(name)}: form must be a string, not {quote(form)}")
    try:
        if table is None:
            parse_form(form)
        check_form(form, arity)
    except IRError as e:
        raise FormatError(f"node {quote(name)}: {e}") from None
    return form


def node_from_json(d: Any) -> Node:
    """Inverse of :func:`node_to_json`; ``IRError`` names the node on malformed input."""
    name = d.get("name", "?") if isinstance(d, dict) else "?"
    try:
        if not isinstance(d, dict):
            raise ValueError("a node must be a JSON object")
        cls = NODE_KINDS.get(d.get("kind"))  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown node kind {quote(d.get('kind'))}")
        meta = d.get("meta", {})
        check_node_meta(name, meta)
        common = {
            "name": _name(d["name"], "name"),
            "type": _type_from_json(d["type"]),
            "meta": meta,
        }
        if cls is Constant:
            return cls(**common, value=_scalar(d["value"], "value"))
        if cls in (Map, SequenceMap):
            arity = 1 if cls is Map else 2
            form = _checked_form(name, d.get("form"), d["table"], arity)
            table = None if d["table"] is None else _table(d["table"], arity)
            operands = {op: _name(d[op], op) for op in "xy"[:arity]}
            return cls(**common, **operands, table=table, form=form)
        if cls is Select:
            p = d["predicate"]
            if isinstance(p, dict) and "comparison" in p:
                pred: Comparison | TablePredicate = Comparison(_name(p["comparison"], "comparison"))
            elif isinstance(p, dict) and "table" in p:
                pred = TablePredicate(
                    frozenset((q, k) for q, k in _rows(p["table"], 2, "predicate table"))
                )
            else:
                raise ValueError(
                    'predicate must be {"comparison": OP} or {"table": [[query, key], ...]}'
                )
            if not isinstance(d["causal"], bool):
                raise ValueError("causal must be a boolean")
            keys, queries = _name(d["keys"], "keys"), _name(d["queries"], "queries")
            return cls(**common, keys=keys, queries=queries, predicate=pred, causal=d["causal"])
        if cls is Aggregate:
            default = d["default"] if d["default"] is None else _scalar(d["default"], "default")
            return cls(
                **common,
                sel=_name(d["sel"], "sel"),
                values=_name(d["values"], "values"),
                reduce=_name(d["reduce"], "reduce"),
                default=default,
            )
        if cls is SelectorWidth:
            return cls(**common, sel=_name(d["sel"], "sel"))
        if cls is SelectorOp:
            if not isinstance(d["sels"], list):
                raise ValueError("sels must be a list of node names")
            return cls(
                **common, op=_name(d["op"], "op"), sels=[_name(x, "sels") for x in d["sels"]]
            )
        if cls is Readout:
            weights = []
            for w in d["weights"]:
                if isinstance(w, dict) and "rows" in w:
                    weights.append(
                        {_scalar(v, "row value"): _floats(r, "weights") for v, r in w["rows"]}
                    )
                elif isinstance(w, dict) and "scale" in w:
                    weights.append(_floats(w["scale"], "weights"))
                else:
                    raise ValueError('each readout weight is {"rows": ...} or {"scale": ...}')
            features = [_name(f, "feature") for f in d["features"]]
            mask = d["mask"]
            if not isinstance(mask, list) or any(not isinstance(m, bool) for m in mask):
                raise ValueError("mask must be a list of booleans")
            if not isinstance(d["pooled"], bool):
                raise ValueError("pooled must be a boolean")
            return cls(
                **common,
                features=features,
                weights=weights,
                bias=_floats(d["bias"], "bias"),
                mask=mask,
                pooled=d["pooled"],
            )
        return cls(**common)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        what = f"missing field {e}" if isinstance(e, KeyError) else str(e)
        raise IRError(f"node {quote(name)}: malformed JSON: {printable(what)}") from None


def to_json(program: Program) -> dict:
    """The program as a JSON-ready dict."""
    return {
        "format": FORMAT,
        "vocab": list(program.vocab),
        "max_len": program.max_len,
        "bos": program.bos,
        "eos": program.eos,
        "output": program.output,
        "meta": program.meta,
        "nodes": [node_to_json(n) for n in program],
    }


def from_json(d: Any) -> Program:
    """Inverse of :func:`to_json`; checks the limits of :mod:`tpc.ir.limits` and
    validates the result."""
    if not isinstance(d, dict) or "format" not in d:
        raise FormatError('not a tpc IR file (no "format" field)')
    if d["format"] != FORMAT:
        raise FormatError(
            f"IR format {quote(d['format'])} is not supported; this tpc reads {FORMAT!r}"
        )
    try:
        if not isinstance(d["nodes"], list):
            raise FormatError('malformed IR file: "nodes" must be a list')
        nodes = [node_from_json(n) for n in d["nodes"]]
        vocab, max_len, output, meta = d["vocab"], d["max_len"], d["output"], d.get("meta") or {}
        specials = (d.get("bos"), d.get("eos"))
    except KeyError as e:
        raise FormatError(f"malformed IR file: missing field {e}") from None
    if not isinstance(vocab, list) or any(not isinstance(t, str) for t in vocab):
        raise FormatError('malformed IR file: "vocab" must be a list of strings')
    if isinstance(max_len, bool) or not isinstance(max_len, int):
        raise FormatError('malformed IR file: "max_len" must be an integer')
    if not isinstance(output, str) or not isinstance(meta, dict):
        raise FormatError('malformed IR file: "output" must be a name and "meta" an object')
    if any(t is not None and not isinstance(t, str) for t in specials):
        raise FormatError('malformed IR file: "bos" and "eos" must be tokens or null')
    check_values(vocab, "the vocabulary")
    check_meta(meta)
    prog = Program(
        nodes={n.name: n for n in nodes},
        output=output,
        vocab=tuple(vocab),
        max_len=max_len,
        bos=specials[0],
        eos=specials[1],
        meta=meta,
    )
    if len(prog.nodes) != len(nodes):
        raise IRError("two nodes share a name")
    check_sizes(prog)
    return prog.validate()


def dumps(program: Program) -> str:
    """Deterministic JSON text; ``IRError`` for a program larger than tpc reads back
    (:func:`~tpc.ir.limits.check_sizes`, :data:`~tpc.ir.limits.MAX_FILE_BYTES`) or whose
    ``meta`` it would refuse (:func:`~tpc.ir.limits.check_meta`), so that what tpc writes,
    it loads."""
    try:
        check_meta(program.meta)
        reading_of(program)
        check_sizes(program)
    except IRError as e:
        raise IRError(f"cannot write the program as an IR file: {e}") from None
    text = json.dumps(to_json(program), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    if len(text) > MAX_FILE_BYTES:
        raise IRError(
            f"cannot write the program as an IR file: its {len(text):,} characters are more "
            f"than the {MAX_FILE_BYTES:,} tpc reads"
        )
    return text


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number tpc reads")


def loads(text: str) -> Program:
    """The program in JSON ``text`` (:func:`from_json`); one-line ``FormatError`` for text
    that is too long, not JSON, nested too deeply or holding ``NaN``/``Infinity`` or an
    integer of more digits than Python converts."""
    if len(text) > MAX_FILE_BYTES:
        raise FormatError(f"the IR text is larger than {MAX_FILE_BYTES:,} characters")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise FormatError(f"not JSON: {printable(str(e))}") from None
    except ValueError as e:  # NaN/Infinity, or an integer beyond Python's digit limit
        digits = sys.get_int_max_str_digits()
        why = f"an integer of more than {digits:,} digits" if "digits" in str(e) else str(e)
        raise FormatError(f"not JSON that tpc reads: {printable(why)}") from None
    except RecursionError:
        raise FormatError("not JSON that tpc reads: arrays or objects nested too deeply") from None
    return from_json(data)


def read_text(path: str | os.PathLike) -> str:
    """A program file's text (UTF-8, at most :data:`~tpc.ir.limits.MAX_FILE_BYTES`, line
    ends read as ``\n`` as :meth:`pathlib.Path.read_text` does); ``FormatError`` when it
    cannot be read, is larger or is not text."""
    shown = printable(str(path))
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise FormatError(f"cannot read {shown}: {e.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(
            f"{shown} is larger than {MAX_FILE_BYTES // 2**20} MiB, more than tpc reads"
        )
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise FormatError(f"{shown} is not a text file") from None


def dump(program: Program, path: str | os.PathLike) -> None:
    """Write ``program`` to ``path`` atomically."""
    write_atomic(path, dumps(program))


def load(path: str | os.PathLike) -> Program:
    """Read a ``*.tpir.json`` file; ``FormatError``/``IRError`` on anything malformed."""
    return loads(read_text(path))
