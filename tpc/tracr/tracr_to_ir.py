"""Tracr importer: any ``tracr.rasp`` program → IR (docs/design.md §5).

The RASP expression DAG is walked from the output; every expression becomes one IR node
built through :class:`~tpc.ir.ProgramBuilder`, which tabulates Python functions over the
operands' value sets (exact, including every mean a numerical aggregate can take):

* ``tokens``, ``indices``; ``length`` → ``SelectorWidth(Select(tokens, tokens, TRUE))``;
  ``Full(v)`` → ``Constant(v)``;
* ``Map``, ``SequenceMap``, ``LinearSequenceMap`` → tables (numerical when annotated so);
* ``Select`` → a named comparison when the IR reads it exactly as Tracr does, else a
  table of the predicate, called as ``predicate(key, query)``;
* ``SelectorAnd``/``Or``/``Not`` → ``SelectorOp``; ``SelectorWidth`` → ``SelectorWidth``;
* ``Aggregate`` → a mean: categorical ones must select at most one key (the interpreter
  raises otherwise), numerical ones average (default as given, Tracr's is 0).

Names are kept, made into identifiers (``opp_idx-1`` → ``opp_idx_1``) and made unique.
Tokens become text (the IR's vocabulary is strings): a program over numbers, e.g.
``{1, 2, 3}``, gets ``"1"``, ``"2"``, ``"3"`` and its functions still see the numbers.
Function results that are not str/int/float/bool (tuples, as in ``make_nary_sequencemap``)
become their ``repr`` and later functions see the original object. ``ConstantSOp`` and
``ConstantSelector`` depend on the input length and have no IR form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tpc.errors import IRError
from tpc.ir import Comparison, Program, ProgramBuilder, TablePredicate
from tpc.ir.render import safe_identifier
from tpc.ir.types import Numerical, Value, value_key
from tpc.tracr.ir_to_tracr import tracr_rasp

_SCALARS = (str, int, float, bool)


class _Importer:
    """Walks a RASP DAG once, memoised by expression id, adding IR nodes in operand order."""

    def __init__(self, vocab: Iterable[Any], max_len: int):
        self.rasp = tracr_rasp()
        tokens = sorted(
            set(vocab), key=lambda v: value_key(v) if isinstance(v, _SCALARS) else (3, repr(v))
        )
        text = [str(t) for t in tokens]
        if len(set(text)) != len(text):
            raise IRError("two vocabulary tokens have the same text")
        self.b = ProgramBuilder(text, max_len, meta={"source": "tracr"})
        #: IR node → (IR value → the Python value Tracr's functions see), where they differ.
        self.py: dict[str, dict[Value, Any]] = {}
        if any(not isinstance(t, str) for t in tokens):
            self.py[self.b.tokens] = dict(zip(text, tokens))
        self.done: dict[int, str] = {}
        self.length: str | None = None

    # ---- values ------------------------------------------------------------------------

    def decoder(self, name: str) -> Callable[[Value], Any]:
        table = self.py.get(name)
        return (lambda v: v) if table is None else table.__getitem__

    def tabulate(self, f: Callable, operands: list[str], out: dict[Value, Any]) -> Callable:
        """``f`` over IR values of ``operands``; results recorded in ``out`` when encoded."""
        decoders = [self.decoder(op) for op in operands]

        def g(*vals: Value) -> Value:
            res = f(*(d(v) for d, v in zip(decoders, vals)))
            if hasattr(res, "item") and not isinstance(res, _SCALARS):
                res = res.item()  # numpy scalars
            if res is None or isinstance(res, _SCALARS):
                return res
            code = repr(res)
            out[code] = res
            return code

        return g

    def keep_encoding(self, name: str, out: dict[Value, Any]) -> str:
        if out:
            self.py[name] = out
        return name

    # ---- the walk ----------------------------------------------------------------------

    def node(self, expr: Any) -> str:
        key = expr.unique_id
        if key not in self.done:
            self.done[key] = self.convert(expr)
        return self.done[key]

    def convert(self, expr: Any) -> str:
        rasp, b = self.rasp, self.b
        name = safe_identifier(expr.name)
        numerical = isinstance(expr, rasp.SOp) and rasp.is_numerical(expr)
        if isinstance(expr, rasp.TokensType):
            return b.tokens
        if isinstance(expr, rasp.IndicesType):
            return b.indices
        if isinstance(expr, rasp.LengthType):
            if self.length is None:
                every = b.select(b.tokens, b.tokens, "TRUE", name="length_select")
                self.length = b.selector_width(every, name="length")
            return self.length
        if isinstance(expr, rasp.Full):
            return b.constant(expr.fill, numerical=numerical, name=name)
        if isinstance(expr, rasp.Map):
            x = self.node(expr.inner)
            out: dict[Value, Any] = {}
            fn = self.tabulate(expr.f, [x], out)
            return self.keep_encoding(b.map(fn, x, numerical=numerical, name=name), out)
        if isinstance(expr, rasp.SequenceMap):
            x, y = self.node(expr.fst), self.node(expr.snd)
            out = {}
            fn = self.tabulate(expr.f, [x, y], out)
            made = b.sequence_map(fn, x, y, numerical=numerical, name=name)
            return self.keep_encoding(made, out)
        if isinstance(expr, rasp.Select):
            return self.select(expr, name)
        if isinstance(expr, (rasp.SelectorAnd, rasp.SelectorOr)):
            op = "and" if isinstance(expr, rasp.SelectorAnd) else "or"
            return b.selector_op(op, self.node(expr.fst), self.node(expr.snd), name=name)
        if isinstance(expr, rasp.SelectorNot):
            return b.selector_op("not", self.node(expr.inner), name=name)
        if isinstance(expr, rasp.SelectorWidth):
            return b.selector_width(self.node(expr.selector), name=name)
        if isinstance(expr, rasp.Aggregate):
            sel = self.node(expr.selector)
            values = self.as_encoding(self.node(expr.sop), numerical)
            made = b.aggregate(sel, values, "mean", default=expr.default, name=name)
            return self.keep_encoding(made, dict(self.py.get(values, {})))
        raise IRError(
            f"tracr expression '{expr.name}' ({type(expr).__name__}) has no IR form"
            + (
                " (it depends on the input length)"
                if isinstance(expr, (rasp.ConstantSOp, rasp.ConstantSelector))
                else ""
            )
        )

    def as_encoding(self, name: str, numerical: bool) -> str:
        """``name``, or an identity Map of it with the other encoding (Tracr lets an
        aggregate's encoding differ from its values' in evaluation, the IR does not)."""
        if isinstance(self.b.type_of(name), Numerical) == numerical:
            return name
        return self.b.map(lambda v: v, name, numerical=numerical, name=f"{name}_as_value")

    def select(self, expr: Any, name: str) -> str:
        keys, queries = self.node(expr.keys), self.node(expr.queries)
        kvals, qvals = self.b.values_of(keys), self.b.values_of(queries)
        pred = expr.predicate
        if isinstance(pred, self.rasp.Comparison) and not ({keys, queries} & self.py.keys()):
            cmp = Comparison(pred.name)
            try:
                if cmp.python_agrees(kvals, qvals):
                    return self.b.select(keys, queries, cmp, name=name)
            except TypeError:
                pass  # values that do not order: tabulated below, which reports the failure
        dk, dq = self.decoder(keys), self.decoder(queries)
        try:
            pairs = frozenset((q, k) for q in qvals for k in kvals if pred(dk(k), dq(q)))
        except Exception as e:  # noqa: BLE001 -- a user predicate failing is a program error
            raise IRError(f"node '{name}': its predicate fails: {type(e).__name__}: {e}") from None
        return self.b.select(keys, queries, TablePredicate(pairs), name=name)


def import_tracr(program: Any, vocab: Iterable[Any], max_len: int) -> Program:
    """The IR program of the ``tracr.rasp`` SOp ``program`` over ``vocab`` (Tracr's input
    values) and inputs of at most ``max_len`` tokens. ``IRError`` names an expression that
    has no IR form or whose function fails on a value it can receive."""
    rasp = tracr_rasp()
    if not isinstance(program, rasp.SOp):
        raise IRError(f"expected a tracr.rasp SOp, got {type(program).__name__}")
    importer = _Importer(vocab, max_len)
    return importer.b.build(importer.node(program))


__all__ = ["import_tracr"]
