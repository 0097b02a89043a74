"""Lowering: a trained Transformer Program's discrete weights → an IR program, exactly.

* :mod:`tpc.lower.structure_to_ir`: the model's variables, heads, MLPs and readout
  (:func:`lower_structure`);
* :mod:`tpc.lower.extras_to_ir`: its optional inputs, prefix counts and the expert router;
* :mod:`tpc.lower.run_to_ir`: a run directory's model, with its inputs in ``meta``
  (:func:`lower_run`).
"""

from tpc.lower.errors import LoweringError
from tpc.lower.run_to_ir import inputs_meta, lower_run
from tpc.lower.structure_to_ir import lower_structure

__all__ = ["LoweringError", "inputs_meta", "lower_run", "lower_structure"]
