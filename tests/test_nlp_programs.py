"""The programs learned on real text (``programs/nlp/``) still are what its manifest says.

For every program in ``programs/nlp/manifest.json`` (scripts/make_nlp_programs.py writes
it; the lead adds the corpora one by one, so the tests follow whatever it lists):

- its files exist and hash to the manifest (SHA-256 and size, computed here), and every
  back-end file is byte for byte what the back end emits from the checked-in IR;
- its Python module imports under ``python -I -S`` (the standard library only), its
  constants are the IR's, and its ``run_batch`` on raw sentences equals the IR
  interpreter reading them as ``meta["text"]`` says (:func:`tpc.evaluate.predict_text`),
  on sentences that need no corpus: vocabulary words with case and digit variants,
  unknown words, specials, empty sentences and sentences of several windows;
- the module keeps the reading rules written down in tpc.tasks.text, checked on the
  module alone: a tagging sentence's tags are its windows' tags joined, a classification
  reads only the first ``max_len - 1`` tokens, an unknown word reads as ``<unk>``;
- its header docstring says how raw text is read;
- with the corpus here (``tpc.tasks.default_data_dir()``; skipped otherwise): the IR
  scores exactly the manifest's figures on the raw val/test sentences, the test figure is
  the training run's discrete model's, accuracy is recomputed in plain Python and entity
  F1 with seqeval directly, and the module agrees with the interpreter on every val/test
  sentence;
- the recipes cover the five corpora of issue 16, every recipe's program is either
  listed (its directory holds exactly its files) or under ``missing``; the README is
  ``render_readme`` of the checked-in manifest.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tpc.evaluate import predict_text, render, score_text
from tpc.ir import load, run
from tpc.ir.reading import reading_of
from tpc.tasks import TaskError, default_data_dir, get_corpus

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
NLP_DIR = ROOT / "programs" / "nlp"


def _load_script():
    """scripts/make_nlp_programs.py as a module (it imports scripts/make_programs.py)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(
        "make_nlp_programs", SCRIPTS / "make_nlp_programs.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


nlp = _load_script()
mp = nlp.mp
MANIFEST = nlp.read_manifest()
ENTRIES = MANIFEST["programs"]
NO_PROGRAMS = "programs/nlp/manifest.json lists no programs yet: run `make programs`"
NONE = [pytest.param(None, id="none", marks=pytest.mark.skip(reason=NO_PROGRAMS))]
PROGRAMS = [pytest.param(e, id=e["task"]) for e in ENTRIES] or NONE
BACKEND_FILES = [
    pytest.param(e, target, id=f"{e['task']}:{target}")
    for e in ENTRIES
    for target in sorted(e["files"])
    if target != "json"
] or [pytest.param(None, None, id="none", marks=pytest.mark.skip(reason=NO_PROGRAMS))]

#: The corpora of issue 16, in its order.
CORPORA = ("conll_ner", "trec", "mr", "subj", "ag_news")
#: Every label each corpus can have, written down here from the data sets' documentation
#: (HF conll2003, trec coarse, rotten_tomatoes, SetFit/subj, ag_news classes.txt).
LABELS = {
    "conll_ner": {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"},
    "trec": {"ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM"},
    "mr": {"neg", "pos"},
    "subj": {"objective", "subjective"},
    "ag_news": {"World", "Sports", "Business", "Sci/Tech"},
}
#: Sentences drawn per program (plus the edge cases of `_edge_sentences`).
DRAWN = 400
SEED = 16


# ---- shared, cached helpers -----------------------------------------------------------------


@functools.cache
def _program(task: str):
    entry = next(e for e in ENTRIES if e["task"] == task)
    return load(ROOT / entry["files"]["json"]["path"])


@functools.cache
def _module(task: str):
    entry = next(e for e in ENTRIES if e["task"] == task)
    return mp.load_module(ROOT / entry["files"]["python"]["path"])


@functools.cache
def _splits(task: str):
    """The corpus's splits; skips (not fails) where the corpus is not on this machine."""
    data_dir = default_data_dir()
    if data_dir is None:
        pytest.skip("no NLP data directory (set TPC_NLP_DATA or provide ../shared/data/nlp)")
    if not data_dir.is_dir():
        pytest.skip(f"the NLP data directory {data_dir} does not exist")
    try:
        return get_corpus(task).load(data_dir)
    except TaskError as exc:
        if str(exc).startswith("no file "):
            pytest.skip(f"{task}: {exc}")
        raise


@functools.cache
def _predicted(task: str, split: str) -> tuple:
    """The IR interpreter's predictions for the raw sentences of a corpus split."""
    examples = getattr(_splits(task), split)
    return tuple(
        p if isinstance(p, str) else tuple(p)
        for p in predict_text(_program(task), [e.tokens for e in examples])
    )


def _edge_sentences(program) -> list[list[str]]:
    """Sentences at the reading's boundaries: empty ones, exactly one window, one token
    more, several windows, and only tokens the vocabulary lacks."""
    width = program.max_len - 1
    word = next(w for w in program.vocab if w not in (program.bos, "<unk>"))
    return [
        [],
        [""],
        [word],
        [word] * width,
        [word] * (width + 1),
        [word] * (2 * width),
        [word] * (2 * width + 1),
        ["zzqx-unknown"] * (3 * width + 2),
        ["<s>", "<unk>", "<pad>", "</s>"],
    ]


def _raw_sentences(program, count: int = DRAWN, seed: int = SEED) -> list[list[str]]:
    """Raw sentences that need no corpus (fixed seed): words of the program's vocabulary
    as they are, upper-cased, capitalised, with other digits (``@`` or a digit of the
    word replaced), specials, unknown words and odd strings; lengths 0 to three windows."""
    rng = random.Random(seed)
    words = [w for w in program.vocab if w != program.bos]
    odd = [
        "", " ", "<s>", "<unk>", "<pad>", "</s>", "zzqx-unknown", "1999", "3-2", "12.5",
        "B52", "É", "İstanbul", "STRASSE", "straße", "\u0085", "\u0663\u0664", "a\tb", "@",
    ]  # fmt: skip

    def digits(match: re.Match) -> str:
        return str(rng.randint(0, 10 ** rng.randint(1, 5)))

    def variant(word: str) -> str:
        r = rng.random()
        if r < 0.12:
            return word.upper()
        if r < 0.22:
            return word[:1].upper() + word[1:]
        if r < 0.32:
            return re.sub(r"@|[0-9]+", digits, word)
        if r < 0.40:
            return rng.choice(odd)
        return word

    out = []
    for _ in range(count):
        length = rng.choice([rng.randint(0, 8), rng.randint(0, 3 * program.max_len)])
        out.append([variant(rng.choice(words)) for _ in range(length)])
    return out


def _check_sentences(program) -> list[list[str]]:
    """The sentences the module is compared with the interpreter on."""
    return (
        _edge_sentences(program)
        + _raw_sentences(program)
        + nlp.drawn_sentences(program, 100)  # the script's own --reemit sentences
    )


# ---- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", PROGRAMS)
def test_files_exist_and_hash_to_the_manifest(entry):
    assert {"json", "python"} <= set(entry["files"])
    for target, info in entry["files"].items():
        path = ROOT / info["path"]
        assert path.is_file(), f"{entry['key']}: {target} file {info['path']} is missing"
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], (
            f"{info['path']} changed since `make programs`"
        )
        assert len(data) == info["bytes"]
        assert data.count(b"\n") == info["lines"]
        assert path.parent == ROOT / entry["recipe"]["dir"]
        assert path.name.startswith(entry["task"])
    for target in entry["not_written"]:
        assert target not in entry["files"]
    source = (ROOT / entry["files"]["python"]["path"]).read_text(encoding="utf-8")
    assert entry["lines"]["python_total"] == source.count("\n")


@pytest.mark.parametrize(("entry", "target"), BACKEND_FILES)
def test_backend_files_are_what_the_backends_emit_from_the_ir(entry, target):
    """No checked-in back-end file goes stale silently when a back end changes."""
    from tpc.backends import emit

    got = (ROOT / entry["files"][target]["path"]).read_bytes()
    want = emit(_program(entry["task"]), target)
    if got != want.encode("utf-8"):
        old, new = got.decode("utf-8", "replace").splitlines(), want.splitlines()
        line = next(
            (i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new))
        )
        pytest.fail(
            f"{entry['files'][target]['path']} is not what the {target} back end now emits "
            f"from {entry['files']['json']['path']} (first difference at line {line + 1}): "
            "run `python scripts/make_nlp_programs.py --reemit`",
            pytrace=False,
        )


