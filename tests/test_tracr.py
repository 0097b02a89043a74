"""Tracr: the importer against ``rasp.evaluate``, legalisation against the interpreter, the
emitted program (in memory and as source) against the interpreter, and compiled models
against the interpreter. Compiling takes seconds per program: programs are small."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import re
import types
from pathlib import Path

import black
import numpy as np
import pytest
from click.testing import CliRunner
from sample_programs import learned_style_program, rasp_style_program
from tracr.compiler import compiling, lib
from tracr.rasp import rasp

from tpc.backends.python import emit_python
from tpc.backends.rasp import emit_rasp
from tpc.cli.tracr import tracr_group
from tpc.errors import EmitError, IRError
from tpc.frontends import parse_rasp
from tpc.ir import (
    Aggregate,
    Categorical,
    Constant,
    Numerical,
    Program,
    ProgramBuilder,
    Readout,
    Select,
    SelectorOp,
    TablePredicate,
    dump,
    load,
    run,
)
from tpc.ir.types import value_set
from tpc.passes.legalize.aggregates import legalize_aggregates
from tpc.passes.legalize.tracr import (
    legalize_for_tracr,
    proves_one_key,
    tracr_numerical,
    unproved_one_key,
)
from tpc.tracr.compile import all_inputs, check_compiled, compile_tracr
from tpc.tracr.ir_to_tracr import build_tracr, emit_tracr
from tpc.tracr.tracr_to_ir import import_tracr

HANDWRITTEN = Path(__file__).resolve().parent.parent / "programs" / "rasp_handwritten"


def words(vocab, max_len: int, keep=lambda s: True) -> list[list]:
    """Every non-empty input up to ``max_len`` over ``vocab`` that ``keep`` accepts."""
    return [
        list(s)
        for n in range(1, max_len + 1)
        for s in itertools.product(sorted(vocab, key=str), repeat=n)
        if keep(s)
    ]


def same(ir_value, ref) -> bool:
    """An IR output equals a Tracr evaluation's (tokens are text in the IR, numbers close)."""
    if isinstance(ref, (int, float)) and not isinstance(ir_value, str):
        return math.isclose(float(ir_value), float(ref), abs_tol=1e-9)
    return str(ir_value) == str(ref)


# ---- tracr's own library, imported ------------------------------------------------------------

unique = lambda s: len(set(s)) == len(s)  # noqa: E731

#: name → (program, vocab, max_len, which inputs the program is defined on)
LIB = {
    "length": (lambda: lib.make_length(), "abc", 5, None),
    "reverse": (lambda: lib.make_reverse(rasp.tokens), "abc", 5, None),
    "hist": (lambda: lib.make_hist(), "abc", 5, None),
    "sort_unique": (
        lambda: lib.make_sort_unique(rasp.tokens, rasp.tokens),
        [1, 2, 3, 4],
        4,
        unique,
    ),
    "sort": (
        lambda: lib.make_sort(rasp.tokens, rasp.tokens, max_seq_len=5, min_key=1),
        [1, 2, 3],
        5,
        None,
    ),
    "sort_freq": (lambda: lib.make_sort_freq(max_seq_len=5), "abc", 5, None),
    "frac_prevs": (lambda: lib.make_frac_prevs(rasp.tokens == "a"), "abc", 5, None),
    "pair_balance": (lambda: lib.make_pair_balance(rasp.tokens, "(", ")"), "()x", 5, None),
    "shuffle_dyck": (lambda: lib.make_shuffle_dyck(["()"]), "()x", 5, None),
    "shuffle_dyck2": (lambda: lib.make_shuffle_dyck2(), "(){}", 4, None),
    "count_less_freq": (lambda: lib.make_count_less_freq(2), "abc", 5, None),
    "count": (lambda: lib.make_count(rasp.tokens, "a"), "abc", 5, None),
    "nary_sequence_map": (
        lambda: lib.make_nary_sequencemap(
            lambda a, i, b: f"{a}{i}{b}", rasp.tokens, rasp.indices, rasp.tokens
        ),
        "ab",
        4,
        None,
    ),
}


