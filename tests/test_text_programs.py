"""Programs learned on a corpus (issue 16) as programs that read raw text.

1. Corpus models with learned embeddings (tagging, and pooled classification) lower to IR
   with ``meta["text"]`` saying how their run read text, their embeddings become maps of
   ``tokens``, and model = IR = Python, on the program's inputs and on raw sentences, for
   random weights and after a few seconds of training.
2. The emitted module's ``run`` on raw tokens against a reference written here from the
   documented rules (:mod:`tpc.ir.reading`), with the IR interpreter computing the
   program's outputs: normalisation, unknown words, windows, truncation, result types.
3. ``meta.text`` is untrusted input: a malformed record is refused by ``tpc.ir.load``, the
   CLI and ``dumps``, and its strings never become code in the emitted module.
4. A vocabulary of 10,000 words, as the real NLP programs have, loads, emits and imports.

The corpora are generated here (registered for the module's tests only).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import random
import re
import types
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from tpc.backends.python import emit_python
from tpc.cli import main
from tpc.errors import IRError
from tpc.ir import (
    Interpreter,
    Map,
    ProgramBuilder,
    TablePredicate,
    dumps,
    load,
    loads,
    run,
)
from tpc.lower import lower_run, lower_structure
from tpc.model import ProgramConfig, build_model, read_structure
from tpc.tasks import CORPORA, Corpus, Example, Splits
from tpc.tasks.corpus import register_corpus
from tpc.train import Run, TrainConfig, load_data, load_run, model_config, train_run
from tpc.verify import compare_model, run_inputs, verify_program

pytestmark = pytest.mark.usefixtures("one_thread")

BOS, UNK, PAD = "<s>", "<unk>", "<pad>"

# ---- tiny corpora, generated ---------------------------------------------------------------

NAMES = ["Alice", "ALICE", "Bob", "Carol"]
CITIES = ["Paris", "paris", "Rome", "Oslo"]
FILLER = ["The", "the", "went", "to", "in", "and", "1999", "42", "3-2", "B52", "x7y"]
TAGS = ("O", "B-PER", "B-LOC")


def _tagged(rng: random.Random, length: int) -> Example:
    tokens, tags = [], []
    for _ in range(length):
        draw = rng.random()
        pool, tag = (
            (NAMES, "B-PER") if draw < 0.25 else (CITIES, "B-LOC") if draw < 0.45 else (FILLER, "O")
        )
        tokens.append(rng.choice(pool))
        tags.append(tag)
    return Example(tuple(tokens), tuple(tags))


def _load_tags(data_dir: Path | None) -> Splits:
    rng = random.Random(5)

    def split(count: int) -> list[Example]:
        return [_tagged(rng, rng.randint(1, 12)) for _ in range(count)]

    val = [*split(20), Example((), ())]  # a sentence without tokens
    test = [*split(20), _tagged(rng, 21), _tagged(rng, 22)]  # 3 windows of 7, and 4
    return Splits(split(160), val, test, TAGS, notes="generated for the tests")


CLASS_WORDS = ["good", "Good", "GOOD", "bad", "Bad", "film", "plot", "the", "10", "7"]


def _classified(rng: random.Random, length: int) -> Example:
    tokens = [rng.choice(CLASS_WORDS) for _ in range(length)]
    lowered = [t.lower() for t in tokens]
    label = "pos" if lowered.count("good") > lowered.count("bad") else "neg"
    return Example(tuple(tokens), (label,))


def _load_classes(data_dir: Path | None) -> Splits:
    rng = random.Random(6)

    def split(count: int) -> list[Example]:
        return [_classified(rng, rng.randint(1, 7)) for _ in range(count)]

    test = [*split(20), _classified(rng, 19), Example((), ("neg",))]  # too long; empty
    return Splits(split(160), split(20), test, ("neg", "pos"))


KINDS = {"tp_text_tags": "tagging", "tp_text_classes": "classification"}


@pytest.fixture(scope="module")
def text_corpora():
    """``tp_text_tags`` (tagging) and ``tp_text_classes`` (classification), registered
    for this module's tests."""
    added = [
        register_corpus(Corpus("tp_text_tags", "tagging", "tiny NER", "none", _load_tags)),
        register_corpus(
            Corpus("tp_text_classes", "classification", "tiny polarity", "none", _load_classes)
        ),
    ]
    yield
    for corpus in added:
        del CORPORA[corpus.name]