@pytest.mark.parametrize("entry", PROGRAMS)
def test_ir_reads_the_text_of_its_corpus(entry):
    program = _program(entry["task"])
    reading = reading_of(program)
    assert reading is not None, "the IR has no meta.text: it reads no raw text"
    assert reading.corpus == entry["task"]
    assert reading.kind == entry["kind"] == get_corpus(entry["task"]).kind
    assert entry["metric"] == ("entity F1" if reading.kind == "tagging" else "accuracy")
    assert entry["vocabulary"] == len(program.vocab)
    assert program.bos == "<s>" and reading.unk in program.vocab
    assert entry["paper"] == nlp.PAPER[entry["task"]]


# ---- the module, standard library only, against the interpreter -------------------------------

# One interpreter without site-packages (-S), the environment (-I) or bytecode (-B) runs
# every program's module: proof that it needs only the standard library.
_DRIVER = r"""
import importlib.util, json, sys
jobs = json.load(sys.stdin)
out = {}
for key, job in jobs.items():
    spec = importlib.util.spec_from_file_location("nlp_program_" + str(len(out)), job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = {
        "VOCAB": list(module.VOCAB), "MAX_LEN": module.MAX_LEN, "BOS": module.BOS,
        "UNK": module.UNK, "LOWERCASE": module.LOWERCASE,
        "REPLACE_NUMBERS": module.REPLACE_NUMBERS,
    }
    out[key] = {
        "header": header,
        "run_batch": module.run_batch(job["sentences"]),
        "run": [module.run(s) for s in job["sentences"][:50]],
        "run_program": [[str(v) for v in r] for r in module.run_program_batch(job["inputs"])],
        "modules": sorted(m for m in sys.modules if not m.startswith("nlp_program_")),
    }
json.dump(out, sys.stdout)
"""


