"""Reading a program's prediction as the paper does (issue 16): for one input, which heads
attended where, which table rows fired and which readout features decided the class;
and, without an input, which class each readout feature value favours.

Everything here is read off the values the IR interpreter computes
(:meth:`tpc.ir.Interpreter.run`, the single source of semantics); nothing re-evaluates a
node. For one program input and a query position ``i``:

* a **head** is an :class:`~tpc.ir.nodes.Aggregate` (or a
  :class:`~tpc.ir.nodes.SelectorWidth`) with its selector. :class:`HeadRead` lists the key
  positions the selector selected at ``i`` (with their tokens, key values and aggregated
  values); when the selector is a :class:`~tpc.ir.nodes.Select`, the query value at ``i``
  and the key values of the selected keys are the predicate pairs that fired. A
  ``closest`` head *reads* one position: the one its rule picks among the selected keys,
  or position 0 (BOS) when none is selected; a categorical ``mean`` reads its one selected
  key (none: its default). ``sum`` and numerical ``mean`` heads read every selected key.
  The head's value at ``i`` is the interpreter's.
* a **table** is a :class:`~tpc.ir.nodes.Map` or :class:`~tpc.ir.nodes.SequenceMap`:
  :class:`TableRow` is the row that fired, operand values → output value (an open map
  gives its form instead of a row).
* the **readout** (:class:`ReadoutReading`) splits the logits into the bias and one
  term per feature: a categorical feature adds its value's weight row, a numerical one
  ``value · weights`` (:class:`~tpc.ir.nodes.Readout`). With a pooled readout the logits
  are the mean over the sequence's positions, so a term is a (feature, value) pair and
  adds ``count / length`` times that value's row. Bias plus terms give the logits (up to
  float64 rounding); the predicted class is the interpreter's, the runner-up the allowed
  class with the next highest logit, and terms are sorted by their share of the margin
  between the two.

A program learned on a corpus (``meta["text"]``, :mod:`tpc.ir.reading`) reads a sentence's
raw tokens through :class:`tpc.tasks.text.TextReader`: one program input per window
(tagging) or one (classification); :func:`explain` explains each. Any other program takes
its input tokens as ``tpc run`` does.

:func:`readout_stats` reads the readout without an input: for each feature value, the
allowed class its row favours most and the margin over the next one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tpc.errors import TpcError, printable, quote
from tpc.ir import (
    Aggregate,
    Comparison,
    Interpreter,
    Map,
    Program,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    Value,
    decode,
    encode_tokens,
)
from tpc.ir.interp import closest_cost
from tpc.ir.reading import reading_of
from tpc.ir.readout_rows import contribution_rows
from tpc.ir.render import describe_predicate, live_nodes
from tpc.ir.types import Categorical
from tpc.tasks.text import TextReader

# ---- what an explanation holds ---------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A key position a head selected: its token, the selector's key value there (None for a
    composite selector) and the aggregated value there (None for a selector width)."""

    position: int
    token: str
    key: Value | None
    value: Value | None

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "token": self.token,
            "key": self.key,
            "value": self.value,
        }


@dataclass(frozen=True)
class HeadRead:
    """What one head did at one query position (module docstring).

    ``selected``: the selected keys, in position order. ``read``: the one position a
    ``closest`` head (or a categorical ``mean``) read, None when it reads every selected key
    or none; ``default``: it read no selected key (closest: BOS at 0; mean: its default).
    ``query_operand``/``key_operand``: the Select's operands (None for a composite
    selector, whose ``predicate`` is then its boolean combination)."""

    head: str
    reduce: str  # closest | mean | sum | width
    selector: str
    predicate: str
    query_operand: str | None
    key_operand: str | None
    values_operand: str | None
    query: int
    query_value: Value | None
    selected: tuple[Key, ...]
    read: Key | None
    default: bool
    value: Value

    @property
    def fired(self) -> tuple[tuple[Value, Value], ...]:
        """The predicate pairs (query value, key value) that fired: of the key read when
        there is one, else of every selected key (without repeats); none for a composite
        selector."""
        if self.query_operand is None:
            return ()
        keys = [self.read] if self.read is not None and not self.default else self.selected
        return tuple(dict.fromkeys((self.query_value, k.key) for k in keys))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "head",
            "head": self.head,
            "reduce": self.reduce,
            "selector": self.selector,
            "predicate": self.predicate,
            "query_operand": self.query_operand,
            "key_operand": self.key_operand,
            "values_operand": self.values_operand,
            "query": self.query,
            "query_value": self.query_value,
            "selected": [k.to_json() for k in self.selected],
            "read": None if self.read is None else self.read.to_json(),
            "default": self.default,
            "fired": [list(p) for p in self.fired],
            "value": self.value,
        }


