"""A RASP program → a task: a model learns to reproduce the program's output (issue 17).

``tpc train PATH.rasp --vocab A,B,C --max-len N [--output NAME]`` trains on the task
:func:`rasp_task` makes: inputs are ``<s>`` + 1..N symbols of the vocabulary (the RASP
program reads the symbols, without ``<s>``), and the label of each symbol is the
program's output there as tpc's interpreter computes it (:mod:`tpc.frontends.rasp_to_ir`,
then :mod:`tpc.ir.interp`; as text, integral numbers without ``.0``). The labels the task
lists are the output's value set, so the program's output needs a finite one. The RASP
text is parsed, never run as code, so a run directory may carry it (``config.json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from tpc.errors import TpcError, quote
from tpc.frontends import parse_rasp
from tpc.ir import Interpreter, Program, run
from tpc.ir.types import label_text, value_set
from tpc.tasks import TaskError
from tpc.tasks.user import UserTask, define_task


@dataclass(frozen=True)
class RaspTask(UserTask):
    """A :class:`~tpc.tasks.user.UserTask` labelled by a RASP ``program``, a batch at a
    time (one interpreter run)."""

    program: Program | None = field(default=None, repr=False)
    #: What it was made of: (RASP text, vocabulary, max_len, output), to tell apart two
    #: programs registered under one name.
    origin: tuple | None = field(default=None, repr=False)

    def label_batch(self, inputs: Sequence[list[str]]) -> list[list[str]]:
        contents = [self._content(tokens) for tokens in inputs]
        if any(c is None for c in contents):
            return super().label_batch(inputs)  # says which input is framed wrongly
        outputs = _outputs(self.program, contents)  # type: ignore[arg-type]
        return [[self.output_vocab(self.default_k, self.default_n)[0], *out] for out in outputs]


def _outputs(program: Program | None, contents: Sequence[Sequence[str]]) -> list[list[str]]:
    assert program is not None
    if not contents:
        return []
    try:
        values = run(Interpreter(program), [list(c) for c in contents])
    except TpcError as e:
        raise TaskError(f"the RASP program cannot label an input: {e}") from None
    return [[label_text(v) for v in out] for out in values]


def rasp_task(
    text: str, vocab: Sequence[str], max_len: int, output: str | None = None, name: str = "rasp"
) -> RaspTask:
    """The task of reproducing the RASP ``text``'s output (module docstring) on inputs of
    1..``max_len`` symbols of ``vocab``. ``TaskError`` (or the front end's error) if the
    text does not parse or its output has no finite value set."""
    program = parse_rasp(text, vocab=list(vocab), max_len=max_len, output=output)
    values = value_set(program.output_node.type)
    if values is None:
        raise TaskError(
            f"the RASP program's output {quote(program.output)} has no finite value set, "
            "so it gives no labels to learn"
        )
    labels = list(dict.fromkeys(label_text(v) for v in values))
    base = define_task(
        name,
        symbols=list(vocab),
        max_length=max_len,
        label=lambda content: _outputs(program, [content])[0],
        labels=labels,
        description=f"reproduce the RASP program's {program.output}",
    )
    origin = (text, tuple(vocab), max_len, output)
    return RaspTask(
        **{f.name: getattr(base, f.name) for f in fields(base)}, program=program, origin=origin
    )


__all__ = ["RaspTask", "rasp_task"]
