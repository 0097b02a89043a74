"""Holding Ctrl-C back while a group of writes completes.

Training and the wiring search treat Ctrl-C (``KeyboardInterrupt``) as "stop and save".
A second Ctrl-C, or a first one at the wrong moment, must not split a group of updates
that belong together (an epoch's checkpoint and metrics, a run's final weights and
results), so those run inside :func:`deferred_interrupts`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Run the block to its end even if SIGINT arrives; then act on it as the handler
    that was installed before would have (normally: raise ``KeyboardInterrupt``).

    Outside the main thread (where Python cannot install signal handlers) the block
    simply runs. Nested uses defer to the outermost one.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[FrameType | None] = []
    previous = signal.signal(signal.SIGINT, lambda _signum, frame: received.append(frame))
    if previous is None:  # a handler installed outside Python: restore Python's default
        previous = signal.default_int_handler
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        if callable(previous):
            previous(signal.SIGINT, received[0])
        elif previous == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)