@dataclass(frozen=True)
class TableRow:
    """The row of a Map or SequenceMap that fired at a position: ``operands`` had
    ``inputs``, the node gave ``output``; ``form`` is an open map's definition (no table)."""

    node: str
    operands: tuple[str, ...]
    inputs: tuple[Value, ...]
    output: Value
    form: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "table",
            "node": self.node,
            "operands": list(self.operands),
            "inputs": list(self.inputs),
            "output": self.output,
            "form": self.form,
        }


@dataclass(frozen=True)
class ReadoutTerm:
    """A feature's share of the logits: the feature had ``value`` at ``count`` positions
    (1, unless pooled) and adds ``logits`` (one per class; pooled: averaged)."""

    feature: str
    value: Value
    count: int
    logits: tuple[float, ...]


@dataclass(frozen=True)
class ReadoutReading:
    """How a readout reached its class at ``position`` (None: pooled over the sequence):
    ``logits`` = ``bias`` + the terms' logits (masked classes: ``-inf``); ``predicted`` and
    ``runner_up`` index ``classes``; ``terms`` are sorted by :meth:`margin`, largest first."""

    node: str
    classes: tuple[Value, ...]
    pooled: bool
    position: int | None
    bias: tuple[float, ...]
    logits: tuple[float, ...]
    predicted: int
    runner_up: int | None
    terms: tuple[ReadoutTerm, ...]

    def margin(self, term: ReadoutTerm) -> float:
        """The term's logit for the predicted class minus that for the runner-up (for the
        predicted class only when there is no runner-up)."""
        other = 0.0 if self.runner_up is None else term.logits[self.runner_up]
        return term.logits[self.predicted] - other

    def to_json(self) -> dict[str, Any]:
        def num(x: float) -> float | None:
            return x if math.isfinite(x) else None

        def share(row: tuple[float, ...]) -> dict[str, Any]:
            return {
                "predicted": row[self.predicted],
                "runner_up": None if self.runner_up is None else row[self.runner_up],
                "logits": [num(x) for x in row],
            }

        return {
            "node": self.node,
            "classes": list(self.classes),
            "pooled": self.pooled,
            "position": self.position,
            "predicted": self.classes[self.predicted],
            "runner_up": None if self.runner_up is None else self.classes[self.runner_up],
            "logits": [num(x) for x in self.logits],
            "bias": share(self.bias),
            "terms": [
                {"feature": t.feature, "value": t.value, "count": t.count, "margin": self.margin(t)}
                | share(t.logits)
                for t in self.terms
            ],
        }


Step = HeadRead | TableRow


@dataclass(frozen=True)
class PositionReading:
    """One position of a program input: its token, the program's output there, and the
    heads and tables there in program order (``steps``); ``readout`` unless pooled."""

    position: int
    token: str
    output: Value
    steps: tuple[Step, ...]
    readout: ReadoutReading | None

    @property
    def heads(self) -> tuple[HeadRead, ...]:
        return tuple(s for s in self.steps if isinstance(s, HeadRead))

    @property
    def tables(self) -> tuple[TableRow, ...]:
        return tuple(s for s in self.steps if isinstance(s, TableRow))

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "token": self.token,
            "output": self.output,
            "steps": [s.to_json() for s in self.steps],
            "readout": None if self.readout is None else self.readout.to_json(),
        }


