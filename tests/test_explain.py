"""tpc explain (issue 16, item 6): every part of an explanation checked against the
interpreter's own values, on small built programs, a learned program of programs/, and
tiny programs learned on generated corpora; the command's text, JSON and errors."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sample_programs import learned_style_program, rasp_style_program, wide_readout_program

from tpc.cli import main
from tpc.errors import InputError, TpcError
from tpc.explain import (
    HeadRead,
    TableRow,
    explain,
    format_explanation,
    format_readout_stats,
    readout_node,
    readout_stats,
)
from tpc.ir import Interpreter, Program, decode, encode_tokens, load, run
from tpc.ir.readout_rows import contribution_rows

ROOT = Path(__file__).resolve().parent.parent
SORT = ROOT / "programs" / "rasp" / "sort" / "sort.tpir.json"
HIST = ROOT / "programs" / "rasp" / "hist" / "hist.tpir.json"


def _values(program: Program, tokens: list[str]) -> dict[str, list]:
    """Every non-selector node's values on one input, straight from the interpreter."""
    codes, lengths = encode_tokens(program, [tokens])
    env = Interpreter(program).run(codes, lengths)
    return {
        name: decode(program, name, arr, lengths)[0] for name, arr in env.items() if arr.ndim == 2
    } | {name: arr[0] for name, arr in env.items() if arr.ndim == 3}


def _check(program: Program, tokens: list[str]) -> None:
    """Check every step of the explanation of ``tokens`` against the interpreter."""
    (inp,) = explain(program, tokens).inputs
    assert [p.position for p in inp.positions] == list(range(len(tokens)))
    _check_input(program, tokens, inp)


def _check_input(program: Program, tokens: list[str], inp) -> None:
    """Check the explanation ``inp`` of the program input ``tokens``."""
    values = _values(program, tokens)
    assert list(inp.tokens) == tokens
    assert list(inp.outputs) == values[program.output]
    for p in inp.positions:
        i = p.position
        assert p.token == tokens[i] and p.output == values[program.output][i]
        for h in p.heads:
            sel = values[h.selector][i]
            assert [k.position for k in h.selected] == list(np.flatnonzero(sel))
            assert h.value == values[h.head][i]
            for k in h.selected:
                assert k.token == tokens[k.position]
                if h.key_operand is not None:
                    assert k.key == values[h.key_operand][k.position]
                    sel_node = program[h.selector]
                    assert sel_node.predicate(k.key, h.query_value)  # the pair fired
            if h.query_operand is not None:
                assert h.query_value == values[h.query_operand][i]
            if h.reduce == "closest":
                assert h.read is not None
                # the position read holds the head's value
                assert values[h.values_operand][h.read.position] == h.value
                assert h.default == (not h.selected)
                if h.selected:
                    assert h.read in h.selected
                    others = [k.position for k in h.selected if k.position != i] or [i]
                    assert h.read.position == min(others, key=lambda j: (abs(i - j), j))
                else:
                    assert h.read.position == 0
            elif h.reduce == "sum":
                assert h.value == pytest.approx(sum(k.value for k in h.selected))
            elif h.reduce == "width":
                assert h.value == len(h.selected)
        for t in p.tables:
            node = program[t.node]
            assert t.inputs == tuple(values[op][i] for op in node.inputs)
            assert t.output == values[t.node][i]
            if node.table is not None:  # the row that fired is the table's row
                key = t.inputs[0] if len(t.inputs) == 1 else t.inputs
                assert node.table[key] == t.output
        if p.readout is not None:
            _check_readout(program, p.readout, values, [i])
    if inp.readout is not None:
        _check_readout(program, inp.readout, values, range(len(tokens)))


def _check_readout(program: Program, r, values, positions) -> None:
    """Bias plus terms give the readout's logits; the predicted class is the
    interpreter's and has the highest allowed logit; terms are sorted by margin."""
    node = program[r.node]
    rows = contribution_rows(program, node)
    n = len(list(positions))
    expected = np.zeros(len(node.bias))
    for i in positions:
        expected += np.asarray(node.bias)
        for f, by_value in zip(node.features, rows):
            expected += np.asarray(by_value[values[f][i]])
    expected /= n
    total = np.asarray(r.bias) + sum(np.asarray(t.logits) for t in r.terms)
    allowed = np.asarray(node.mask)
    np.testing.assert_allclose(total[allowed], expected[allowed], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.asarray(r.logits)[allowed], expected[allowed], atol=1e-9)
    assert all(x == -np.inf for x in np.asarray(r.logits)[~allowed])
    assert node.classes[r.predicted] == values[node.name][list(positions)[0]]
    assert max(expected[allowed]) == pytest.approx(expected[r.predicted])
    if r.runner_up is not None:
        assert r.runner_up != r.predicted and allowed[r.runner_up]
        assert expected[r.runner_up] == pytest.approx(
            max(x for c, x in enumerate(expected) if allowed[c] and c != r.predicted)
        )
    margins = [r.margin(t) for t in r.terms]
    assert margins == sorted(margins, reverse=True)
    assert sum(t.count for t in r.terms) == n * len(node.features)