#: How each corpus is read: a different normalisation for each.
READING = {
    "tp_text_tags": dict(lowercase=False, replace_numbers=True),
    "tp_text_classes": dict(lowercase=True, replace_numbers=False),
}

SHAPE = dict(
    n=8,
    d_var=8,
    one_hot_embed=False,
    n_vars_cat=2,
    n_layers=2,
    n_heads_cat=2,
    n_heads_num=1,
    n_cat_mlps=1,
    n_num_mlps=1,
    d_mlp=16,
    batch_size=32,
    lr=5e-2,
)


def corpus_config(task: str, epochs: int = 2, **changes) -> TrainConfig:
    config = TrainConfig(task=task, epochs=epochs, **READING[task], **{**SHAPE, **changes})
    config.check()
    return config


def random_run(config: TrainConfig, seed: int, where: Path) -> Run:
    """A run of ``config`` whose model has random weights, every choice sharpened (as
    ``tests/random_models.py`` does), so that they spread over many programs."""
    data = load_data(config)
    mconfig = model_config(
        config, data.input_vocab, data.classes, data.max_len, data.causal, data.pooled
    )
    torch.manual_seed(seed)
    model = build_model(mconfig)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 1)
    model.eval()
    return Run(where, config, mconfig, model, {})


def module_of(program, formatted: bool = False) -> types.SimpleNamespace:
    """The emitted Python module of ``program``, executed."""
    source = emit_python(program, formatted=formatted)
    namespace: dict = {"__name__": "emitted"}
    exec(compile(source, "<emitted>", "exec"), namespace)  # noqa: S102 -- tpc's output
    return types.SimpleNamespace(source=source, **namespace)


# ---- the reference: the documented rules, written out ----------------------------------------


def reference_word(token: str, vocab, text: dict) -> str:
    """The vocabulary word a raw token reads as: ``str.lower`` if lowercasing, then every
    run of ASCII digits as ``@`` if replacing numbers; ``unk`` unless the result is a word
    of the vocabulary other than ``bos`` and ``unk``."""
    word = token.lower() if text["lowercase"] else token
    if text["replace_numbers"]:
        word = re.sub(r"[0-9]+", "@", word)
    return word if word in vocab and word not in (BOS, text["unk"]) else text["unk"]


def reference_run(program, tokens: list[str]):
    """What ``run(tokens)`` must give: tagging, the words cut into windows of
    ``max_len - 1``, each run as ``[bos, *window]``, the outputs after ``bos`` joined;
    classification, the output at position 0 of ``[bos, *first max_len - 1 words]``."""
    text = program.meta["text"]
    assert program.bos == BOS
    words = [reference_word(t, set(program.vocab), text) for t in tokens]
    width = program.max_len - 1
    interp = Interpreter(program)
    if text["kind"] == "classification":
        return run(interp, [[BOS, *words[:width]]])[0][0]
    windows, rest = [], words
    while rest:
        windows.append([BOS, *rest[:width]])
        rest = rest[width:]
    outputs = run(interp, windows) if windows else []
    return [tag for out in outputs for tag in out[1:]]


#: Raw tokens a program never saw: unknown, spelled like the specials, empty, unicode,
#: control characters, quotes and backslashes, digits, long.
ODD_TOKENS = [
    "zzz",
    BOS,
    UNK,
    PAD,
    "<S>",
    "<UNK>",
    "",
    " ",
    "é",
    "İstanbul",
    "日本",
    "\u2028",
    "\x00",
    "\n",
    "'",
    '"""',
    "\\",
    "a" * 1000,
    "1999",
    "19.99",
    "٣",  # an Arabic-Indic digit: no ASCII digit, not replaced
    "Ⅻ",
]


