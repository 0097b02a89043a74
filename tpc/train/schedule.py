"""Gumbel-softmax temperature schedules."""

from __future__ import annotations

import numpy as np


def temperatures(start: float, end: float, steps: int, schedule: str = "geomspace") -> np.ndarray:
    """The temperature of each of ``steps`` optimiser steps, from ``start`` to ``end``.

    "geomspace": geometric interpolation (the paper's annealing, here per step rather
    than per epoch); "linspace": linear; "constant": ``start`` throughout.
    """
    if schedule == "geomspace":
        return np.geomspace(start, end, steps)
    if schedule == "linspace":
        return np.linspace(start, end, steps)
    if schedule == "constant":
        return np.full(steps, float(start))
    raise ValueError(f"unknown temperature schedule {schedule!r}")