@dataclass(frozen=True)
class InputReading:
    """One program input (``tokens``), the output node's values at every position, the
    explained positions, and a pooled readout's reading (``readout``)."""

    tokens: tuple[str, ...]
    output: str
    outputs: tuple[Value, ...]
    positions: tuple[PositionReading, ...]
    readout: ReadoutReading | None

    def to_json(self) -> dict[str, Any]:
        return {
            "tokens": list(self.tokens),
            "output": self.output,
            "outputs": list(self.outputs),
            "positions": [p.to_json() for p in self.positions],
            "readout": None if self.readout is None else self.readout.to_json(),
        }


@dataclass(frozen=True)
class Explanation:
    """:func:`explain`'s answer. ``tokens``: as given. ``text``: the program's text kind
    (``tagging``/``classification``) or None. ``prediction``: one label per token
    (tagging), the class (classification), or the output per position. ``inputs``: the
    program inputs explained, ``windows``: the index of each among the sentence's
    ``n_inputs`` inputs (its windows), and ``starts``: the index in ``tokens`` of each
    one's first token (text programs; 0 otherwise)."""

    tokens: tuple[str, ...]
    text: str | None
    prediction: tuple[str, ...]
    inputs: tuple[InputReading, ...]
    starts: tuple[int, ...]
    windows: tuple[int, ...]
    n_inputs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "tokens": list(self.tokens),
            "text": self.text,
            "prediction": list(self.prediction),
            "n_inputs": self.n_inputs,
            "inputs": [
                {"window": w, "start": s, **i.to_json()}
                for w, s, i in zip(self.windows, self.starts, self.inputs)
            ],
        }


# ---- explaining -------------------------------------------------------------------------------


def readout_node(program: Program) -> Readout | None:
    """The program's readout: its output node if that is one, else the last readout the
    output depends on, else None."""
    readouts = [n for n in live_nodes(program) if isinstance(n, Readout)]
    return readouts[-1] if readouts else None


def explain(
    program: Program,
    tokens: Sequence[str],
    position: int | None = None,
    nodes: Sequence[str] = (),
) -> Explanation:
    """Explain ``program`` on one input (module docstring): ``tokens`` are a sentence's raw
    tokens for a program learned on a corpus, else the program's input. ``position``
    explains one token (a raw token's index for text; else a position of the input)
    instead of all; ``nodes`` names the heads and tables to show (default: all the output
    depends on). ``InputError`` for an unknown token or too long input (not text),
    ``TpcError`` for a position outside the input or an unknown node name."""
    tokens = tuple(tokens)
    steps = _step_nodes(program, nodes)
    reading = reading_of(program)
    if reading is None:
        inputs, starts = [list(tokens)], [0]
        first = 0
    else:
        reader = TextReader.of(program)
        inputs = reader.inputs(tokens)
        width = program.max_len - 1
        starts = [i * width for i in range(len(inputs))]
        first = 0 if reading.kind == "classification" else 1  # <s> has no tag
    wanted = _positions(inputs, starts, first, position, reading is not None, len(tokens))
    readings = _explain_inputs(program, inputs, wanted, steps) if inputs else []
    outputs = [r.outputs for r in readings]
    if reading is None:
        prediction = tuple(_label(v) for v in (outputs[0] if outputs else ()))
    else:
        labels = reader.labels(outputs)
        prediction = (labels,) if isinstance(labels, str) else tuple(labels)
    kept = [k for k, w in enumerate(wanted) if w]
    return Explanation(
        tokens,
        None if reading is None else reading.kind,
        prediction,
        tuple(readings[k] for k in kept),
        tuple(starts[k] for k in kept),
        tuple(kept),
        len(inputs),
    )


