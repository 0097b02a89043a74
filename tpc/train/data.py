"""Task data as padded tensors for training and evaluation."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from tpc.model import ConfigError
from tpc.tasks import encode, get_task, make_dataset
from tpc.train.config import TrainConfig


@dataclass(frozen=True)
class Split:
    """One split: ``ids``/``labels`` long [B, N] (label 0 = PAD = unscored), ``lengths`` [B]."""

    ids: Tensor
    lengths: Tensor
    labels: Tensor

    def __len__(self) -> int:
        return self.ids.shape[0]


@dataclass(frozen=True)
class TaskData:
    """The three splits of a run and what the model needs to know about them."""

    input_vocab: list[str]
    classes: list[str]
    max_len: int
    causal: bool
    train: Split
    val: Split
    test: Split


def load_data(config: TrainConfig) -> TaskData:
    """Build (deterministically) the dataset a run trains on; TaskError on bad task/k/n."""
    task = get_task(config.task)
    k, n = config.task_size()
    seed = config.seed if config.data_seed is None else config.data_seed
    ds = make_dataset(
        task, k=k, n=n, size=config.dataset_size, seed=seed, length_dist=config.length_dist
    )
    vocab, classes = task.input_vocab(k), task.output_vocab(k, n)

    def split(seqs: list[list[str]]) -> Split:
        ids, lengths = encode(seqs, vocab, n)
        labels, _ = encode([task.label(s) for s in seqs], classes, n)
        return Split(torch.from_numpy(ids), torch.from_numpy(lengths), torch.from_numpy(labels))

    if not ds.train or not ds.val:
        raise ConfigError(
            f"dataset size {config.dataset_size} leaves no training or validation examples"
        )
    causal = task.causal if config.causal is None else config.causal
    return TaskData(vocab, classes, n, causal, split(ds.train), split(ds.val), split(ds.test))
