"""Attention supervision (issue 17, item 2): training heads towards target selection
patterns, as in the RASP experiments of Weiss et al., "Thinking Like Transformers" (ICML
2021), whose models were trained with an MSE term between attention and the selector
patterns of a RASP solution.

A run supervises some heads (:class:`tpc.tasks.user.HeadRef`): categorical head H of
layer L (``L.H``) or numerical head H (``L.nH``) (``tpc train --supervise-weight C``,
with ``--supervise L.H=SELECTOR`` naming selectors of a RASP program: a RASP task's own,
or any task's ``--supervise-program FILE.rasp``; or a Python task's
``define_task(attention={head: fn})``), see :meth:`tpc.train.TrainConfig.supervised_heads`.

**Targets.** For an input of ``length`` positions (``<s>`` at 0, model positions), the
target *selection* of a head is a bool matrix ``sel[i, j]`` (query i, key j):

* a Python task: ``sel[i, j] = bool(fn(tokens, i, j))`` for queries i in 1..length-1 and
  keys j in 0..length-1, ``tokens`` the whole input (``<s>`` included);
* a RASP program: the selector node's value on the input's content (the tokens between
  ``<s>`` and ``</s>`` if the task has one: a RASP program sees neither), shifted by one:
  ``sel[i, j] = selector[i - 1, j - 1]`` (tpc's interpreter, indexed [query, key]) for
  content positions i, j; the ``<s>`` and ``</s>`` rows and columns are never selected.

Then every row keeps only the keys the head can attend (j < length, and j <= i when the
model is causal). A categorical head reads one key: a row of its target that selects
nothing selects ``<s>`` (key 0), the **BOS rule**, the discrete head's own default, and
its **target distribution** is uniform over the selected keys, ``T[i, j] = sel[i, j] /
sum_j sel[i, j]``, the attention's Gumbel-softmax over keys being a distribution. A
numerical head sums its value over every key it selects, each key's relaxed match being
a probability of its own: its target is the selection itself, ``T[i, j] = sel[i, j]``
(0 or 1), and an empty row stays empty (the discrete head then sums nothing).

**Loss.** With A the relaxed model's attention of the training step (a categorical
head's Gumbel-softmax over keys, a numerical head's match, as
:meth:`tpc.model.TransformerProgram.forward` records them), the supervision term added to
the cross-entropy is ``C * sum (A - T)^2 / (S * Q * N)``: the squared error summed over
the S supervised heads, the Q *real query positions* of the batch (i in 1..length-1 of
each input: every non-padding position but ``<s>``, whose row is never read) and every
key position j in 0..N-1 (N the model's length; padding keys have A = T = 0 up to the
match floor of 1e-20), divided by the number of those entries, i.e. the mean squared
error over the supervised rows, each row N keys long.

**Agreement** (reported per epoch on the validation split in ``metrics.jsonl``,
``supervised_agreement``, and per split in ``results.json``): in the *discrete* model,
the fraction of (supervised head, real query position) pairs where the head does what
its target says: a categorical head reads a key (the closest-match rule of
docs/design.md §2, ``<s>`` when it selects nothing) among the target's selected keys
(after the BOS rule); a numerical head selects exactly the target's keys.

Supervision changes only the loss: the discrete model and its lowering are as without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import Tensor

from tpc.errors import TpcError, printable, quote
from tpc.model import ConfigError, TransformerProgram
from tpc.tasks import TaskError, get_task
from tpc.tasks.user import HeadRef
from tpc.train.config import TrainConfig
from tpc.train.data import SPLIT_NAMES, Split, TaskData

if TYPE_CHECKING:
    from tpc.ir import Program

#: Most target entries (examples x heads x N x N booleans) a run may hold: 400 MB.
MAX_TARGET_ENTRIES = 400_000_000
#: Inputs per interpreter run when computing a RASP task's selectors.
RASP_CHUNK = 2048


def allowed(lengths: Tensor, width: int, causal: bool) -> Tensor:
    """Bool [B, 1, W, W] (query i, key j): the keys a head can attend (j < length; j <=
    i when causal)."""
    pos = torch.arange(width, device=lengths.device)
    keys = (pos[None, :] < lengths[:, None])[:, None, None, :]
    if causal:
        keys = keys & (pos[None, :] <= pos[:, None])
    return keys.expand(-1, 1, width, width)


def complete(selection: Tensor, lengths: Tensor, causal: bool, numerical: Sequence[bool]) -> Tensor:
    """Target selections bool [B, S, W, W] restricted to the attendable keys, with the
    BOS rule for the categorical heads (``numerical[s]`` False): a row selecting nothing
    selects key 0."""
    sel = selection & allowed(lengths, selection.shape[-1], causal)
    categorical = ~torch.tensor(list(numerical), dtype=torch.bool)
    empty = ~sel.any(-1) & categorical[None, :, None]
    sel[..., 0] |= empty
    return sel


def target_rows(selection: Tensor) -> Tensor:
    """A categorical head's target distribution float [..., W]: each row uniform over its
    selected keys (rows after :func:`complete` select at least one)."""
    sel = selection.float()
    return sel / sel.sum(-1, keepdim=True).clamp(min=1.0)


def query_mask(lengths: Tensor, width: int) -> Tensor:
    """Bool [B, W]: the real query positions, 1..length-1 (not ``<s>``, not padding)."""
    pos = torch.arange(width, device=lengths.device)
    return (pos[None, :] >= 1) & (pos[None, :] < lengths[:, None])


def supervision_mse(
    attention: Sequence[Tensor],
    matches: Sequence[Tensor],
    heads: Sequence[HeadRef],
    selection: Tensor,
    lengths: Tensor,
    max_len: int,
) -> Tensor:
    """The mean squared error between the recorded attention and the targets (module
    docstring): ``attention`` and ``matches`` as :meth:`TransformerProgram.forward`
    records them (per layer, key-major [W_j, heads, B, W_i]: the categorical heads'
    weights, the numerical heads' matches), ``heads`` the supervised heads,
    ``selection`` their completed target selections bool [B, S, W, W] (query, key)."""
    recorded = [
        (matches if head.numerical else attention)[head.layer][:, head.head] for head in heads
    ]
    attn = torch.stack(recorded)  # [S, Wj, B, Wi]
    rows = [
        selection[:, s].float() if head.numerical else target_rows(selection[:, s])
        for s, head in enumerate(heads)
    ]
    target = torch.stack(rows).permute(0, 3, 1, 2)  # [S, Wj, B, Wi]
    queries = query_mask(lengths, selection.shape[-1])  # [B, Wi]
    squared = (attn - target).square() * queries
    count = len(heads) * queries.sum() * max_len
    return squared.sum() / count.clamp(min=1)


def read_keys(selected: Tensor, bias: Tensor) -> Tensor:
    """The key a discrete categorical head reads, long [B, W] (docs/design.md §2): the
    selected key of highest closest-match ``bias`` [W, W], key 0 when none is selected."""
    best = torch.where(selected, bias, float("-inf")).argmax(-1)
    return torch.where(selected.any(-1), best, 0)


# ---- targets ------------------------------------------------------------------------------


def python_selection(
    functions: Sequence[Callable[[list[str], int, int], Any]],
    ids: np.ndarray,
    lengths: np.ndarray,
    vocab: Sequence[str],
) -> np.ndarray:
    """Bool [B, S, W, W]: ``fn(tokens, i, j)`` of each function for queries 1..length-1
    and keys 0..length-1 of each input (``ids`` [B, W] ids of ``vocab``), one call per
    distinct input. TaskError (one line) if a function raises."""
    batch, width = ids.shape
    out = np.zeros((batch, len(functions), width, width), dtype=bool)
    seen: dict[tuple[int, ...], np.ndarray] = {}
    for b in range(batch):
        length = int(lengths[b])
        row = tuple(int(x) for x in ids[b, :length])
        found = seen.get(row)
        if found is None:
            tokens = [vocab[x] for x in row]
            found = np.zeros((len(functions), length, length), dtype=bool)
            for s, fn in enumerate(functions):
                for i in range(1, length):
                    for j in range(length):
                        try:
                            found[s, i, j] = bool(fn(list(tokens), i, j))
                        except Exception as e:  # the user's code: one line, where
                            raise TaskError(
                                f"attention target {s} failed on {quote(tokens, 80)} at "
                                f"query {i}, key {j}: {type(e).__name__}: "
                                f"{printable(str(e)[:200])}"
                            ) from None
            seen[row] = found
        out[b, :, :length, :length] = found
    return out


def rasp_selection(
    program: Program,
    nodes: Sequence[str],
    ids: np.ndarray,
    lengths: np.ndarray,
    vocab: Sequence[str],
    eos: bool = False,
) -> np.ndarray:
    """Bool [B, S, W, W]: the selector ``nodes`` of the RASP ``program`` on each input's
    content (positions 1..length-1 of ``ids``, ids of ``vocab``, or 1..length-2 with
    ``eos``), placed one position on (model position p is RASP position p - 1); the rows
    and columns of ``<s>``, ``</s>`` and padding unselected."""
    from tpc.ir import Interpreter

    batch, width = ids.shape
    out = np.zeros((batch, len(nodes), width, width), dtype=bool)
    index = {token: i for i, token in enumerate(program.vocab)}
    to_code = np.array([index.get(token, 0) for token in vocab], dtype=np.int64)
    interp = Interpreter(program)
    for lo in range(0, batch, RASP_CHUNK):
        content = lengths[lo : lo + RASP_CHUNK] - 1 - eos
        m = max(int(content.max()), 1)
        codes = to_code[ids[lo : lo + RASP_CHUNK, 1 : 1 + m]]
        try:
            env = interp.run(codes, content)
        except TpcError as e:
            raise TaskError(f"the RASP program cannot compute its selectors: {e}") from None
        inside = np.arange(m)[None, :] < content[:, None]  # [b, m]: a content position
        both = inside[:, :, None] & inside[:, None, :]
        for s, node in enumerate(nodes):
            out[lo : lo + RASP_CHUNK, s, 1 : 1 + m, 1 : 1 + m] = env[node] & both
    return out


@dataclass
class Supervision:
    """The supervision of a run: ``heads`` with their ``targets`` (selector node or
    ``"attention"``), the ``weight`` C and, per split, the completed target selections
    bool [B, S, N, N] (:func:`complete`)."""

    heads: list[HeadRef]
    targets: list[str]
    weight: float
    selections: dict[str, Tensor]
    max_len: int

    def to(self, device: torch.device | str) -> Supervision:
        """This supervision with its selections on ``device``."""
        moved = {name: sel.to(device) for name, sel in self.selections.items()}
        return Supervision(self.heads, self.targets, self.weight, moved, self.max_len)

    def loss(
        self,
        attention: Sequence[Tensor],
        matches: Sequence[Tensor],
        rows: Tensor,
        lengths: Tensor,
        width: int,
    ) -> Tensor:
        """The (unweighted) MSE of a training batch: the inputs ``rows`` of the training
        split, cut to ``width`` positions."""
        selection = self.selections["train"][rows][..., :width, :width]
        return supervision_mse(attention, matches, self.heads, selection, lengths, self.max_len)

    @torch.inference_mode()
    def agreement(
        self, model: TransformerProgram, split: Split, name: str, batch_size: int = 4096
    ) -> tuple[float, list[float]]:
        """The discrete model's agreement on ``split`` (module docstring): overall and
        per supervised head."""
        model.eval()
        hits = torch.zeros(len(self.heads), dtype=torch.long, device=split.ids.device)
        total = torch.zeros((), dtype=torch.long, device=split.ids.device)
        selections = self.selections[name]
        for lo in range(0, len(split), batch_size):
            ids, lengths, _ = split.batch(lo, lo + batch_size)
            width = ids.shape[1]
            run = model.run_discrete(ids, lengths)
            bias = model.bias[:width, :width]
            queries = query_mask(lengths, width)
            target = selections[lo : lo + batch_size][..., :width, :width]
            for s, head in enumerate(self.heads):
                selected = run.selected[head.variable]  # [B, W, W]
                if head.numerical:
                    hit = (selected == target[:, s]).all(-1)
                else:
                    keys = read_keys(selected, bias)  # [B, W]
                    hit = target[:, s].gather(-1, keys.unsqueeze(-1)).squeeze(-1)
                hits[s] += (hit & queries).sum()
            total += queries.sum()
        per_head = [h / max(total.item(), 1) for h in hits.tolist()]
        overall = sum(hits.tolist()) / max(total.item() * len(self.heads), 1)
        return overall, per_head


def build_supervision(config: TrainConfig, data: TaskData) -> Supervision | None:
    """The supervision of a run (None without one): its heads, and the target
    selections of every input of every split. ConfigError if they would not fit
    :data:`MAX_TARGET_ENTRIES`; TaskError if a target cannot be computed."""
    found = config.supervised_heads()
    if not found:
        return None
    heads = [head for head, _ in found]
    targets = [target for _, target in found]
    task = get_task(config.task)
    entries = sum(len(getattr(data, n)) for n in SPLIT_NAMES) * len(heads) * data.max_len**2
    if entries > MAX_TARGET_ENTRIES:
        raise ConfigError(
            f"attention targets for {len(heads)} head(s) of every input are {entries:,} "
            f"entries, more than {MAX_TARGET_ENTRIES:,}; use fewer examples or heads"
        )
    program = config.supervision_program() if config.supervise is not None else None
    selections = {}
    for name in SPLIT_NAMES:
        split: Split = getattr(data, name)
        ids, lengths = split.ids.cpu().numpy(), split.lengths.cpu().numpy()
        if program is not None:
            raw = rasp_selection(program, targets, ids, lengths, data.input_vocab, task.eos)
        else:
            functions = [task.attention[head] for head in heads]  # type: ignore[attr-defined]
            raw = python_selection(functions, ids, lengths, data.input_vocab)
        numerical = [head.numerical for head in heads]
        selections[name] = complete(
            torch.from_numpy(raw), split.lengths.cpu(), data.causal, numerical
        ).contiguous()
    return Supervision(heads, targets, config.supervise_weight, selections, data.max_len)


__all__ = [
    "MAX_TARGET_ENTRIES",
    "Supervision",
    "build_supervision",
    "complete",
    "python_selection",
    "query_mask",
    "rasp_selection",
    "read_keys",
    "supervision_mse",
    "target_rows",
]
