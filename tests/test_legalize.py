"""Legalised programs compute exactly what the originals compute, on every input."""

from __future__ import annotations

import itertools
import random

import pytest
from sample_programs import VOCAB, learned_style_program

from tpc.errors import IRError
from tpc.ir import ProgramBuilder, TablePredicate, run
from tpc.passes.legalize import legalize_aggregates

KINDS_LEFT = {"closest", "sum"}


def all_inputs(prog):
    body = [t for t in prog.vocab if t != prog.bos]
    for n in range(prog.max_len):
        for seq in itertools.product(body, repeat=n):
            yield [prog.bos, *seq]


def assert_same_everywhere(before, after):
    seqs = list(all_inputs(before))
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


def test_overlapping_key_sets_have_no_exact_form():
    b = ProgramBuilder(vocab=("<s>", "a", "b", "c"), max_len=4, bos="<s>")
    out = b.aggregate(b.select(b.tokens, b.tokens, "LT"), b.tokens, reduce="closest", name="head")
    with pytest.raises(IRError, match="node 'head'.*overlapping"):
        legalize_aggregates(b.build(out))
