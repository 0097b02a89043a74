"""Legalisation for RASP text: the program in RASP's primitives, exactly.

RASP has mean aggregates, selector widths and element-wise operations, but no
Transformer Program ``closest``/``sum`` aggregates and no readout. The ``rasp``
legalisation of the pass manager (:data:`~tpc.passes.manager.LEGALIZATIONS`) rewrites them:
``legalize_aggregates`` (:mod:`tpc.passes.legalize.aggregates`), then
:func:`legalize_readout_for_rasp`. A program without them is returned unchanged.
"""

from __future__ import annotations

from tpc.ir import Program, Readout
from tpc.passes.legalize.products import MAX_PRODUCT
from tpc.passes.legalize.readout import legalize_readout, lower_readout, table_is_smaller
from tpc.passes.manager import legalize, register_pass


@register_pass("legalize_readout_for_rasp")
def legalize_readout_for_rasp(program: Program) -> Program:
    """A per-position readout as one table over its features
    (:func:`~tpc.passes.legalize.readout.lower_readout`) when that table is exact and the
    smaller program, else as score and argmax maps
    (:func:`~tpc.passes.legalize.readout.legalize_readout`)."""
    readouts = [n for n in program if isinstance(n, Readout)]
    if not readouts:
        return program
    if all(table_is_smaller(program, r, MAX_PRODUCT) for r in readouts):
        return lower_readout(program)
    return legalize_readout(program)


def legalize_for_rasp(program: Program) -> Program:
    """The program in RASP's primitives, exactly (the ``rasp`` legalisation)."""
    return legalize(program, "rasp")[0]


__all__ = ["legalize_for_rasp", "legalize_readout_for_rasp"]
