"""The Python back end: emitted modules agree with the interpreter, stand alone, read well."""

from __future__ import annotations

import ast
import dataclasses
import random
import subprocess
import sys
import types

import black
import pytest
from hypothesis import HealthCheck, given, settings
from inputs import all_inputs
from sample_programs import VOCAB, learned_style_program, rasp_style_program
from strategies import programs

from tpc.backends.python import emit_python
from tpc.errors import EvalError, TpcError
from tpc.ir import (
    Categorical,
    Constant,
    Numerical,
    Program,
    ProgramBuilder,
    Readout,
    TablePredicate,
    run,
)
from tpc.ir.render import live_nodes


def load(source: str, name: str = "emitted") -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def same_value(got, want, numerical: bool) -> bool:
    if numerical:
        return float(got) == float(want)
    return type(got) is type(want) and got == want


def assert_matches_interpreter(program: Program, seqs, formatted: bool = True) -> None:
    """The emitted module's output equals the interpreter's on every input in ``seqs``;
    where the module raises ValueError the interpreter raises EvalError.

    The interpreter runs on the nodes the output depends on (the module computes no others).
    """
    module = load(emit_python(program, formatted=formatted))
    reference = program.replace(live_nodes(program))
    ok, failing = [], []
    for seq in seqs:
        try:
            ok.append((seq, module.run(seq)))
        except ValueError:
            failing.append(seq)
    want = run(reference, [seq for seq, _ in ok])
    numerical = isinstance(program.output_node.type, Numerical)
    for (seq, got), w in zip(ok, want):
        assert len(got) == len(w) == len(seq)
        assert all(same_value(g, x, numerical) for g, x in zip(got, w)), (seq, got, w)
    for seq in failing[:3]:
        with pytest.raises(EvalError):
            run(reference, [seq])
    assert module.run_batch([seq for seq, _ in ok[:5]]) == [got for _, got in ok[:5]]


# ---- programs covering every node kind --------------------------------------------------------


def every_kind_program(pooled: bool) -> Program:
    """Constants, maps, a numerical mean with default, sums, widths, causal and table
    selects, selector ops, closest and categorical means, and a readout."""
    b = ProgramBuilder(vocab=("<s>", "a", "b", "c"), max_len=5, bos="<s>")
    value = b.map(
        lambda t: {"<s>": 0, "a": 1, "b": 2, "c": 3}[t], b.tokens, numerical=True
    )
    prefix = b.select(b.indices, b.indices, "LEQ", causal=True, name="prefix")
    prefix_mean = b.aggregate(prefix, value, default=-1, name="prefix_mean")
    thirds = b.map(lambda m: round(m * 3), prefix_mean, name="thirds")
    ones = b.constant(1, numerical=True, name="ones")
    same = b.select(b.tokens, b.tokens, "EQ", name="same")
    hist = b.aggregate(same, ones, reduce="sum", name="hist")
    later = b.select(b.indices, b.indices, "GT", name="later")
    nothing = b.select(b.tokens, b.tokens, "FALSE", name="nothing")
    empty_mean = b.aggregate(nothing, value, default=2.5, name="empty_mean")
    table = TablePredicate(
        frozenset({("a", "b"), ("b", "a"), ("c", "c"), ("<s>", "c")})
    )
    partner = b.select(b.tokens, b.tokens, table, causal=True, name="partner")
    either = b.selector_op("or", partner, b.selector_op("not", later), name="either")
    partner_index = b.aggregate(
        either, b.indices, reduce="closest", name="partner_index"
    )
    width = b.selector_width(b.selector_op("and", same, later), name="width")
    first = b.aggregate(
        b.select(b.indices, b.constant(0, name="zero"), "EQ"), b.tokens, name="first"
    )
    nxt = b.map(lambda i: i + 1, b.indices, name="next_index")
    successor = b.aggregate(
        b.select(b.indices, nxt, "EQ"), b.tokens, default="none", name="successor"
    )
    mlp = b.sequence_map(lambda x, y: (x + y) % 3, thirds, width, name="mlp")
    classes = ("<pad>", "even", "odd", "many")
    features = (mlp, hist, b.tokens, partner_index, empty_mean, successor, first)
    weights = []
    for k, f in enumerate(features):
        t = b.type_of(f)
        if isinstance(t, Categorical):
            weights.append(
                {
                    v: [((i * 7 + j * 3 + k) % 5 - 2) / 2 for j in range(4)]
                    for i, v in enumerate(t.values)
                }
            )
        else:
            weights.append([0.5, -0.25, 0.25, 0.0])
    out = b.add(
        Readout(
            "label",
            Categorical(classes),
            features=features,
            weights=weights,
            bias=[0.0, 0.5, 0.0, -0.5],
            mask=[False, True, True, True],
            pooled=pooled,
        )
    )
    return b.build(out)


