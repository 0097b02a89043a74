"""The interpreter against a direct, per-position reading of docs/design.md §2–§3.

``reference_eval`` below loops over sequences and positions in plain Python, one rule per
node kind, written from the design text rather than from ``tpc.ir.interp``.
"""

from __future__ import annotations

import itertools
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inputs import all_inputs
from sample_programs import VOCAB, learned_style_program, rasp_style_program

from tpc.errors import EvalError, InputError, IRError
from tpc.frontends.rasp_to_ir import compile_form
from tpc.ir import Categorical, Constant, Numerical, ProgramBuilder, run
from tpc.ir.forms import OpenForm, render_form
from tpc.ir.render import render_value


def reference_eval(prog, tokens):
    """Evaluate ``prog`` on one token list, position by position."""
    n = len(tokens)
    env = {}
    for node in prog:
        k = node.kind
        if k == "tokens":
            val = list(tokens)
        elif k == "indices":
            val = list(range(n))
        elif k == "constant":
            val = [node.value] * n
        elif k == "map":
            val = [node.table[x] for x in env[node.x]]
        elif k == "sequence_map":
            val = [node.table[(x, y)] for x, y in zip(env[node.x], env[node.y])]
        elif k == "select":
            keys, queries = env[node.keys], env[node.queries]
            val = [
                [
                    bool(node.predicate(keys[j], queries[i])) and (not node.causal or j <= i)
                    for j in range(n)
                ]
                for i in range(n)
            ]
        elif k == "selector_op":
            rows = [env[x] for x in node.sels]
            if node.op == "not":
                val = [[not x for x in row] for row in rows[0]]
            else:
                combine = (lambda a, b: a and b) if node.op == "and" else (lambda a, b: a or b)
                val = [[combine(a, b) for a, b in zip(ra, rb)] for ra, rb in zip(*rows)]
        elif k == "selector_width":
            val = [sum(row) for row in env[node.sel]]
        elif k == "aggregate":
            sel, vals = env[node.sel], env[node.values]
            val = []
            for i, row in enumerate(sel):
                chosen = [j for j in range(n) if row[j]]
                if node.reduce == "closest":
                    others = [j for j in chosen if j != i]
                    if others:
                        j = min(others, key=lambda j: (abs(i - j), j))
                    elif chosen:
                        j = i
                    else:
                        j = 0
                    val.append(vals[j])
                elif node.reduce == "sum":
                    val.append(sum(vals[j] for j in chosen))
                elif not chosen:
                    val.append(0 if node.default is None else node.default)
                elif isinstance(node.type, Categorical):
                    assert len(chosen) == 1
                    val.append(vals[chosen[0]])
                else:
                    val.append(sum(vals[j] for j in chosen) / len(chosen))
        elif k == "readout":
            classes = node.type.values
            logits = []
            for i in range(n):
                row = list(node.bias)
                for f, w in zip(node.features, node.weights):
                    x = env[f][i]
                    contrib = w[x] if isinstance(w, dict) else [x * c for c in w]
                    row = [a + b for a, b in zip(row, contrib)]
                logits.append(row)
            allowed = [c for c in range(len(classes)) if node.mask[c]]
            if node.pooled:
                logits = [[sum(col) / n for col in zip(*logits)]] * n
            val = [classes[max(allowed, key=lambda c, r=row: (r[c], -c))] for row in logits]
        else:
            raise AssertionError(k)
        env[node.name] = val
    return env


@pytest.mark.parametrize("causal", [False, True])
def test_learned_style_matches_reference_exhaustively(causal):
    prog = learned_style_program(causal)
    seqs = list(all_inputs(VOCAB, prog.max_len, first="<s>", min_len=2))
    for name in prog.nodes:
        if prog[name].kind == "select":
            continue
        got = run(prog, seqs, node=name)
        for seq, g in zip(seqs, got):
            want = reference_eval(prog, seq)[name]
            assert [float(x) if isinstance(x, float) else x for x in g] == want, (name, seq)


