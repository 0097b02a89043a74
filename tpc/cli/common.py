"""What every ``tpc`` command shares: one-line errors and exit codes, the Ctrl-C promise,
and the options of commands that read a program.

Every user error is a :class:`tpc.errors.TpcError` (or a task error) and prints as one
line, ``Error: ...``, with exit code 1; click's own usage errors exit with 2. Ctrl-C
prints one line and exits with 130. :func:`cli_errors` keeps these promises, as a last
line of defence for messages too: control characters are escaped and long messages cut
(:func:`one_line`).
"""

from __future__ import annotations

import functools
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from tpc.errors import TpcError, printable
from tpc.tasks import TaskError

_P = ParamSpec("_P")
_R = TypeVar("_R")

#: The exit status after Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130
#: Longest error message printed (longer ones are cut, saying how much was left out).
MAX_MESSAGE = 1000


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message`` as one printable line: newlines, other control and format characters
    escaped (:func:`tpc.errors.printable`), cut to ``limit`` characters (saying so)."""
    text = printable(message[:limit])
    if len(message) <= limit and len(text) <= limit:
        return text
    return f"{text[:limit]}... (cut; {len(message):,} characters in all)"


class CommandError(click.ClickException):
    """A failed command: ``Error: MESSAGE`` on one line, exit status ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(one_line(message))
        self.exit_code = exit_code


_state = {"program": False}  # is tpc running as the program (not called from Python)?


def stop_listening_for_ctrl_c() -> None:
    """When tpc runs as the program, ignore Ctrl-C from now on: the command is over
    (finished, failed or interrupted), and a Ctrl-C while Python shuts down would turn
    the exit status into -2 or print a traceback from an exit handler."""
    if _state["program"]:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def set_running_as_program(value: bool) -> None:
    """Record whether tpc runs as the program (:func:`stop_listening_for_ctrl_c`)."""
    _state["program"] = value


def interrupted(message: str = "interrupted") -> CommandError:
    """The error to raise after Ctrl-C: ``Error: MESSAGE``, exit status 130."""
    stop_listening_for_ctrl_c()
    return CommandError(message, INTERRUPTED)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn what escapes a command into one line: tpc's user errors into ``Error: ...``
    with exit status 1, Ctrl-C into ``Error: interrupted`` with 130; click's own errors
    get one-line messages. As a last line of defence, an ``OSError``, ``MemoryError`` or
    ``RecursionError`` that a check missed is one line too (exit status 1)."""
    try:
        yield
    except click.ClickException as exc:
        exc.message = one_line(exc.message)
        raise
    except (TpcError, TaskError) as exc:
        raise CommandError(str(exc)) from None
    except KeyboardInterrupt:
        raise interrupted() from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise  # click quietens a closed stdout itself
        where = f"{exc.filename}: " if exc.filename is not None else ""
        raise CommandError(f"{where}{exc.strerror or exc}") from None
    except MemoryError:
        raise CommandError("out of memory: the input asks for more than this machine has") from None
    except RecursionError:
        raise CommandError("the input is nested too deeply") from None


def one_line_errors(command: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a command function inside :func:`cli_errors`: for commands that also run on
    their own, outside the ``tpc`` group (put it right above the ``def``)."""

    @functools.wraps(command)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with cli_errors():
            return command(*args, **kwargs)

    return wrapper


class ErrorGroup(click.Group):
    """A click group whose commands keep the one-line promise (:func:`cli_errors`), also
    while the arguments are parsed and lazily imported commands load."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with cli_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with cli_errors():
            return super().invoke(ctx)


def parse_vocab(_ctx, _param, value: str | None) -> list[str] | None:
    """Click callback: ``--vocab a,b,c`` → ``["a", "b", "c"]``."""
    if value is None:
        return None
    toks = [t for t in value.split(",") if t != ""]
    if not toks:
        raise click.BadParameter("give a comma-separated list of tokens")
    return toks


def program_options(f: Callable) -> Callable:
    """``--vocab``, ``--max-len`` and ``--output`` for commands that read RASP text."""
    f = click.option(
        "--output",
        "output",
        metavar="NAME",
        help="Output variable (RASP: default the last assignment).",
    )(f)
    f = click.option(
        "--max-len", type=click.IntRange(min=1), help="Longest input (needed for RASP text)."
    )(f)
    f = click.option(
        "--vocab",
        callback=parse_vocab,
        metavar="A,B,C",
        help="Token vocabulary (needed for RASP text).",
    )(f)
    return f


class TaskName(click.ParamType):
    """A task as the commands take it (:mod:`tpc.tasks.user`): a built-in task or corpus,
    ``PATH.rasp`` (a RASP program), ``PATH.py:NAME`` (loaded, i.e. run, here: the user
    names it) or an installed plug-in task (loaded here). The value is the name the task
    is registered under."""

    name = "TASK"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tpc.tasks import CORPORA, TASKS
        from tpc.tasks.user import is_python_spec, load_plugin_task, load_python_task, plugin_tasks

        spec = str(value)
        try:
            if spec in TASKS or spec in CORPORA:
                return spec
            if spec.endswith(".rasp"):
                if not Path(spec).is_file():
                    raise TaskError(f"no such RASP program: {spec}")
                return spec
            if is_python_spec(spec):
                return load_python_task(spec).name
            if spec in plugin_tasks():
                return load_plugin_task(spec).name
        except TaskError as e:
            self.fail(str(e), param, ctx)
        names = ", ".join([*TASKS, *CORPORA, *plugin_tasks()])
        self.fail(
            f"unknown task {printable(spec)}; choose from: {names}, or PATH.rasp, PATH.py:NAME",
            param,
            ctx,
        )


#: ``--task`` of the commands that read a run directory: a run of a Python or plug-in
#: task is read only after the user names its task (its value is unused: loading it
#: registers the task).
run_task_option = click.option(
    "--task",
    "run_task",
    type=TaskName(),
    expose_value=False,
    help="The run's task when it is Python (PATH.py:NAME) or a plug-in: tpc loads (runs) "
    "it only when you name it.",
)