@pytest.mark.parametrize("causal", [False, True])
def test_learned_style_program_matches_interpreter_exhaustively(causal):
    prog = learned_style_program(causal)
    assert_matches_interpreter(prog, all_inputs(VOCAB, prog.max_len, min_len=0))


def test_pooled_readout_with_float_weights_matches_interpreter_exhaustively():
    prog = learned_style_program(False)
    pooled = dataclasses.replace(prog["readout"], pooled=True)
    prog = prog.replace({**prog.nodes, "readout": pooled})
    assert_matches_interpreter(prog, all_inputs(VOCAB, prog.max_len, min_len=0))


def test_rasp_style_program_matches_interpreter_exhaustively():
    prog = rasp_style_program()
    assert_matches_interpreter(prog, all_inputs(prog.vocab, prog.max_len, min_len=0))


@pytest.mark.parametrize("pooled", [False, True])
def test_every_node_kind_matches_interpreter_exhaustively(pooled):
    prog = every_kind_program(pooled)
    assert_matches_interpreter(prog, all_inputs(prog.vocab, prog.max_len, min_len=0))
    for node in (
        "prefix_mean",
        "hist",
        "partner_index",
        "width",
        "successor",
        "empty_mean",
    ):
        sub = prog.replace(prog.nodes, output=node)
        assert_matches_interpreter(sub, all_inputs(prog.vocab, 4, min_len=0), formatted=False)


def test_closest_rule_cases():
    b = ProgramBuilder(vocab=("<s>", "x", "y"), max_len=7, bos="<s>")
    prog = b.build(
        b.aggregate(b.select(b.tokens, b.tokens, "EQ"), b.indices, reduce="closest")
    )
    module = load(emit_python(prog))
    # other matches by distance, ties to the earlier one; only itself -> itself (<s> at 0)
    assert module.run(["<s>", "x", "y", "x", "y", "y", "x"]) == [0, 3, 4, 1, 5, 4, 3]
    assert module.run(["<s>", "x", "y", "y", "y"]) == [0, 1, 3, 2, 3]
    assert module.run(["x", "y", "<s>"]) == [0, 1, 2]
    b = ProgramBuilder(vocab=("<s>", "x"), max_len=3, bos="<s>")
    prog = b.build(
        b.aggregate(b.select(b.tokens, b.tokens, "FALSE"), b.indices, reduce="closest")
    )
    assert load(emit_python(prog)).run(["<s>", "x", "x"]) == [
        0,
        0,
        0,
    ]  # nothing: position 0


def test_categorical_mean_over_two_keys_is_a_value_error():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    module = load(
        emit_python(
            b.build(b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), b.tokens))
        )
    )
    assert module.run(["a"]) == ["a"]
    with pytest.raises(
        ValueError, match="categorical mean selected 2 keys at query position 0"
    ):
        module.run(["a", "b"])


def test_numerical_values_without_a_value_set():
    b = ProgramBuilder(vocab=("a", "b"), max_len=4)
    ones = b.add(Constant("ones", Numerical(None), value=1))
    count = b.aggregate(
        b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count"
    )
    fewer = b.select(count, count, "LT", name="fewer")
    prog = b.build(b.aggregate(fewer, count, reduce="sum", name="out"))
    assert_matches_interpreter(prog, all_inputs(prog.vocab, 4, min_len=0))


def test_lookups_tolerate_rounding_in_float_means():
    b = ProgramBuilder(vocab=("a", "b", "c"), max_len=4)
    tenths = b.map(
        lambda t: {"a": 0.1, "b": 0.2, "c": 0.7}[t], b.tokens, numerical=True
    )
    mean = b.aggregate(b.select(b.indices, b.indices, "LEQ"), tenths, name="mean")
    big = b.map(lambda m: m > 0.3, mean, name="big")
    prog = b.build(b.aggregate(b.select(mean, mean, "EQ"), big, reduce="closest"))
    source = emit_python(prog)
    assert "_snap(mean, MEAN_VALUES)" in source
    assert_matches_interpreter(prog, all_inputs(prog.vocab, 4, min_len=0))


