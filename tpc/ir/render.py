"""Helpers shared by everything that writes IR as text (the back ends of
:mod:`tpc.backends`, the Tracr emitter of :mod:`tpc.tracr`, and the Tracr importer's
identifiers): literals, predicate descriptions, grouped table
predicates, the nodes an output needs, collision-free identifiers, and the program's
title and provenance for headers.

Emitted text never holds a user's string raw: in code a string is a ``repr`` literal
(:func:`render_value`), in comments and docstrings it goes through
:func:`~tpc.errors.printable` (one line, no control characters), as :func:`program_title`
and :func:`provenance` do."""

from __future__ import annotations

import builtins
import json
import keyword
import math
import os
import re
from collections.abc import Iterable, Sequence

import networkx as nx

from tpc.errors import printable
from tpc.ir.nodes import COMPARISONS, Comparison, Node, Predicate, TablePredicate
from tpc.ir.program import Program
from tpc.ir.types import Value, value_key

#: A table predicate's query values that select the same key values, and those keys.
Group = tuple[tuple[Value, ...], tuple[Value, ...]]


def render_value(v: Value | None) -> str:
    """``v`` as a Python literal (``float("inf")`` for non-finite floats; the numpy float and
    string scalars that IR validation admits as plain Python ones)."""
    if v is None or isinstance(v, bool):
        return repr(v if v is None else bool(v))
    if isinstance(v, str):
        return repr(str(v))
    if isinstance(v, int):
        return repr(int(v))
    v = float(v)
    return repr(v) if math.isfinite(v) else f'float("{v}")'


def sorted_values(values: Iterable[Value]) -> list[Value]:
    """``values`` in the IR's total order (bools, numbers, strings)."""
    return sorted(values, key=value_key)


def render_set(values: Iterable[Value]) -> str:
    """A set literal of ``values`` in sorted order (``set()`` when empty)."""
    items = sorted_values(values)
    return "{" + ", ".join(render_value(v) for v in items) + "}" if items else "set()"


def summarize_values(values: Sequence[Value], limit: int = 6) -> str:
    """``'a', 'b', …, 'z'``: at most ``limit`` values, the last one kept."""
    shown = [render_value(v) for v in values]
    if len(shown) > limit:
        shown = shown[: limit - 1] + ["…", shown[-1]]
    return ", ".join(shown)


def membership(var: str, values: Sequence[Value]) -> str:
    """``var == v`` for one value, ``var in {...}`` for several, ``False`` for none."""
    if not values:
        return "False"
    if len(values) == 1:
        return f"{var} == {render_value(values[0])}"
    return f"{var} in {render_set(values)}"


def group_table(pred: TablePredicate) -> list[Group]:
    """The query values that select the same (non-empty) set of key values, grouped.

    Groups come in the order of their first query value; values within a group are sorted.
    Query values absent from the table select nothing.
    """
    by_query: dict[Value, set[Value]] = {}
    for q, k in sorted(pred.pairs, key=lambda p: (value_key(p[0]), value_key(p[1]))):
        by_query.setdefault(q, set()).add(k)
    by_keys: dict[frozenset[Value], list[Value]] = {}
    for q, keys in by_query.items():
        by_keys.setdefault(frozenset(keys), []).append(q)
    groups = [(tuple(qs), tuple(sorted_values(keys))) for keys, qs in by_keys.items()]
    return sorted(groups, key=lambda g: value_key(g[0][0]))


def comparison_rows(
    pred: TablePredicate, keys: Sequence[Value], queries: Sequence[Value]
) -> tuple[Comparison, tuple[Value, ...]] | None:
    """The named comparison that selects, for the most query values, exactly the keys the
    table selects (among comparisons that plain Python reads as the IR does on these
    values), and those query values; None if none does for two or more."""
    selected: dict[Value, set[Value]] = {}
    for q, k in pred.pairs:
        selected.setdefault(q, set()).add(k)
    best = None
    for op in ("EQ", "NEQ", "LT", "LEQ", "GT", "GEQ"):
        cmp = Comparison(op)
        if not cmp.python_agrees(keys, queries):
            continue
        rows = tuple(
            q for q in queries if {k for k in keys if cmp(k, q)} == selected.get(q, set())
        )
        if len(rows) >= 2 and (best is None or len(rows) > len(best[1])):
            best = (cmp, rows)
    return best


def describe_predicate(pred: Predicate, key: str = "key", query: str = "query") -> str:
    """A one-line reading of ``pred(key, query)``: ``key < query``, ``True``, or the grouped
    table as ``query == 0: key in {'a', 'b'}; query in {1, 2}: key == 'c'``; ``key`` and
    ``query`` name the operands."""
    if isinstance(pred, Comparison):
        if pred.op in ("TRUE", "FALSE"):
            return str(pred.op == "TRUE")
        return f"{key} {COMPARISONS[pred.op]} {query}"
    groups = group_table(pred)
    if not groups:
        return "False"
    return "; ".join(f"{membership(query, qs)}: {membership(key, ks)}" for qs, ks in groups)


def describe_specials(program: Program) -> str:
    """``BOS '<s>', EOS '</s>'`` (the special tokens the program expects), or ``""``."""
    specials = (("BOS", program.bos), ("EOS", program.eos))
    return ", ".join(f"{what} {tok!r}" for what, tok in specials if tok is not None)


