"""Everything tpc does with DeepMind's Tracr compiler (docs/design.md §5).

* :mod:`~tpc.tracr.ir_to_tracr`: IR → a ``tracr.rasp`` program, as Python source (the
  ``tracr`` back end of :mod:`tpc.backends`) or built in memory;
* :mod:`~tpc.tracr.compile`: compile it with Tracr, run the model, check it against the
  interpreter (``tpc tracr compile``);
* :mod:`~tpc.tracr.tracr_to_ir`: any ``tracr.rasp`` program → IR (``tpc tracr import``).

Legalisation for Tracr is a pass pipeline like the others (:mod:`tpc.passes.legalize.tracr`).
The ``tracr`` library itself (with jax) is an optional extra and imported only when a
model is built, compiled or imported; this package imports without it.
"""
