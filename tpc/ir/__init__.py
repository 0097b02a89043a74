"""The tpc intermediate representation: typed nodes in a DAG, and the interpreter that
defines what they compute (docs/design.md §3)."""

from tpc.ir.build import ProgramBuilder
from tpc.ir.interp import Interpreter, decode, encode_tokens, run
from tpc.ir.nodes import (
    COMPARISONS,
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.program import Program, validate
from tpc.ir.serialize import FORMAT, dump, dumps, load, loads
from tpc.ir.types import Categorical, Numerical, Selector, Type, Value

__all__ = [
    "COMPARISONS",
    "FORMAT",
    "Aggregate",
    "Categorical",
    "Comparison",
    "Constant",
    "Indices",
    "Interpreter",
    "Map",
    "Node",
    "Numerical",
    "Program",
    "ProgramBuilder",
    "Readout",
    "Select",
    "Selector",
    "SelectorOp",
    "SelectorWidth",
    "SequenceMap",
    "TablePredicate",
    "Tokens",
    "Type",
    "Value",
    "decode",
    "dump",
    "dumps",
    "encode_tokens",
    "load",
    "loads",
    "run",
    "validate",
]