def test_python_equality_that_differs_from_the_ir_becomes_a_table():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    flag = b.map(lambda t: t == "a", b.tokens, name="flag")  # bools
    one = b.map(
        lambda t: 1, b.tokens, name="one"
    )  # the int 1: True == 1 in Python only
    sel = b.select(flag, one, "EQ", name="match")
    prog = b.build(b.selector_width(sel, name="width"))
    source = emit_python(prog)
    assert "key == query" not in source and "def match(" in source
    assert load(source).run(["a", "b", "a"]) == [0, 0, 0]
    assert_matches_interpreter(prog, all_inputs(prog.vocab, 3, min_len=0))


def test_names_that_clash_with_python_are_renamed():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    length = b.selector_width(b.select(b.tokens, b.tokens, "TRUE"), name="len")
    key = b.map(lambda n: n % 2, length, name="key")
    prog = b.build(b.sequence_map(lambda k, i: k + i, key, b.indices, name="sum"))
    source = emit_python(prog)
    assert "len_1 = " in source and "key_1 = " in source and "sum_1 = " in source
    assert_matches_interpreter(prog, all_inputs(prog.vocab, 3, min_len=0))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_match_interpreter(prog):
    assert_matches_interpreter(
        prog, all_inputs(prog.vocab, prog.max_len, min_len=0), formatted=False
    )


# ---- the module's shape ----------------------------------------------------------------------


def test_module_runs_with_only_the_standard_library(tmp_path):
    prog = learned_style_program(True)
    source = emit_python(prog)
    imported = [
        name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in (
            [node.module]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
        )
    ]
    assert imported  # learned-style programs use helpers that import (functools, itertools)
    assert set(imported) <= sys.stdlib_module_names
    (tmp_path / "learned.py").write_text(source)
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import learned; "
        "print(learned.run_batch([['<s>', 'a', 'c'], ['<s>']]), learned.MAX_LEN, learned.BOS)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    want = run(prog, [["<s>", "a", "c"], ["<s>"]])
    assert (
        done.stdout == f"{want} 6 <s>\n" and done.stderr == ""
    )  # nothing printed on import


def test_api_constants_and_input_errors():
    prog = learned_style_program(False)
    module = load(emit_python(prog))
    assert (module.VOCAB, module.MAX_LEN, module.BOS, module.EOS) == (
        VOCAB,
        6,
        "<s>",
        None,
    )
    assert module.run([]) == [] and module.run_batch([]) == []
    with pytest.raises(ValueError, match="unknown token 'z' at position 2"):
        module.run(["<s>", "a", "z"])
    with pytest.raises(ValueError, match="7 tokens; the program takes at most 6"):
        module.run(["<s>"] + ["a"] * 6)


def test_output_is_black_formatted_and_deterministic():
    prog = every_kind_program(pooled=True)
    source = emit_python(prog)
    assert black.format_str(source, mode=black.Mode()) == source
    assert emit_python(prog) == source
    assert (
        emit_python(prog, formatted=False) != source
    )  # the unformatted text is the same code
    compile(source, "<emitted>", "exec")


def test_predicates_are_printed_in_readable_form():
    source = emit_python(every_kind_program(pooled=False))
    assert "[[key == query for key in tokens] for query in tokens]" in source
    assert "_causal([[key <= query for key in indices] for query in indices])" in source
    assert "[[False for key in tokens] for query in tokens]" in source
    predicate = source[source.index("def partner_predicate") :].split("\n\n")[0]
    # one key per query: a lookup, the most common key left out
    assert "    return key == {'a': 'b', 'b': 'a'}.get(query, 'c')\n" in predicate


