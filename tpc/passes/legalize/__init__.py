"""Legalisation: passes that rewrite a program, exactly, into the operations a back end
has (docs/design.md §4). Each back end's sequence is a named legalisation of the pass
manager (:data:`tpc.passes.manager.LEGALIZATIONS`), run by the one driver with per-pass
statistics and ``--dump-after`` (``tpc opt --legalize rasp|tracr``).

* :mod:`~tpc.passes.legalize.aggregates`: ``closest``/``sum`` aggregates → means,
  selector widths and maps;
* :mod:`~tpc.passes.legalize.readout`: a readout → one table, or arithmetic maps;
* :mod:`~tpc.passes.legalize.products`: product encoding, shared by the others;
* :mod:`~tpc.passes.legalize.rasp`, :mod:`~tpc.passes.legalize.tracr`: each back end's
  own passes and entry point (``legalize_for_rasp``, ``legalize_for_tracr``).
"""