def sentences_for(program, rng: random.Random) -> list[list[str]]:
    """Sentences of odd tokens and of the program's own words (raw, in other cases too),
    of every length around the window boundaries."""
    width = program.max_len - 1
    words = [w for w in program.vocab if w not in (BOS, program.meta["text"]["unk"])]
    pool = [*ODD_TOKENS, *words, *(w.upper() for w in words), *(w.title() for w in words)]
    lengths = [0, 1, 2, width - 1, width, width + 1, 2 * width, 2 * width + 1, 3 * width]
    lengths += [3 * width + 1, 7 * width + 3]
    out = [[t] for t in ODD_TOKENS] + [list(ODD_TOKENS)]
    out += [[rng.choice(pool) for _ in range(n)] for n in lengths for _ in range(3)]
    return out


def check_raw_text(program, module, sentences) -> None:
    """The emitted ``run`` and ``run_batch`` on raw ``sentences`` agree with
    :func:`reference_run`, with one tag per token (tagging) or one class name."""
    tagging = program.meta["text"]["kind"] == "tagging"
    for sentence in sentences:
        got = module.run(list(sentence))
        assert got == reference_run(program, sentence), sentence
        if tagging:
            assert type(got) is list and len(got) == len(sentence)
            assert all(type(tag) is str for tag in got)
        else:
            assert type(got) is str
    assert module.run_batch([list(s) for s in sentences]) == [module.run(s) for s in sentences]


# ---- 1. lowering corpus models ---------------------------------------------------------------


def check_lowered(run_: Run) -> None:
    """The program of ``run_``: its ``meta["text"]``, its embeddings as maps of tokens,
    and model = IR = Python on its inputs and raw sentences; then :func:`check_raw_text`."""
    config = run_.train
    program = lower_run(run_)
    assert program.meta["text"] == {
        "corpus": config.task,
        "kind": KINDS[config.task],
        "lowercase": config.lowercase,
        "replace_numbers": config.replace_numbers,
        "unk": UNK,
    }
    assert "domain" not in program.meta and "exact_on" not in program.meta
    input_vocab = list(run_.config.input_vocab)
    assert input_vocab[:3] == [PAD, BOS, UNK]
    assert program.vocab == tuple(input_vocab[1:]) and program.bos == BOS
    assert program.max_len == config.n
    assert program[program.output].pooled == (KINDS[config.task] == "classification")

    # the learned embedding: variable i of token t is the argmax of its row of logits
    for i in range(config.n_vars_cat):
        node = program[f"embed_{i}"]
        assert isinstance(node, Map) and node.x == "tokens"
        logits = run_.model.embed[i].detach().numpy()
        want = {t: int(np.argmax(logits[input_vocab.index(t)])) for t in program.vocab}
        assert node.table == want
    readers = {n.name for n in program if "tokens" in n.inputs}
    assert readers == {f"embed_{i}" for i in range(config.n_vars_cat)}
    assert loads(dumps(program)) == program

    inputs = run_inputs(run_)
    corpus = CORPORA[config.task].load(None)
    raw = [list(e.tokens) for split in (corpus.validation, corpus.test) for e in split]
    assert inputs.sentences == raw
    module = module_of(program)
    reports = verify_program(
        run_.model,
        program,
        inputs.seqs,
        {"python": module.source},
        log=lambda line: None,
        sentences=inputs.sentences,
    )
    names = [r.what for r in reports]
    assert names == ["model vs IR", "IR vs python", "IR vs python on raw text"]
    for report in reports:
        assert report.ok and report.inputs > 0 and "100.00% agreement" in report.summary()
    assert reports[2].inputs == len(raw)
    assert reports[2].positions == sum(map(len, raw))
    check_raw_text(program, module, sentences_for(program, random.Random(0)))
    # not vacuous: the program's answers on the corpus's sentences differ
    answers = [module.run(s) for s in raw]
    tagging = KINDS[config.task] == "tagging"
    assert len({t for a in answers for t in a} if tagging else set(answers)) > 1