def test_rasp_style_matches_reference_exhaustively():
    prog = rasp_style_program()
    seqs = list(all_inputs(prog.vocab, prog.max_len))
    got = run(prog, seqs)
    for seq, g in zip(seqs, got):
        assert g == reference_eval(prog, seq)[prog.output], seq
    assert run(prog, [["0", "1", "2"]], node="reverse") == [["2", "1", "0"]]


def test_numerical_mean_values_are_in_the_inferred_value_set():
    b = ProgramBuilder(vocab=("0", "1", "2"), max_len=5)
    num = b.map(int, b.tokens, numerical=True)
    mean = b.aggregate(b.select(b.indices, b.indices, "LEQ"), num, name="prefix_mean")
    label = b.map(lambda m: round(m * 6), mean, name="scaled")
    prog = b.build(label)
    seqs = list(all_inputs(prog.vocab, 5))
    got = run(prog, seqs)
    for seq, g in zip(seqs, got):
        assert g == [round(x * 6) for x in reference_eval(prog, seq)["prefix_mean"]]


def test_closest_rule_cases():
    b = ProgramBuilder(vocab=("<s>", "x", "y"), max_len=7, bos="<s>")
    out = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), b.indices, reduce="closest")
    prog = b.build(out)
    #            0     1    2    3    4    5    6
    seq = ["<s>", "x", "y", "x", "y", "y", "x"]
    # x at 1: others 3, 6 -> 3; y at 2: others 4, 5 -> 4; x at 3: 1 (d=2) vs 6 (d=3) -> 1;
    # y at 4: 5 (d=1) and 2 (d=2) -> 5; y at 5: 4; x at 6: 3; <s>: only itself -> 0
    assert run(prog, [seq]) == [[0, 3, 4, 1, 5, 4, 3]]
    # ties go to the earlier position: y at 3 between y at 2 and y at 4
    assert run(prog, [["<s>", "x", "y", "y", "y"]]) == [[0, 1, 3, 2, 3]]
    # nothing selected -> position 0
    b = ProgramBuilder(vocab=("<s>", "x"), max_len=3, bos="<s>")
    out = b.aggregate(b.select(b.tokens, b.tokens, "FALSE"), b.indices, reduce="closest")
    assert run(b.build(out), [["<s>", "x", "x"]]) == [[0, 0, 0]]


def test_categorical_mean_over_two_keys_is_an_error():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    out = b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), b.tokens)
    with pytest.raises(EvalError, match="categorical mean selected 2 keys"):
        run(b.build(out), [["a", "b"]])


def test_bad_inputs_are_clear_errors():
    prog = rasp_style_program()
    with pytest.raises(InputError, match="unknown token 'z' at position 1"):
        run(prog, [["0", "z"]])
    with pytest.raises(InputError, match="at most 5"):
        run(prog, [["0"] * 6])


def test_padding_does_not_leak_into_shorter_sequences():
    prog = learned_style_program(False)
    seqs = [["<s>", "a"], ["<s>", "a", "b", "c", "a", "b"], ["<s>", "c", "c"]]
    batched = run(prog, seqs)
    alone = [run(prog, [s])[0] for s in seqs]
    assert batched == alone


def test_numerical_type_with_unknown_values_still_evaluates():
    b = ProgramBuilder(vocab=("a", "b"), max_len=4)
    ones = b.add(Constant("ones", Numerical(None), value=1))
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    assert run(b.build(count), [["a", "b", "a"]]) == [[2.0, 1.0, 2.0]]


# ---- open maps: forms evaluated with numpy, as RASP reads them ---------------------------------

FORM_LEAVES = ("x", "y", "0", "1", "2", "0.5", "(-1.25)", "0.1", "(-0.0)", '"a"', "True", "False")
FORM_OPS = ("+", "-", "*", "==", "<", ">", "<=", ">=", "and", "or")
#: Operand types: numerical (any float64) or categorical over one of these value sets.
CATEGORICAL_OPERANDS = (
    (0, 1, 2, 3),
    (-1.5, 0.0, 2.5, 1e300),
    ("a", "b"),
    (False, True),
    (0.5, "a", True),
)


