"""``*.tpir.json``: the IR on disk.

The format is versioned (``"format": "tpc-ir/1"``), keys are sorted, tables are lists of
``[*inputs, output]`` entries sorted by input, so the same program always gives the
same bytes and ``load(dump(p)) == p``. An open map (defined by its form, see
:mod:`tpc.ir.forms`) has ``"table": null`` and its ``"form"``. ``meta`` dicts must hold
JSON values only.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tpc.errors import FormatError, IRError, TpcError
from tpc.ir.forms import parse_form
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
from tpc.ir.types import Categorical, Numerical, Selector, Type, value_key

FORMAT = "tpc-ir/1"


_SCALARS = (str, int, float, bool)


def _scalar(v: Any, what: str) -> Any:
    if not isinstance(v, _SCALARS):
        raise ValueError(f"{what} must be a string, number or boolean, not {v!r}")
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
            return Numerical(tuple(vals))
    if kind == "selector":
        return Selector()
    raise ValueError(f"unknown type {d!r}")


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
    if not isinstance(v, str):
        raise ValueError(f"{what} must be a node name, not {v!r}")
    return v


def _rows(v: Any, arity: int, what: str) -> list[list]:
    if not isinstance(v, list) or any(not isinstance(r, list) or len(r) != arity for r in v):
        raise ValueError(f"{what} must be a list of {arity}-element lists")
    return [[_scalar(x, what) for x in r] for r in v]


def _floats(v: Any, what: str) -> list[float]:
    if not isinstance(v, list) or any(
        isinstance(x, bool) or not isinstance(x, (int, float)) for x in v
    ):
        raise ValueError(f"{what} must be a list of numbers")
    return v


def _is_open(name: str, table: Any, form: str | None) -> bool:
    """Whether a map is open (``"table": null``); ``FormatError`` for an open map whose
    form is missing or not a form (:mod:`tpc.ir.forms`)."""
    if table is not None:
        return False
    if form is None:
        raise FormatError(f"node {name!r}: a map with a null table needs a form to define it")
    try:
        parse_form(form)
    except IRError as e:
        raise FormatError(f"node {name!r}: {e}") from None
    return True


def node_from_json(d: Any) -> Node:
    """Inverse of :func:`node_to_json`; ``IRError`` names the node on malformed input."""
    name = d.get("name", "?") if isinstance(d, dict) else "?"
    try:
        if not isinstance(d, dict):
            raise ValueError("a node must be a JSON object")
        cls = NODE_KINDS.get(d.get("kind"))  # type: ignore[arg-type]
        if cls is None:
            raise ValueError(f"unknown node kind {d.get('kind')!r}")
        meta = d.get("meta", {})
        if not isinstance(meta, dict):
            raise ValueError("meta must be an object")
        common = {
            "name": _name(d["name"], "name"),
            "type": _type_from_json(d["type"]),
            "meta": meta,
        }
        form = d.get("form")
        if form is not None and not isinstance(form, str):
            raise ValueError("form must be a string")
        if cls is Constant:
            return cls(**common, value=_scalar(d["value"], "value"))
        if cls is Map:
            table = (
                None
                if _is_open(name, d["table"], form)
                else {k: v for k, v in _rows(d["table"], 2, "table")}
            )
            return cls(**common, x=_name(d["x"], "x"), table=table, form=form)
        if cls is SequenceMap:
            table = (
                None
                if _is_open(name, d["table"], form)
                else {(x, y): v for x, y, v in _rows(d["table"], 3, "table")}
            )
            return cls(**common, x=_name(d["x"], "x"), y=_name(d["y"], "y"), table=table, form=form)
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
        raise IRError(f"node {name!r}: malformed JSON: {what}") from None


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
    """Inverse of :func:`to_json`; validates the result."""
    if not isinstance(d, dict) or "format" not in d:
        raise FormatError('not a tpc IR file (no "format" field)')
    if d["format"] != FORMAT:
        raise FormatError(f"IR format {d['format']!r} is not supported; this tpc reads {FORMAT!r}")
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
    return prog.validate()


def dumps(program: Program) -> str:
    """Deterministic JSON text."""
    return json.dumps(to_json(program), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def loads(text: str) -> Program:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FormatError(f"not JSON: {e}") from None
    return from_json(data)


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise TpcError(f"cannot write {path}: directory {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def dump(program: Program, path: str | os.PathLike) -> None:
    """Write ``program`` to ``path`` atomically."""
    write_atomic(path, dumps(program))


def load(path: str | os.PathLike) -> Program:
    """Read a ``*.tpir.json`` file; ``FormatError``/``IRError`` on anything malformed."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise FormatError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise FormatError(f"{path} is not a text file") from None
    return loads(text)
