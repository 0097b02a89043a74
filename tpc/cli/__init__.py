"""Every ``tpc`` command (docs/design.md §1): :mod:`~tpc.cli.main` holds the group and
the small commands, :mod:`~tpc.cli.common` the one-line error promise and shared options,
and one module each holds the commands with heavy imports: :mod:`~tpc.cli.train`,
:mod:`~tpc.cli.search_wiring`, :mod:`~tpc.cli.opt`, :mod:`~tpc.cli.tracr`, and
:mod:`~tpc.cli.demo` (``tpc demo``'s pipeline). The ``tpc`` program is :func:`main`.
"""

from tpc.cli.main import main

__all__ = ["main"]