def imported(name: str) -> tuple[Program, object, list[list]]:
    make, vocab, max_len, keep = LIB[name]
    sop = make()
    return import_tracr(sop, set(vocab), max_len), sop, words(set(vocab), max_len, keep or bool)


def text(seqs: list[list]) -> list[list[str]]:
    return [[str(t) for t in s] for s in seqs]


@pytest.mark.parametrize("name", LIB)
def test_lib_program_imports_exactly(name):
    prog, sop, seqs = imported(name)
    for seq, got in zip(seqs, run(prog, text(seqs))):
        want = sop(seq)
        assert all(same(g, w) for g, w in zip(got, want)), (seq, got, want)


def test_import_keeps_names_encodings_and_comparisons():
    prog, _, _ = imported("pair_balance")
    assert {"bools_open", "opens", "closes", "pair_balance"} <= set(prog.nodes)
    assert isinstance(prog["opens"].type, Numerical)
    assert prog["opens"].reduce == "mean" and prog["opens"].default == 0
    prog, _, _ = imported("reverse")
    assert prog["opp_idx_1"].kind == "map"  # "opp_idx-1" made an identifier
    assert prog["reverse_selector"].predicate.op == "EQ"
    prog, _, _ = imported("count_less_freq")
    assert isinstance(prog["select_less"].predicate, TablePredicate)  # a lambda, tabulated


def test_import_composite_selectors_and_length():
    both = rasp.Select(rasp.tokens, rasp.tokens, rasp.Comparison.EQ) & rasp.Select(
        rasp.indices, rasp.indices, rasp.Comparison.LT
    )
    either = rasp.selector_or(
        rasp.Select(rasp.tokens, rasp.tokens, rasp.Comparison.LT),
        rasp.selector_not(both, simplify=False),
        simplify=False,
    )
    sop = rasp.SequenceMap(lambda w, n: w * 10 + n, rasp.SelectorWidth(either), rasp.length).named(
        "mixed"
    )
    prog = import_tracr(sop, {"a", "b"}, 4)
    assert {n.op for n in prog if isinstance(n, SelectorOp)} == {"and", "or", "not"}
    assert "length" in prog.nodes
    for seq, got in zip(words("ab", 4), run(prog, words("ab", 4))):
        assert got == sop(seq)


def test_import_refuses_length_dependent_constants():
    sop = rasp.Map(lambda x: x, rasp.ConstantSOp([1, 2, 3]))
    with pytest.raises(IRError, match="ConstantSOp.*length"):
        import_tracr(sop, {"a"}, 3)


