"""The task registry: every task by name."""

from __future__ import annotations

from tpc.errors import quote

from .base import Task
from .dyck import DYCK1, DYCK2
from .induction import INDUCTION
from .rasp_tasks import DOUBLE_HIST, HIST, MOST_FREQ, REVERSE, SORT
from .tokens import TaskError

TASKS: dict[str, Task] = {
    task.name: task
    for task in (REVERSE, HIST, DOUBLE_HIST, SORT, MOST_FREQ, DYCK1, DYCK2, INDUCTION)
}


def get_task(name: str) -> Task:
    """The task called ``name``; an unknown name raises TaskError listing the choices."""
    try:
        return TASKS[name]
    except (KeyError, TypeError):
        raise TaskError(f"unknown task {quote(name)}; choose from: {', '.join(TASKS)}") from None
