"""The whole pipeline on a real (tiny) training run: train --emit lowers, optimises, emits
every back end and verifies model = IR = Python = RASP text on every input."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from click.testing import CliRunner

from tpc.cli import main
from tpc.frontends import parse_rasp
from tpc.ir import load, run
from tpc.tasks import get_task


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny hist run trained with --emit, and the CLI output of that."""
    tmp_path = tmp_path_factory.mktemp("pipeline")
    out = tmp_path / "prog"
    args = ["train", "hist", "--n", "6", "--epochs", "3", "--dataset-size", "2000", "--layers", "1"]
    args += ["--heads-cat", "0", "--heads-num", "1", "--cat-mlps", "0", "--num-mlps", "1"]
    args += ["-o", str(tmp_path / "run"), "--emit", str(out), "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return tmp_path, result.output


def test_train_emit_writes_faithful_programs(trained):
    tmp_path, output = trained
    out = tmp_path / "prog"
    assert "model vs IR (output at scored positions): 100.00% agreement" in output
    assert "IR vs rasp: 100.00% agreement" in output
    program = load(out / "hist.tpir.json")
    seqs = get_task("hist").sample(np.random.default_rng(1), 300, 8, 6, "uniform")
    spec = importlib.util.spec_from_file_location("hist_emitted", out / "hist.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.run_batch(seqs) == run(program, seqs)
    rasp = parse_rasp((out / "hist.rasp").read_text(), vocab=program.vocab, max_len=program.max_len)
    assert run(rasp, seqs) == run(program, seqs)
    assert (out / "hist_tracr.py").read_text().count("def program()") == 1


def test_verify_checks_a_run_and_fails_clearly(trained, tmp_path):
    run_dir = trained[0] / "run"
    ok = CliRunner().invoke(main, ["verify", str(run_dir)])
    assert ok.exit_code == 0, ok.output
    assert "model vs IR: 100.00% agreement" in ok.output
    bad = CliRunner().invoke(main, ["verify", str(run_dir), "--backends", "json"])
    assert bad.exit_code == 1 and "cannot run back end 'json'" in bad.output
    missing = CliRunner().invoke(main, ["verify", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
