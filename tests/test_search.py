"""The wiring search: its proxy score against independent counts, what the search returns,
and the ``tpc search-wiring`` command feeding ``tpc train --wiring``."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import torch
from click.testing import CliRunner

from tpc.cli import main as tpc_main
from tpc.train import TrainConfig, load_data, load_run, train_run
from tpc.train.search import Evaluator, ReadoutProxy, SearchError, search_wiring
from tpc.train.wiring import check_wiring, read_wiring, wiring_from_json

pytestmark = pytest.mark.usefixtures("one_thread")

# hist over 3 symbols, content length 1..4: one layer, two heads, one MLP.
TINY_HIST = dict(
    task="hist",
    k=5,
    n=5,
    n_layers=1,
    n_heads_cat=2,
    n_heads_num=0,
    n_cat_mlps=1,
    n_num_mlps=0,
    dataset_size=1500,
    epochs=1,
    batch_size=128,
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("search") / "run"
    train_run(run_dir, TrainConfig(**TINY_HIST, seed=0), progress=False)
    return run_dir


def test_proxy_is_exact_on_a_label_copy_and_majority_on_a_constant():
    torch.manual_seed(0)
    labels = torch.randint(0, 4, (300, 6))  # 0 = unscored
    copy = labels.unsqueeze(-1)  # a variable equal to the label
    constant = torch.zeros_like(copy)
    proxy = ReadoutProxy(labels, d_var=4, n_classes=4, steps=200)
    assert proxy.score(copy, [0], []).accuracy == 1.0
    scored = labels[labels != 0].tolist()
    majority = Counter(scored).most_common(1)[0][1] / len(scored)
    assert proxy.score(constant, [0], []).accuracy == pytest.approx(majority)


def test_proxy_reads_an_mlp_as_the_tuple_of_its_inputs():
    # The label is the XOR of two bits: no additive readout of the bits gets it, the
    # tuple of both (what an MLP reading them could pass on) does.
    torch.manual_seed(1)
    a, b = torch.randint(0, 2, (2, 400, 5))
    labels = (a ^ b) + 1
    values = torch.stack([a, b], -1)
    proxy = ReadoutProxy(labels, d_var=2, n_classes=3, steps=200)
    assert proxy.score(values, [0, 1], []).accuracy < 0.6
    assert proxy.score(values, [0, 1], [(0, 1)]).accuracy == 1.0


def test_search_returns_a_valid_wiring_scoring_what_it_reports(tiny_run):
    run = load_run(tiny_run)
    data = load_data(run.train)
    result = search_wiring(run.model, data.train, rounds=1, budget=60, seed=0)
    check_wiring(run.model, result.wiring)
    fresh = Evaluator(run.model, data.train, steps=100)
    assert fresh(read_wiring(run.model)) == result.start
    assert fresh(result.wiring) == result.score
    assert result.score.accuracy >= result.start.accuracy
    changed = [
        a != b
        for a, b in zip(read_wiring(run.model).layers[0].heads, result.wiring.layers[0].heads)
    ]
    assert len(result.moves) >= sum(changed)  # one line per accepted move


def test_search_finds_a_better_program_than_a_one_epoch_model(tiny_run):
    run = load_run(tiny_run)
    data = load_data(run.train)
    result = search_wiring(run.model, data.train, rounds=2, budget=120, seed=0)
    assert result.score.accuracy >= result.start.accuracy + 0.05, (result.start, result.score)


def test_search_refuses_numerical_programs(tmp_path):
    config = TrainConfig(**{**TINY_HIST, "n_heads_num": 1, "dataset_size": 300})
    train_run(tmp_path / "num", config, progress=False)
    run = load_run(tmp_path / "num")
    with pytest.raises(SearchError, match="categorical-only"):
        search_wiring(run.model, load_data(run.train).train)


def test_cli_search_then_train_with_the_wiring(tiny_run, tmp_path):
    out = tmp_path / "wiring.json"
    runner = CliRunner()
    result = runner.invoke(
        tpc_main,
        ["search-wiring", str(tiny_run), "-o", str(out), "--rounds", "1", "--budget", "30"],
    )
    assert result.exit_code == 0, result.output
    assert "proxy train accuracy" in result.output
    doc = json.loads(out.read_text())
    assert doc["found_by"]["candidates_scored"] > 0
    config = TrainConfig(**{**TINY_HIST, "epochs": 2}, seed=0, wiring=str(out))
    train_run(tmp_path / "wired", config, progress=False)
    model = load_run(tmp_path / "wired").model
    assert read_wiring(model) == wiring_from_json(model, doc)


def test_cli_search_bad_run_dir_is_one_line(tmp_path):
    out = tmp_path / "w.json"
    result = CliRunner().invoke(tpc_main, ["search-wiring", str(tmp_path / "nope"), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: no run directory")
    assert "Traceback" not in result.output and not out.exists()


def test_ctrl_c_keeps_the_moves_accepted_so_far(tiny_run, monkeypatch):
    from tpc.train import search

    run = load_run(tiny_run)
    data = load_data(run.train)
    real = search._improve_head
    calls = []

    def stop_on_second_head(*args, **kwargs):
        calls.append(args[5])  # the head
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "_improve_head", stop_on_second_head)
    result = search_wiring(run.model, data.train, rounds=1, budget=40, seed=0)
    assert result.interrupted and calls == [0, 1]
    # head 1 untouched; head 0 is what the uninterrupted search's first step gives
    start = read_wiring(run.model)
    assert result.wiring.layers[0].heads[1] == start.layers[0].heads[1]
    fresh = Evaluator(run.model, data.train, steps=100)
    assert fresh(result.wiring) == result.score


def test_layers_outside_the_model_are_refused(tiny_run, tmp_path):
    run = load_run(tiny_run)
    with pytest.raises(SearchError, match="layers 0..0"):
        search_wiring(run.model, load_data(run.train).train, layers=(1,))
    out = tmp_path / "w.json"
    result = CliRunner().invoke(
        tpc_main, ["search-wiring", str(tiny_run), "-o", str(out), "--layers", "zero"]
    )
    assert result.exit_code == 2 and "expected layer numbers" in result.output
    assert not out.exists()
