"""The vectorised interpreter: the semantics of the IR.

A batch is a padded array of token codes ``[B, N]`` (codes index ``program.vocab``) plus
the true ``lengths``. Every node evaluates to one numpy array for the whole batch:

* categorical → ``int64 [B, N]`` codes into the node type's ``values``,
* numerical → ``float64 [B, N]``,
* selector → ``bool [B, N, N]`` indexed ``[batch, query, key]``.

Keys at padding positions are never selected; values at padding positions are
unspecified. There is no Python loop over sequences or positions, only over nodes. Like
``torch.fx.Interpreter``, a subclass can override :meth:`Interpreter.run_node` to observe
or change what a node computes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tpc.errors import EvalError, InputError, IRError, quote
from tpc.ir.forms import OpenForm
from tpc.ir.nodes import (
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    Tokens,
)
from tpc.ir.program import Program
from tpc.ir.types import Categorical, Numerical, Value, value_set

#: Relative tolerance used to match computed numerical values against a value set.
NUMERIC_TOL = 1e-9


class Interpreter:
    """Evaluates a validated :class:`Program` on padded batches."""

    def __init__(self, program: Program):
        self.program = program.validate()
        self._luts: dict[str, object] = {}
        self._sorted_keys: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # ---- public API -------------------------------------------------------------------

    def run(self, codes: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
        """Evaluate every node on a batch; returns name → array (see module docstring)."""
        codes = np.asarray(codes, dtype=np.int64)
        lengths = np.asarray(lengths, dtype=np.int64)
        if codes.ndim != 2 or lengths.shape != codes.shape[:1]:
            raise InputError("a batch is codes [B, N] with lengths [B]")
        if codes.shape[1] > self.program.max_len:
            raise InputError(
                f"inputs of length {codes.shape[1]} exceed the program's max_len {self.program.max_len}"
            )
        self.codes, self.lengths = codes, lengths
        positions = np.arange(codes.shape[1])
        self.valid = positions[None, :] < lengths[:, None]  # [B, N]
        self.env: dict[str, np.ndarray] = {}
        for node in self.program:
            self.env[node.name] = self.run_node(node)
        return self.env

    def run_node(self, node: Node) -> np.ndarray:
        """Evaluate one node from the values of its operands in ``self.env``."""
        return getattr(self, "_" + node.kind)(node)

    # ---- helpers ----------------------------------------------------------------------

    def value_codes(self, name: str) -> np.ndarray:
        """Positions of node ``name``'s values (after :meth:`run`) in its finite value set,
        ``int64 [B, N]``; EvalError for a numerical value outside it."""
        arr = self.env[name]
        t = self.program[name].type
        if isinstance(t, Categorical):
            return arr
        return self._numeric_index(name, arr, t)

    def _numeric_index(self, name: str, arr: np.ndarray, t: Numerical) -> np.ndarray:
        if t.values is None:
            raise IRError(f"node '{name}' has no finite value set to look up")
        if (
            name not in self._sorted_keys
        ):  # value-set order (bools first) need not be float order
            keys = np.asarray(t.values, dtype=np.float64)
            order = np.argsort(keys, kind="stable")
            self._sorted_keys[name] = (keys[order], order)
        keys, order = self._sorted_keys[name]
        idx = np.clip(np.searchsorted(keys, arr), 0, len(keys) - 1)
        lower = np.clip(idx - 1, 0, len(keys) - 1)
        closer = np.abs(keys[lower] - arr) < np.abs(keys[idx] - arr)
        idx = np.where(closer, lower, idx)
        ok = np.isclose(keys[idx], arr, rtol=NUMERIC_TOL, atol=NUMERIC_TOL)
        if arr.ndim == 2:
            ok |= ~self.valid
        if not ok.all():
            bad = arr[~ok][0]
            raise EvalError(
                f"node '{name}' took the value {bad!r}, outside its value set {t}"
            )
        return order[idx]

    def _numbers(self, name: str) -> np.ndarray:
        """An operand's values as float64 [B, N] (categorical values must be numbers)."""
        t = self.program[name].type
        if isinstance(t, Numerical):
            return self.env[name]
        if any(isinstance(v, str) for v in t.values):
            raise IRError(
                f"node '{name}' holds strings; it cannot be compared with a numerical operand"
            )
        return np.asarray(t.values, dtype=np.float64)[self.env[name]]

    def _encode(self, node: Node, values: Sequence[Value]) -> np.ndarray:
        """Encode Python values in the node's output representation (codes or floats)."""
        t = node.type
        if isinstance(t, Categorical):
            index = t.index()
            return np.array([index[v] for v in values], dtype=np.int64)
        return np.array([float(v) for v in values], dtype=np.float64)

    def _lut(self, node: Node) -> np.ndarray:
        if node.name not in self._luts:
            self._luts[node.name] = self._build_lut(node)
        return self._luts[node.name]  # type: ignore[return-value]

    def _build_lut(self, node: Node):
        prog = self.program
        if isinstance(node, Map):
            return self._encode(
                node, [node.table[v] for v in value_set(prog[node.x].type)]
            )
        if isinstance(node, SequenceMap):
            xs, ys = value_set(prog[node.x].type), value_set(prog[node.y].type)
            flat = self._encode(node, [node.table[(x, y)] for x in xs for y in ys])
            return flat.reshape(len(xs), len(ys))
        if isinstance(node, Select):
            keys = value_set(prog[node.keys].type)
            queries = value_set(prog[node.queries].type)
            if keys is None or queries is None:
                return None
            return np.array(
                [[bool(node.predicate(k, q)) for k in keys] for q in queries],
                dtype=bool,
            )
        if isinstance(node, Aggregate):  # recode operand codes into the output's codes
            index = node.type.index()
            return np.array(
                [index[v] for v in prog[node.values].type.values], dtype=np.int64
            )
        if isinstance(node, SelectorWidth):
            index = node.type.index()
            return np.array([index[w] for w in range(prog.max_len + 1)], dtype=np.int64)
        if isinstance(node, Readout):
            mats = []
            for feat, w in zip(node.features, node.weights):
                ft = prog[feat].type
                if isinstance(ft, Categorical):
                    mats.append(np.array([w[v] for v in ft.values], dtype=np.float64))
                else:
                    mats.append(np.asarray(w, dtype=np.float64))
            return mats
        raise AssertionError(node.kind)

    # ---- node kinds -------------------------------------------------------------------

    def _tokens(self, node: Tokens) -> np.ndarray:
        return self.codes

    def _indices(self, node: Indices) -> np.ndarray:
        return np.broadcast_to(np.arange(self.codes.shape[1]), self.codes.shape)

    def _constant(self, node: Constant) -> np.ndarray:
        return np.broadcast_to(self._encode(node, [node.value])[0], self.codes.shape)

    def _map(self, node: Map) -> np.ndarray:
        if node.table is None:
            return self._open(node)
        return self._lut(node)[self.value_codes(node.x)]

    def _sequence_map(self, node: SequenceMap) -> np.ndarray:
        if node.table is None:
            return self._open(node)
        return self._lut(node)[self.value_codes(node.x), self.value_codes(node.y)]

    def _open(self, node: Map | SequenceMap) -> np.ndarray:
        """An open map: its form on the operands' own arrays (numerical values unsnapped)."""
        if node.name not in self._luts:
            types = [self.program[op].type for op in node.inputs]
            self._luts[node.name] = OpenForm(node.form, types)  # type: ignore[arg-type]
        form: OpenForm = self._luts[node.name]  # type: ignore[assignment]
        args = [self.env[op] for op in node.inputs]
        return form.evaluate(args, node.type, self.codes.shape)

    def _select(self, node: Select) -> np.ndarray:
        table = self._lut(node)
        if table is not None:
            q, k = self.value_codes(node.queries), self.value_codes(node.keys)
            sel = table.ravel()[q[:, :, None] * table.shape[1] + k[:, None, :]]
        else:
            sel = _compare(
                node.predicate, self._numbers(node.keys), self._numbers(node.queries)
            )
        n = self.codes.shape[1]
        sel = sel & self.valid[:, None, :]
        if node.causal:
            sel = sel & np.tril(np.ones((n, n), dtype=bool))[None]
        return sel

    def _selector_op(self, node: SelectorOp) -> np.ndarray:
        a = self.env[node.sels[0]]
        if node.op == "not":
            return ~a & self.valid[:, None, :]
        b = self.env[node.sels[1]]
        return a & b if node.op == "and" else a | b

    def _aggregate(self, node: Aggregate) -> np.ndarray:
        sel = self.env[node.sel]
        vals = self.env[node.values]
        if node.reduce == "closest":
            chosen = np.where(
                sel, closest_cost(sel.shape[-1])[None], np.iinfo(np.int64).max
            )
            pick = chosen.argmin(-1)  # all keys unselected → 0, the BOS position
            return np.take_along_axis(np.broadcast_to(vals, pick.shape), pick, axis=1)
        weights = sel.astype(np.float64)
        count = weights.sum(-1)
        if node.reduce == "sum":
            return np.einsum("bqk,bk->bq", weights, vals)
        if isinstance(node.type, Numerical):
            total = np.einsum("bqk,bk->bq", weights, vals)
            default = 0.0 if node.default is None else float(node.default)
            return np.where(count > 0, total / np.maximum(count, 1), default)
        # categorical mean: defined only when at most one key is selected
        bad = (count > 1) & self.valid
        if bad.any():
            b, i = np.argwhere(bad)[0]
            raise EvalError(
                f"node '{node.name}': a categorical mean selected {int(count[b, i])} keys "
                f"(query position {i}); it is defined for at most one"
            )
        pick = sel.argmax(-1)
        picked = self._lut(node)[
            np.take_along_axis(np.broadcast_to(vals, pick.shape), pick, axis=1)
        ]
        if node.default is None:
            empty = (count == 0) & self.valid
            if empty.any():
                b, i = np.argwhere(empty)[0]
                raise EvalError(
                    f"node '{node.name}': a categorical mean with no default selected no key "
                    f"(query position {i})"
                )
            return picked
        return np.where(count > 0, picked, node.type.index()[node.default])

    def _selector_width(self, node: SelectorWidth) -> np.ndarray:
        return self._lut(node)[self.env[node.sel].sum(-1)]

    def _readout(self, node: Readout) -> np.ndarray:
        mats = self._lut(node)
        logits = np.broadcast_to(
            np.asarray(node.bias, dtype=np.float64), (*self.codes.shape, len(node.bias))
        ).copy()
        for feat, mat in zip(node.features, mats):
            if mat.ndim == 2:
                logits += mat[self.value_codes(feat)]
            else:
                logits += self.env[feat][..., None] * mat
        logits[..., ~np.asarray(node.mask, dtype=bool)] = -np.inf
        if node.pooled:
            w = self.valid[..., None].astype(np.float64)
            pooled = (np.where(self.valid[..., None], logits, 0.0)).sum(1) / np.maximum(
                w.sum(1), 1
            )
            pooled[:, ~np.asarray(node.mask, dtype=bool)] = -np.inf
            return np.broadcast_to(pooled.argmax(-1)[:, None], self.codes.shape)
        return logits.argmax(-1)


