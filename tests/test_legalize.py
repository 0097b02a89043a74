"""Legalised programs compute exactly what the originals compute, on every input."""

from __future__ import annotations

import dataclasses
import itertools
import random
import types

import pytest
from hypothesis import HealthCheck, assume, given, settings
from inputs import all_inputs
from sample_programs import VOCAB, learned_style_program, wide_readout_program
from strategies import programs

from tpc.backends.dot import emit_dot
from tpc.backends.python import emit_python
from tpc.backends.rasp import emit_rasp
from tpc.errors import EmitError, EvalError, IRError
from tpc.frontends import parse_rasp
from tpc.ir import (
    Categorical,
    Constant,
    Numerical,
    Program,
    ProgramBuilder,
    Readout,
    SequenceMap,
    TablePredicate,
    dumps,
    loads,
    run,
)
from tpc.ir.printer import format_program, program_stats
from tpc.passes import optimize
from tpc.passes.legalize.aggregates import legalize_aggregates
from tpc.passes.legalize.readout import legalize_readout
from tpc.passes.legalize.tracr import legalize_for_tracr

KINDS_LEFT = {"closest", "sum"}


def assert_same_everywhere(before, after):
    seqs = list(all_inputs(before.vocab, before.max_len, first=before.bos))
    for name, node in before.nodes.items():
        if node.kind not in ("select", "selector_op"):
            assert run(before, seqs, node=name) == run(after, seqs, node=name), name
    assert not any(n.kind == "aggregate" and n.reduce in KINDS_LEFT for n in after)


@pytest.mark.parametrize("causal", [False, True])
def test_learned_style_program(causal):
    prog = learned_style_program(causal)
    assert_same_everywhere(prog, legalize_aggregates(prog))


@pytest.mark.parametrize("seed", range(6))
def test_random_one_key_per_query_heads(seed):
    rng = random.Random(seed)
    causal = seed % 2 == 1
    b = ProgramBuilder(vocab=VOCAB, max_len=6, bos="<s>")
    ones = b.constant(1, numerical=True, name="ones")
    cat = [b.tokens, b.indices]
    for layer in range(2):
        new = []
        for h in range(2):
            q, k, v = rng.choice(cat), rng.choice(cat), rng.choice(cat)
            kvals, qvals = b.values_of(k), b.values_of(q)
            pred = TablePredicate(
                frozenset((qv, rng.choice(kvals)) for qv in qvals if rng.random() < 0.9)
            )
            sel = b.select(k, q, pred, causal=causal)
            new.append(b.aggregate(sel, v, reduce="closest", name=f"attn_{layer}_{h}"))
        count = b.aggregate(
            b.select(rng.choice(cat), rng.choice(cat), "EQ", causal=causal), ones, reduce="sum"
        )
        new.append(b.map(lambda c: min(int(c), 3), count, name=f"num_mlp_{layer}"))
        cat += new
    out = b.sequence_map(lambda x, y: f"{x}|{y}", cat[-2], cat[-3], name="out")
    prog = b.build(out)
    assert_same_everywhere(prog, legalize_aggregates(prog))


def test_sum_of_integer_counts():
    b = ProgramBuilder(vocab=("<s>", "a", "b"), max_len=5, bos="<s>")
    ones = b.constant(1, numerical=True)
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    total = b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), count, reduce="sum", name="total")
    prog = b.build(total)
    assert_same_everywhere(prog, legalize_aggregates(prog))


def _sum_of_many_values(offset: int) -> Program:
    """A sum (``total``) of 272 distinct integers ``17 * index + count + offset`` over up
    to 16 keys: far more possible means than value-set inference lists."""
    b = ProgramBuilder(vocab=("<s>", "a", "b"), max_len=16, bos="<s>")
    ones = b.constant(1, numerical=True)
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    code = b.sequence_map(
        lambda i, c: 17 * i + c + offset,
        b.indices,
        count,
        numerical=True,
        name="code",
        form=f"17 * x + y + {offset}",
    )
    before = b.select(b.indices, b.indices, "LEQ")
    return b.build(b.aggregate(before, code, reduce="sum", name="total"))


def test_sums_with_too_many_means_are_added_bit_by_bit():
    prog = _sum_of_many_values(0)
    legal = legalize_aggregates(prog)
    assert "total_bit8_mean" in legal.nodes  # codes reach 271: bits 0..8
    seqs = [["<s>", *random.Random(n).choices("ab", k=n % 16)] for n in range(300)]
    for name in ("count", "code", "total"):
        assert run(legal, seqs, node=name) == run(prog, seqs, node=name), name
    assert not any(n.kind == "aggregate" and n.reduce in KINDS_LEFT for n in legal)
    back = parse_rasp(emit_rasp(prog), vocab=prog.vocab, max_len=prog.max_len)
    assert run(back, seqs) == run(prog, seqs)


def test_sums_of_negative_values_with_too_many_means_are_refused_naming_the_sum():
    with pytest.raises(IRError, match="node 'total'.*means of 272 values.*too many.*-O3"):
        legalize_aggregates(_sum_of_many_values(-100))


def test_overlapping_key_sets_have_no_exact_form():
    b = ProgramBuilder(vocab=("<s>", "a", "b", "c"), max_len=4, bos="<s>")
    out = b.aggregate(b.select(b.tokens, b.tokens, "LT"), b.tokens, reduce="closest", name="head")
    with pytest.raises(IRError, match="node 'head'.*overlapping"):
        legalize_aggregates(b.build(out))


# ---- readouts as element-wise arithmetic ------------------------------------------------------