@pytest.mark.parametrize("task", list(KINDS))
@pytest.mark.parametrize("seed", [2, 4])  # seeds whose random programs answer variously
def test_random_corpus_models_lower_to_programs_that_read_text(task, seed, text_corpora, tmp_path):
    check_lowered(random_run(corpus_config(task), seed, tmp_path))


@pytest.mark.parametrize("task", list(KINDS))
def test_trained_corpus_models_lower_to_programs_that_read_text(task, text_corpora, tmp_path):
    config = corpus_config(task, epochs=2, n_layers=1, n_heads_num=0, n_num_mlps=0)
    train_run(tmp_path / "run", config, progress=False)
    run_ = load_run(tmp_path / "run")
    assert run_.train == config
    check_lowered(run_)


# ---- 2. the emitted module on raw text --------------------------------------------------------


def text_meta(kind: str = "tagging", **changes) -> dict:
    record = dict(corpus="probe", kind=kind, lowercase=True, replace_numbers=True, unk=UNK)
    return {"source": "tests", "text": {**record, **changes}}


PROBE_WORDS = ("a", "b", "@", "x@y", "Bob", "é", "<pad>")


def probe_tagger(max_len: int = 4, words=PROBE_WORDS, **changes):
    """A tagging program whose tag at each position is ``word|position``: its tags show
    which word each window position read."""
    unk = changes.get("unk", UNK)
    vocab = (BOS, unk, *words)
    b = ProgramBuilder(vocab=vocab, max_len=max_len, bos=BOS, meta=text_meta(**changes))
    return b.build(b.sequence_map(lambda t, i: f"{t}|{i}", b.tokens, b.indices, name="tag"))


def probe_classifier(max_len: int = 5, words=PROBE_WORDS, **changes):
    """A classification program whose class at position ``i`` is ``first|last|length|i``:
    the word at position 1, the word at position ``max_len - 1`` (``bos`` if none), the
    input's length and the position."""
    vocab = (BOS, changes.get("unk", UNK), *words)
    meta = text_meta("classification", **changes)
    b = ProgramBuilder(vocab=vocab, max_len=max_len, bos=BOS, meta=meta)

    def at(position: int) -> str:
        pairs = frozenset((q, position) for q in range(max_len))
        sel = b.select(b.indices, b.indices, TablePredicate(pairs))
        return b.aggregate(sel, b.tokens, reduce="closest", name=f"word_{position}")

    first, last = at(1), at(max_len - 1)
    length = b.selector_width(b.select(b.tokens, b.tokens, "TRUE"), name="length")
    ends = b.sequence_map(lambda x, y: f"{x}|{y}", first, last, name="ends")
    summary = b.sequence_map(lambda e, n: f"{e}|{n}", ends, length, name="summary")
    return b.build(b.sequence_map(lambda s, i: f"{s}|{i}", summary, b.indices, name="cls"))


def test_tagging_reads_every_token_in_windows_of_max_len_minus_one():
    program = probe_tagger(max_len=4)  # windows of 3
    module = module_of(program, formatted=True)
    vocab = set(program.vocab)
    text = program.meta["text"]
    assert module.run([]) == [] and module.run_batch([[], []]) == [[], []]
    for length in [1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 40]:
        tokens = [
            ["A", "b", "99", "X1Y", "bob", "Bob", "É", "<pad>", "<S>", "zz"][i % 10]
            for i in range(length)
        ]
        tags = module.run(tokens)
        # the k-th token is at position k % 3 + 1 of its window, read as its word
        want = [f"{reference_word(t, vocab, text)}|{k % 3 + 1}" for k, t in enumerate(tokens)]
        assert tags == want
    words = [reference_word(t, vocab, text) for t in ["A", "99", "X1Y", "bob", "Bob", "É"]]
    assert words == ["a", "@", "x@y", UNK, UNK, "é"]  # "bob" is no word; "Bob" unreachable
    assert reference_word("<pad>", vocab, text) == "<pad>"  # an ordinary word here
    check_raw_text(program, module, sentences_for(program, random.Random(1)))