def test_table_predicates_close_to_a_comparison_list_only_the_exceptions():
    vocab = ("<s>", "a", "b", "c", "d")
    b = ProgramBuilder(vocab=vocab, max_len=5, bos="<s>")
    pairs = {(q, q) for q in "abd"} | {("<s>", "a"), ("<s>", "b")}  # "c" selects nothing
    eq_sel = b.select(b.tokens, b.tokens, TablePredicate(frozenset(pairs)), name="mostly_eq")
    one = {(q, q) for q in "bcd"} | {("a", "d")}  # one key per query but <s>: a lookup
    one_sel = b.select(b.tokens, b.tokens, TablePredicate(frozenset(one)), name="one_key")
    below = {(q, k) for q in range(5) for k in range(5) if k < q} | {(0, 3)}
    lt_sel = b.select(b.indices, b.indices, TablePredicate(frozenset(below)), name="mostly_lt")
    count = b.sequence_map(
        lambda x, y: x + y,
        b.selector_width(eq_sel, name="count_eq"),
        b.selector_width(one_sel, name="count_one"),
        name="count",
    )
    prev = b.aggregate(lt_sel, b.tokens, reduce="closest", name="prev")
    prog = b.build(b.sequence_map(lambda n, t: f"{n}{t}", count, prev, name="out"))
    source = emit_python(prog)
    eq = source[source.index("def mostly_eq") :].split("# fmt: on")[0]
    assert eq.splitlines()[1:] == [
        "    if query == '<s>': return key in {'a', 'b'}",
        "    if query == 'c': return False",
        "    return key == query",
    ]
    one_key = source[source.index("def one_key") :].split("# fmt: on")[0]
    assert one_key.splitlines()[1:] == ["    return key == {'<s>': None, 'a': 'd'}.get(query, query)"]
    lt = source[source.index("def mostly_lt") :].split("# fmt: on")[0]
    assert lt.splitlines()[1:] == ["    if query == 0: return key == 3", "    return key < query"]
    assert_matches_interpreter(prog, all_inputs(prog.vocab, 5, min_len=0))


def test_header_has_provenance_but_no_absolute_paths():
    prog = every_kind_program(pooled=False)
    prog.meta = {
        "task": "demo",
        "run_dir": "/home/someone/runs/demo-1",
        "config": {"seed": 3},
        "model": {"kind": "tp", "n_layers": 2, "n_heads_cat": 4, "n_heads_num": 0}
        | {"n_cat_mlps": 1, "n_num_mlps": 0, "d_var": 8, "causal": False},
        "results": {"accuracy": {"test": 0.5, "train": 0.75}, "best_epoch": 7},
        "optimization": "O2",
    }
    source = emit_python(prog)
    assert '"""demo: emitted by tpc' in source
    assert 'config: {"seed": 3}' in source and "run_dir: …/demo-1" in source
    assert (
        "Model: 2 layers, 4+0 heads and 1+0 MLPs (categorical+numerical), d_var 8."
        in source
    )
    assert "Discrete model accuracy: train 75.00%, test 50.00% (epoch 7)." in source
    assert "Produced by: tpc opt -O2." in source
    assert "/home" not in source
    assert "Maximum length: 5 (counting BOS '<s>'" in source


def test_unwritable_programs_are_tpc_errors():
    b = ProgramBuilder(vocab=("a",), max_len=2)
    free = b.add(Constant("free", Numerical(None), value=1))
    sel = b.select(free, free, TablePredicate(frozenset({(1, 1)})))
    with pytest.raises(
        TpcError, match="table predicate over an operand without a finite"
    ):
        emit_python(b.build(b.selector_width(sel)))


def test_piecewise_numerical_tables_are_printed_as_runs():
    """Tables over counts that change output at few thresholds (as numerical MLPs do) are
    printed as runs of the count, per value of the other operand, and still agree with
    the interpreter; a count read in the first operand is handled too."""
    b = ProgramBuilder(vocab=("<s>", "a", "b", "c"), max_len=7, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(
        b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count"
    )
    before = b.aggregate(
        b.select(b.indices, b.indices, "LT"), ones, reduce="sum", name="before"
    )
    step = b.map(lambda c: "few" if c < 3 else "many", count, name="step")
    level = b.map(lambda c: min(c, 5) // 2, count, name="level")
    grid = b.sequence_map(
        lambda t, c: {"<s>": 0, "a": 1, "b": 2, "c": 3}[t] + (c > 2) + (c > 4),
        b.tokens,
        before,
        name="grid",
    )
    flipped = b.sequence_map(
        lambda c, s: (c >= 2) + 2 * (s == "many"), before, step, name="flipped"
    )
    features = (step, grid, flipped, level)
    weights = [
        {v: [float(i == j) for j in range(8)] for i, v in enumerate(b.values_of(f))}
        for f in features
    ]
    readout = Readout(
        "out",
        Categorical(tuple(range(8))),
        features=features,
        weights=weights,
        bias=[0.0] * 8,
        mask=[True] * 8,
    )
    prog = b.build(b.add(readout))
    for name in ("step", "grid", "flipped", "level"):
        sub = prog.replace(prog.nodes, output=name)
        source = emit_python(sub)
        if name == "step":  # one threshold: a conditional
            assert 'step = ["few" if x < 3 else "many" for x in count]' in source
        else:
            assert f"{name.upper()}_RUNS = " in source and "_in_run(" in source, name
        assert_matches_interpreter(sub, all_inputs(prog.vocab, 7, min_len=0))


# ---- names and value sets a program chooses --------------------------------------------------


@pytest.mark.parametrize("name", ["__builtins__", "__name__", "__import__", "__doc__"])
def test_nodes_named_like_module_attributes_keep_the_module_working(name):
    """A node named ``__builtins__`` (an identifier, so a valid name) gets another variable:
    a module-level ``__builtins__`` would change what every builtin means."""
    b = ProgramBuilder(("a", "b"), 3)
    sel = b.select(b.tokens, b.tokens, "NEQ", name=name)
    prog = b.build(b.aggregate(sel, b.indices, reduce="closest", name="out"))
    source = emit_python(prog)
    defined = {
        target.id if isinstance(target, ast.Name) else target.name
        for stmt in ast.parse(source).body
        for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt])
        if isinstance(target, (ast.Name, ast.FunctionDef))
    }
    assert name not in defined
    assert_matches_interpreter(prog, all_inputs(("a", "b"), 3, min_len=0))