# ---- explanations against the interpreter ------------------------------------------------------


@pytest.mark.parametrize("causal", [False, True])
def test_learned_style_program_explained_step_by_step(causal):
    program = learned_style_program(causal)
    rng = random.Random(3)
    for _ in range(20):
        tokens = ["<s>", *(rng.choice("abc") for _ in range(rng.randint(0, 5)))]
        _check(program, tokens)


def test_rasp_style_program_means_widths_and_composite_selectors():
    program = rasp_style_program()
    for tokens in (["0"], ["2", "1", "0"], ["1", "1", "2", "0", "2"]):
        _check(program, tokens)
    e = explain(program, ["2", "1", "0"])
    heads = {h.head: h for h in e.inputs[0].positions[0].heads}
    assert heads["smaller"].query_operand is None and "not" in heads["smaller"].predicate
    assert heads["reverse"].reduce == "mean" and heads["reverse"].read.position == 2


def test_numerical_features_and_masked_classes_of_a_wide_readout():
    program = wide_readout_program()
    for tokens in (["<s>", "a"], ["<s>", "c", "b", "a", "c", "a"]):
        _check(program, tokens)


def test_learned_sort_program_of_programs():
    program = load(SORT)
    _check(program, ["<s>", "3", "1", "4", "1", "</s>"])
    _check(program, ["<s>", "0", "</s>"])
    hist = load(HIST)  # its readout folded into a table: no readout to explain
    _check(hist, ["<s>", "2", "0", "2"])
    assert readout_node(hist) is None


def test_pooled_readout_reads_the_sequence_once():
    program = wide_readout_program()
    node = readout_node(program)
    pooled = program.replace(
        [n if n is not node else type(node)(**{**node.__dict__, "pooled": True}) for n in program]
    ).validate()
    tokens = ["<s>", "c", "b", "a", "c"]
    _check(pooled, tokens)
    (inp,) = explain(pooled, tokens).inputs
    assert inp.readout is not None and inp.readout.pooled
    assert all(p.readout is None for p in inp.positions)
    counts = {}
    for t in inp.readout.terms:
        counts[t.feature] = counts.get(t.feature, 0) + t.count
    assert set(counts.values()) == {len(tokens)}


def test_position_and_node_filters():
    program = load(SORT)
    tokens = ["<s>", "3", "1", "4", "</s>"]
    e = explain(program, tokens, position=2, nodes=["attn_0_0", "mlp_0_0"])
    (p,) = e.inputs[0].positions
    assert p.position == 2 and [s.__class__ for s in p.steps] == [HeadRead, TableRow]
    assert [s.head if isinstance(s, HeadRead) else s.node for s in p.steps] == [
        "attn_0_0",
        "mlp_0_0",
    ]
    with pytest.raises(TpcError, match="outside"):
        explain(program, tokens, position=5)
    with pytest.raises(TpcError, match="no head or table"):
        explain(program, tokens, nodes=["nope"])
    with pytest.raises(InputError, match="unknown token"):
        explain(program, ["<s>", "9"])
    with pytest.raises(InputError, match="at most"):
        explain(program, ["<s>"] * 9)


def test_readout_stats_rank_rows_by_their_margin():
    program = learned_style_program(False)
    node = readout_node(program)
    stats = readout_stats(program)
    rows = contribution_rows(program, node)
    assert stats.total == sum(len(r) for r in rows) == len(stats.rows)
    margins = [r.margin for r in stats.rows]
    assert margins == sorted(margins, reverse=True)
    allowed = [c for c, ok in enumerate(node.mask) if ok]
    for r in stats.rows:
        feature_rows = rows[node.features.index(r.feature)]
        row = feature_rows[r.value]
        assert r.logits == tuple(row)
        best = sorted((row[c] for c in allowed), reverse=True)
        assert node.classes.index(r.favours) in allowed
        assert row[node.classes.index(r.favours)] == best[0]
        assert r.margin == pytest.approx(best[0] - best[1])
    assert [r.margin for r in readout_stats(program, top=3).rows] == margins[:3]
    assert "favours" in format_readout_stats(stats)
    with pytest.raises(TpcError, match="no readout"):
        readout_stats(rasp_style_program())