def _program_inputs(program, count: int = 50) -> list[list[str]]:
    """Inputs of the program itself: BOS + vocabulary words (fixed seed)."""
    rng = random.Random(SEED)
    words = [w for w in program.vocab if w != program.bos]
    return [
        [program.bos, *rng.choices(words, k=rng.randint(0, program.max_len - 1))]
        for _ in range(count)
    ]


@pytest.fixture(scope="module")
def stdlib_runs():
    """Each module's outputs on its check sentences, computed by ``python -I -S -B``."""
    jobs = {}
    for entry in ENTRIES:
        program = _program(entry["task"])
        jobs[entry["task"]] = {
            "path": str(ROOT / entry["files"]["python"]["path"]),
            "sentences": _check_sentences(program),
            "inputs": _program_inputs(program),
        }
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", _DRIVER],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_needs_only_the_stdlib_and_has_the_irs_constants(entry, stdlib_runs):
    program = _program(entry["task"])
    reading = reading_of(program)
    got = stdlib_runs[entry["task"]]
    assert got["header"] == {
        "VOCAB": list(program.vocab),
        "MAX_LEN": program.max_len,
        "BOS": program.bos,
        "UNK": reading.unk,
        "LOWERCASE": reading.lowercase,
        "REPLACE_NUMBERS": reading.replace_numbers,
    }
    assert not any(m.split(".")[0] in ("tpc", "numpy", "torch") for m in got["modules"])


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_run_batch_on_raw_sentences_equals_the_interpreter(entry, stdlib_runs):
    program = _program(entry["task"])
    sentences = _check_sentences(program)
    got = stdlib_runs[entry["task"]]
    want = predict_text(program, sentences)
    assert len(got["run_batch"]) == len(want) == len(sentences)
    bad = [i for i, (g, w) in enumerate(zip(got["run_batch"], want)) if g != w]
    assert not bad, (
        f"{len(bad)} of {len(sentences)} sentences differ; first: {sentences[bad[0]]!r}: "
        f"module {got['run_batch'][bad[0]]!r}, interpreter {want[bad[0]]!r}"
    )
    assert got["run"] == got["run_batch"][: len(got["run"])]


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_run_program_equals_the_interpreter(entry, stdlib_runs):
    program = _program(entry["task"])
    inputs = _program_inputs(program)
    want = [[render(v) for v in out] for out in run(program, inputs)]
    assert stdlib_runs[entry["task"]]["run_program"] == want


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_keeps_the_reading_rules(entry):
    """The rules of tpc.tasks.text, checked on the module alone (no TextReader): the
    output's shape and labels, windows or truncation, unknown words, normalisation."""
    program, module = _program(entry["task"]), _module(entry["task"])
    reading = reading_of(program)
    width = program.max_len - 1
    sentences = _raw_sentences(program, 150, seed=SEED + 1)
    outputs = module.run_batch(sentences)
    labels = LABELS[entry["task"]]
    for sentence, out in zip(sentences, outputs):
        if reading.kind == "tagging":
            assert isinstance(out, list) and len(out) == len(sentence)
            assert set(out) <= labels
            windows = [module.run(sentence[i : i + width]) for i in range(0, len(sentence), width)]
            assert out == [tag for w in windows for tag in w]
        else:
            assert out in labels
            assert module.run(sentence[:width]) == out
            if len(sentence) >= width:  # tokens after the first window are never read
                assert module.run([*sentence[:width], "zzqx-more"]) == out
    # a word outside the vocabulary reads as <unk>, whatever it is
    words = set(program.vocab)
    for sentence, out in zip(sentences[:60], outputs[:60]):
        unknown = [
            reading.unk
            if nlp_word(t, reading) not in words or nlp_word(t, reading) == program.bos
            else t
            for t in sentence
        ]
        assert module.run(unknown) == out
    # normalisation: case (lowercasing programs) and digits (replace_numbers) do not matter
    for sentence, out in zip(sentences[:60], outputs[:60]):
        if reading.lowercase:
            assert (
                module.run([t.upper() if t.upper().lower() == t.lower() else t for t in sentence])
                == out
            )
        if reading.replace_numbers:
            assert module.run([re.sub(r"[0-9]+", "7", t) for t in sentence]) == out


