"""The paper's tasks (pure Python + numpy): the synthetic tasks and the NLP corpora.

``get_task(name)`` gives a synthetic :class:`Task`; ``make_dataset`` builds the reference
train/val/test splits; ``encode``/``decode`` convert token lists to padded id arrays.
``get_corpus(name)`` gives a :class:`Corpus` (CoNLL-2003 NER, TREC, MR, Subj, AG News),
whose ``load(default_data_dir())`` reads its :class:`Splits` (:mod:`tpc.tasks.corpora`;
``datasets`` is imported only then). :func:`define_task` makes a task of the user's
(:mod:`tpc.tasks.user`).
"""

from .base import LENGTH_DISTS, Task
from .corpora import default_data_dir  # importing tpc.tasks.corpora registers the corpora
from .corpus import CORPORA, Corpus, Example, Splits, get_corpus
from .data import Dataset, make_dataset, split_sizes
from .registry import TASKS, get_task
from .tokens import BOS, EOS, PAD, UNK, TaskError, decode, encode
from .user import UserTask, define_task

__all__ = [
    "BOS",
    "CORPORA",
    "EOS",
    "LENGTH_DISTS",
    "PAD",
    "TASKS",
    "UNK",
    "Corpus",
    "Dataset",
    "Example",
    "Splits",
    "Task",
    "TaskError",
    "UserTask",
    "decode",
    "default_data_dir",
    "define_task",
    "encode",
    "get_corpus",
    "get_task",
    "make_dataset",
    "split_sizes",
]
