"""Back ends: a program in, text out (docs/design.md §5). ``emit(program, "python")`` or pick an
emitter from :data:`BACKENDS`."""

from __future__ import annotations

from collections.abc import Callable

from tpc.backends.dot import emit_dot
from tpc.backends.python import emit_python
from tpc.errors import TpcError
from tpc.ir import Program, dumps


def _emit_rasp(program: Program) -> str:
    """RASP text (imported on first use)."""
    from tpc.backends.rasp import emit_rasp

    return emit_rasp(program)


def _emit_tracr(program: Program) -> str:
    """Python source building a ``tracr.rasp`` program (imported on first use)."""
    from tpc.tracr.ir_to_tracr import emit_tracr

    return emit_tracr(program)


#: Target name → emitter.
BACKENDS: dict[str, Callable[[Program], str]] = {
    "python": emit_python,
    "rasp": _emit_rasp,
    "tracr": _emit_tracr,
    "json": dumps,
    "dot": emit_dot,
}


def emit(program: Program, target: str) -> str:
    """The program as text for ``target``; ``TpcError`` naming the targets if it is unknown."""
    if target not in BACKENDS:
        raise TpcError(f"unknown back end {target!r}; choose from: {', '.join(BACKENDS)}")
    return BACKENDS[target](program)


__all__ = ["BACKENDS", "emit", "emit_dot", "emit_python"]