def nlp_word(token: str, reading) -> str:
    """A raw token normalised by the rule of tpc.tasks.text, written out here."""
    if reading.lowercase:
        token = token.lower()
    if reading.replace_numbers:
        token = re.sub(r"[0-9]+", "@", token)
    return token


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_docstring_says_how_raw_text_is_read(entry):
    program = _program(entry["task"])
    reading = reading_of(program)
    width = program.max_len - 1
    doc = " ".join(_module(entry["task"]).__doc__.split())  # line breaks as spaces
    assert "text: " + json.dumps(program.meta["text"]) in doc
    assert "run(tokens) takes a sentence's raw tokens" in doc
    assert f"a word outside the vocabulary reads as {reading.unk}" in doc
    if reading.kind == "tagging":
        assert "gives one tag per token" in doc
        assert f"Sentences longer than {width} tokens are tagged in windows of {width}" in doc
    else:
        assert "gives the class name" in doc
        assert f"Only a sentence's first {width} tokens are read" in doc
    assert ("lowercased" in doc) == reading.lowercase
    assert ("digit runs as @" in doc) == reading.replace_numbers
    if not (reading.lowercase or reading.replace_numbers):
        assert "Tokens are read as they are" in doc
    assert "Needs only the standard library" in doc
    assert f"Maximum length: {program.max_len}" in doc


# ---- with the corpus: the manifest's figures ---------------------------------------------------


@pytest.mark.parametrize("entry", PROGRAMS)
def test_ir_scores_the_manifests_figures_on_the_corpus(entry):
    task = entry["task"]
    program, splits = _program(task), _splits(task)
    for split, name in (("val", "validation"), ("test", "test")):
        assert score_text(program, getattr(splits, name)).to_json() == entry["scores"][split]
        assert entry["scores"][split]["sentences"] == len(getattr(splits, name))
    test = entry["scores"]["test"]
    figure = test["entities"]["f1"] if entry["kind"] == "tagging" else test["accuracy"]
    # the program is faithful to the training run's discrete model
    assert figure == pytest.approx(entry["model_figure"]["test"], abs=1e-12)
    assert entry["test_matches_model"] is True


@pytest.mark.parametrize("entry", PROGRAMS)
def test_test_figure_recomputed_from_the_predictions(entry):
    """The manifest's test figure, recomputed in plain Python (accuracy) or with seqeval
    itself (entity F1) from the interpreter's predictions and the gold labels."""
    task = entry["task"]
    examples = _splits(task).test
    predicted = _predicted(task, "test")
    test = entry["scores"]["test"]
    if entry["kind"] == "classification":
        right = sum(p == e.labels[0] for p, e in zip(predicted, examples, strict=True))
        assert test["accuracy"] == right / len(examples)
        return
    from seqeval.metrics import f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    gold = [list(e.labels) for e in examples]
    pred = [list(p) for p in predicted]
    assert [len(p) for p in pred] == [len(g) for g in gold]
    kw = {"mode": "strict", "scheme": IOB2}
    assert test["entities"]["f1"] == pytest.approx(f1_score(gold, pred, **kw), abs=1e-12)
    assert test["entities"]["precision"] == pytest.approx(
        precision_score(gold, pred, **kw), abs=1e-12
    )
    assert test["entities"]["recall"] == pytest.approx(recall_score(gold, pred, **kw), abs=1e-12)
    right = sum(a == b for g, p in zip(gold, pred) for a, b in zip(g, p))
    assert test["accuracy"] == right / sum(len(g) for g in gold)