def test_text_names_heads_tables_and_readout():
    program = learned_style_program(False)
    text = format_explanation(explain(program, ["<s>", "a", "b"]), top=2)
    assert "attn_0_0  closest" in text and "count  sum" in text and "mlp_0_0  (" in text
    assert "readout:" in text and "more terms" in text and "bias" in text


# ---- programs learned on a corpus ------------------------------------------------------------


def _tagged(rng: random.Random):
    from tpc.tasks import Example

    tokens, tags = [], []
    for _ in range(rng.randint(1, 9)):
        if rng.random() < 0.3:
            tokens.append(rng.choice(["Alice", "Bob", "Carol"]))
            tags.append("B-PER")
        else:
            tokens.append(rng.choice(["the", "went", "to", "saw", "42"]))
            tags.append("O")
    return Example(tuple(tokens), tuple(tags))


def _classified(rng: random.Random):
    from tpc.tasks import Example

    tokens = [rng.choice(["good", "bad", "film", "the"]) for _ in range(rng.randint(1, 6))]
    return Example(tuple(tokens), ("pos" if tokens.count("good") > tokens.count("bad") else "neg",))


@pytest.fixture(scope="module")
def text_programs(tmp_path_factory, one_thread):
    """Two programs learned for two epochs on corpora generated here: tagging (max length
    5, so a sentence reads in windows of 4) and pooled classification."""
    from tpc.lower import lower_run
    from tpc.tasks import CORPORA, Corpus, Splits
    from tpc.tasks.corpus import register_corpus
    from tpc.train import TrainConfig, train_run

    def splits(make, labels, seed):
        rng = random.Random(seed)
        return lambda _dir: Splits(*([make(rng) for _ in range(k)] for k in (120, 20, 20)), labels)

    corpora = [
        Corpus("explain_tags", "tagging", "tiny", "none", splits(_tagged, ("O", "B-PER"), 0)),
        Corpus(
            "explain_classes",
            "classification",
            "tiny",
            "none",
            splits(_classified, ("neg", "pos"), 1),
        ),
    ]
    for corpus in corpora:
        register_corpus(corpus)
    small = dict(
        d_var=6, one_hot_embed=False, n_vars_cat=1, n_layers=1, n_heads_cat=1,
        n_cat_mlps=1, d_mlp=8, epochs=2, batch_size=32, lr=5e-2, seed=0,
    )  # fmt: skip
    out = {}
    try:
        for corpus, n in zip(corpora, (5, 6)):
            run_dir = tmp_path_factory.mktemp(corpus.name)
            train_run(run_dir, TrainConfig(task=corpus.name, n=n, **small), progress=False)
            out[corpus.kind] = lower_run(run_dir)
    finally:
        for corpus in corpora:
            del CORPORA[corpus.name]
    return out


def test_tagging_program_explains_a_raw_sentence_window_by_window(text_programs):
    from tpc.tasks.text import TextReader

    program = text_programs["tagging"]
    raw = ["Alice", "went", "to", "Paris", "in", "1999", "and", "Bob", "saw", "42"]
    reader = TextReader.of(program)
    inputs = reader.inputs(raw)
    assert len(inputs) == 3  # windows of 4 tokens
    e = explain(program, raw)
    assert e.text == "tagging" and len(e.prediction) == len(raw)
    assert list(e.prediction) == reader.labels(run(program, inputs))
    assert list(e.starts) == [0, 4, 8]
    for window, inp in zip(inputs, e.inputs):
        assert list(inp.tokens) == window
        assert [p.position for p in inp.positions] == list(range(1, len(window)))
        _check_input(program, window, inp)
    focus = explain(program, raw, position=5)  # '1999': window 2, position 2
    assert (
        focus.starts == (4,)
        and focus.windows == (1,)
        and [p.position for p in focus.inputs[0].positions] == [2]
    )
    with pytest.raises(TpcError, match="outside"):
        explain(program, raw, position=10)
    # an unknown word reads as <unk>
    assert explain(program, ["Zebra"]).inputs[0].tokens == ("<s>", "<unk>")
    text = format_explanation(e)
    assert "window 3 of 3: tokens 8-9" in text and "token 5 '1999' read as '<unk>'" in text