def forms():
    """Random forms over x and y (fully parenthesised, so RASP's grouping does not matter)."""
    return st.recursive(
        st.sampled_from(FORM_LEAVES),
        lambda sub: st.one_of(
            st.tuples(sub, st.sampled_from(FORM_OPS), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            sub.map(lambda a: f"(-{a})"),
            sub.map(lambda a: f"(not {a})"),
            st.tuples(sub, sub, sub).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            st.tuples(sub, st.lists(st.sampled_from(FORM_LEAVES[2:]), max_size=3)).map(
                lambda t: f"({t[0]} in [{', '.join(t[1])}])"
            ),
        ),
        max_leaves=8,
    )


def same_python_value(got, want) -> bool:
    """Identical value and type; floats bit for bit (NaN is NaN, -0.0 is not 0.0)."""
    if type(got) is not type(want):
        return False
    if isinstance(want, float):
        return struct.pack("<d", got) == struct.pack("<d", want) or (got != got and want != want)
    return got == want


@settings(max_examples=400, deadline=None)
@given(form=forms(), data=st.data())
def test_open_forms_compute_what_rasp_computes(form, data):
    pools = [data.draw(st.sampled_from((None, *CATEGORICAL_OPERANDS))) for _ in "xy"]
    types = [Numerical(None) if p is None else Categorical(p) for p in pools]
    try:
        compiled = OpenForm(form, types)
    except IRError:
        return  # strings in arithmetic, strings against numbers: refused, never computed
    fn = compile_form(form)
    assert fn is not None, form
    n = 12
    args, values = [], []
    for pool in pools:
        if pool is None:
            xs = data.draw(st.lists(st.floats(width=64), min_size=n, max_size=n))
            args.append(np.array(xs, dtype=np.float64))
            values.append(xs)
        else:
            codes = data.draw(st.lists(st.integers(0, len(pool) - 1), min_size=n, max_size=n))
            args.append(np.array(codes, dtype=np.int64))
            values.append([pool[c] for c in codes])
    python = eval(f"lambda x, y: {render_form(form, 'xy', render_value, python=True)}")  # noqa: S307
    for x, y in zip(*values):  # the Python back end's reading: Python's own, exactly
        assert same_python_value(python(x, y), fn(x, y)), (form, x, y)
    if compiled.values is None or all(isinstance(v, (int, float)) for v in compiled.values):
        got = compiled.evaluate(args, Numerical(None), (n,)).tolist()
        for x, y, g in zip(*values, got):
            want = float(fn(x, y))  # float64 arithmetic: Python's value (ints may give -0.0)
            assert g == want or (g != g and want != want), (form, x, y, g, want)
    else:
        out = Categorical(tuple({(isinstance(v, bool), v): v for v in compiled.values}.values()))
        got = compiled.evaluate(args, out, (n,)).tolist()
        for x, y, g in zip(*values, got):
            assert out.values[g] == fn(x, y), (form, x, y)
    if None not in pools:  # every combination, values and Python types, when exact
        table = compiled.tabulate()
        if table is not None:
            want = [fn(a, b) for a, b in itertools.product(*pools)]
            assert all(map(same_python_value, table, want)), form


def test_open_maps_in_a_program():
    b = ProgramBuilder(vocab=("a", "b", "c"), max_len=4)
    value = b.map({"a": 0.1, "b": -2.5, "c": 3.0}.__getitem__, b.tokens, numerical=True)
    total = b.aggregate(b.select(b.tokens, b.tokens, "LEQ"), value, reduce="sum", name="total")
    mixed = b.open_map("x * 0.3 + y", total, b.indices, name="mixed")
    big = b.open_map("x >= 1", mixed, name="big")
    label = b.open_map('"big" if x else "small"', big, name="label")
    prog = b.build(label)
    assert prog["mixed"].type == Numerical(None) and prog["big"].type == Categorical((False, True))
    seqs = [["a", "b", "c", "a"], ["c"], ["b", "b"]]
    totals = run(prog, seqs, node="total")
    assert run(prog, seqs, node="mixed") == [
        [t * 0.3 + i for i, t in enumerate(row)] for row in totals
    ]
    assert run(prog, seqs) == [
        ["big" if t * 0.3 + i >= 1 else "small" for i, t in enumerate(row)] for row in totals
    ]
