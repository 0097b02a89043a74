"""``*.tpir.json``: the IR on disk.

The format is versioned (``"format": "tpc-ir/1"``), keys are sorted, tables are lists of
``[*inputs, output]`` entries sorted by input, so the same program always gives the
same bytes and ``load(dump(p)) == p``. ``meta`` dicts must hold JSON values only.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tpc.errors import FormatError, IRError
from tpc.ir.nodes import (
    NODE_KINDS,
    Aggregate,
    Comparison,
    Constant,
    Map,
    Node,
    Readout,
    Select,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
)
from tpc.ir.program import Program
from tpc.ir.types import Categorical, Numerical, Selector, Type, value_key

FORMAT = "tpc-ir/1"


def _type_to_json(t: Type) -> dict:
    if isinstance(t, Categorical):
        return {"kind": "categorical", "values": list(t.values)}
    if isinstance(t, Numerical):
        return {"kind": "numerical", "values": None if t.values is None else list(t.values)}
    return {"kind": "selector"}


def _type_from_json(d: Any) -> Type:
    kind = d.get("kind") if isinstance(d, dict) else None
    if kind == "categorical":
        return Categorical(tuple(d["values"]))
    if kind == "numerical":
        vals = d.get("values")
        return Numerical(None if vals is None else tuple(vals))
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
        d["table"] = _sorted_entries([[k, v] for k, v in node.table.items()])
    elif isinstance(node, SequenceMap):
        d["x"], d["y"] = node.x, node.y
        d["table"] = _sorted_entries([[x, y, v] for (x, y), v in node.table.items()])
    elif isinstance(node, Select):
        d["keys"], d["queries"], d["causal"] = node.keys, node.queries, node.causal
        if isinstance(node.predicate, Comparison):
            d["predicate"] = {"comparison": node.predicate.op}
        else:
            pairs = sorted(node.predicate.pairs, key=lambda p: (value_key(p[0]), value_key(p[1])))
            d["predicate"] = {"table": [list(p) for p in pairs]}
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


def node_from_json(d: dict) -> Node:
    """Inverse of :func:`node_to_json`; ``IRError`` names the node on malformed input."""
    name = d.get("name", "?") if isinstance(d, dict) else "?"
    try:
        cls = NODE_KINDS[d["kind"]]
        common = {"name": d["name"], "type": _type_from_json(d["type"]), "meta": d.get("meta", {})}
        if cls is Constant:
            return cls(**common, value=d["value"])
        if cls is Map:
            return cls(**common, x=d["x"], table={k: v for k, v in d["table"]}, form=d.get("form"))
        if cls is SequenceMap:
            return cls(
                **common,
                x=d["x"],
                y=d["y"],
                table={(x, y): v for x, y, v in d["table"]},
                form=d.get("form"),
            )
        if cls is Select:
            p = d["predicate"]
            if "comparison" in p:
                pred = Comparison(p["comparison"])
            else:
                pred = TablePredicate(frozenset((q, k) for q, k in p["table"]))
            return cls(
                **common,
                keys=d["keys"],
                queries=d["queries"],
                predicate=pred,
                causal=bool(d["causal"]),
            )
        if cls is Aggregate:
            return cls(
                **common, sel=d["sel"], values=d["values"], reduce=d["reduce"], default=d["default"]
            )
        if cls is SelectorWidth:
            return cls(**common, sel=d["sel"])
        if cls is Readout:
            weights = [
                {v: r for v, r in w["rows"]} if "rows" in w else w["scale"] for w in d["weights"]
            ]
            return cls(
                **common,
                features=d["features"],
                weights=weights,
                bias=d["bias"],
                mask=d["mask"],
                pooled=bool(d["pooled"]),
            )
        return cls(**common)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise IRError(f"node '{name}': malformed JSON ({type(e).__name__}: {e})") from None


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
        nodes = [node_from_json(n) for n in d["nodes"]]
        prog = Program(
            nodes={n.name: n for n in nodes},
            output=d["output"],
            vocab=tuple(d["vocab"]),
            max_len=d["max_len"],
            bos=d.get("bos"),
            eos=d.get("eos"),
            meta=d.get("meta") or {},
        )
    except (KeyError, TypeError) as e:
        raise FormatError(f"malformed IR file: missing or wrong field ({e})") from None
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
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
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
