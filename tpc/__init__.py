"""tpc, the Transformer Program Compiler (docs/design.md)."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` (PEP 562) for a package whose public names live in
    submodules with heavy imports (torch): ``exports`` maps each name to its submodule,
    imported on first use, so that importing a light submodule (``tpc.model.config``)
    does not import torch through its package."""

    def __getattr__(name: str) -> object:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{exports[name]}"), name)

    return __getattr__
