"""The paper's synthetic tasks (pure Python + numpy): definitions, sampling, datasets.

``get_task(name)`` gives a :class:`Task`; ``make_dataset`` builds the reference
train/val/test splits; ``encode``/``decode`` convert token lists to padded id arrays.
"""

from .base import LENGTH_DISTS, Task
from .data import Dataset, make_dataset, split_sizes
from .registry import TASKS, get_task
from .tokens import BOS, EOS, PAD, UNK, TaskError, decode, encode

__all__ = [
    "BOS",
    "EOS",
    "LENGTH_DISTS",
    "PAD",
    "TASKS",
    "UNK",
    "Dataset",
    "Task",
    "TaskError",
    "decode",
    "encode",
    "get_task",
    "make_dataset",
    "split_sizes",
]