def _python_module(source: str) -> types.ModuleType:
    module = types.ModuleType("emitted")
    exec(compile(source, "<emitted>", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("name", LIB)
def test_imported_lib_program_through_python_backend(name):
    prog, _, seqs = imported(name)
    module = _python_module(emit_python(prog))
    seqs = text(seqs)
    assert [module.run(s) for s in seqs] == run(prog, seqs)


@pytest.mark.parametrize("name", LIB)
def test_imported_lib_program_through_rasp_text(name):
    prog, _, seqs = imported(name)
    again = parse_rasp(emit_rasp(prog), prog.vocab, prog.max_len)
    seqs = text(seqs)
    assert run(again, seqs) == run(prog, seqs)


# ---- legalisation -------------------------------------------------------------------------------


def random_program(seed: int) -> Program:
    """Causal and plain selects, selector ops, constants, numerical means, categorical means
    with defaults, closest and sum heads and a readout, drawn at random."""
    rng = random.Random(seed)
    b = ProgramBuilder(vocab=("<s>", "a", "b"), max_len=4, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    cat = [b.tokens, b.indices, b.constant("k", name="k")]
    for layer in range(2):
        q, k, v = rng.choice(cat), rng.choice(cat), rng.choice(cat)
        qv, kv = b.values_of(q), b.values_of(k)
        pred = TablePredicate(frozenset((x, rng.choice(kv)) for x in qv if rng.random() < 0.8))
        causal = rng.random() < 0.5
        sel = b.select(k, q, pred, causal=causal)
        cat.append(b.aggregate(sel, v, reduce="closest", name=f"head_{layer}"))
        lt = b.select(b.indices, b.indices, rng.choice(["LT", "GT"]), causal=causal)
        combo = b.selector_op(rng.choice(["and", "or"]), lt, b.select(b.tokens, b.tokens, "EQ"))
        combo = b.selector_op("not", combo) if rng.random() < 0.5 else combo
        cat.append(b.selector_width(combo, name=f"width_{layer}"))
        first = b.select(b.indices, b.map(lambda i: i - 1, b.indices), "EQ")
        cat.append(b.aggregate(first, rng.choice(cat), default="none", name=f"prev_{layer}"))
        flag = b.map(lambda t: t == "a", b.tokens, numerical=True)
        cat.append(
            b.map(
                lambda m: round(float(m), 2),
                b.aggregate(b.select(b.indices, b.indices, "LEQ"), flag, name=f"frac_{layer}"),
            )
        )
        cat.append(b.aggregate(sel, ones, reduce="sum", name=f"count_{layer}"))
    classes = ("x", "y", "z")
    feats = (cat[-1], cat[-3], b.tokens)
    weights = [
        [rng.uniform(-1, 1) for _ in classes]
        if isinstance(b.type_of(f), Numerical)
        else {val: [rng.uniform(-1, 1) for _ in classes] for val in b.values_of(f)}
        for f in feats
    ]
    out = b.add(
        Readout(
            "readout",
            Categorical(classes),
            features=feats,
            weights=weights,
            bias=[0.0, 0.1, -0.1],
            mask=[True, True, rng.random() < 0.5],
        )
    )
    return b.build(out)


def assert_legal_for_tracr(legal: Program) -> None:
    numerical = tracr_numerical(legal)
    for node in legal:
        assert not isinstance(node, (SelectorOp, Constant, Readout)), node.name
        assert not (isinstance(node, Select) and node.causal), node.name
        if isinstance(node, Aggregate):
            assert node.reduce == "mean", node.name
            if isinstance(node.type, Categorical):
                assert node.default is None, node.name
            else:
                assert legal[node.values].kind == "map", node.name
    assert all(legal[n].kind in ("map", "aggregate") for n in numerical)


PROGRAMS = {
    "learned": lambda: learned_style_program(False),
    "learned_causal": lambda: learned_style_program(True),
    "rasp_style": rasp_style_program,
    **{f"random_{seed}": (lambda seed=seed: random_program(seed)) for seed in range(4)},
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_legalize_for_tracr_is_exact(name):
    prog = PROGRAMS[name]()
    legal = legalize_for_tracr(prog)
    assert_legal_for_tracr(legal)
    seqs = all_inputs(prog)
    assert run(legal, seqs) == run(prog, seqs)


@pytest.mark.parametrize("name", ["learned_causal", "rasp_style", "random_1"])
def test_built_tracr_program_evaluates_like_the_interpreter(name):
    """``rasp.evaluate`` of the built program (no compilation) and of the emitted module's
    ``program()`` give the interpreter's outputs on every input."""
    prog = PROGRAMS[name]()
    emitted = _python_module(emit_tracr(prog)).program()
    for sop in (build_tracr(prog), emitted):
        for seq, want in zip(all_inputs(prog), run(prog, all_inputs(prog))):
            assert sop(seq) == want, seq


def test_emitted_source_reads_well():
    prog = learned_style_program(False)
    source = emit_tracr(prog)
    assert black.format_str(source, mode=black.Mode(line_length=100)) == source
    assert "def program() -> rasp.SOp:" in source and 'COMPILER_BOS = "compiler_bos"' in source
    assert 'VOCAB = {"<s>", "a", "b", "c"}' in source and "MAX_SEQ_LEN = 6" in source
    assert "# fmt: off" in source and "ATTN_0_0_KEY_CLASS_TABLE = {" in source
    assert re.search(r'\.named\(\s*"readout"\s*\)', source) and "rasp.Comparison.EQ" in source
    assert "rasp.numerical(" in source and "rasp.categorical(" in source
    assert "must select at most one key" in source
    for line in source.splitlines():
        assert "rasp.length" not in line and "rasp.Full" not in line


def test_reimporting_the_built_program_gives_the_same_outputs():
    prog = rasp_style_program()
    again = import_tracr(build_tracr(prog), prog.vocab, prog.max_len)
    seqs = all_inputs(prog)
    assert run(again, seqs) == run(prog, seqs)


def test_one_key_proofs():
    legal = legalize_for_tracr(learned_style_program(False))
    picks = [n.sel for n in legal if isinstance(n, Aggregate) and isinstance(n.type, Categorical)]
    assert picks and all(proves_one_key(legal, s) for s in picks)
    assert unproved_one_key(legal)  # the "previous/next match" selects need rank reasoning


def test_bool_number_comparisons_are_tabulated():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    flag = b.map(lambda t: t == "a", b.tokens)
    one = b.map(lambda t: 1, b.tokens)
    out = b.selector_width(b.select(flag, one, "EQ"), name="out")  # IR: True != 1
    prog = b.build(out)
    legal = legalize_for_tracr(prog)
    assert isinstance(legal["select"].predicate, TablePredicate)
    for seq, want in zip(words("ab", 3), run(prog, words("ab", 3))):
        assert build_tracr(prog)(seq) == want == [0] * len(seq)


def test_pooled_readout_is_refused():
    prog = learned_style_program(False)
    pooled = prog.replace(
        {**prog.nodes, "readout": dataclasses.replace(prog["readout"], pooled=True)}
    )
    with pytest.raises(EmitError, match="node 'readout'.*pooled"):
        emit_tracr(pooled)


def test_too_large_products_are_refused():
    b = ProgramBuilder(vocab=tuple(f"t{i}" for i in range(30)), max_len=30)
    sel = b.selector_op(
        "and", b.select(b.tokens, b.tokens, "EQ"), b.select(b.indices, b.indices, "LT")
    )
    keyed = b.map(lambda t: t, b.tokens)
    sel = b.selector_op("and", sel, b.select(keyed, keyed, "NEQ"), name="huge")
    prog = b.build(b.selector_width(sel, name="out"))
    with pytest.raises(EmitError, match="node 'huge'.*more than 10,000"):
        legalize_for_tracr(prog)


def test_programs_that_ignore_the_tokens_are_refused():
    b = ProgramBuilder(vocab=("a",), max_len=3)
    prog = b.build(b.selector_width(b.select(b.indices, b.indices, "LT"), name="out"))
    with pytest.raises(EmitError, match="does not depend on the tokens"):
        emit_tracr(prog)


# ---- compiled models ----------------------------------------------------------------------------


def assert_compiles_exactly(prog: Program, seqs=None) -> dict:
    compiled = compile_tracr(prog)
    result = check_compiled(compiled, seqs or all_inputs(prog))
    assert result.ok, result.mismatches
    return compiled.stats()


def test_learned_style_program_compiles_exactly():
    stats = assert_compiles_exactly(learned_style_program(False))
    assert stats["heads"] == 13 and stats["layers"] >= 5


def sum_of_counts_program() -> Program:
    """A learned-style sum of counts (as in sort's numerical heads: values 0-5, 5 nonzero in
    3 bits) and a numerical mean of ``indices`` (values 0-4, 4 nonzero in 3 bits)."""
    b = ProgramBuilder(vocab=("<s>", "a", "b", "c"), max_len=5, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    total = b.aggregate(b.select(b.tokens, b.tokens, "LEQ"), count, reduce="sum", name="total")
    position = b.map(lambda i: i, b.indices, numerical=True, name="position")
    where = b.aggregate(b.select(b.tokens, b.tokens, "GT"), position, reduce="mean", name="where")
    out = b.sequence_map(lambda t, w: (t + round(4 * w)) % 3, total, where, name="out")
    return b.build(out)


def test_sums_and_means_of_integers_are_legalised_bit_by_bit():
    """Tracr tabulates a mean over every combination of per-value counts: sums of integers
    add up bit counts instead (the RASP back end keeps mean x width), and a mean over more
    nonzero integers than bits counts bits."""
    prog = sum_of_counts_program()
    legal = legalize_for_tracr(prog)
    assert_legal_for_tracr(legal)
    names = {node.name for node in legal}
    assert {"total_bit2_mean", "total_upto2"} <= names and "total_bit3_mean" not in names
    assert "total_mean" in {node.name for node in legalize_aggregates(prog)}
    # running sums past the sum's largest value (25) cannot occur: one value stands for them
    assert max(value_set(legal["total_upto2"].type)) == 26
    assert {"where_count_0", "where_count_2"} <= names and "where_count_3" not in names
    seqs = all_inputs(prog)
    assert run(legal, seqs) == run(prog, seqs)
    assert_compiles_exactly(prog, seqs)


@pytest.mark.slow
def test_causal_learned_style_program_compiles_exactly():
    """Causal selects become products with ``indices``: a 200M-parameter model (~1 min)."""
    assert_compiles_exactly(learned_style_program(True))


@pytest.mark.slow
def test_tracr_attention_scaling_needs_sharpening():
    """Without the query rescaling, large selector spaces make the attention soft."""
    prog = learned_style_program(True)
    result = check_compiled(compile_tracr(prog, sharpen=False), all_inputs(prog))
    assert not result.ok


def test_emitted_module_compiles_with_the_documented_call():
    prog = rasp_style_program()
    module = _python_module(emit_tracr(prog))
    model = compiling.compile_rasp_to_model(
        module.program(),
        vocab=module.VOCAB,
        max_seq_len=module.MAX_SEQ_LEN,
        compiler_bos=module.COMPILER_BOS,
    )
    for seq in [["0"], ["2", "1"], ["1", "0", "2", "2", "0"]]:
        got = model.apply([module.COMPILER_BOS, *seq]).decoded[1:]
        assert got == run(prog, [seq])[0]


def test_selector_widths_over_8_keys_need_a_finer_mlp_exactness():
    """Tracr reads a width off 1 / (w + 1); at its default slope (100) the width of 8 keys
    leaks into its neighbour (1/9 and 1/8 are too close), at ``MLP_EXACTNESS`` it is one-hot."""
    prog = ProgramBuilder(vocab=("a", "b"), max_len=8)
    width = prog.selector_width(prog.select(prog.tokens, prog.tokens, "TRUE"), name="width")
    module = _python_module(emit_tracr(prog.build(width)))
    assert module.MLP_EXACTNESS > 2 * 8 * 9

    def width_block(mlp_exactness: float) -> np.ndarray:
        model = compiling.compile_rasp_to_model(
            module.program(),
            vocab=module.VOCAB,
            max_seq_len=module.MAX_SEQ_LEN,
            compiler_bos=module.COMPILER_BOS,
            mlp_exactness=mlp_exactness,
        )
        out = model.apply([module.COMPILER_BOS, *"abababab"])
        labels = [str(label) for label in model.residual_labels]
        # Tracr labels the node "width_<id>:<value>"
        cols = [i for i, label in enumerate(labels) if re.fullmatch(r"width_\d+:\d", label)]
        assert [labels[i].split(":")[1] for i in cols] == [str(w) for w in range(9)]
        return np.asarray(out.residuals[-1])[0][1:][:, cols]

    want = np.zeros((8, 9))
    want[:, 8] = 1
    assert np.abs(width_block(module.MLP_EXACTNESS) - want).max() < 1e-3
    assert np.abs(width_block(100) - want).max() > 0.1


def _slow_unless(names: set[str], items, ids=str) -> list:
    """``items`` as parameters, all but ``names`` marked slow (compiling takes seconds)."""
    return [
        pytest.param(i, id=ids(i), marks=() if ids(i) in names else pytest.mark.slow) for i in items
    ]


@pytest.mark.parametrize(
    "name", _slow_unless({"frac_prevs"}, ["frac_prevs", "sort", "shuffle_dyck"])
)
def test_imported_lib_program_recompiles_exactly(name):
    prog, _, _ = imported(name)
    assert_compiles_exactly(prog)


HANDWRITTEN_VOCABS = {"dyck1": "()", "dyck2": "(){}"}


@pytest.mark.parametrize(
    "path",
    _slow_unless(
        {"dyck1", "most_freq", "sort"},
        sorted(HANDWRITTEN.glob("*.rasp")) if HANDWRITTEN.is_dir() else [],
        ids=lambda p: p.stem,
    ),
)
def test_handwritten_rasp_program_compiles_exactly(path):
    vocab = list(HANDWRITTEN_VOCABS.get(path.stem, "012"))
    assert_compiles_exactly(parse_rasp(path.read_text(), vocab, 4))


# ---- the command line ---------------------------------------------------------------------------


def test_cli_import_then_compile(tmp_path):
    out = tmp_path / "hist.tpir.json"
    runner = CliRunner()
    res = runner.invoke(
        tracr_group,
        [
            "import",
            "tracr.compiler.lib:make_hist",
            "-o",
            str(out),
            "--vocab",
            "a,b",
            "--max-len",
            "4",
        ],
    )
    assert res.exit_code == 0, res.output
    weights = tmp_path / "hist.npz"
    res = runner.invoke(
        tracr_group, ["compile", str(out), "--samples", "20", "--save", str(weights)]
    )
    assert res.exit_code == 0, res.output
    assert "1 layer, 1 head (" in res.output
    assert "all 30 inputs + 20 sampled (seed 0): 50/50 agree" in res.output
    saved = np.load(weights)
    assert "transformer/layer_0/attn/query/w" in saved and "residual_labels" in saved


def test_cli_import_from_an_emitted_file(tmp_path):
    prog = rasp_style_program()
    src = tmp_path / "emitted_tracr.py"
    src.write_text(emit_tracr(prog))
    out = tmp_path / "again.tpir.json"
    res = CliRunner().invoke(
        tracr_group,
        ["import", f"{src}:program", "-o", str(out), "--vocab", "0,1,2", "--max-len", "5"],
    )
    assert res.exit_code == 0, res.output
    again = load(out)
    seqs = all_inputs(prog)
    assert run(again, seqs) == run(prog, seqs)


def test_cli_errors_are_one_line(tmp_path):
    prog = learned_style_program(False)
    pooled = prog.replace(
        {**prog.nodes, "readout": dataclasses.replace(prog["readout"], pooled=True)}
    )
    path = tmp_path / "pooled.tpir.json"
    dump(pooled, path)
    runner = CliRunner()
    res = runner.invoke(tracr_group, ["compile", str(path)])
    assert res.exit_code == 1
    assert res.output.startswith("Error: node 'readout'") and res.output.count("\n") == 1
    res = runner.invoke(
        tracr_group,
        [
            "import",
            "no_such_module:f",
            "-o",
            str(tmp_path / "x.json"),
            "--vocab",
            "a",
            "--max-len",
            "2",
        ],
    )
    assert res.exit_code == 1 and "cannot import no_such_module" in res.output


PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "programs"
LEARNED_PROGRAMS = PROGRAMS_DIR / "rasp"


@pytest.mark.parametrize("program", ["rasp/hist", "tracr/reverse", "tracr/sort"])
def test_learned_programs_compile_and_run_like_the_interpreter(program):
    """Checked-in learned programs (-O3) through Tracr: hist (paper readout, which -O3
    folds into a table), reverse and sort trained with a readout of 2 and 4 variables
    (`--readout-vars`; sort compiles to a 450M-parameter model in about a minute). The
    compiled transformer gives the interpreter's output on task inputs of every length."""
    from tpc.ir import load
    from tpc.tasks import get_task

    name = program.split("/")[1]
    prog = load(PROGRAMS_DIR / program / f"{name}.tpir.json")
    compiled = compile_tracr(prog)
    task = get_task(name)
    seqs = task.sample(np.random.default_rng(0), 300, 8, prog.max_len, "uniform")
    result = check_compiled(compiled, seqs)
    assert result.agree == result.total == 300, result.mismatches


@pytest.mark.parametrize("name", ["sort", "reverse"])
def test_learned_programs_with_wide_readouts_are_refused_naming_the_readout(name):
    from tpc.ir import load

    prog = load(LEARNED_PROGRAMS / name / f"{name}.tpir.json")
    with pytest.raises(EmitError, match="node 'readout"):
        build_tracr(prog)