def test_classification_reads_the_first_max_len_minus_one_tokens():
    program = probe_classifier(max_len=5)  # 4 words
    module = module_of(program, formatted=True)
    assert module.run([]) == f"{BOS}|{BOS}|1|0"
    assert module.run(["A"]) == f"a|{BOS}|2|0"
    assert module.run(["A", "b", "zz", "1"]) == "a|@|5|0"
    long = ["B", "zz", "a", "7", "a", "b", "a", *["b"] * 30]
    assert module.run(long) == "b|@|5|0"
    assert module.run(long[:4] + ["zz"] * 50) == module.run(long[:4]) == module.run(long)
    assert module.run(["a", "a", "a", "b"]) != module.run(["a", "a", "a", "a"])
    check_raw_text(program, module, sentences_for(program, random.Random(2)))


@pytest.mark.parametrize("lowercase", [False, True])
@pytest.mark.parametrize("replace_numbers", [False, True])
def test_every_normalisation_reads_as_documented(lowercase, replace_numbers):
    words = ("abc", "ABC", "a@", "A@", "a12", "A12", "@", "12", "<s>x")
    program = probe_tagger(
        max_len=6, words=words, lowercase=lowercase, replace_numbers=replace_numbers
    )
    module = module_of(program)
    raw = ["abc", "ABC", "Abc", "a12", "A12", "a1", "A1", "12", "3", "<S>", "<s>x", "<S>X"]
    for token in raw:
        word = token.lower() if lowercase else token
        word = re.sub(r"[0-9]+", "@", word) if replace_numbers else word
        assert module.run([token]) == [f"{word if word in words else UNK}|1"]
    check_raw_text(program, module, sentences_for(program, random.Random(3)))


def test_run_program_takes_only_program_inputs():
    program = probe_tagger(max_len=4)
    module = module_of(program)
    assert module.run_program([BOS, "a", UNK]) == [f"{BOS}|0", "a|1", f"{UNK}|2"]
    assert module.run_program_batch([[BOS, "b"]]) == [[f"{BOS}|0", "b|1"]]
    for bad in (["zzz"], [BOS, "A"], [BOS, "1"], [BOS, ""], [BOS, "a", "a", "a", "a"]):
        with pytest.raises(ValueError):
            module.run_program(bad)
    classifier = module_of(probe_classifier())
    with pytest.raises(ValueError, match="unknown token"):
        classifier.run_program([BOS, "Good"])


def test_the_emitted_module_needs_only_the_standard_library():
    for program in (probe_tagger(), probe_classifier()):
        tree = ast.parse(module_of(program).source)
        imported = {
            name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
            )
        }
        assert "tpc" not in imported and imported <= {"re", "functools", "itertools", "bisect"}


def test_node_names_of_the_reading_api_are_renamed():
    """A program's nodes may be named like the module's text-reading names."""
    b = ProgramBuilder(vocab=(BOS, UNK, "a", "b"), max_len=4, bos=BOS, meta=text_meta())
    x = b.map(lambda t: t.upper(), b.tokens, name="normalize")
    chain = b.sequence_map(lambda t, i: f"{t}{i}", x, b.indices, name="WORDS")
    for name in ("_word", "re", "UNK", "window_starts", "LOWERCASE", "_tag_sentence", "BOS"):
        chain = b.map(lambda t, name=name: f"{t}.{name}", chain, name=name)
    program = b.build(b.map(lambda t: t, chain, name="run_program"))
    module = module_of(program, formatted=True)
    assert module.UNK == UNK and module.LOWERCASE is True and module.BOS == BOS
    check_raw_text(program, module, sentences_for(program, random.Random(4)))


