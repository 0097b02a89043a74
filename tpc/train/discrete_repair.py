"""Discrete repair: local search over a program's discrete choices, written back as weights.

A conflict (:mod:`tpc.train.readout_repair`) is a residual row whose positions want different
labels: no readout and no MLP can settle it, since both read only the residual at the
position. Only a head, which reads other positions, can. So where the readout repair
leaves inputs wrong, :func:`search_step` changes the discrete model one choice at a
time:

- **predicate** (layer l, head h, query value q, key value k): query value q of head h
  selects key value k; written as ``predicate[h, q, k] = max(predicate[h, q]) + 1``.
- **read** (layer l, read row r, variable v): row r of ``read_cat`` (a head's query, key
  or value) reads variable v; written as ``read_cat[r, v] = max(read_cat[r]) + 1``.
- **table** (layer l, categorical MLP m, input values a, output value v): the MLP's lookup
  table maps a to v and no other entry changes. Written into a *dead* hidden unit u (one
  whose ReLU input is <= 0 for every input of the table, so it adds nothing anywhere):
  ``w_in[m, u, r, a_r] = B`` for each input r (0 elsewhere), ``b_in[m, u] = -B (n_in -
  1/2)``, so u fires (B/2) only at a, and ``w_out[m, :, u]`` adds to logit v just enough
  for v to win there by 1. An MLP without a dead unit offers no table move. (Numerical
  MLPs are left alone: their inputs are not a finite table.)

Every move is a change of weights, so the discrete model, the lowered program and
``tpc verify`` see it (model = IR = Python holds as after training).

**One step** (:func:`search_step`). The *bad* inputs are the wrong ones and those on a
conflicting row. Every move (table moves for the value tuples the bad inputs' positions
feed each MLP) is tried on the bad inputs (a seeded sample of ``SCREEN`` when there are
more) and kept if it lowers (inputs on conflicting rows, wrong inputs) there; the best
``FULL`` of those are scored so on the whole domain; for the best ``REPAIRED`` of these
the readout is repaired (:func:`tpc.train.readout_repair.repair_readout`), and the one
with the fewest wrong inputs after that is taken if it has fewer than before the step.
Without the readout repair (``repair=False``; ``tpc refine`` does so when the round's own
readout repair gained nothing, as on dyck1, where one linear program takes minutes) moves
are screened on the bad inputs and as many others (what a move breaks then stays broken),
judged by their wrong inputs alone with the readout as it is, and the best is taken if it
has fewer. ``tpc refine`` repeats steps until no input is wrong, no move helps, or its
budget is spent.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch
from torch import Tensor

from tpc.model import TransformerProgram
from tpc.model.program import MLPBank
from tpc.train.data import Split
from tpc.train.readout_repair import repair_readout, residuals

UNIT_INPUT = 8.0  # B above: a rewired unit's first-layer weight for each of its input values
TABLE_MARGIN = 1.0  # a table move's output value wins by this much (logit)
SCREEN = 256  # moves are screened on at most this many bad (and right) inputs, sampled
FULL = 16  # moves scored on the whole domain per step
REPAIRED = 4  # moves whose readout is repaired per step

Standing = tuple[int, int]  # (inputs on conflicting rows, wrong inputs)
Undo = Callable[[], None]


@dataclass(frozen=True)
class Move:
    """One discrete change (module docstring): ``kind`` is "predicate" (``index`` the head,
    ``key`` (query value,), ``value`` the key value it selects), "read" (``index`` the
    ``read_cat`` row, ``value`` the variable) or "table" (``index`` the categorical MLP,
    ``key`` its input values, ``value`` the output value)."""

    kind: str
    layer: int
    index: int
    key: tuple[int, ...]
    value: int

    def describe(self, model: TransformerProgram) -> str:
        """The move in the program's names, for logs and records."""
        if self.kind == "predicate":
            head = model.head_names(self.layer)[self.index]
            return f"{head}: query value {self.key[0]} selects key value {self.value}"
        if self.kind == "read":
            heads = model.head_names(self.layer)
            n = len(heads)
            role, head = divmod(self.index, n)
            what = ("query", "key", "value")[role]
            return f"{heads[head]} reads {model.cat_names[self.value]} as its {what}"
        return f"mlp_{self.layer}_{self.index}: {list(self.key)} -> {self.value}"


@dataclass(frozen=True)
class Step:
    """A move taken by :func:`search_step` and the domain inputs wrong after it (and
    after its readout repair, when one ran)."""

    move: Move
    wrong: int


def apply_move(model: TransformerProgram, move: Move) -> Undo:
    """Write ``move`` into the model's weights; returns a function that restores them."""
    layer = model.layers[move.layer]
    with torch.no_grad():
        if move.kind == "predicate":
            return _raise_choice(layer.predicate[move.index, move.key[0]], move.value)
        if move.kind == "read":
            return _raise_choice(layer.read_cat[move.index], move.value)
        return _rewire_unit(layer.mlp, move.index, move.key, move.value)


def _raise_choice(logits: Tensor, choice: int) -> Undo:
    saved = logits.detach().clone()
    with torch.no_grad():
        logits[choice] = logits.max() + 1.0

    def undo() -> None:
        with torch.no_grad():
            logits.copy_(saved)

    return undo