def test_classification_program_explains_the_class(text_programs):
    from tpc.tasks.text import TextReader

    program = text_programs["classification"]
    raw = ["good", "film", "bad", "good", "the", "good", "film"]  # truncated to 5 tokens
    e = explain(program, raw)
    reader = TextReader.of(program)
    assert e.text == "classification"
    assert e.prediction == (reader.labels(run(program, reader.inputs(raw))),)
    (inp,) = e.inputs
    assert inp.readout is not None and inp.readout.pooled
    assert inp.readout.classes[inp.readout.predicted] == e.prediction[0]
    _check_input(program, reader.inputs(raw)[0], inp)
    with pytest.raises(TpcError, match="past the first 5"):
        explain(program, raw, position=6)
    assert "class       " in format_explanation(e)


# ---- the command -----------------------------------------------------------------------------------


def _invoke(*args: str):
    return CliRunner().invoke(main, ["explain", *map(str, args)])


def test_command_prints_heads_tables_and_readout():
    result = _invoke(SORT, "<s>", "3", "1", "4", "</s>", "--position", "2")
    assert result.exit_code == 0, result.output
    assert "attn_0_0  closest" in result.output and "read tokens at" in result.output
    assert re.search(r"mlp_0_0  \([^)]*indices=2[^)]*\) → ", result.output)
    assert "readout:" in result.output
    assert "position 2" in result.output and "position 1 " not in result.output


def test_command_json_parses_and_agrees_with_run():
    result = _invoke(SORT, "<s>", "3", "1", "4", "</s>", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    want = run(load(SORT), [["<s>", "3", "1", "4", "</s>"]])[0]
    assert data["prediction"] == [str(v) for v in want]
    (inp,) = data["inputs"]
    assert len(inp["positions"]) == 5
    kinds = {s["kind"] for s in inp["positions"][0]["steps"]}
    assert kinds == {"head", "table"}
    assert inp["positions"][0]["readout"]["terms"]


def test_command_readout_stats():
    result = _invoke(SORT, "--readout-stats", "--top", "5")
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 7 and "favours" in result.output
    data = json.loads(_invoke(SORT, "--readout-stats", "--json").output)
    assert len(data["rows"]) == 20 and data["total"] >= 20


@pytest.mark.parametrize(
    "args, message",
    [
        ((SORT, "<s>", "9"), "Error: unknown token '9'"),
        ((SORT, *["<s>"] * 9), "Error: input 0 has 9 tokens"),
        (("missing.tpir.json", "a"), "Error: no such program file"),
        ((SORT, "<s>", "--position", "3"), "Error: --position 3 is outside"),
        ((SORT, "<s>", "--node", "nope"), "Error: the program's output reads no head"),
        ((ROOT / "README.md", "a"), "Error:"),
    ],
)
def test_command_bad_input_is_one_line(args, message):
    result = _invoke(*args)
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_command_usage_errors():
    assert _invoke(SORT).exit_code == 2
    assert _invoke(SORT, "<s>", "--readout-stats").exit_code == 2


def test_command_on_a_text_program_reads_raw_tokens(text_programs, tmp_path):
    from tpc.ir import dump

    path = tmp_path / "tags.tpir.json"
    dump(text_programs["tagging"], path)
    raw = ["Alice", "saw", "Zebra", "in", "1999"]
    data = json.loads(_invoke(path, *raw, "--json").output)
    assert data["text"] == "tagging" and len(data["prediction"]) == len(raw)
    assert [i["start"] for i in data["inputs"]] == [0, 4]
    assert data["inputs"][0]["tokens"][3] == "<unk>"  # 'Zebra' is not in the vocabulary
    result = _invoke(path, *raw, "--position", "4")
    assert result.exit_code == 0 and "window 2 of 2: tokens 4-4" in result.output
    assert "position 1  token 4 '1999'" in result.output


def test_explain_imports_neither_torch_nor_datasets():
    probe = (
        "import sys; from tpc.cli import main\n"
        "try: main(sys.argv[1:], standalone_mode=False)\n"
        "finally: print([m for m in ('torch', 'datasets', 'tracr') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "explain", str(SORT), "<s>", "1", "--position", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
