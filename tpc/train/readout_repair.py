"""Readout repair: the readout that puts the most of a domain right (``tpc refine``).

The readout is linear in the discrete residual: logit(c) = bias[c] + sum over categorical
variables v of ``readout_cat[v, x_v, c]`` + sum over numerical variables u of
``x_u readout_num[u, c]``. Over a domain's scored positions, positions with equal residuals
form one row; a row whose positions want different labels is a *conflict* that no readout
can settle (the residual does not carry the information). :func:`repair_readout` fits the
other rows (:func:`tpc.train.readout_fit.fit_readout`, a linear program) starting from the
trained weights, writes the weights back (float32) and keeps them only if the model then
gets fewer domain inputs wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from tpc.model import TransformerProgram
from tpc.train.data import Split
from tpc.train.loop import EVAL_BATCH
from tpc.train.readout_fit import Rows, fit_readout


@torch.inference_mode()
def wrong_inputs(model: TransformerProgram, split: Split) -> Tensor:
    """Which inputs of ``split`` the discrete model gets wrong at some scored position (bool [B])."""
    model.eval()
    out = []
    for lo in range(0, len(split), EVAL_BATCH):
        ids, lengths, labels = split.batch(lo, lo + EVAL_BATCH)
        pred = model.predict(ids, lengths)
        out.append(((pred != labels) & (labels != 0)).any(1))
    return torch.cat(out)


@dataclass(frozen=True)
class Repair:
    """The outcome of one :func:`repair_readout`: residual rows fitted, conflicting rows
    (equal residuals wanting different labels), whether the new weights were kept, and
    the domain inputs wrong afterwards (bool [B])."""

    rows: int
    conflicts: int
    kept: bool
    wrong: Tensor


@dataclass(frozen=True)
class Residuals:
    """The distinct discrete residuals at the scored positions of a split: categorical
    value indices ``cat`` [R, V], numerical values ``num`` [R, U] (float64), the labels
    wanted at each row's positions ``wanted`` (bool [R, C]), per scored position its row
    ``row`` and its input ``input``, and the inputs the model gets wrong (bool [B])."""

    cat: Tensor
    num: Tensor
    wanted: Tensor
    row: Tensor
    input: Tensor
    wrong: Tensor

    @property
    def conflicts(self) -> Tensor:
        """Rows whose positions want different labels (bool [R])."""
        return self.wanted.sum(1) > 1

    def conflicted_inputs(self) -> Tensor:
        """Inputs with a position on a conflicting row (bool [inputs]): no readout can
        make them right."""
        out = torch.zeros_like(self.wrong)
        out[self.input[self.conflicts[self.row]]] = True
        return out


@torch.no_grad()
def residuals(model: TransformerProgram, split: Split) -> Residuals:
    """The :class:`Residuals` of the discrete model on ``split``."""
    cats, nums, labels, inputs, wrong = [], [], [], [], []
    for lo in range(0, len(split), EVAL_BATCH):
        ids, lengths, batch_labels = split.batch(lo, lo + EVAL_BATCH)
        run = model.run_discrete(ids, lengths)
        scored = batch_labels != 0
        cats.append(torch.stack([run.values[v] for v in model.cat_names], -1)[scored])
        nums.append(torch.stack([run.values[v] for v in model.num_names], -1)[scored])
        labels.append(batch_labels[scored])
        inputs.append(lo + scored.nonzero()[:, 0])
        wrong.append(((run.predictions != batch_labels) & scored).any(1))
    cat, num, label = torch.cat(cats), torch.cat(nums).double(), torch.cat(labels)
    rows, row = torch.unique(torch.cat([cat.double(), num], 1), dim=0, return_inverse=True)
    wanted = torch.zeros(len(rows), len(model.config.classes), dtype=torch.bool)
    wanted[row, label] = True
    n_cat = cat.shape[1]
    return Residuals(
        rows[:, :n_cat].long(), rows[:, n_cat:], wanted, row, torch.cat(inputs), torch.cat(wrong)
    )


def repair_readout(model: TransformerProgram, domain: Split, margin: float = 0.1) -> Repair:
    """Fit the readout to the domain's labels (:func:`tpc.train.readout_fit.fit_readout`
    over the rows that do not conflict) and keep the fit if the model then gets fewer
    inputs of ``domain`` wrong. A model whose readout reads learned slots
    (``readout_vars``) is left alone (``rows`` 0)."""
    c = model.config
    found = residuals(model, domain)
    if c.readout_vars:
        return Repair(0, 0, False, found.wrong)
    conflicts, wanted = found.conflicts, found.wanted
    fit = ~conflicts
    cat, num = found.cat[fit].numpy(), found.num[fit].numpy()
    n_cat, n_num = cat.shape[1], num.shape[1]
    first_num = n_cat * c.d_var
    count = len(cat)
    rows = Rows(
        columns=np.concatenate(
            [
                cat + np.arange(n_cat) * c.d_var,
                np.broadcast_to(first_num + np.arange(n_num + 1), (count, n_num + 1)),
            ],
            1,
        ),
        values=np.concatenate([np.ones((count, n_cat)), num, np.ones((count, 1))], 1),
        labels=wanted[fit].float().argmax(1).numpy(),
        n_features=first_num + n_num + 1,
    )
    readout = _readout(model)
    start = np.concatenate(
        [w.detach().double().reshape(-1, len(c.classes)).numpy() for w in readout]
    )
    weights = fit_readout(rows, start, ~model.class_mask.numpy(), margin)
    parts = np.split(weights, [first_num, first_num + n_num])
    saved = saved_state(model)
    with torch.no_grad():
        for param, value in zip(readout, parts):
            param.copy_(torch.from_numpy(value).reshape(param.shape))
    wrong = wrong_inputs(model, domain)
    kept = int(wrong.sum()) < int(found.wrong.sum())
    if not kept:
        model.load_state_dict(saved)
        wrong = found.wrong
    return Repair(len(wanted), int(conflicts.sum()), kept, wrong)


def _readout(model: TransformerProgram) -> tuple[Tensor, Tensor, Tensor]:
    return model.readout_cat, model.readout_num, model.readout_bias


def saved_state(model: TransformerProgram) -> dict[str, Tensor]:
    """A copy of every weight of ``model`` (``load_state_dict`` restores it)."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}