def _rewire_unit(bank: MLPBank, m: int, key: tuple[int, ...], value: int) -> Undo:
    unit = int(bank.dead_units(m)[0])
    n_in = bank.w_in.shape[2]
    hidden = torch.relu(
        bank.b_in[m].double() + sum(bank.w_in[m, :, r, a].double() for r, a in enumerate(key))
    )
    logits = bank.w_out[m].double() @ hidden + bank.b_out[m].double()
    others = logits.clone()
    others[value] = float("-inf")
    need = float(others.max() - logits[value]) + TABLE_MARGIN
    params = (bank.w_in, bank.b_in, bank.w_out)
    saved = [p[m].detach().clone() for p in params]
    with torch.no_grad():
        bank.w_in[m, unit] = 0.0
        for r, a in enumerate(key):
            bank.w_in[m, unit, r, a] = UNIT_INPUT
        bank.b_in[m, unit] = -UNIT_INPUT * (n_in - 0.5)
        bank.w_out[m, :, unit] = 0.0
        bank.w_out[m, value, unit] = max(need, 0.0) / (UNIT_INPUT / 2)

    def undo() -> None:
        with torch.no_grad():
            for p, s in zip(params, saved):
                p[m].copy_(s)

    return undo


def candidate_moves(model: TransformerProgram, bad: Split) -> Iterator[Move]:
    """Every predicate and read move, and the table moves for the input values that the
    scored positions of ``bad`` feed each categorical MLP that has a dead unit."""
    for number, layer in enumerate(model.layers):
        if layer.predicate is None:
            continue
        heads, d_var, _ = layer.predicate.shape
        chosen = layer.predicate.argmax(-1)
        for h, q, k in itertools.product(range(heads), range(d_var), range(d_var)):
            if k != int(chosen[h, q]):
                yield Move("predicate", number, h, (q,), k)
        rows, n_vars = layer.read_cat.shape
        chosen = layer.read_cat.argmax(-1)
        for r, v in itertools.product(range(rows), range(n_vars)):
            if v != int(chosen[r]):
                yield Move("read", number, r, (), v)
    yield from _table_moves(model, bad)


def _table_moves(model: TransformerProgram, bad: Split) -> Iterator[Move]:
    run = model.run_discrete(bad.ids, bad.lengths)
    scored = bad.labels != 0
    for number, layer in enumerate(model.layers):
        bank = layer.mlp
        if bank is None:
            continue
        d_var = bank.w_out.shape[1]
        for m, reads in enumerate(bank.reads().tolist()):
            if not len(bank.dead_units(m)):
                continue
            table = bank.categorical_table(m)
            fed = torch.stack([run.values[model.cat_names[v]][scored] for v in reads], -1)
            for key in torch.unique(fed, dim=0).tolist():
                entry = 0
                for a in key:
                    entry = entry * d_var + a
                for value in range(d_var):
                    if value != int(table[entry]):
                        yield Move("table", number, m, tuple(key), value)


def standing(model: TransformerProgram, split: Split) -> tuple[Standing, Tensor]:
    """The model's :data:`Standing` on ``split`` and its bad inputs (bool [B]: wrong or
    on a conflicting row)."""
    found = residuals(model, split)
    conflicted = found.conflicted_inputs()
    return (int(conflicted.sum()), int(found.wrong.sum())), conflicted | found.wrong


def _sample(chosen: Tensor) -> Tensor:
    """The indices of ``chosen`` (bool), at most ``SCREEN`` of them (a seeded sample)."""
    rows = chosen.nonzero().squeeze(1)
    if len(rows) > SCREEN:
        rows = rows[torch.randperm(len(rows), generator=torch.Generator().manual_seed(0))[:SCREEN]]
    return rows


def search_step(
    model: TransformerProgram, domain: Split, margin: float = 0.1, repair: bool = True
) -> tuple[TransformerProgram, Step] | None:
    """One step (module docstring): a copy of the model with the best move (its readout
    repaired, unless ``repair`` is False: then the moves are judged with the readout as it
    is), and the move; None if no move leaves fewer inputs wrong."""
    (_, wrong), bad = standing(model, domain)
    fixable = _sample(bad)
    # without a readout repair to come, what a move breaks stays broken: screen that too
    rows = fixable if repair else torch.cat([fixable, _sample(~bad)])
    few = Split(domain.ids[rows], domain.lengths[rows], domain.labels[rows])
    # what a move is judged by: with readout repairs to come, the inputs on conflicting
    # rows first (no readout can fix those), then the wrong ones; without, the wrong ones
    judged = (lambda st: st) if repair else (lambda st: st[1])
    before = judged(standing(model, few)[0])
    tried = []
    fixing = Split(domain.ids[fixable], domain.lengths[fixable], domain.labels[fixable])
    for move in candidate_moves(model, fixing):
        undo = apply_move(model, move)
        after = judged(standing(model, few)[0])
        undo()
        if after < before:
            tried.append((after, move))
    tried.sort(key=lambda pair: pair[0])
    scored = []
    for _, move in tried[:FULL]:
        undo = apply_move(model, move)
        scored.append((judged(standing(model, domain)[0]), move))
        undo()
    scored.sort(key=lambda pair: pair[0])
    if not repair:  # the fewest wrong with the readout as it is
        if not scored or scored[0][0] >= wrong:
            return None
        left, move = scored[0]
        candidate = copy.deepcopy(model)
        apply_move(candidate, move)
        return candidate, Step(move, left)
    best = None
    for _, move in scored[:REPAIRED]:
        candidate = copy.deepcopy(model)
        apply_move(candidate, move)
        left = int(repair_readout(candidate, domain, margin).wrong.sum())
        if left < wrong and (best is None or left < best[1].wrong):
            best = (candidate, Step(move, left))
    return best