def closest_cost(n: int) -> np.ndarray:
    """cost[i, j]: lower is preferred by a closest aggregate at query i (docs/design.md §2).

    Other positions by (|i − j|, j); the query itself after every other position.
    """
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    cost = np.abs(i - j) * (2 * n) + j
    cost[np.arange(n), np.arange(n)] = 4 * n * n
    return cost


def _compare(pred, keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Apply a named comparison to numerical keys [B, N] and queries [B, N] → [B, Q, K]."""
    if not isinstance(pred, Comparison):
        raise IRError("a table predicate needs operands with finite value sets")
    k = keys[:, None, :]
    q = queries[:, :, None]
    ops = {
        "EQ": np.equal,
        "NEQ": np.not_equal,
        "LT": np.less,
        "LEQ": np.less_equal,
        "GT": np.greater,
        "GEQ": np.greater_equal,
    }
    if pred.op in ops:
        return ops[pred.op](k, q)
    return np.full(np.broadcast_shapes(k.shape, q.shape), pred.op == "TRUE")


# ---- convenience: Python values in, Python values out ------------------------------------


def encode_tokens(
    program: Program, seqs: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Token lists → (codes [B, N], lengths [B]); ``InputError`` for unknown or too-long input."""
    index = {tok: i for i, tok in enumerate(program.vocab)}
    n = max((len(s) for s in seqs), default=0)
    if n > program.max_len:
        longest = max(range(len(seqs)), key=lambda b: len(seqs[b]))
        raise InputError(
            f"input {longest} has {len(seqs[longest])} tokens; the program takes at most {program.max_len}"
        )
    width = max(n, 1)
    try:
        rows = [[index[tok] for tok in seq] + [0] * (width - len(seq)) for seq in seqs]
    except (KeyError, TypeError):
        for b, seq in enumerate(seqs):
            for i, tok in enumerate(seq):
                if not isinstance(tok, str) or tok not in index:
                    shown = ", ".join(quote(t) for t in program.vocab[:20]) + (
                        ", ..." if len(program.vocab) > 20 else ""
                    )
                    raise InputError(
                        f"unknown token {quote(tok)} at position {i} of input {b}; "
                        f"vocabulary: {shown}"
                    ) from None
        raise
    codes = np.array(rows, dtype=np.int64).reshape(len(seqs), width)
    lengths = np.array([len(seq) for seq in seqs], dtype=np.int64)
    return codes, lengths


def decode(
    program: Program, name: str, arr: np.ndarray, lengths: np.ndarray
) -> list[list[Value]]:
    """A node's batch array → Python values per sequence (trimmed to each length)."""
    t = program[name].type
    if isinstance(t, Categorical):
        table = np.empty(len(t.values), dtype=object)
        table[:] = list(t.values)
        rows = table[arr].tolist()
    else:
        rows = arr.tolist()
    return [row[:n] for row, n in zip(rows, lengths.tolist())]


def run(
    program: Program | Interpreter,
    seqs: Sequence[Sequence[str]],
    node: str | None = None,
) -> list[list[Value]]:
    """Run a program on token lists; the values of ``node`` (default: the output). Pass an
    :class:`Interpreter` to reuse its validation and tables over many batches."""
    if not seqs:
        return []
    interp = program if isinstance(program, Interpreter) else Interpreter(program)
    program = interp.program
    codes, lengths = encode_tokens(program, seqs)
    env = interp.run(codes, lengths)
    name = program.output if node is None else node
    return decode(program, name, env[name], lengths)