def _positions(
    inputs: list[list[str]],
    starts: list[int],
    first: int,
    position: int | None,
    text: bool,
    n_tokens: int,
) -> list[list[int]]:
    """Per input, the positions to explain."""
    if position is None:
        return [list(range(first, len(x))) for x in inputs]
    if text:
        if not 0 <= position < n_tokens:
            raise TpcError(f"--position {position} is outside the sentence's {n_tokens} tokens")
        for k, (start, x) in enumerate(zip(starts, inputs)):
            if start <= position < start + len(x) - 1:
                return [[position - start + 1] if j == k else [] for j in range(len(inputs))]
        raise TpcError(
            f"token {position} is past the first {len(inputs[0]) - 1} tokens the program reads"
        )
    if not 0 <= position < len(inputs[0]):
        raise TpcError(f"--position {position} is outside the input's {len(inputs[0])} positions")
    return [[position]]


def _step_nodes(program: Program, names: Sequence[str]) -> list:
    """The heads and tables to explain, in program order."""
    kinds = (Aggregate, SelectorWidth, Map, SequenceMap)
    live = [n for n in live_nodes(program) if isinstance(n, kinds)]
    if not names:
        return live
    known = {n.name for n in live}
    for name in names:
        if name not in known:
            raise TpcError(f"the program's output reads no head or table named {quote(name)}")
    return [n for n in live if n.name in set(names)]


def _explain_inputs(
    program: Program, inputs: list[list[str]], wanted: list[list[int]], steps: list
) -> list[InputReading]:
    """Run the interpreter once on every input and read off the wanted positions."""
    codes, lengths = encode_tokens(program, inputs)
    interp = Interpreter(program)
    env = interp.run(codes, lengths)
    readout = readout_node(program)
    out = []
    for b, (tokens, positions) in enumerate(zip(inputs, wanted)):
        values = _Values(program, env, b, len(tokens))
        outputs = tuple(values[program.output])
        pooled = None
        if readout is not None and readout.pooled:
            pooled = _readout_reading(program, readout, values, range(len(tokens)), None)
        rows = []
        for i in positions:
            rows.append(
                PositionReading(
                    i,
                    tokens[i],
                    outputs[i],
                    tuple(_step(program, node, env, values, b, tokens, i) for node in steps),
                    None
                    if readout is None or readout.pooled
                    else _readout_reading(program, readout, values, [i], i),
                )
            )
        out.append(InputReading(tuple(tokens), program.output, outputs, tuple(rows), pooled))
    return out


class _Values:
    """Node name → its Python values on one input of the batch (decoded on first use)."""

    def __init__(self, program: Program, env: dict[str, np.ndarray], b: int, length: int):
        self.program, self.env, self.b, self.length = program, env, b, length
        self._cache: dict[str, list[Value]] = {}

    def __getitem__(self, name: str) -> list[Value]:
        if name not in self._cache:
            arr = self.env[name][self.b : self.b + 1]
            self._cache[name] = decode(self.program, name, arr, np.array([self.length]))[0]
        return self._cache[name]


def _step(
    program: Program, node, env: dict[str, np.ndarray], values: _Values, b: int, tokens, i: int
) -> Step:
    if isinstance(node, (Map, SequenceMap)):
        return TableRow(
            node.name,
            node.inputs,
            tuple(values[op][i] for op in node.inputs),
            values[node.name][i],
            node.form if node.table is None else None,
        )
    sel_node = program[node.sel]
    row = np.asarray(env[node.sel][b, i])  # keys past the input are never selected
    values_op = node.values if isinstance(node, Aggregate) else None
    if isinstance(sel_node, Select):
        query_op, key_op = sel_node.queries, sel_node.keys
        pred = sel_node.predicate  # a table of a learned head can be long: its size only
        predicate = (
            describe_predicate(pred, key_op, query_op)
            if isinstance(pred, Comparison)
            else f"{pred} over ({query_op}, {key_op})"
        )
        if sel_node.causal:
            predicate += " (causal)"
    else:
        query_op = key_op = None
        assert isinstance(sel_node, SelectorOp)
        predicate = f" {sel_node.op} ".join(sel_node.sels)
        predicate = f"not {predicate}" if sel_node.op == "not" else predicate

    def key(j: int) -> Key:
        return Key(
            j,
            tokens[j],
            None if key_op is None else values[key_op][j],
            None if values_op is None else values[values_op][j],
        )

    selected = tuple(key(int(j)) for j in np.flatnonzero(row))
    reduce = node.reduce if isinstance(node, Aggregate) else "width"
    read, default = None, False
    if reduce == "closest":
        cost = np.where(row, closest_cost(row.shape[0])[i], np.iinfo(np.int64).max)
        read, default = key(int(cost.argmin())), not row.any()
    elif reduce == "mean" and isinstance(node.type, Categorical):
        read = selected[0] if selected else None
        default = not selected
    elif reduce != "width":
        default = not selected
    return HeadRead(
        node.name,
        reduce,
        node.sel,
        predicate,
        query_op,
        key_op,
        values_op,
        i,
        None if query_op is None else values[query_op][i],
        selected,
        read,
        default,
        values[node.name][i],
    )


