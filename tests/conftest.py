"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def one_thread():
    """Torch on one thread for a module: these tensors are tiny, so one thread is fastest
    and robust on a busy machine; the previous setting is restored afterwards."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def stop_training_after(monkeypatch):
    """``stop_training_after(n)``: from now on, training is stopped as Ctrl-C stops it
    (``KeyboardInterrupt``) when it is about to start epoch n + 1;
    ``stop_training_after(None)`` lets it train on."""
    from tpc.train.loop import Trainer

    original = Trainer.train_epoch

    def arm(epochs: int | None) -> None:
        def interrupted(self):
            if self.epoch == epochs:
                raise KeyboardInterrupt
            return original(self)

        monkeypatch.setattr(Trainer, "train_epoch", original if epochs is None else interrupted)

    return arm


# ---- hypothesis profiles of the fuzz suite (tests/test_fuzz.py) -------------------------------
# Registered here, loaded by nobody: test_fuzz.py derives each test's settings from them, so
# other modules keep hypothesis' defaults. "fuzz-fast" runs under `make test` (small budgets,
# derandomized: the same cases on every run); "fuzz-slow" under `pytest -m slow` (randomized,
# so each run explores new cases; a failure prints the blob that reproduces it).

from hypothesis import HealthCheck, settings  # noqa: E402

_FUZZ_HEALTH = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
]
settings.register_profile(
    "fuzz-fast",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_FUZZ_HEALTH,
)
settings.register_profile(
    "fuzz-slow",
    deadline=None,
    print_blob=True,
    suppress_health_check=_FUZZ_HEALTH,
)
