"""-O3 (specialisation to the input domain) is exact on every domain input: random-weight
models of every shape, checked against the discrete torch model on the whole domain."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from random_models import SHAPES, random_model

from tpc.ir import Interpreter, Map, Readout, encode_tokens
from tpc.ir.printer import program_stats
from tpc.ir.readout_rows import contribution_rows, sums_are_exact
from tpc.lower import lower_structure
from tpc.model import read_structure
from tpc.passes import domain as domain_module
from tpc.passes import optimize, specialize_to_domain
from tpc.passes.domain import Domain, program_domain
from tpc.verify import compare_model

N = 6  # hist/most_freq domains of 9,330 inputs, sort/reverse of 1,555


def lowered(shape, seed: int):
    task, k, n, model = random_model(*shape, seed=seed, n=N)
    meta = {"domain": {"task": task.name, "k": k, "n": n}}
    return task, k, n, model, lower_structure(read_structure(model), meta=meta)


@pytest.mark.parametrize("shape", SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize("seed", [0, 1])
def test_o3_agrees_with_the_model_on_every_domain_input(shape, seed):
    task, k, n, model, program = lowered(shape, seed)
    o2, _ = optimize(program, "O2")
    o3, _ = optimize(program, "O3")
    assert program_domain(o3, "exact_on") == Domain(task.name, k, n)
    report = compare_model(model, o3, list(task.enumerate(k, n)))
    assert report.ok, "\n".join(map(str, report.disagreements))
    assert report.what.endswith("(output at scored positions)")
    assert report.inputs == task.count_inputs(k, n)
    assert program_stats(o3)["table_entries"] <= program_stats(o2)["table_entries"]
    assert program_stats(o3)["nodes"] <= program_stats(o2)["nodes"]


def test_a_readout_decided_by_one_feature_becomes_a_table():
    task, k, n, model, program = lowered(SHAPES[0], seed=0)
    readout = program[program.output]
    assert isinstance(readout, Readout)
    # only the first attention head's value counts: every other feature contributes 0
    keep = next(i for i, f in enumerate(readout.features) if f.startswith("attn_"))
    weights = tuple(
        (
            w
            if i == keep
            else (
                {v: (0.0,) * len(readout.bias) for v in w}
                if isinstance(w, dict)
                else (0.0,) * len(w)
            )
        )
        for i, w in enumerate(readout.weights)
    )
    program = program.replace(
        [
            dataclasses.replace(readout, weights=weights) if nd is readout else nd
            for nd in program
        ]
    )
    o3 = specialize_to_domain(program)
    assert isinstance(o3[o3.output], Map)
    assert o3[o3.output].x == readout.features[keep]
    assert_same_output_where_scored(program, o3, Domain(task.name, k, n))


def assert_same_output_where_scored(program, specialized, domain: Domain) -> None:
    """The two programs' outputs agree at every scored position of every domain input."""
    codes, lengths = encode_tokens(program, list(domain.inputs()))
    want = Interpreter(program).run(codes, lengths)[program.output]
    got = Interpreter(specialized).run(codes, lengths)[specialized.output]
    scored = domain.scored(lengths, codes.shape[1])
    want_values = np.array(program[program.output].type.values, dtype=object)[want]
    got_values = np.array(specialized[specialized.output].type.values, dtype=object)[
        got
    ]
    assert (want_values == got_values)[scored].all()


@pytest.mark.parametrize("shape", SHAPES[:3], ids=[s[0] for s in SHAPES[:3]])
def test_readouts_whose_sums_round_are_pruned_in_the_interpreters_order(shape):
    """Weights with full float64 mantissas (thirds) make the readout's sums round, so
    pruning must recompute them in order rather than subtract a feature's term."""
    task, k, n, model, program = lowered(shape, seed=3)
    readout = program[program.output]
    thirds = tuple(
        (
            {v: tuple(x / 3 for x in row) for v, row in w.items()}
            if isinstance(w, dict)
            else tuple(x / 3 for x in w)
        )
        for w in readout.weights
    )
    readout = dataclasses.replace(
        readout, weights=thirds, bias=tuple(b / 3 for b in readout.bias)
    )
    program = program.replace(
        [readout if nd.name == readout.name else nd for nd in program]
    )
    assert not sums_are_exact(readout.bias, contribution_rows(program, readout))
    o3, _ = optimize(program, "O3")
    assert_same_output_where_scored(program, o3, Domain(task.name, k, n))


def test_programs_without_an_enumerable_domain_are_left_alone(monkeypatch):
    *_, program = lowered(SHAPES[1], seed=0)
    no_domain = program.replace(list(program))
    no_domain.meta.pop("domain")
    assert specialize_to_domain(no_domain) == no_domain
    monkeypatch.setattr(domain_module, "DOMAIN_LIMIT", 100)
    assert specialize_to_domain(program) == program


def test_opt_cli_runs_o3_and_dumps_after_the_domain_pass(tmp_path):
    from click.testing import CliRunner

    from tpc.cli import main
    from tpc.ir import dump

    *_, program = lowered(SHAPES[0], seed=1)
    dump(program, tmp_path / "p.tpir.json")
    runner = CliRunner()
    args = [
        "opt",
        str(tmp_path / "p.tpir.json"),
        "-o",
        str(tmp_path / "o3.tpir.json"),
        "-O3",
    ]
    result = runner.invoke(
        main, [*args, "--no-python-lines", "--dump-after", "specialize_to_domain"]
    )
    assert result.exit_code == 0, result.output
    assert "specialize_to_domain" in result.output
    assert (tmp_path / "after-specialize_to_domain.tpir.json").is_file()
    bad = runner.invoke(main, [*args, "--dump-after", "no_such_pass"])
    assert bad.exit_code == 1 and "no_such_pass" in bad.output