def test_wide_readout_becomes_exact_arithmetic():
    prog = wide_readout_program()
    legal = legalize_readout(prog)
    assert not any(isinstance(n, Readout) for n in legal)
    assert any(isinstance(n, SequenceMap) and n.table is None for n in legal)
    assert legal["readout"].type == prog["readout"].type
    seqs = list(all_inputs(prog.vocab, prog.max_len, first=prog.bos))
    assert run(legal, seqs) == run(prog, seqs)
    assert loads(dumps(legal)) == legal


def test_readout_ties_go_to_the_first_class_and_masked_classes_never_win():
    prog = wide_readout_program()
    seqs = list(all_inputs(prog.vocab, prog.max_len, first=prog.bos))
    out = [v for seq in run(legalize_readout(prog), seqs) for v in seq]
    assert set(out) == {"x", "y"}  # 'z' ties with 'y' everywhere; '<pad>', 'w' are masked
    # positions where x and y tie exactly, by the interpreter's own logits: x is predicted
    readout = prog["readout"]
    ties = 0
    for seq in seqs:
        values = [run(prog, [seq], node=f)[0] for f in readout.features]
        for i, got in enumerate(run(legalize_readout(prog), [seq])[0]):
            logits = list(readout.bias)
            for w, v in zip(readout.weights, values):
                row = w[v[i]] if isinstance(w, dict) else [v[i] * c for c in w]
                logits = [a + b for a, b in zip(logits, row)]
            if logits[1] == logits[2] >= logits[3]:
                ties += 1
                assert got == "x"
    assert ties > 0


def test_legalised_readout_survives_the_optimiser_and_json():
    legal = legalize_readout(wide_readout_program())
    seqs = list(all_inputs(legal.vocab, legal.max_len, first=legal.bos))
    optimised, _ = optimize(legal, "O2")
    assert run(optimised, seqs) == run(legal, seqs)
    assert all(
        isinstance(optimised[n].type, Numerical) and optimised[n].type.values is None
        for n in optimised.nodes
        if n.startswith("readout_logit") and optimised[n].table is None
    )
    assert program_stats(legal)["table_entries"] > 0
    assert "x + y" in format_program(legal) and "x + y" in emit_dot(legal)


def test_only_per_position_readouts_are_legalised():
    prog = wide_readout_program()
    pooled = prog.replace(
        [dataclasses.replace(n, pooled=True) if isinstance(n, Readout) else n for n in prog]
    )
    with pytest.raises(EmitError, match="node 'readout': a pooled readout"):
        legalize_readout(pooled)


def test_a_readout_with_one_allowed_class_is_a_constant():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    out = b.add(
        Readout(
            "readout",
            Categorical(("p", "q")),
            features=(b.tokens,),
            weights=[{"a": [1.0, 2.0], "b": [0.0, 0.0]}],
            bias=[0.0, 0.0],
            mask=[False, True],
        )
    )
    legal = legalize_readout(b.build(out))
    assert isinstance(legal["readout"], Constant) and legal["readout"].value == "q"


def test_tracr_refuses_open_maps_naming_the_node():
    legal = legalize_readout(wide_readout_program())
    with pytest.raises(
        EmitError, match=r"node 'readout_term\d_\d': numerical map over an unbounded"
    ):
        legalize_for_tracr(legal)


def test_python_back_end_computes_the_legalised_readout():
    legal = legalize_readout(wide_readout_program())
    source = emit_python(legal, formatted=False)
    assert "[(x + y) for x, y in zip(" in source
    module = types.ModuleType("legalised")
    exec(compile(source, "<legalised>", "exec"), module.__dict__)
    seqs = list(all_inputs(legal.vocab, legal.max_len, first=legal.bos))
    assert [module.run(s) for s in seqs] == run(legal, seqs)


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs(max_nodes=7, max_len=3))
def test_random_readouts_legalise_exactly(prog):
    readout = prog.output_node
    assume(isinstance(readout, Readout) and not readout.pooled)
    legal = legalize_readout(prog)
    for n in range(1, prog.max_len + 1):
        for seq in itertools.product(prog.vocab, repeat=n):
            try:
                want = run(prog, [list(seq)])
            except EvalError:  # undefined (a categorical mean over two keys): anything goes
                continue
            assert run(legal, [list(seq)]) == want, seq


@pytest.mark.parametrize("target", ["rasp", "tracr"])
def test_tpc_opt_legalize_runs_the_back_ends_passes_with_statistics(tmp_path, target):
    """`tpc opt --legalize TARGET` runs the passes the back end runs (LEGALIZATIONS), one
    statistics row each, writes the legalised program (equal to the input on every input)
    and dumps after any of them."""
    from click.testing import CliRunner

    from tpc.cli import main
    from tpc.passes import LEGALIZATIONS

    prog = learned_style_program(False)
    src, out = tmp_path / "in.tpir.json", tmp_path / "out.tpir.json"
    src.write_text(dumps(prog))
    step = LEGALIZATIONS[target][1]
    args = ["opt", str(src), "-o", str(out), "-O0", "--legalize", target, "--dump-after", step]
    result = CliRunner().invoke(main, [*args, "--no-python-lines"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.output.splitlines()[2:] if line.strip()]
    assert rows[: len(LEGALIZATIONS[target])] == LEGALIZATIONS[target]
    legal = loads(out.read_text())
    assert legal.meta["legalized_for"] == target
    assert not any(n.kind == "aggregate" and n.reduce in KINDS_LEFT for n in legal)
    assert not any(isinstance(n, Readout) for n in legal)
    seqs = list(all_inputs(prog.vocab, prog.max_len, first=prog.bos))
    assert run(legal, seqs) == run(prog, seqs)
    assert (tmp_path / f"after-{step}.tpir.json").is_file()