@pytest.mark.parametrize("entry", PROGRAMS)
def test_module_equals_the_interpreter_on_the_corpus(entry):
    task = entry["task"]
    module = _module(task)
    for split in ("validation", "test"):
        sentences = [list(e.tokens) for e in getattr(_splits(task), split)]
        got = [g if isinstance(g, str) else tuple(g) for g in module.run_batch(sentences)]
        assert got == list(_predicted(task, split)), f"{task} {split}"


@pytest.mark.parametrize("entry", PROGRAMS)
def test_model_figure_is_the_runs(entry):
    """The manifest's model figures are the training run's results.json (where the run
    directory is on this machine and still holds the run the program was compiled from)."""
    from tpc.train.rundir import read_config

    run_dir = ROOT / entry["run_dir"]
    if not (run_dir / "results.json").is_file():
        pytest.skip(f"no run at {entry['run_dir']} here")
    if read_config(run_dir)[0].to_dict() != entry["train_config"]:
        pytest.skip(f"{entry['run_dir']} now holds another run")
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    for split in ("val", "test"):
        if entry["kind"] == "tagging":
            want = results["corpus"][split]["f1"]
        else:
            want = results["accuracy"][split]
        assert entry["model_figure"][split] == want
    assert entry["model_accuracy"] == results["accuracy"]


# ---- recipes, manifest, README -----------------------------------------------------------------


def test_recipes_cover_the_five_corpora_of_issue_16():
    recipes, standard = nlp.load_recipes()
    assert [r.task for r in recipes] == list(CORPORA)
    for r in recipes:
        assert r.key == f"nlp/{r.task}"
        assert r.dir == f"programs/nlp/{r.task}"
        assert (r.preset, r.level) == ("paper", "O3")
    assert standard["options"] == {"model": "standard"}
    listed = [e["key"] for e in ENTRIES]
    missing = [m["key"] for m in MANIFEST.get("missing", [])]
    assert not set(listed) & set(missing)
    # every recipe is either generated or said to be missing, in the recipes' order
    assert sorted(listed + missing) == sorted(r.key for r in recipes)
    order = [r.key for r in recipes]
    assert listed == [k for k in order if k in listed]
    assert all(m["reason"] for m in MANIFEST.get("missing", []))
    assert MANIFEST["format"] == nlp.MANIFEST_FORMAT
    assert MANIFEST["notes"] == nlp.NOTES


@pytest.mark.parametrize("task", CORPORA)
def test_each_recipes_directory_holds_its_program_once_generated(task):
    recipe = next(r for r in nlp.load_recipes()[0] if r.task == task)
    directory = ROOT / recipe.dir
    entry = next((e for e in ENTRIES if e["task"] == task), None)
    held = (
        {p.name for p in directory.iterdir() if p.name != "__pycache__"}
        if directory.is_dir()
        else set()
    )
    if entry is None:
        assert recipe.key in {m["key"] for m in MANIFEST["missing"]}
        # no program the manifest does not know of
        assert not held & {f"{task}.tpir.json", f"{task}.py"}, (
            f"{recipe.dir} holds a program that manifest.json lists as missing"
        )
        return
    assert {f"{task}.tpir.json", f"{task}.py"} <= held
    assert held == {Path(f["path"]).name for f in entry["files"].values()}, (
        f"{recipe.dir} holds files the manifest does not list (or lacks some it does)"
    )
    assert entry["recipe"] == recipe.to_json(), "recipe changed: rerun `make programs`"


def test_readme_is_generated_from_the_manifest():
    readme = (NLP_DIR / "README.md").read_text(encoding="utf-8")
    assert readme == nlp.render_readme(MANIFEST), (
        "programs/nlp/README.md differs from render_readme(manifest.json): rerun "
        "`python scripts/make_nlp_programs.py --readme-only`"
    )
