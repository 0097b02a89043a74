"""Tasks a user defines without editing tpc (issue 17): the task API, and loading them.

A user task is a :class:`UserTask`, made by :func:`define_task` from a vocabulary of
content symbols, a maximum content length, a labelling function and the labels it can
give (and optionally a validity test and a sampler). Inputs are framed as the built-in
tasks' are: ``<s>`` + content (+ ``</s>`` with ``eos``), ``k`` is the input vocabulary
(specials included) and ``n`` the longest input, framing included. See
``examples/user_task.py``.

Where ``tpc`` takes a task name (``tpc train TASK``, ``--task``) it also takes

* ``PATH.py:NAME``: the :class:`UserTask` called ``NAME`` in the Python file ``PATH``
  (:func:`load_python_task`). The file is *run*, so it is trusted input, like any
  Python a user runs; tpc never runs a file that a run directory or an IR file names:
  a run of a Python task is reloaded only when the user names the task again
  (``--task PATH.py:NAME``);
* the name of an installed package's entry point in the group ``tpc.tasks``
  (:func:`plugin_tasks`), whose object is a :class:`UserTask`;
* ``PATH.rasp``: a RASP program, whose output the model learns to reproduce
  (:mod:`tpc.frontends.rasp_to_task`; RASP text never runs as code).

A loaded user task is registered in :data:`tpc.tasks.TASKS` under its spec (the string the
user gave), so every part of tpc finds it by that name for the rest of the process.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tpc.errors import quote

from .base import Task
from .registry import TASKS
from .tokens import BOS, EOS, PAD, UNK, TaskError

#: The entry-point group of installed plug-in tasks.
ENTRY_POINT_GROUP = "tpc.tasks"
#: Special tokens a task's symbols may not be; a label may not be PAD (the unscored label).
RESERVED = (PAD, BOS, EOS, UNK)
#: A target attention pattern: ``(tokens, query i, key j) -> bool`` (``tokens`` the whole
#: input, ``<s>`` included; positions index it).
AttentionTarget = Callable[[list[str], int, int], bool]

_HEAD = re.compile(r"([0-9]{1,3})\.(n?)([0-9]{1,3})")


class HeadRef(NamedTuple):
    """An attention head of a Transformer Program as supervision names it: categorical
    head ``head`` of layer ``layer``, written ``"L.H"`` (the variable ``attn_L_H``), or
    numerical head ``head``, written ``"L.nH"`` (``num_attn_L_H``)."""

    layer: int
    head: int
    numerical: bool = False

    def __str__(self) -> str:
        return f"{self.layer}.{'n' if self.numerical else ''}{self.head}"

    @property
    def variable(self) -> str:
        """The variable the head writes, as the model and the IR name it."""
        return f"{'num_' if self.numerical else ''}attn_{self.layer}_{self.head}"


def parse_head(text: str) -> HeadRef | None:
    """``"L.H"`` or ``"L.nH"`` as a :class:`HeadRef`; None if ``text`` is neither."""
    match = _HEAD.fullmatch(text)
    if match is None:
        return None
    return HeadRef(int(match[1]), int(match[3]), bool(match[2]))


@dataclass(frozen=True)
class UserTask(Task):
    """A task from outside tpc (module docstring). ``label`` maps an input's content (a
    list of symbols) to one label per content position; ``labels`` lists every label it
    can give; ``valid`` (optional) says whether a content string is an input of the task
    (default: every string of ``min_length``..``max_length`` symbols); ``draw``
    (optional) draws the content of one input of a given length from a
    ``numpy.random.Generator`` (default: uniform symbols, as the built-in tasks).
    ``attention`` (optional) declares target attention patterns for supervision
    (``tpc train --supervise-weight C``, :mod:`tpc.train.supervision`): a head
    (:class:`HeadRef`) → ``select(tokens, i, j) -> bool``, whether query position
    ``i`` should attend key position ``j`` of ``tokens`` (the whole input, ``<s>``
    at position 0 included)."""

    symbol_list: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    label_content: Callable[[list[str]], Sequence[str]] | None = field(default=None, repr=False)
    min_length: int = 1
    valid: Callable[[list[str]], bool] | None = field(default=None, repr=False)
    draw: Callable[[np.random.Generator, int], Sequence[str]] | None = field(
        default=None, repr=False
    )
    attention: Mapping[HeadRef, AttentionTarget] | None = field(
        default=None, repr=False, compare=False
    )

    def _n_symbols(self, k: int) -> int:
        return len(self.symbol_list) if k == self.default_k else 0

    def _symbol_names(self, count: int) -> list[str]:
        return list(self.symbol_list)

    def content_lengths(self, n: int) -> range:
        return range(self.min_length, n - self.eos)

    def output_vocab(self, k: int, n: int) -> list[str]:
        self.check(k, n)
        return [PAD, *self.labels]

    def _label_content(self, content: list[str]) -> list[str]:
        assert self.label_content is not None
        out = [str(label) for label in self.label_content(list(content))]
        if len(out) != len(content):
            raise TaskError(
                f"{self.name}: the label function gave {len(out)} labels for "
                f"{len(content)} symbols ({quote(content, 80)})"
            )
        unknown = next((label for label in out if label not in self.labels), None)
        if unknown is not None:
            raise TaskError(
                f"{self.name}: the label function gave {quote(unknown)}, which the task's "
                "labels do not list"
            )
        return out

    def _content_valid(self, content: list[str], k: int) -> bool:
        return self.valid is None or bool(self.valid(list(content)))

    def _enumerate_content(self, k: int, length: int) -> Iterator[tuple[str, ...]]:
        contents = super()._enumerate_content(k, length)
        return (c for c in contents if self._content_valid(list(c), k))

    def length_counts(self, k: int, n: int) -> dict[int, int]:
        if self.valid is None:
            return super().length_counts(k, n)
        self.check(k, n)
        counts = {
            length: sum(1 for _ in self._enumerate_content(k, length))
            for length in self.content_lengths(n)
        }
        return {length: count for length, count in counts.items() if count}  # drawable

    def _draw_content(
        self, rng: np.random.Generator, k: int, n: int, lengths: np.ndarray
    ) -> np.ndarray:
        if self.draw is None and self.valid is None:
            return super()._draw_content(rng, k, n, lengths)
        index = {s: i for i, s in enumerate(self.symbol_list)}
        width = max(self.content_lengths(n))
        out = np.zeros((len(lengths), width), dtype=np.int64)
        for row, length in enumerate(lengths):
            content = self._draw_valid(rng, int(length), k)
            out[row, : len(content)] = [index[s] for s in content]
        return out

    def _draw_valid(self, rng: np.random.Generator, length: int, k: int) -> list[str]:
        """One valid content of ``length`` symbols: the user's sampler, or uniform
        symbols redrawn until valid (at most 1,000 tries)."""
        for _ in range(1000):
            if self.draw is not None:
                content = [str(s) for s in self.draw(rng, length)]
            else:
                content = list(rng.choice(self.symbol_list, size=length))
            bad = next((s for s in content if s not in self.symbol_list), None)
            if len(content) != length or bad is not None:
                raise TaskError(
                    f"{self.name}: the sampler gave {quote(content, 80)} for length {length}"
                )
            if self._content_valid(content, k):
                return content
        raise TaskError(f"{self.name}: no valid input of length {length} in 1,000 draws")


def define_task(
    name: str,
    symbols: Sequence[str],
    max_length: int,
    label: Callable[[list[str]], Sequence[str]],
    labels: Sequence[str],
    *,
    description: str = "",
    min_length: int = 1,
    causal: bool = False,
    eos: bool = False,
    valid: Callable[[list[str]], bool] | None = None,
    draw: Callable[[np.random.Generator, int], Sequence[str]] | None = None,
    attention: Mapping[tuple[int, int] | str, AttentionTarget] | None = None,
) -> UserTask:
    """A task for ``tpc train``: inputs are ``<s>`` + ``min_length``..``max_length``
    content symbols (+ ``</s>`` with ``eos``), each position labelled by
    ``label(content)`` (one label per content symbol, each one of ``labels``).

    ``valid`` and ``draw`` are optional (see :class:`UserTask`); ``causal`` trains with
    causal attention. ``attention`` (optional) maps heads to functions
    ``select(tokens, i, j) -> bool``: the keys ``j`` that query ``i`` should attend, on
    the whole input ``tokens`` (``<s>`` at position 0, ``</s>`` last with ``eos``). A
    head is ``(layer, head)`` of a categorical head, or a string as ``--supervise``
    writes heads: ``"L.H"`` categorical, ``"L.nH"`` numerical. ``tpc train
    --supervise-weight C`` adds the attention supervision loss of
    :mod:`tpc.train.supervision` for those heads. ``TaskError`` for an unusable
    definition (no symbols, repeated or reserved symbols or labels, lengths out of order,
    an ``attention`` key that names no head or a value that is not callable)."""
    symbols = tuple(str(s) for s in symbols)
    label_names = tuple(str(s) for s in labels)
    for what, values in (("symbols", symbols), ("labels", label_names)):
        if not values:
            raise TaskError(f"task {quote(name)}: no {what}")
        if len(set(values)) != len(values):
            raise TaskError(f"task {quote(name)}: its {what} repeat a value")
        clash = next((v for v in values if v in (RESERVED if what == "symbols" else (PAD,))), None)
        if clash is not None:
            raise TaskError(f"task {quote(name)}: {quote(clash)} is reserved, not one of its {what}")
    if not 1 <= min_length <= max_length:
        raise TaskError(f"task {quote(name)}: need 1 <= min_length <= max_length")
    targets = None if attention is None else _check_attention(name, attention)
    specials = 3 if eos else 2
    return UserTask(
        name=name,
        description=description or f"user task {name}",
        causal=causal,
        default_k=len(symbols) + specials,
        default_n=max_length + 1 + eos,
        eos=eos,
        symbol_list=symbols,
        labels=label_names,
        label_content=label,
        min_length=min_length,
        valid=valid,
        draw=draw,
        attention=targets,
    )


def _check_attention(
    name: str, attention: Mapping[tuple[int, int] | str, AttentionTarget]
) -> dict[HeadRef, AttentionTarget]:
    """``attention`` keyed by :class:`HeadRef` (sorted); TaskError unless every key names
    a head (a pair of non-negative integers, ``"L.H"`` or ``"L.nH"``), once, and every
    value is callable."""
    if not isinstance(attention, Mapping):
        raise TaskError(f"task {quote(name)}: attention must map heads to functions")
    out: dict[HeadRef, AttentionTarget] = {}
    for key, fn in attention.items():
        head = _head_of(key)
        if head is None:
            raise TaskError(
                f"task {quote(name)}: attention key {quote(key)} names no head: give "
                "(layer, head) of a categorical head, or \"L.H\" / \"L.nH\" (numerical)"
            )
        if head in out:
            raise TaskError(f"task {quote(name)}: attention names head {head} twice")
        if not callable(fn):
            raise TaskError(f"task {quote(name)}: attention[{head}] is not a function")
        out[head] = fn
    return dict(sorted(out.items()))


def _head_of(key: object) -> HeadRef | None:
    """The head an ``attention`` key names, None if it names none."""
    if isinstance(key, str):
        return parse_head(key)
    if (
        isinstance(key, tuple)
        and len(key) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in key)
    ):
        return HeadRef(key[0], key[1])
    return None


def register(spec: str, task: Task) -> Task:
    """Register ``task`` in :data:`~tpc.tasks.TASKS` under ``spec`` (its name there), the
    string a user names it by. A spec already registered keeps its task."""
    if spec in TASKS:
        return TASKS[spec]
    import dataclasses

    task = dataclasses.replace(task, name=spec)
    TASKS[spec] = task
    return task


def is_python_spec(spec: str) -> bool:
    """Whether ``spec`` names a task in a Python file, ``PATH.py:NAME``."""
    path, sep, name = spec.rpartition(":")
    return bool(sep) and path.endswith(".py") and name.isidentifier()


def load_python_task(spec: str) -> Task:
    """The :class:`UserTask` ``NAME`` of ``PATH.py:NAME``, registered under ``spec``. Runs
    the file (trusted input: the user names it). ``TaskError`` if the file or the name is
    missing or not a task."""
    if spec in TASKS:
        return TASKS[spec]
    path_text, _, name = spec.rpartition(":")
    path = Path(path_text)
    if not path.is_file():
        raise TaskError(f"no such task file: {quote(path_text)}")
    module_name = f"tpc_user_task_{abs(hash(str(path.resolve()))):x}"
    loader = importlib.util.spec_from_file_location(module_name, path)
    if loader is None or loader.loader is None:
        raise TaskError(f"cannot load {quote(path_text)} as Python")
    module = importlib.util.module_from_spec(loader)
    sys.modules[module_name] = module
    try:
        loader.loader.exec_module(module)
    except Exception as e:  # the user's code: say where it failed, in one line
        del sys.modules[module_name]
        raise TaskError(f"{path_text} failed to load: {type(e).__name__}: {e}") from None
    return register(spec, _as_task(getattr(module, name, None), spec))


def _as_task(obj: object, spec: str) -> Task:
    if not isinstance(obj, Task):
        raise TaskError(
            f"{quote(spec)} is not a task: define it with tpc.tasks.define_task (got {quote(obj)})"
        )
    return obj


def plugin_tasks() -> dict[str, str]:
    """Installed plug-in tasks: entry-point name -> ``module:attribute`` (not loaded)."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_plugin_task(name: str) -> Task:
    """The plug-in task ``name`` (an entry point of group ``tpc.tasks``), loaded and
    registered under ``name``."""
    if name in TASKS:
        return TASKS[name]
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise TaskError(f"no plug-in task {quote(name)} is installed")
    try:
        obj = found[0].load()
    except Exception as e:  # an installed package's code
        raise TaskError(f"plug-in task {quote(name)} failed to load: {type(e).__name__}: {e}") from None
    return register(name, _as_task(obj, name))


__all__ = [
    "AttentionTarget",
    "ENTRY_POINT_GROUP",
    "HeadRef",
    "UserTask",
    "define_task",
    "is_python_spec",
    "load_plugin_task",
    "load_python_task",
    "parse_head",
    "plugin_tasks",
    "register",
]