# ---- 3. meta.text is untrusted input ---------------------------------------------------------


def _drop_unk(text: dict) -> None:
    del text["unk"]


MALFORMED = {
    "missing key": _drop_unk,
    "extra key": lambda t: t.update(eos="</s>"),
    "not an object": None,  # the record is a string
    "corpus not a string": lambda t: t.update(corpus=3),
    "lowercase not a bool": lambda t: t.update(lowercase="yes"),
    "replace_numbers an int": lambda t: t.update(replace_numbers=1),
    "unk not a string": lambda t: t.update(unk=None),
    "kind unknown": lambda t: t.update(kind="ner"),
    "kind capitalised": lambda t: t.update(kind="Tagging"),
    "kind a list": lambda t: t.update(kind=["tagging"]),
    "unk not in the vocabulary": lambda t: t.update(unk="<UNK>"),
    "unk is bos": lambda t: t.update(unk=BOS),
}
#: Malformed only together with the rest of the program (the record alone is well formed).
NEEDS_PROGRAM = {"unk not in the vocabulary", "unk is bos", "no bos"}


def malformed_doc(case: str) -> dict:
    doc = json.loads(dumps(probe_tagger()))
    if case == "no bos":
        doc["bos"] = None
    elif MALFORMED[case] is None:
        doc["meta"]["text"] = "tagging"
    else:
        MALFORMED[case](doc["meta"]["text"])
    return doc


CASES = [*MALFORMED, "no bos"]


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_text_record_is_refused_by_load_and_the_cli(case, tmp_path):
    path = tmp_path / "bad.tpir.json"
    path.write_text(json.dumps(malformed_doc(case)), encoding="utf-8")
    with pytest.raises(IRError) as info:
        load(path)
    message = str(info.value)
    assert message.isprintable() and ("meta.text" in message or "bos" in message), message
    result = CliRunner().invoke(main, ["ir", "show", str(path)])
    assert result.exit_code != 0, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output


def test_a_well_formed_text_record_loads_and_shows(tmp_path):
    path = tmp_path / "good.tpir.json"
    path.write_text(dumps(probe_tagger()), encoding="utf-8")
    assert load(path) == probe_tagger()
    result = CliRunner().invoke(main, ["ir", "show", str(path)])
    assert result.exit_code == 0, result.output


def _program_with(doc: dict):
    """The Program a malformed document describes, built without validation (as code
    that edits a program's meta might)."""
    program = probe_tagger()
    return dataclasses.replace(program, meta=doc["meta"], bos=doc["bos"], vocab=tuple(doc["vocab"]))


@pytest.mark.parametrize("case", [c for c in CASES if c not in NEEDS_PROGRAM])
def test_dumps_refuses_a_malformed_text_record(case):
    with pytest.raises(IRError, match="cannot write"):
        dumps(_program_with(malformed_doc(case)))


@pytest.mark.parametrize("case", sorted(NEEDS_PROGRAM))
def test_dumps_refuses_a_text_record_the_program_contradicts(case):
    with pytest.raises(IRError):
        dumps(_program_with(malformed_doc(case)))


def test_a_text_program_without_room_for_a_word_is_refused():
    with pytest.raises(IRError, match="max_len 2 or more"):
        probe_tagger(max_len=1)


