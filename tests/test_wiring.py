"""Wiring files: reading a model's wiring, the JSON format and its errors, fixing a wiring
in training (``tpc train --wiring``) and resuming such a run."""

from __future__ import annotations

import json

import pytest
import torch

from tpc.errors import FormatError
from tpc.model import build_model
from tpc.train import TrainConfig, load_data, load_run, model_config, train_run
from tpc.train.rundir import WIRING
from tpc.train.wiring import (
    FIXED_LOGIT,
    HeadWiring,
    apply_wiring,
    head_inputs,
    load_wiring,
    mlp_inputs,
    read_wiring,
    wiring_from_json,
    wiring_to_json,
)

pytestmark = pytest.mark.usefixtures("one_thread")

SMALL = dict(
    task="hist",
    k=5,
    n=5,
    n_layers=2,
    n_heads_cat=2,
    n_heads_num=0,
    n_cat_mlps=1,
    n_num_mlps=0,
    dataset_size=400,
    epochs=2,
    batch_size=64,
)


def small_model(seed: int = 0):
    config = TrainConfig(**SMALL, seed=seed)
    data = load_data(config)
    torch.manual_seed(seed)
    return build_model(model_config(config, data.input_vocab, data.classes, data.max_len, False))


# A hand-written wiring of layer 0 (layer 1 left learned): head 0 is the nearest other
# occurrence of the token, reading its position; head 1 the token two positions back.
HAND = {
    "format": "tpc-wiring/1",
    "layers": [
        {
            "heads": [
                {
                    "query": "tokens",
                    "key": "tokens",
                    "value": "indices",
                    "predicate": [0, 1, 2, 3, 4],
                },
                {
                    "query": "indices",
                    "key": "indices",
                    "value": "tokens",
                    "predicate": [0, 0, 0, 1, 2],
                },
            ],
            "mlps": [["tokens", "attn_0_1"]],
        }
    ],
}


def test_readable_variables_follow_the_residual_order():
    model = small_model()
    assert head_inputs(model, 0) == ["tokens", "indices"]
    assert mlp_inputs(model, 0) == ["tokens", "indices", "attn_0_0", "attn_0_1"]
    assert head_inputs(model, 1) == ["tokens", "indices", "attn_0_0", "attn_0_1", "mlp_0_0"]


def test_json_round_trip_and_read_back_after_applying():
    model = small_model()
    wiring = read_wiring(model)
    assert wiring_from_json(model, json.loads(json.dumps(wiring_to_json(model, wiring)))) == wiring
    hand = wiring_from_json(model, HAND)
    assert hand.layers[0].heads[1] == HeadWiring(1, 1, 0, (0, 0, 0, 1, 2))
    assert hand.layers[0].mlps == ((0, 3),)
    apply_wiring(model, hand)
    after = read_wiring(model)
    assert after.layers[0] == hand.layers[0]
    assert after.layers[1] == wiring.layers[1]  # not in the file: untouched


def test_fixed_choices_keep_their_argmax_under_gumbel_noise_and_get_no_gradient():
    model = small_model()
    apply_wiring(model, wiring_from_json(model, HAND))
    layer = model.layers[0]
    assert not layer.read_cat.requires_grad and not layer.predicate.requires_grad
    assert not layer.mlp.read.requires_grad
    assert model.layers[1].read_cat.requires_grad  # layer 1 is learned
    assert float(layer.predicate.max()) == FIXED_LOGIT
    data = load_data(TrainConfig(**SMALL))
    logits = model(data.train.ids[:32], data.train.lengths[:32], tau=3.0)
    logits.sum().backward()
    assert model.layers[1].read_cat.grad is not None
    assert layer.mlp.w_in.grad is not None


def test_partly_fixed_parameters_learn_only_their_free_rows():
    model = small_model()
    doc = json.loads(json.dumps(HAND))
    doc["layers"][0]["heads"][1] = None  # head 1 learned, head 0 fixed
    apply_wiring(model, wiring_from_json(model, doc))
    layer = model.layers[0]
    data = load_data(TrainConfig(**SMALL))
    model(data.train.ids[:32], data.train.lengths[:32], tau=3.0).sum().backward()
    h = layer.n_cat_heads
    for row in (0, h, 2 * h):  # head 0's query, key and value rows
        assert torch.all(layer.read_cat.grad[row] == 0)
    assert torch.any(layer.read_cat.grad[1] != 0)
    assert torch.all(layer.predicate.grad[0] == 0) and torch.any(layer.predicate.grad[1] != 0)


@pytest.mark.parametrize(
    "change, text",
    [
        (lambda d: d.update(format="x"), "not a wiring file"),
        (lambda d: d["layers"][0]["heads"][0].update(query="mlp_0_0"), "cannot read 'mlp_0_0'"),
        (lambda d: d["layers"][0]["heads"][0].update(predicate=[0, 1]), "needs 5 key values"),
        (lambda d: d["layers"][0]["heads"][0].update(predicate=[0, 1, 2, 3, 9]), "0..4"),
        (lambda d: d["layers"][0]["heads"].pop(), "1 heads and 1 MLPs"),
        (lambda d: d["layers"][0].update(mlps=[["tokens"]]), "must read 2 variables"),
        (lambda d: d["layers"].extend([d["layers"][0]] * 2), "3 layers; the model 2"),
    ],
)
def test_bad_wiring_files_name_the_problem(tmp_path, change, text):
    doc = json.loads(json.dumps(HAND))
    change(doc)
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(FormatError) as info:
        load_wiring(small_model(), path)
    assert text in str(info.value) and str(path) in str(info.value)


def test_unreadable_wiring_file(tmp_path):
    with pytest.raises(FormatError, match="cannot read wiring file"):
        load_wiring(small_model(), tmp_path / "absent.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(FormatError, match="is not JSON"):
        load_wiring(small_model(), tmp_path / "bad.json")


def test_training_with_a_wiring_keeps_it_and_resumes(tmp_path, stop_training_after):
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND))
    config = TrainConfig(**{**SMALL, "epochs": 3}, seed=1, wiring=str(path))
    # Interrupt after the first epoch, then resume from the run's own copy of the file.
    stop_training_after(1)
    first = train_run(tmp_path / "run", config, progress=False)
    assert first["interrupted"]
    stop_training_after(None)
    path.unlink()  # resuming must not need the original file
    done = train_run(tmp_path / "run", resume=True, progress=False)
    assert not done["interrupted"] and done["epochs_completed"] == 3
    assert json.loads((tmp_path / "run" / WIRING).read_text()) == HAND
    model = load_run(tmp_path / "run").model
    assert read_wiring(model).layers[0] == wiring_from_json(model, HAND).layers[0]


def test_a_bad_wiring_fails_before_the_run_directory_is_made(tmp_path):
    config = TrainConfig(**SMALL, wiring=str(tmp_path / "absent.json"))
    with pytest.raises(FormatError):
        train_run(tmp_path / "run", config, progress=False)
    assert not (tmp_path / "run").exists()


def test_cli_bad_wiring_is_one_line_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from tpc.cli.train import train as train_cmd

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**HAND, "layers": [{"heads": [], "mlps": []}]}))
    args = ["hist", "--k", "5", "--n", "5", "--layers", "2", "--heads-cat", "2"]
    args += ["--cat-mlps", "1", "--dataset-size", "400", "--epochs", "1", "--no-progress"]
    result = CliRunner().invoke(train_cmd, [*args, "--wiring", str(bad), "-o", str(tmp_path / "r")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1 and "0 heads and 0 MLPs" in lines[0], result.output
    assert "Traceback" not in result.output and not (tmp_path / "r").exists()