def live_nodes(program: Program) -> list[Node]:
    """The nodes the output depends on (itself included), in the program's topological order."""
    live = nx.ancestors(program.graph, program.output) | {program.output}
    return [node for node in program if node.name in live]


def safe_identifier(text: str) -> str:
    """``text`` made into a Python identifier: other characters become ``_``, a leading
    digit or a keyword gets an underscore, and a name like ``__builtins__`` (which would
    change how a module works) keeps one underscore each side."""
    ident = re.sub(r"\W", "_", text, flags=re.ASCII) or "_"
    if ident[0].isdigit():
        ident = "_" + ident
    if len(ident) > 4 and ident.startswith("__") and ident.endswith("__"):
        ident = f"_{ident.strip('_')}_"
    return ident + "_" if keyword.iskeyword(ident) else ident


class Namer:
    """Hands out distinct identifiers: the stem itself when free, else ``stem_1``, ``stem_2``…

    Keywords and builtins are never handed out, nor anything in ``reserved``.
    """

    def __init__(self, reserved: Iterable[str] = ()):
        self.taken = set(reserved) | set(keyword.kwlist) | set(dir(builtins))

    def name(self, stem: str) -> str:
        """A fresh identifier for ``stem`` (now taken)."""
        base = safe_identifier(stem)
        ident, i = base, 0
        while ident in self.taken:
            i += 1
            ident = f"{base}_{i}"
        self.taken.add(ident)
        return ident


#: Column at which data tables (dict literals) wrap their entries.
TABLE_WIDTH = 100


def dict_literal(name: str, entries: Iterable[str]) -> str:
    """``NAME = {entry, entry, ...}`` with ``"key: value"`` entries packed into lines of at
    most :data:`TABLE_WIDTH` columns (one per line when they are long). Emitters put such
    tables between ``# fmt: off`` and ``# fmt: on`` so black keeps them compact."""
    lines, line = [], "   "
    for entry in entries:
        if len(line) + 2 + len(entry) > TABLE_WIDTH and line.strip():
            lines.append(line)
            line = "   "
        line += f" {entry},"
    lines.append(line)
    return f"{name} = {{\n" + "\n".join(lines) + "\n}"


#: Longest title :func:`program_title` gives.
TITLE_WIDTH = 80


def program_title(program: Program) -> str:
    """What headers call the program: ``meta["name"]`` or ``meta["task"]``, else
    ``program``; one line of printable text, at most :data:`TITLE_WIDTH` characters."""
    title = printable(str(program.meta.get("name") or program.meta.get("task") or "program"))
    return title if len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"


def _percent(v: object) -> str:
    """An accuracy as a percentage (anything else as it is)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{100 * v:.2f}%"
    return str(v)


def provenance(meta: dict) -> list[str]:
    """A few lines saying where a program came from: task, model shape, the discrete
    model's accuracy, how it was produced; any other metadata as ``key: value``. Each
    line is printable text (:func:`~tpc.errors.printable`), whatever ``meta`` holds."""
    return [printable(line) for line in _provenance(dict(meta))]


def _provenance(meta: dict) -> list[str]:
    lines = []
    task, model, results = (
        meta.pop("task", None),
        meta.pop("model", None),
        meta.pop("results", None),
    )
    domain, exact_on = meta.pop("domain", None), meta.pop("exact_on", None)
    if task is not None:
        size = (
            f" (k = {domain.get('k')}, N = {domain.get('n')})" if isinstance(domain, dict) else ""
        )
        lines.append(f"Task: {task}{size}.")
    if isinstance(model, dict) and model.get("kind") == "tp":
        layers = model.get("n_layers")
        lines.append(
            f"Model: {layers} layer{'s' * (layers != 1)}, "
            f"{model.get('n_heads_cat')}+{model.get('n_heads_num')} heads and "
            f"{model.get('n_cat_mlps')}+{model.get('n_num_mlps')} MLPs "
            f"(categorical+numerical), d_var {model.get('d_var')}"
            + (", causal." if model.get("causal") else ".")
        )
    accuracy = (results or {}).get("accuracy") if isinstance(results, dict) else None
    if isinstance(accuracy, dict):
        order = sorted(accuracy, key=lambda k: (("train", "val", "test") + (k,)).index(k))
        shown = ", ".join(f"{k} {_percent(accuracy[k])}" for k in order)
        lines.append(f"Discrete model accuracy: {shown} (epoch {results.get('best_epoch')}).")
    steps = [meta.pop("source", None), meta.pop("optimization", None)]
    if any(steps):
        how = ", ".join(
            str(s) if not str(s).startswith("O") else f"tpc opt -{s}" for s in steps if s
        )
        lines.append(f"Produced by: {how}.")
    if isinstance(exact_on, dict):
        lines.append(
            f"Exact on the scored positions of every {exact_on.get('task')} input "
            f"(k = {exact_on.get('k')}, N = {exact_on.get('n')}); BOS/EOS outputs are free."
        )
    for key in sorted(meta, key=str):
        value = meta[key]
        if isinstance(value, str) and (os.path.isabs(value) or value.startswith("~")):
            value = "…/" + os.path.basename(value.rstrip("/\\"))
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        lines.append(f"{key}: {' '.join(str(shown).split())}")
    return lines