HOSTILE = [
    '"""',
    "'''",
    '"""; open(MARKER, "w") #',
    "\\",
    '\\"""\\',
    "x\ny",
    "\r",
    "\u2028import os",
    "{corpus}",
    "%s",
    "\x00",
    "é\u200b",
]


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("make", [probe_tagger, probe_classifier])
def test_text_record_strings_never_become_code(hostile, make, tmp_path):
    """Corpus and unk strings that would end a string or docstring of the module, or run
    code if pasted into it: the program is refused, or its module compiles, runs no
    code of theirs and reads text by the rules with those strings as data."""
    marker = tmp_path / "ran"
    payload = hostile.replace("MARKER", repr(str(marker)))
    corpus = f"{payload}{{open({str(marker)!r}, 'w')}}\n__import__('os')"
    unk = f"<{payload}>"
    try:
        program = make(words=("a", "b", payload), corpus=corpus, unk=unk)
    except IRError:
        return  # refused: fine
    assert program.meta["text"]["corpus"] == corpus
    assert loads(dumps(program)) == program
    module = module_of(program, formatted=True)
    assert not marker.exists()
    assert module.UNK == unk and module.BOS == BOS and set(module.VOCAB) == set(program.vocab)
    assert module.WORDS == {"a", "b", payload}
    assert "emitted by tpc" in ast.get_docstring(ast.parse(module.source)).splitlines()[0]
    sentences = [[payload], [unk], [corpus], ["a", payload, "zz", unk, "b"] * 3, []]
    check_raw_text(program, module, sentences)
    assert not marker.exists()


# ---- 4. a real-sized vocabulary --------------------------------------------------------------


def test_a_program_of_ten_thousand_words_loads_emits_and_imports(tmp_path):
    """The shape of the paper's CoNLL program (2 layers, 8 heads, 4 embedding variables,
    N = 32) over 10,000 words, random weights."""
    words = [f"w{i}" for i in range(9_990)] + ["@", "@-@", "x@", "Paris", *"abcdef"]
    assert len(set(words)) == 10_000
    classes = (PAD, "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC")
    config = ProgramConfig(
        input_vocab=(PAD, BOS, UNK, *words),
        classes=classes,
        max_len=32,
        d_var=32,
        one_hot_embed=False,
        n_vars_cat=4,
        n_layers=2,
        n_heads_cat=8,
        n_cat_mlps=1,
        d_mlp=64,
    )
    torch.manual_seed(0)
    model = build_model(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 1)
    model.eval()
    meta = text_meta(corpus="big", lowercase=False, replace_numbers=True)
    path = tmp_path / "big.tpir.json"
    path.write_text(dumps(lower_structure(read_structure(model), meta=meta)), encoding="utf-8")
    program = load(path)
    assert len(program.vocab) == 10_002 and program.meta["text"]["corpus"] == "big"

    rng = random.Random(0)
    seqs = [[BOS, *rng.choices(program.vocab[1:], k=rng.randint(0, 31))] for _ in range(200)]
    report = compare_model(model, program, seqs)
    assert report.ok, "\n".join(map(str, report.disagreements))

    module = module_of(program, formatted=True)
    assert len(module.VOCAB) == 10_002 and set(module.VOCAB) == set(program.vocab)
    assert len(module.WORDS) == 10_000
    raw = [*words[::97], "W1", "1999", "x12", "zzz", "paris", "Paris"]
    sentences = [rng.choices(raw, k=n) for n in (0, 1, 30, 31, 32, 62, 63, 100)]
    check_raw_text(program, module, sentences)


def test_verify_refuses_a_program_that_reads_text_otherwise_than_its_run(text_corpora, tmp_path):
    """A program whose meta.text disagrees with the run's reading (here: lower-casing
    flipped) would verify against itself: tpc verify refuses it in one line."""
    from click.testing import CliRunner

    from tpc.cli.main import main
    from tpc.ir import dumps

    config = corpus_config("tp_text_classes", epochs=1, n_layers=1, n_heads_num=0, n_num_mlps=0)
    train_run(tmp_path / "run", config, progress=False)
    program = lower_run(load_run(tmp_path / "run"))
    flipped = {**program.meta, "text": {**program.meta["text"], "lowercase": False}}
    path = tmp_path / "flipped.tpir.json"
    path.write_text(dumps(dataclasses.replace(program, meta=flipped)))
    args = ["verify", str(tmp_path / "run"), str(path), "--backends", ""]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "reads raw text as" in result.output and '"lowercase": false' in result.output
    (tmp_path / "same.tpir.json").write_text(dumps(program))
    args[2] = str(tmp_path / "same.tpir.json")
    assert CliRunner().invoke(main, args).exit_code == 0
