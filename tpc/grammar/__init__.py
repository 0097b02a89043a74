"""The syntax of RASP, the language of Weiss et al. (ICML 2021): text → lark parse tree.

The dialect is that of the reference implementation (tech-srl/RASP): ``rasp.lark`` is its
grammar, :mod:`tpc.grammar.parser` parses with it. This package needs only lark; what a
tree means (RASP → IR) is the front end :mod:`tpc.frontends.rasp_to_ir`, and
:func:`tpc.frontends.parse_rasp` does both steps.
"""

from tpc.grammar.parser import parse_expression, parse_program

__all__ = ["parse_expression", "parse_program"]