def _row(weights, value: Value) -> tuple[float, ...]:
    """A feature's logits for one value (the readout's definition, :class:`Readout`)."""
    if isinstance(weights, dict):
        return weights[value]
    return tuple(float(value) * w for w in weights)


def _readout_reading(
    program: Program,
    node: Readout,
    values: _Values,
    positions: Sequence[int],
    position: int | None,
) -> ReadoutReading:
    """The readout's logits over ``positions`` (pooled: their mean) split into terms."""
    n_classes = len(node.bias)
    bias = np.asarray(node.bias, dtype=np.float64)
    totals = np.zeros(n_classes)
    groups: dict[tuple[str, Any], list] = {}
    for i in positions:
        logits = bias.copy()
        for feature, w in zip(node.features, node.weights):
            v = values[feature][i]
            row = np.asarray(_row(w, v), dtype=np.float64)
            logits += row
            entry = groups.setdefault((feature, (type(v), v)), [v, 0, np.zeros(n_classes)])
            entry[1] += 1
            entry[2] += row
        totals += logits
    count = max(len(positions), 1)
    logits = totals / count
    allowed = np.asarray(node.mask, dtype=bool)
    logits[~allowed] = -np.inf
    predicted = node.type.index()[values[node.name][positions[0] if positions else 0]]
    others = [c for c in range(n_classes) if allowed[c] and c != predicted]
    runner_up = max(others, key=lambda c: (logits[c], -c)) if others else None
    terms = [
        ReadoutTerm(feature, v, k, tuple(float(x) for x in row / count))
        for (feature, _), (v, k, row) in groups.items()
    ]
    reading = ReadoutReading(
        node.name,
        node.classes,
        node.pooled,
        position,
        tuple(node.bias),
        tuple(float(x) for x in logits),
        predicted,
        runner_up,
        (),
    )
    order = sorted(terms, key=lambda t: -reading.margin(t))
    return dataclasses.replace(reading, terms=tuple(order))


