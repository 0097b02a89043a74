"""Optimisation passes: every pass keeps the interpreter's outputs, and each does its job.

Semantics are checked on *every* input up to ``max_len`` over the whole vocabulary (BOS
anywhere, a superset of the ``<s>``-first inputs learned programs see). Where the input
program is undefined (a categorical mean over two keys raises ``EvalError``) any output is
accepted: passes may remove such a node when it is dead.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from inputs import all_inputs
from sample_programs import VOCAB, learned_style_program, rasp_style_program
from strategies import programs

from tpc.backends.python import emit_python
from tpc.cli.opt import opt
from tpc.errors import EmitError, EvalError, TpcError
from tpc.ir import (
    Aggregate,
    Categorical,
    Comparison,
    Constant,
    Map,
    Numerical,
    ProgramBuilder,
    Readout,
    SequenceMap,
    TablePredicate,
    dumps,
    load,
    run,
)
from tpc.ir.printer import program_stats
from tpc.ir.types import unique
from tpc.passes import (
    LEGALIZATIONS,
    PASSES,
    PIPELINES,
    eliminate_common_subexpressions,
    eliminate_dead_code,
    fold_constants,
    fold_readout,
    fuse_maps,
    group_queries,
    infer_value_sets,
    optimize,
    prune_dead_heads,
    reachable_values,
    recognize_forms,
    recognize_predicates,
    register_pass,
    run_passes,
)
from tpc.passes.dead_code import min_margin

CLASSES = ("<pad>", "c0", "c1", "c2")

# ---- helpers ------------------------------------------------------------------------------


def outputs(prog, seqs):
    """Outputs per sequence; ``None`` where the program is undefined."""
    try:
        return run(prog, seqs)
    except EvalError:
        found = []
        for s in seqs:
            try:
                found.append(run(prog, [s])[0])
            except EvalError:
                found.append(None)
        return found


def assert_same_outputs(before, after, seqs=None):
    seqs = all_inputs(before.vocab, before.max_len) if seqs is None else seqs
    for seq, want, got in zip(seqs, outputs(before, seqs), outputs(after, seqs)):
        if want is not None:
            assert got == want, (seq, want, got)


def learned_program(
    seed: int,
    letters: int = 3,
    max_len: int = 5,
    layers: int = 2,
    cat_heads: int = 3,
    num_heads: int = 1,
    mlps: int = 1,
    causal: bool = False,
    dead: bool = True,
):
    """A program shaped like a lowered Transformer Program.

    Per layer: closest heads with one-key-per-query table predicates (some equal to
    ``==``), numerical heads counting ``ones`` with a numerical MLP on each count,
    categorical MLP tables; then a readout over every variable. With ``dead``, a duplicate
    selector is planted per layer and the readout is dominated by the last two MLPs (one-hot
    rows of 4 and 2) while every other feature has tiny weights, so most heads are dead.
    """
    rng = random.Random(seed)
    b = ProgramBuilder(("<s>", *"abcdefg"[:letters]), max_len, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    cat, num = [b.tokens, b.indices], []

    def predicate(q: str, k: str, identity: bool) -> TablePredicate:
        keys = b.values_of(k)
        f = {v: v if identity else rng.choice(keys) for v in b.values_of(q)}
        return TablePredicate(frozenset(f.items()))

    for layer in range(layers):
        new = []
        for h in range(cat_heads):
            q, k, v = (rng.choice(cat) for _ in range(3))
            same = b.values_of(q) == b.values_of(k) and rng.random() < 0.4
            sel = b.select(k, q, predicate(q, k, same), causal=causal, name=f"sel_{layer}_{h}")
            new.append(b.aggregate(sel, v, "closest", name=f"attn_{layer}_{h}"))
        if dead:
            first = b.nodes[f"sel_{layer}_0"]
            dup = b.select(first.keys, first.queries, first.predicate, causal, f"sel_{layer}_dup")
            new.append(b.aggregate(dup, rng.choice(cat), "closest", name=f"attn_{layer}_dup"))
        for h in range(num_heads):
            q, k = rng.choice(cat), rng.choice(cat)
            sel = b.select(k, q, predicate(q, k, False), causal=causal, name=f"num_sel_{layer}_{h}")
            count = b.aggregate(sel, ones, "sum", name=f"num_attn_{layer}_{h}")
            num.append(count)
            table = {c: rng.randrange(4) for c in b.values_of(count)}
            new.append(b.map(table.__getitem__, count, name=f"num_mlp_{layer}_{h}"))
        for m in range(mlps):
            x, y = rng.choice(cat + new), rng.choice(cat + new)
            table = {(u, w): rng.randrange(6) for u in b.values_of(x) for w in b.values_of(y)}
            new.append(b.sequence_map(lambda u, w, t=table: t[u, w], x, y, name=f"mlp_{layer}_{m}"))
        cat += new
    features = cat + num
    strong = [f for f in features if f.startswith("mlp_")][-2:] if dead else []
    weights = []
    for f in features:
        if f in strong:
            scale = 4.0 if f == strong[-1] else 2.0
            hot = {v: 1 + rng.randrange(3) for v in b.values_of(f)}
            weights.append({v: [scale * (c == hot[v]) for c in range(4)] for v in hot})
        elif isinstance(b.type_of(f), Categorical):
            s = 0.005 if dead else 1.0
            weights.append({v: [rng.uniform(-s, s) for _ in CLASSES] for v in b.values_of(f)})
        else:
            s = 0.001 if dead else 0.3
            weights.append([rng.uniform(-s, s) for _ in CLASSES])
    out = b.add(
        Readout(
            "readout",
            Categorical(CLASSES),
            features=tuple(features),
            weights=weights,
            bias=[rng.uniform(-0.1, 0.1) for _ in CLASSES],
            mask=[False, True, True, True],
        )
    )
    return b.build(out)


def readout_program(weights_of, pooled: bool = False, bias=(0.0, 0.0, 0.0, 0.0)):
    """Tokens → three features (a head, tokens, a count) → a readout with chosen weights."""
    b = ProgramBuilder(VOCAB, 5, bos="<s>")
    head = b.aggregate(b.select(b.tokens, b.tokens, "LT"), b.tokens, "closest", name="head")
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, "sum", name="count")
    feats = (head, b.tokens, count)
    out = b.add(
        Readout(
            "readout",
            Categorical(CLASSES),
            features=feats,
            weights=[weights_of(f, b) for f in feats],
            bias=list(bias),
            mask=[False, True, True, True],
            pooled=pooled,
        )
    )
    return b.build(out)


PROGRAMS = {
    "sample_learned": lambda: learned_style_program(False),
    "sample_learned_causal": lambda: learned_style_program(True),
    "rasp_style": rasp_style_program,
    "learned_dead_0": lambda: learned_program(0),
    "learned_dead_1_causal": lambda: learned_program(1, causal=True),
    "learned_live_2": lambda: learned_program(2, dead=False),
    "learned_live_3_causal": lambda: learned_program(3, causal=True, dead=False, max_len=4),
}

# ---- semantics ----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(PROGRAMS))
def program_case(request):
    prog = PROGRAMS[request.param]()
    seqs = all_inputs(prog.vocab, prog.max_len)
    return prog, seqs, outputs(prog, seqs)


@pytest.mark.parametrize("name", sorted(PASSES))
def test_every_pass_keeps_outputs_and_is_pure(program_case, name):
    """Every registered pass, legalisations included; a legalisation pass may refuse a
    program its back end cannot have (EmitError naming the node), nothing else may."""
    prog, seqs, want = program_case
    text = dumps(prog)
    legalizing = any(name in names for names in LEGALIZATIONS.values())
    try:
        new = PASSES[name](prog)
    except EmitError as e:
        assert legalizing and "node '" in str(e), e
        return
    assert dumps(prog) == text, "the pass mutated its input"
    new.validate()
    got = outputs(new, seqs)
    assert [g for g, w in zip(got, want) if w is not None] == [w for w in want if w is not None]
    if name != "prune_dead_heads":  # pruning may enable more pruning; O2 iterates it
        assert PASSES[name](new) == new, "not idempotent"


@pytest.mark.parametrize("level", sorted(PIPELINES))
def test_pipelines_keep_outputs(program_case, level):
    prog, seqs, want = program_case
    new, stats = optimize(prog, level)
    assert outputs(new, seqs) == want
    assert len(stats) % max(len(PIPELINES[level]), 1) == 0
    again, _ = optimize(new, level)
    if level == "O2":
        assert again == new, "O2 is not at a fixed point"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs(max_nodes=9, max_len=3))
def test_o2_keeps_outputs_on_random_programs(prog):
    new, _ = optimize(prog, "O2")
    assert_same_outputs(prog, new)
    assert optimize(new, "O2")[0] == new


def test_o2_shrinks_a_planted_learned_program():
    prog = learned_program(0, letters=7, max_len=8, layers=3, cat_heads=4, num_heads=2, mlps=2)
    new, _ = optimize(prog)
    rng = random.Random(0)
    seqs = [
        ["<s>", *(rng.choice(prog.vocab[1:]) for _ in range(rng.randrange(prog.max_len)))]
        for _ in range(1500)
    ]
    assert_same_outputs(prog, new, seqs)
    before, after = program_stats(prog), program_stats(new)
    assert after["heads"] <= before["heads"] // 2
    assert after["nodes"] <= before["nodes"] // 2
    assert not any(isinstance(n, Readout) for n in new), "the two-feature readout folds"


# ---- value sets ---------------------------------------------------------------------------


def test_value_sets_shrink_types_tables_and_rows():
    b = ProgramBuilder(("a", "b", "c"), 4)
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, "sum", name="count")
    small = b.map(lambda t: t == "a", b.tokens, name="is_a")
    pair = b.sequence_map(lambda t, s: f"{t}{s}", b.tokens, small, name="pair")
    width = b.selector_width(b.select(b.tokens, b.tokens, "TRUE"), name="width")
    label = b.map(lambda w: "none" if w == 0 else "some", width, name="label")
    both = b.sequence_map(lambda p, q: f"{p}/{q}", pair, label, name="both")
    prog = b.build(b.sequence_map(lambda s, c: f"{s}:{c}", both, count, name="final"))
    new = infer_value_sets(prog)
    assert_same_outputs(prog, new)
    assert new["tokens"].type == prog["tokens"].type
    assert new["count"].type == Numerical((1, 2, 3, 4))  # a query always counts itself
    # tokens and is_a(tokens) meet only as (a, True), (b, False), (c, False)
    assert set(new["pair"].type.values) == {"aTrue", "bFalse", "cFalse"}
    # width >= 1, so label is never "none": the unreachable row is filled with "some"
    assert new["label"].type == Categorical(("some",))
    assert new["label"].table[0] == "some"
    assert set(new["both"].type.values) == {"aTrue/some", "bFalse/some", "cFalse/some"}
    vs = reachable_values(new)
    assert vs.values["width"] == (1, 2, 3, 4)
    assert vs.count_range(new["count"].sel) == (1, 4)


def test_value_sets_drop_readout_rows_of_unreachable_values():
    b = ProgramBuilder(VOCAB, 4)
    b.add(Map("mapped", Categorical(("u", "v")), x="tokens", table=dict.fromkeys(VOCAB, "u")))
    out = b.add(
        Readout(
            "readout",
            Categorical(("x", "y")),
            features=("mapped", "tokens"),
            weights=[
                {"u": [0.0, 1.0], "v": [9.0, 0.0]},
                {t: [0.4 * i, 0.0] for i, t in enumerate(VOCAB)},
            ],
            bias=[0.0, 0.0],
            mask=[True, True],
        )
    )
    prog = b.build(out)
    new = infer_value_sets(prog)
    assert new["mapped"].type == Categorical(("u",))
    assert list(new["readout"].weights[0]) == ["u"]
    assert_same_outputs(prog, new)


# ---- predicates ---------------------------------------------------------------------------


def test_planted_tables_become_named_comparisons():
    b = ProgramBuilder(("<s>", "a", "b"), 4, bos="<s>")
    idx = b.values_of(b.indices)
    lt = TablePredicate(frozenset((q, k) for q in idx for k in idx if k < q))
    eq = TablePredicate(frozenset((t, t) for t in b.values_of(b.tokens)))
    everything = TablePredicate(frozenset((q, k) for q in idx for k in b.values_of(b.tokens)))
    odd = TablePredicate(frozenset({(0, 1), (1, 3), (2, 0), (3, 2)}))
    # equal to GEQ only on reachable queries: shifted never takes the value 3
    shifted = b.map(lambda i: max(i - 1, 0), b.indices, name="shifted")
    geq = TablePredicate(frozenset((q, k) for q in idx for k in idx if k >= q or q == 3))
    heads = [
        b.aggregate(b.select(b.indices, b.indices, lt, name="s_lt"), b.tokens, "closest"),
        b.aggregate(b.select(b.tokens, b.tokens, eq, name="s_eq"), b.tokens, "closest"),
        b.aggregate(b.select(b.tokens, b.indices, everything, name="s_all"), b.tokens, "closest"),
        b.aggregate(b.select(b.indices, b.indices, odd, name="s_odd"), b.tokens, "closest"),
        b.aggregate(b.select(b.indices, shifted, geq, name="s_geq"), b.tokens, "closest"),
    ]
    out = heads[0]
    for h in heads[1:]:
        out = b.sequence_map(lambda x, y: x + y, out, h)
    prog = b.build(out)
    new = recognize_predicates(prog)
    assert_same_outputs(prog, new)
    assert new["s_lt"].predicate == Comparison("LT")
    assert new["s_eq"].predicate == Comparison("EQ")
    assert new["s_all"].predicate == Comparison("TRUE")
    assert new["s_odd"].predicate == odd
    assert new["s_geq"].predicate == Comparison("GEQ")


def test_order_comparisons_need_orderable_operands():
    b = ProgramBuilder(("a", "b"), 3)
    idx_of = b.map(lambda t: 0 if t == "a" else 1, b.tokens, name="code")
    # over keys {a, b} and queries {0, 1}: "key is 'b' and query is 1" — no comparison fits
    table = TablePredicate(frozenset({(1, "b")}))
    sel = b.select(b.tokens, idx_of, table, name="mixed")
    prog = b.build(b.aggregate(sel, b.tokens, "closest"))
    assert recognize_predicates(prog)["mixed"].predicate == table


def test_group_queries_groups_query_values_selecting_the_same_keys():
    pred = TablePredicate(frozenset({("x", 1), ("y", 1), ("z", 2), ("w", 1), ("w", 2)}))
    groups = group_queries(pred, [1, 2, 3], ["x", "y", "z", "w", "v"])
    assert groups == [
        (frozenset({"x", "y"}), frozenset({1})),
        (frozenset({"z"}), frozenset({2})),
        (frozenset({"w"}), frozenset({1, 2})),
        (frozenset({"v"}), frozenset()),
    ]
    assert group_queries(Comparison("LT"), [0, 1, 2], [0, 1]) == [
        (frozenset({0}), frozenset()),
        (frozenset({1}), frozenset({0})),
    ]


def test_cse_merges_duplicate_selectors_then_heads():
    b = ProgramBuilder(VOCAB, 4, bos="<s>")
    pred = TablePredicate(frozenset((t, "a") for t in VOCAB))
    s1 = b.select(b.tokens, b.tokens, pred, name="sel_a")
    s2 = b.select(b.tokens, b.tokens, pred, name="sel_b")
    s3 = b.select(b.tokens, b.tokens, pred, causal=True, name="sel_causal")
    h1 = b.aggregate(s1, b.indices, "closest", name="head_a")
    h2 = b.aggregate(s2, b.indices, "closest", name="head_b")
    h3 = b.aggregate(s3, b.indices, "closest", name="head_c")
    m1 = b.sequence_map(lambda x, y: x + y, h1, h3, name="sum_a")
    m2 = b.sequence_map(lambda x, y: x + y, h2, h3, name="sum_b")
    prog = b.build(b.sequence_map(lambda x, y: x * y, m1, m2, name="out"))
    new = eliminate_common_subexpressions(prog)
    assert_same_outputs(prog, new)
    assert {"sel_a", "head_a", "sum_a", "sel_causal", "head_c"} <= set(new.nodes)
    assert not {"sel_b", "head_b", "sum_b"} & set(new.nodes)
    assert new["out"].x == new["out"].y == "sum_a"


def test_cse_keeps_values_of_different_python_types_apart():
    b = ProgramBuilder(("a", "b"), 3)
    one = b.map(lambda t: 1, b.tokens, name="one")
    true = b.map(lambda t: True, b.tokens, name="true")
    prog = b.build(b.sequence_map(lambda x, y: f"{x!r}{y!r}", one, true, name="out"))
    assert eliminate_common_subexpressions(prog) == prog


# ---- dead code and dead heads -------------------------------------------------------------


def test_dead_code_goes_inputs_stay():
    b = ProgramBuilder(VOCAB, 4)
    b.aggregate(b.select(b.tokens, b.tokens, "EQ"), b.tokens, "closest", name="unused")
    prog = b.build(b.map(str.upper, b.tokens, name="upper"))
    new = eliminate_dead_code(prog)
    assert list(new.nodes) == ["tokens", "indices", "upper"]


def _rows(spec):
    """Weights: categorical rows from ``spec(value)``, numerical ones from ``spec(None)``."""

    def weights_of(f, b):
        if isinstance(b.type_of(f), Categorical):
            return {v: list(spec(f, v)) for v in b.values_of(f)}
        return list(spec(f, None))

    return weights_of


def test_a_feature_with_identical_rows_is_dead_and_its_head_goes():
    def spec(f, v):
        if f == "head":
            return (5.0, 0.25, 0.5, 0.75)  # the same for every value
        if f == "tokens":
            return (0.0, *np.eye(3)[VOCAB.index(v) % 3])
        return (0.0, 0.0, 0.0, 0.0)

    prog = readout_program(_rows(spec))
    new = prune_dead_heads(prog)
    assert_same_outputs(prog, new)
    assert new["readout"].features == ("tokens",)
    assert "head" not in new.nodes and "count" not in new.nodes
    assert new["readout"].bias == (5.0, 0.25, 0.5, 0.75)  # folded exactly


def test_small_features_are_dropped_by_the_margin_analysis():
    def spec(f, v):
        if f == "tokens":  # decides the class with a margin of 1
            return (0.0, *np.eye(3)[VOCAB.index(v) % 3])
        if f == "head":
            return (0.0, 0.1 * (v == "a"), 0.3 * (v == "b"), 0.0)
        return (0.0, 0.01, -0.01, 0.02)  # per count: spread up to 4 * 0.03

    prog = readout_program(_rows(spec), bias=(0.0, 0.0, 0.05, 0.1))
    new = prune_dead_heads(prog)
    assert_same_outputs(prog, new)
    assert new["readout"].features == ("tokens",)
    folded = fold_readout(new)
    assert isinstance(folded["readout"], Map)
    assert_same_outputs(prog, folded)


def test_features_that_matter_stay():
    def spec(f, v):
        if f == "tokens":
            return (0.0, *np.eye(3)[VOCAB.index(v) % 3])
        if f == "head":
            return (0.0, 0.0, 2.0 * (v == "b"), 0.0)  # overrides tokens sometimes
        return (0.0, 0.0, 0.0, 0.0)

    prog = readout_program(_rows(spec))
    new = prune_dead_heads(prog)
    assert_same_outputs(prog, new)
    assert new["readout"].features == ("head", "tokens")


def test_pooled_readouts_only_lose_zero_features():
    def spec(f, v):
        if f == "head":
            return (1.0, 0.0, 0.0, 0.0)  # zero on every unmasked class
        if f == "tokens":
            return (0.0, *np.eye(3)[VOCAB.index(v) % 3])
        return (0.0, 0.001, 0.0, 0.0)  # tiny, but pooled margins are not analysed

    prog = readout_program(_rows(spec), pooled=True)
    new = prune_dead_heads(prog)
    assert_same_outputs(prog, new)
    assert new["readout"].features == ("tokens", "count")
    assert fold_readout(new) == new


def test_duplicate_and_dominated_classes_are_masked():
    def spec(f, v):
        if f == "tokens":
            return (0.0, VOCAB.index(v), VOCAB.index(v), -5.0)  # c1 duplicates c0
        return (0.0, 0.0, 0.0, 0.0)

    prog = readout_program(_rows(spec))
    new = prune_dead_heads(prog)
    assert_same_outputs(prog, new)
    assert new["readout"].mask == (False, True, False, False)
    assert isinstance(fold_readout(new)["readout"], Constant)


def test_min_margin_is_a_lower_bound_and_exact_when_small():
    rng = np.random.default_rng(0)
    for _ in range(20):
        rows = [
            rng.integers(-3, 4, size=(int(rng.integers(1, 4)), 3)).astype(float) for _ in range(3)
        ]
        bias = rng.integers(-2, 3, size=3).astype(float)
        margins = []
        for point in itertools.product(*(range(len(r)) for r in rows)):
            logits = np.sort(bias + sum(r[i] for r, i in zip(rows, point)))
            margins.append(logits[-1] - logits[-2])
        assert min_margin(bias, rows, np.inf, -1.0) == pytest.approx(min(margins))


# ---- maps ---------------------------------------------------------------------------------


def test_fuse_maps_composes_single_user_chains():
    b = ProgramBuilder(("a", "b", "c"), 3)
    code = b.map("abc".index, b.tokens, name="code")
    plus = b.map(lambda x: x + 1, code, name="plus")
    pair = b.sequence_map(lambda x, i: x * 10 + i, plus, b.indices, name="pair")
    label = b.map(lambda p: p % 7, pair, name="label")
    shared = b.map(lambda x: -x, b.indices, name="neg")
    prog = b.build(b.sequence_map(lambda x, y: x + y, label, shared, name="out"))
    new = fuse_maps(prog)
    assert_same_outputs(prog, new)
    assert isinstance(new["plus"], Map) and new["plus"].x == "tokens"
    assert isinstance(new["label"], SequenceMap) and new["label"].inputs == ("plus", "indices")
    assert not {"code", "pair"} & set(new.nodes)
    assert "neg" in new.nodes  # read by the output, which is not a map


def test_fold_constants():
    b = ProgramBuilder(("a", "b"), 3)
    always = b.map(lambda t: "k", b.tokens, name="always")
    const = b.constant(2, name="two")
    scaled = b.sequence_map(lambda i, c: i * c, b.indices, const, name="scaled")
    first = b.sequence_map(lambda t, i: t, b.tokens, b.indices, name="first_only")
    diag = b.sequence_map(lambda x, y: (x, y) == ("a", "a"), b.tokens, b.tokens, name="diag")
    copied = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), always, "closest", name="copied")
    parts = b.sequence_map(lambda x, y: f"{x}{y}", scaled, first, name="p1")
    parts = b.sequence_map(lambda x, y: f"{x}{y}", parts, diag, name="p2")
    prog = b.build(b.sequence_map(lambda x, y: f"{x}{y}", parts, copied, name="out"))
    new = fold_constants(prog)
    assert_same_outputs(prog, new)
    # copied is the constant "k", so the output only reads p2 and both maps went
    assert isinstance(new["out"], Map) and new["out"].x == "p2"
    assert not {"always", "copied"} & set(new.nodes)
    assert isinstance(new["scaled"], Map) and new["scaled"].x == "indices"
    assert isinstance(new["first_only"], Map) and new["first_only"].x == "tokens"
    assert isinstance(new["diag"], Map) and new["diag"].table == {"a": True, "b": False}


def test_recognize_forms_and_remove_identity_maps():
    b = ProgramBuilder(("a", "b"), 4)
    same = b.map(lambda i: i, b.indices, name="same")
    nxt = b.map(lambda i: i + 1, same, name="next")
    back = b.map(lambda i: 3 - 2 * i, b.indices, name="back")
    diff = b.sequence_map(lambda x, y: x - y - 1, nxt, back, name="diff")
    eq = b.sequence_map(lambda x, y: x == y, nxt, back, name="eq")
    is_a = b.map(lambda t: t == "a", b.tokens, name="is_a")
    mixed = b.sequence_map(lambda d, e: f"{d}{e}", diff, eq, name="mixed")
    prog = b.build(b.sequence_map(lambda m, a: f"{m}{a}", mixed, is_a, name="out"))
    new = recognize_forms(prog)
    assert_same_outputs(prog, new)
    assert "same" not in new.nodes and new["next"].x == "indices"
    assert new["next"].form == "x + 1"
    assert new["back"].form == "-2 * x + 3"
    assert new["diff"].form == "x - y - 1"
    assert new["eq"].form == "x == y"
    assert new["is_a"].form == 'x == "a"'
    assert new["mixed"].form is None


# ---- readout folding ----------------------------------------------------------------------


def test_fold_readout_tabulates_small_readouts_exactly():
    def spec(f, v):
        if f == "tokens":
            return (9.0, *np.eye(3)[VOCAB.index(v) % 3])
        if f == "head":
            return (0.0, 0.0, 1.0 * (v == "b"), 0.5 * (v == "c"))
        return (0.0, 0.5, -0.25, 0.25)  # times the count

    prog = readout_program(_rows(spec))
    new = fold_readout(prog)
    assert isinstance(new["readout"], Readout)  # three features: too many
    two = prog.replace(
        {
            **prog.nodes,
            "readout": Readout(
                "readout",
                prog["readout"].type,
                features=("head", "count"),
                weights=prog["readout"].weights[::2],
                bias=prog["readout"].bias,
                mask=prog["readout"].mask,
            ),
        }
    ).validate()
    folded = fold_readout(two)
    assert isinstance(folded["readout"], SequenceMap)
    assert folded["readout"].inputs == ("head", "count")
    assert "<pad>" not in folded["readout"].table.values()  # masked, never predicted
    assert_same_outputs(two, folded)
    assert "<pad>" not in infer_value_sets(folded)["readout"].type.values


def test_fold_readout_leaves_non_integer_numerical_features():
    b = ProgramBuilder(("a", "b"), 3)
    half = b.map(lambda t: 0.5 if t == "a" else 1.5, b.tokens, numerical=True, name="half")
    out = b.add(
        Readout(
            "readout",
            Categorical(("x", "y")),
            features=(half,),
            weights=[[1.0, 0.9]],
            bias=[0.0, 0.1],
            mask=[True, True],
        )
    )
    prog = b.build(out)
    assert fold_readout(prog) == prog


# ---- manager and CLI ----------------------------------------------------------------------


def test_unknown_passes_are_clear_errors():
    prog = rasp_style_program()
    with pytest.raises(TpcError, match="unknown pass 'nope'; passes: infer_value_sets"):
        run_passes(prog, ["fuse_maps", "nope"])
    with pytest.raises(TpcError, match="not run"):
        run_passes(prog, ["fuse_maps"], dump_after="fold_readout")
    with pytest.raises(ValueError, match="already registered"):
        register_pass("fuse_maps")(lambda p: p)


def test_run_passes_records_stats_and_dumps(tmp_path):
    prog = learned_program(0, layers=1, cat_heads=2)
    new, stats = run_passes(
        prog,
        PIPELINES["O2"],
        dump_after="prune_dead_heads",
        dump_dir=tmp_path,
        max_rounds=5,
        count_lines=lambda p: len(emit_python(p).splitlines()),
    )
    assert [s.name for s in stats[: len(PIPELINES["O2"])]] == PIPELINES["O2"]
    assert stats[-1].nodes == len(new) and stats[-1].heads == program_stats(new)["heads"]
    assert all(s.seconds >= 0 for s in stats)
    assert not any(s.changed for s in stats if s.round == stats[-1].round)
    assert stats[0].python_lines_before == len(emit_python(prog).splitlines())
    assert stats[-1].python_lines_after < stats[0].python_lines_before
    dumped = load(tmp_path / "after-prune_dead_heads.tpir.json")
    assert program_stats(dumped)["heads"] < program_stats(prog)["heads"]


def test_opt_command(tmp_path):
    prog = learned_program(1)
    src, out = tmp_path / "in.tpir.json", tmp_path / "out.tpir.json"
    src.write_text(dumps(prog))
    args = [str(src), "-o", str(out), "--no-python-lines"]
    result = CliRunner().invoke(opt, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert "prune_dead_heads" in result.output and "(input)" in result.output
    assert load(out) == optimize(prog)[0]

    result = CliRunner().invoke(opt, [*args, "-O0"], catch_exceptions=False)
    assert load(out).nodes == prog.nodes and load(out).meta["optimization"] == "O0"

    passes = ["--passes", "infer_value_sets,fold_constants", "--dump-after", "fold_constants"]
    result = CliRunner().invoke(opt, [*args, *passes])
    assert result.exit_code == 0 and (tmp_path / "after-fold_constants.tpir.json").exists()

    result = CliRunner().invoke(opt, [str(src), "-o", str(out), "--passes", "bogus"])
    assert isinstance(result.exception, TpcError) and "fold_readout" in str(result.exception)
    result = CliRunner().invoke(opt, [str(src), "-o", str(tmp_path / "no" / "x.tpir.json")])
    assert isinstance(result.exception, TpcError)


def test_opt_through_the_tpc_command(tmp_path):
    from tpc.cli import main

    if "opt" not in main.list_commands(None):
        pytest.skip("`opt` is not registered in tpc.cli yet (the lead wires it)")
    src, out = tmp_path / "in.tpir.json", tmp_path / "out.tpir.json"
    src.write_text(dumps(rasp_style_program()))
    result = CliRunner().invoke(main, ["opt", str(src), "-o", str(out), "-O1"])
    assert result.exit_code == 0, result.output
    assert_same_outputs(rasp_style_program(), load(out))
    result = CliRunner().invoke(main, ["opt", str(src), "-o", str(out), "--passes", "nope"])
    assert result.exit_code == 1 and "unknown pass 'nope'" in result.output


def test_aggregate_type_follows_value_sets():
    b = ProgramBuilder(VOCAB, 4)
    mapped = b.map(lambda t: t if t != "c" else "a", b.tokens, name="mapped")
    head = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), mapped, "closest", name="head")
    prog = b.build(b.map(lambda v: v * 2, head, name="out"))
    new = infer_value_sets(prog)
    assert isinstance(new["head"], Aggregate)
    assert new["head"].type == new["mapped"].type == Categorical(("<s>", "a", "b"))
    assert_same_outputs(prog, new)


def test_unique_keeps_true_apart_from_one():
    assert unique([1, True, 1.0, False, 0, True]) == (1, True, False, 0)
    assert [type(v) for v in unique([1, True, 1.0])] == [int, bool]
    assert unique([2, 2.0, "2", 3]) == (2, "2", 3)
    assert unique(iter([False, True, False])) == (False, True)
