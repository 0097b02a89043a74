"""Optimisation passes over the IR (docs/design.md §4) and the pass manager.

Every pass is a pure ``Program -> Program`` function registered by name; see
:mod:`tpc.passes.manager` for the pipelines (``-O0`` .. ``-O3``) and the driver.
"""

from tpc.passes.manager import (
    LEGALIZATIONS,
    PASSES,
    PIPELINES,
    ROUNDS,
    PassStats,
    get_pass,
    legalize,
    optimize,
    register_pass,
    run_passes,
)

# Importing the pass modules registers their passes.
from tpc.passes.value_sets import ValueSets, infer_value_sets, reachable_values  # isort: skip
from tpc.passes.predicates import (  # isort: skip
    eliminate_common_subexpressions,
    group_queries,
    recognize_predicates,
)
from tpc.passes.readout import fold_readout  # isort: skip
from tpc.passes.dead_code import eliminate_dead_code, prune_dead_heads  # isort: skip
from tpc.passes.maps import fold_constants, fuse_maps, recognize_forms  # isort: skip
from tpc.passes.legalize.aggregates import legalize_aggregates  # isort: skip
from tpc.passes.legalize.readout import legalize_readout, lower_readout  # isort: skip
from tpc.passes.legalize.rasp import legalize_for_rasp  # isort: skip
from tpc.passes.legalize.tracr import legalize_for_tracr  # isort: skip
from tpc.passes.domain import specialize_to_domain  # isort: skip

__all__ = [
    "LEGALIZATIONS",
    "PASSES",
    "PIPELINES",
    "ROUNDS",
    "PassStats",
    "ValueSets",
    "eliminate_common_subexpressions",
    "eliminate_dead_code",
    "fold_constants",
    "fold_readout",
    "fuse_maps",
    "get_pass",
    "group_queries",
    "infer_value_sets",
    "legalize",
    "legalize_aggregates",
    "legalize_for_rasp",
    "legalize_for_tracr",
    "legalize_readout",
    "lower_readout",
    "optimize",
    "prune_dead_heads",
    "reachable_values",
    "recognize_forms",
    "recognize_predicates",
    "register_pass",
    "run_passes",
    "specialize_to_domain",
]