def _label(v: Value) -> str:
    """An output value as label text (integral floats as integers), as ``tpc run`` prints."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ---- readout statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureRow:
    """A readout feature's row for one value (``value`` None: a numerical feature's weights
    per unit, its value set unknown): the allowed class it favours most (``favours``), the
    next one (``runner_up``) and by how much (``margin``), and the row (``logits``)."""

    feature: str
    value: Value | None
    favours: Value
    runner_up: Value | None
    margin: float
    logits: tuple[float, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "value": self.value,
            "favours": self.favours,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "logits": list(self.logits),
        }


@dataclass(frozen=True)
class ReadoutStats:
    """:func:`readout_stats`'s answer: the readout node, its classes, its allowed classes
    and ``rows`` sorted by margin (largest first), ``total`` rows before any cut."""

    node: str
    classes: tuple[Value, ...]
    allowed: tuple[Value, ...]
    pooled: bool
    rows: tuple[FeatureRow, ...]
    total: int

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "classes": list(self.classes),
            "allowed": list(self.allowed),
            "pooled": self.pooled,
            "total": self.total,
            "rows": [r.to_json() for r in self.rows],
        }


def readout_stats(program: Program, top: int | None = None) -> ReadoutStats:
    """Per feature and value of the program's readout, the allowed class its weight row
    favours most and its margin over the next allowed class; the ``top`` rows by margin
    (all when None), ties in feature then value order. ``TpcError`` without a readout."""
    node = readout_node(program)
    if node is None:
        raise TpcError("the program has no readout (its output reads no Readout node)")
    allowed = [c for c, ok in enumerate(node.mask) if ok]
    rows = contribution_rows(program, node)
    per_feature = (
        list(zip(node.features, rows))
        if rows is not None
        else [
            (f, dict(w) if isinstance(w, dict) else {None: w})
            for f, w in zip(node.features, node.weights)
        ]
    )
    found = []
    for feature, by_value in per_feature:
        for value, row in by_value.items():
            ranked = sorted(allowed, key=lambda c: (-row[c], c))
            best = ranked[0]
            second = ranked[1] if len(ranked) > 1 else None
            margin = row[best] - (0.0 if second is None else row[second])
            found.append(
                FeatureRow(
                    feature,
                    value,
                    node.classes[best],
                    None if second is None else node.classes[second],
                    float(margin),
                    tuple(float(x) for x in row),
                )
            )
    order = sorted(range(len(found)), key=lambda k: (-found[k].margin, k))
    chosen = order if top is None else order[:top]
    return ReadoutStats(
        node.name,
        node.classes,
        tuple(node.classes[c] for c in allowed),
        node.pooled,
        tuple(found[k] for k in chosen),
        len(found),
    )


# ---- text -----------------------------------------------------------------------------------------

#: Selected keys a head's line lists before it says how many more there are.
SHOWN_KEYS = 6


def show(v: Value | None) -> str:
    """A value as explanations print it: strings quoted (escaped, one line), integral floats
    as integers."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str):
        return printable(repr(v))
    return str(v)


def _token(t: str) -> str:
    return printable(t)


def _head_line(h: HeadRead) -> str:
    keys = " ".join(f"{k.position}:{show(k.token)}" for k in h.selected[:SHOWN_KEYS])
    if len(h.selected) > SHOWN_KEYS:
        keys += f" …(+{len(h.selected) - SHOWN_KEYS})"
    if h.query_operand is not None:
        fired = sorted({show(k) for _, k in h.fired})
        if not fired:
            keys_matched = "no key"
        elif len(fired) == 1:
            keys_matched = f"{h.key_operand}={fired[0]}"
        else:
            keys_matched = f"{h.key_operand} in {{{', '.join(fired)}}}"
        match = f"{h.query_operand}={show(h.query_value)} → {keys_matched}"
    else:
        match = f"[{h.predicate}]"
    text = f"{h.head}  {h.reduce}  {match}"
    text += f"  selected {keys}" if h.selected else "  selected none"
    if h.read is not None:
        why = " (none selected: BOS)" if h.reduce == "closest" and h.default else ""
        text += f"  read {h.values_operand} at {h.read.position}:{show(h.read.token)}{why}"
    elif h.reduce == "width":
        text += "  width"
    elif h.default:
        text += f"  {h.reduce}: {'default' if h.reduce == 'mean' else 'nothing'}"
    else:
        text += f"  {h.reduce} of {h.values_operand}"
    return text + f" = {show(h.value)}"


def _table_line(t: TableRow) -> str:
    args = ", ".join(f"{op}={show(v)}" for op, v in zip(t.operands, t.inputs))
    form = f"  [{printable(t.form)}]" if t.form is not None else ""
    return f"{t.node}  ({args}) → {show(t.output)}{form}"