def _narrowed(fn, max_len: int, drop: int) -> Program:
    """``out = fn(count)`` with ``drop`` left out of the count's declared value set (and of
    the table), though inputs of ``drop`` tokens reach it."""
    b = ProgramBuilder(("a",), max_len)
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), ones, reduce="sum", name="count")
    prog = b.build(b.map(fn, count, name="out"))
    table = {k: v for k, v in prog["out"].table.items() if k != drop}
    values = tuple(v for v in prog["count"].type.values if v != drop)
    narrow = {
        "count": dataclasses.replace(prog["count"], type=Numerical(values)),
        "out": dataclasses.replace(
            prog["out"], table=table, type=Categorical(tuple(dict.fromkeys(table.values())))
        ),
    }
    return prog.replace([narrow.get(n.name, n) for n in prog]).validate()


@pytest.mark.parametrize(
    ("fn", "max_len", "drop"),
    [(lambda c: f"n{c}", 4, 2), (lambda c: "one" if c == 1 else "many", 12, 5)],
)
def test_sums_outside_their_declared_value_set_raise_value_error(fn, max_len, drop):
    """A sum whose declared value set leaves out a value it reaches: the interpreter raises
    EvalError there, so the module raises ValueError (not KeyError, and it never takes a
    table's default or a run's output instead)."""
    prog = _narrowed(fn, max_len, drop)
    with pytest.raises(EvalError):
        run(prog, [["a"] * drop])
    with pytest.raises(ValueError):
        load(emit_python(prog)).run(["a"] * drop)
    assert_matches_interpreter(prog, all_inputs(("a",), max_len, min_len=0))


# ---- the runtime that emitted modules copy in, tested as code ---------------------------------


def _closest_by_rule(row: list[bool], i: int) -> int:
    """docs/design.md §2: the selected key j != i nearest to i, the earlier on ties; i
    itself when only i is selected; position 0 when nothing is."""
    others = [j for j, s in enumerate(row) if s and j != i]
    if others:
        return min(others, key=lambda j: (abs(i - j), j))
    return i if row[i] else 0


def test_runtime_closest_follows_the_closest_match_rule():
    from tpc.backends import python_runtime as runtime

    rng = random.Random(0)
    for _ in range(300):
        n = rng.randint(1, 7)
        selector = [[rng.random() < 0.3 for _ in range(n)] for _ in range(n)]
        values = [f"v{j}" for j in range(n)]
        want = [values[_closest_by_rule(row, i)] for i, row in enumerate(selector)]
        assert runtime._closest(selector, values) == want


def test_runtime_means_argmax_and_sets():
    from tpc.backends import python_runtime as runtime

    selector = [[True, False, True], [False, False, False], [False, True, False]]
    assert runtime._mean(selector, [1, 2, 4], -1) == [2.5, -1, 2]
    assert runtime._sum(selector, [1, 2, 4]) == [5, 0, 2]
    with pytest.raises(ValueError, match="selected 2 keys at query position 0"):
        runtime._mean_categorical(selector, ["a", "b", "c"], None, "node")
    assert runtime._argmax([1.0, 3.0, 3.0, 0.5], [0, 2, 1, 3]) == 2  # first allowed on ties
    assert runtime._in_run(runtime._runs({0: "a", 5: "b"}), 4) == "a"
    assert runtime._snap([0.30000000000000004], {0.3}) == [0.3]
    with pytest.raises(ValueError):
        runtime._snap([0.5], {0.3})
    assert set(runtime.HELPERS) >= {"_closest", "_closest_orders", "_runs"}