def _readout_lines(r: ReadoutReading, top: int) -> list[str]:
    pred = r.classes[r.predicted]
    head = f"{r.node}{' (pooled over the positions)' if r.pooled else ''}: {show(pred)} {r.logits[r.predicted]:+.3f}"
    if r.runner_up is not None:
        second = r.classes[r.runner_up]
        head += f"  vs {show(second)} {r.logits[r.runner_up]:+.3f}"
        head += f"  (margin {r.logits[r.predicted] - r.logits[r.runner_up]:.3f})"
    lines = [head]
    shown = list(r.terms[:top])
    names = [f"{t.feature} = {show(t.value)}" + (f" ×{t.count}" if r.pooled else "") for t in shown]
    width = max([len("feature = value"), *map(len, names)])
    cls = [show(pred), "" if r.runner_up is None else show(r.classes[r.runner_up])]
    lines.append(f"  {'feature = value':<{width}}  {cls[0]:>9}  {cls[1]:>9}  {'margin':>9}")

    def row(name: str, logits: tuple[float, ...], margin: float) -> str:
        other = "" if r.runner_up is None else f"{logits[r.runner_up]:+9.3f}"
        return f"  {name:<{width}}  {logits[r.predicted]:+9.3f}  {other:>9}  {margin:+9.3f}"

    for name, t in zip(names, shown):
        lines.append(row(name, t.logits, r.margin(t)))
    rest = r.terms[top:]
    if rest:
        margin = sum(r.margin(t) for t in rest)
        lines.append(f"  … {len(rest)} more terms, margin {margin:+.3f} in all")
    bias_margin = r.bias[r.predicted] - (0.0 if r.runner_up is None else r.bias[r.runner_up])
    lines.append(row("bias", r.bias, bias_margin))
    return lines


def format_explanation(e: Explanation, top: int = 8) -> str:
    """The plain text ``tpc explain`` prints: the prediction, then per explained position
    its heads and tables in program order and the readout's ``top`` terms."""
    lines = [f"tokens      {' '.join(map(_token, e.tokens))}"]
    if e.text == "classification":
        lines.append(f"class       {_token(e.prediction[0])}")
    else:
        lines.append(f"prediction  {' '.join(map(_token, e.prediction))}")
    for k, start, inp in zip(e.windows, e.starts, e.inputs):
        lines.append("")
        if e.text == "tagging":
            end = start + len(inp.tokens) - 2
            read = " ".join(map(_token, inp.tokens))
            lines.append(f"window {k + 1} of {e.n_inputs}: tokens {start}-{end}, read as {read}")
        elif e.text == "classification":
            lines.append(f"read as {' '.join(map(_token, inp.tokens))}")
        for p in inp.positions:
            token = show(p.token)
            if e.text is not None and p.position > 0:  # the raw token it reads
                index = start + p.position - 1
                word = e.tokens[index]
                token = f"token {index} {show(word)}"
                token += f" read as {show(p.token)}" if word != p.token else ""
            lines.append(f"position {p.position}  {token}  → {show(p.output)}")
            lines += [
                "  " + (_head_line(s) if isinstance(s, HeadRead) else _table_line(s))
                for s in p.steps
            ]
            if p.readout is not None:
                lines += ["  " + x for x in _readout_lines(p.readout, top)]
        if inp.readout is not None:
            lines += _readout_lines(inp.readout, top)
    return "\n".join(lines)


def format_readout_stats(s: ReadoutStats) -> str:
    """The plain text of ``tpc explain --readout-stats``: one row per feature value."""
    names = [f"{r.feature} = {'(per unit)' if r.value is None else show(r.value)}" for r in s.rows]
    width = max([len("feature = value"), *map(len, names)])
    favours = [show(r.favours) for r in s.rows]
    fw = max([len("favours"), *map(len, favours)])
    lines = [
        f"{s.node}: {len(s.rows)} of {s.total} feature values by the margin of the class "
        f"each favours (allowed classes: {', '.join(map(show, s.allowed))})",
        f"{'feature = value':<{width}}  {'favours':<{fw}}  {'margin':>8}  over",
    ]
    for name, fav, r in zip(names, favours, s.rows):
        over = "" if r.runner_up is None else show(r.runner_up)
        lines.append(f"{name:<{width}}  {fav:<{fw}}  {r.margin:8.3f}  {over}")
    return "\n".join(lines)


__all__ = [
    "Explanation",
    "FeatureRow",
    "HeadRead",
    "InputReading",
    "Key",
    "PositionReading",
    "ReadoutReading",
    "ReadoutStats",
    "ReadoutTerm",
    "TableRow",
    "explain",
    "format_explanation",
    "format_readout_stats",
    "readout_node",
    "readout_stats",
    "show",
]
