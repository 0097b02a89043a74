"""Tests for the NLP corpora (tpc.tasks.corpora) and their scores (tpc.tasks.metrics).

The loaders run on tests/fixtures/nlp, a cut of the shared data in the shared layout (see
its README.md), always; the counts of the full data (../shared/data/nlp/README.md) are
checked when that directory is there. Expected values are worked out here from the files
themselves, independently of the loaders.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import astuple
from pathlib import Path

import pytest
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from tpc.tasks import (
    CORPORA,
    Example,
    Splits,
    TaskError,
    default_data_dir,
    get_corpus,
)
from tpc.tasks.corpora import CONLL_TAGS, DATA_DIR_ENV, TREC_CLASSES, carve
from tpc.tasks.metrics import EntityScores, accuracy, entity_scores, unigram_baseline

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "nlp"
SHARED = ROOT.parent / "shared" / "data" / "nlp"
SPLITS = ("train", "validation", "test")
NEL = "\u0085"


@pytest.fixture(scope="module")
def fixture_splits() -> dict[str, Splits]:
    return {name: corpus.load(FIXTURES) for name, corpus in CORPORA.items()}


def _lines(relative: str) -> list[str]:
    """A fixture file's lines, split at "\\n" only (not at U+0085)."""
    text = (FIXTURES / relative).read_text(encoding="utf-8")
    assert text.endswith("\n")
    return text[:-1].split("\n")


def _digest(examples: list[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update((" ".join(e.tokens) + "\t" + " ".join(e.labels) + "\n").encode())
    return h.hexdigest()[:16]


def _sizes(splits: Splits) -> tuple[int, int, int]:
    return len(splits.train), len(splits.validation), len(splits.test)


def _classes(examples: list[Example]) -> Counter[str]:
    return Counter(e.labels[0] for e in examples)


# ---- the registry --------------------------------------------------------------------------


def test_the_five_corpora_are_registered():
    assert list(CORPORA) == ["conll_ner", "trec", "mr", "subj", "ag_news"]
    assert {c.name: c.hf_name for c in CORPORA.values()} == {
        "conll_ner": "conll2003",
        "trec": "trec",
        "mr": "rotten_tomatoes",
        "subj": "SetFit/subj",
        "ag_news": "ag_news",
    }
    assert [c.name for c in CORPORA.values() if c.kind == "tagging"] == ["conll_ner"]
    with pytest.raises(TaskError, match="unknown corpus 'sst2'; choose from: conll_ner, trec"):
        get_corpus("sst2")


def test_importing_tpc_tasks_does_not_import_datasets_or_seqeval():
    probe = "import sys, tpc.tasks; print(sorted({'datasets', 'seqeval'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


# ---- CoNLL-2003 ----------------------------------------------------------------------------


def _conll_by_hand(relative: str) -> list[list[tuple[str, str]]]:
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in _lines(relative):
        if not line or line.startswith("-DOCSTART-"):
            if sentences[-1]:
                sentences.append([])
        else:
            token, _pos, _chunk, tag = line.split(" ")
            sentences[-1].append((token, tag))
    return [s for s in sentences if s]


def test_conll_sentences_are_split_at_blank_lines_without_docstart(fixture_splits):
    splits = fixture_splits["conll_ner"]
    assert splits.labels == CONLL_TAGS
    assert _sizes(splits) == (37, 29, 34)
    for split in SPLITS:
        want = _conll_by_hand(f"conll2003/{split}.txt")
        got = getattr(splits, split)
        assert [list(zip(e.tokens, e.labels)) for e in got] == want
        assert all(t != "-DOCSTART-" for e in got for t in e.tokens)
    docs = sum(line.startswith("-DOCSTART-") for line in _lines("conll2003/train.txt"))
    assert docs == 3
    first = splits.train[0]
    assert first.tokens == tuple("EU rejects German call to boycott British lamb .".split())
    assert first.labels == ("B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O")
    assert "CoNLL-2003" in splits.notes


def test_conll_bad_lines_are_one_line_errors(tmp_path):
    for split in SPLITS:
        (tmp_path / "conll2003").mkdir(exist_ok=True)
        (tmp_path / "conll2003" / f"{split}.txt").write_text("EU NNP B-NP B-ORG\n\n")
    bad = tmp_path / "conll2003" / "test.txt"
    bad.write_text("EU NNP B-NP B-ORG\nrejects VBZ\n\n")
    with pytest.raises(TaskError, match=r"test.txt': line 2: want 4 fields .*'rejects VBZ'$"):
        get_corpus("conll_ner").load(tmp_path)
    bad.write_text("EU NNP B-NP B-ORGANIZATION\n")
    with pytest.raises(TaskError, match=r"line 1: unknown NER tag 'B-ORGANIZATION'"):
        get_corpus("conll_ner").load(tmp_path)


# ---- TREC ----------------------------------------------------------------------------------


def test_trec_has_coarse_labels_and_hf_handling_of_the_non_ascii_character(fixture_splits):
    splits = fixture_splits["trec"]
    assert splits.labels == TREC_CLASSES
    assert _sizes(splits) == (36, 5, 13)
    train_lines, test_lines = _lines("trec/train.txt"), _lines("trec/test.txt")
    # the test split is test.txt, in order, the coarse class before ':' as the label
    assert [(e.labels[0], " ".join(e.tokens)) for e in splits.test] == [
        (line.split(":", 1)[0], line.split(" ", 1)[1].strip()) for line in test_lines
    ]
    assert "`` Can we talk ''" in " ".join(splits.test[-1].tokens)
    # the one non-ASCII character (0xF0 in the original latin-1) is a space, as in HF trec
    assert "sister\u00f0city" in train_lines[-1]
    (sister,) = [e for e in splits.train + splits.validation if "sister" in e.tokens]
    assert sister.tokens[-6:] == ("sister", "city", "with", "Los", "Angeles", "?")
    assert sister.labels == ("LOC",)
    # validation: 10% of each class of train.txt (ABBR: 2 questions, 0 held out)
    assert _classes(splits.train) + _classes(splits.validation) == Counter(
        line.split(":", 1)[0] for line in train_lines
    )
    assert _classes(splits.validation) == dict.fromkeys(["DESC", "ENTY", "HUM", "NUM", "LOC"], 1)
    assert "validation: 10% of each class of train" in splits.notes


def test_trec_unknown_coarse_class_is_an_error(tmp_path):
    (tmp_path / "trec").mkdir()
    (tmp_path / "trec" / "train.txt").write_text("LOC:city Where ?\n")
    (tmp_path / "trec" / "test.txt").write_text("CITY Where is it ?\n")
    with pytest.raises(
        TaskError, match=r"test.txt': line 1: want COARSE:fine, COARSE one of ABBR, ENTY"
    ):
        get_corpus("trec").load(tmp_path)


# ---- MR and Subj: lines with U+0085 inside -------------------------------------------------


@pytest.mark.parametrize(
    "relative", ["mr/rt-polarity.pos", "mr/rt-polarity.neg", "subj/quote.tok.gt9.5000"]
)
def test_the_fixture_files_hold_a_nel_inside_a_line(relative):
    text = (FIXTURES / relative).read_text(encoding="utf-8")
    assert text.count("\n") == 10
    assert len(text.splitlines()) == 11  # str.splitlines would break that line in two


def test_mr_follows_hf_rotten_tomatoes_split_rule(fixture_splits):
    splits = fixture_splits["mr"]
    assert splits.labels == ("neg", "pos")
    pos, neg = _lines("mr/rt-polarity.pos"), _lines("mr/rt-polarity.neg")
    # n = 10 lines per file: cut at int(0.8 * 10 + 0.5) = 8 and int(0.9 * 10 + 0.5) = 9
    for split, (start, stop) in zip(SPLITS, [(0, 8), (8, 9), (9, 10)]):
        want = [(tuple(line.split()), ("pos",)) for line in pos[start:stop]]
        want += [(tuple(line.split()), ("neg",)) for line in neg[start:stop]]
        assert [(e.tokens, e.labels) for e in getattr(splits, split)] == want
    (nel,) = [line for line in pos if NEL in line]
    (example,) = [e for e in splits.test if "interwoven" in e.tokens]  # pos line 10
    assert example.tokens == tuple(nel.split())  # one example; NEL separates two tokens
    assert example.tokens[:10] == (
        "exquisitely", "acted", "and", "masterfully", "if", "preciously", "interwoven",
        "[the", "film]", "addresses",
    )  # fmt: skip


def test_subj_keeps_the_nel_line_whole_and_makes_a_stratified_split(fixture_splits):
    splits = fixture_splits["subj"]
    assert splits.labels == ("objective", "subjective")
    assert _sizes(splits) == (14, 2, 4)  # of 10 per class: test 2, validation 1, train 7
    for split, per_class in zip(SPLITS, (7, 1, 2)):
        assert _classes(getattr(splits, split)) == {"objective": per_class, "subjective": per_class}
    everything = splits.train + splits.validation + splits.test
    want = {
        (tuple(line.split()), (label,))
        for relative, label in [
            ("subj/plot.tok.gt9.5000", "objective"),
            ("subj/quote.tok.gt9.5000", "subjective"),
        ]
        for line in _lines(relative)
    }
    assert {(e.tokens, e.labels) for e in everything} == want and len(everything) == 20
    (nel,) = [line for line in _lines("subj/quote.tok.gt9.5000") if NEL in line]
    assert [e.tokens for e in everything if e.tokens[:3] == ("even", "if", "the")] == [
        tuple(nel.split())
    ]
    assert "NOT comparable" in splits.notes


# ---- AG News -------------------------------------------------------------------------------


def test_ag_news_reads_the_csv_as_hf_does(fixture_splits):
    splits = fixture_splits["ag_news"]
    assert splits.labels == ("World", "Sports", "Business", "Sci/Tech")
    assert _sizes(splits) == (12, 4, 4)  # of 5 per class: test 1, validation 1, train 3
    for split, per_class in zip(SPLITS, (3, 1, 1)):
        assert _classes(getattr(splits, split)) == dict.fromkeys(splits.labels, per_class)
    with open(FIXTURES / "ag_news" / "test.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, quoting=csv.QUOTE_ALL, skipinitialspace=True))
    want = {
        (tuple(f"{title} {description}".split()), (splits.labels[int(c) - 1],))
        for c, title, description in rows
    }
    everything = splits.train + splits.validation + splits.test
    assert {(e.tokens, e.labels) for e in everything} == want and len(everything) == 20
    # doubled quotes inside quoted fields
    (manifesto,) = [e for e in everything if '"Music' in e.tokens]
    assert manifesto.tokens[:3] == ("Open", "Letter", "Against")
    assert 'Manifesto"' in manifesto.tokens
    assert "NOT comparable" in splits.notes


def test_ag_news_class_outside_classes_txt_is_an_error(tmp_path):
    (tmp_path / "ag_news").mkdir()
    (tmp_path / "ag_news" / "classes.txt").write_text("World\nSports\n")
    (tmp_path / "ag_news" / "test.csv").write_text('"1","a","b"\n"3","c","d"\n')
    with pytest.raises(TaskError, match=r"test.csv': row 2: class 3 is not in 1..2"):
        get_corpus("ag_news").load(tmp_path)


# ---- the splits tpc makes ------------------------------------------------------------------


def test_made_splits_are_the_same_on_every_machine(fixture_splits):
    # digests of the splits as made here; they depend only on the files (SHA-256 order)
    golden = {
        "trec": ("d2e2e020788080be", "e4f2809566ef633b", "adc14917e7d65b86"),
        "subj": ("3f1d2450164e0e7a", "7ce6bb4eb9988aa0", "ea81a7e43404069c"),
        "ag_news": ("887680fb6ab845af", "3fb20e9e5dffec49", "3df09f9ca347919e"),
    }
    for name, digests in golden.items():
        splits = fixture_splits[name]
        assert tuple(_digest(getattr(splits, s)) for s in SPLITS) == digests, name
        again = get_corpus(name).load(FIXTURES)
        assert again == splits


def test_carve_is_stratified_and_depends_on_content_not_order():
    examples = [Example((f"w{i}", f"x{i % 7}"), ("a" if i % 3 else "b",)) for i in range(60)]
    parts = carve(examples, (0.25, 0.1))
    assert [len(p) for p in parts] == [15, 6, 39]  # a: 40 -> 10, 4; b: 20 -> 5, 2
    assert [_classes(p) for p in parts[:2]] == [{"a": 10, "b": 5}, {"a": 4, "b": 2}]
    assert Counter(e for p in parts for e in p) == Counter(examples)
    for part in parts:  # each part keeps the input's order
        assert part == sorted(part, key=examples.index)

    def ranked(label: str, start: int, stop: int) -> set[Example]:
        members = [e for e in examples if e.labels == (label,)]
        members.sort(key=lambda e: hashlib.sha256(" ".join(e.tokens).encode()).digest())
        return set(members[start:stop])

    assert set(parts[0]) == ranked("a", 0, 10) | ranked("b", 0, 5)
    assert set(parts[1]) == ranked("a", 10, 14) | ranked("b", 5, 7)
    reversed_parts = carve(examples[::-1], (0.25, 0.1))
    assert [set(p) for p in reversed_parts] == [set(p) for p in parts]


# ---- data directories and the Hugging Face route -------------------------------------------


def test_default_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv(DATA_DIR_ENV, "")
    found = default_data_dir()
    assert found == (SHARED if SHARED.is_dir() else None)
    monkeypatch.delenv(DATA_DIR_ENV)
    assert default_data_dir() == found


def test_a_missing_file_is_a_one_line_error(tmp_path):
    (tmp_path / "mr").mkdir()
    (tmp_path / "mr" / "rt-polarity.pos").write_text("good .\n")
    with pytest.raises(TaskError) as caught:
        get_corpus("mr").load(tmp_path)
    message = str(caught.value)
    assert message.startswith("no file 'mr/rt-polarity.neg' in data directory ")
    assert DATA_DIR_ENV in message and "\n" not in message


def test_a_file_datasets_cannot_read_is_a_one_line_error(tmp_path):
    (tmp_path / "trec").mkdir()
    (tmp_path / "trec" / "train.txt").write_bytes(b"LOC:city sister\xf0city ?\n")  # latin-1
    (tmp_path / "trec" / "test.txt").write_text("LOC:city Where ?\n")
    with pytest.raises(TaskError, match=r"^cannot load the data files .*UnicodeDecodeError"):
        get_corpus("trec").load(tmp_path)


HUB_PROBE = """
import json
from tpc.tasks import CORPORA, TaskError
errors = {}
for name, corpus in CORPORA.items():
    try:
        corpus.load(None)
    except TaskError as error:
        errors[name] = str(error)
print(json.dumps(errors))
"""


def test_hugging_face_route_without_the_dataset_is_a_one_line_error(tmp_path):
    env = os.environ | {
        "HF_HOME": str(tmp_path),  # nothing cached here
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", HUB_PROBE], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(errors) == list(CORPORA)
    for name, message in errors.items():
        hf_name = CORPORA[name].hf_name
        assert message.startswith(f"cannot load the Hugging Face dataset '{hf_name}' ("), message
        assert message.endswith(
            f"give a data directory in the shared layout instead (set {DATA_DIR_ENV})"
        )
        assert "\n" not in message and len(message) < 500


# ---- metrics -------------------------------------------------------------------------------

GOLD = [["B-PER", "I-PER", "O", "B-LOC"], ["O", "B-ORG", "I-ORG", "O"], ["B-MISC", "O"]]
PRED = [["B-PER", "I-PER", "O", "B-ORG"], ["O", "I-ORG", "I-ORG", "O"], ["B-MISC", "I-PER"]]


def _seqeval_micro(gold, predicted) -> tuple[float, float, float, int]:
    report = classification_report(
        gold, predicted, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    micro = report["micro avg"]
    return micro["precision"], micro["recall"], micro["f1-score"], micro["support"]


def test_entity_scores_by_hand_are_strict_iob2():
    # gold: PER(0:0-1) LOC(0:3) ORG(1:1-2) MISC(2:0) = 4 entities
    # predicted: PER(0:0-1) ORG(0:3) MISC(2:0); "I-ORG I-ORG" and a lone "I-PER" start
    # nothing under strict IOB2; correct: PER and MISC
    scores = entity_scores(GOLD, PRED)
    assert astuple(scores) == pytest.approx((2 / 3, 2 / 4, 4 / 7, 4))
    assert astuple(scores) == pytest.approx(_seqeval_micro(GOLD, PRED))
    assert entity_scores(GOLD, GOLD) == EntityScores(1.0, 1.0, 1.0, 4)
    assert entity_scores([["O", "O"]], [["O", "O"]]) == EntityScores(0.0, 0.0, 0.0, 0)
    assert entity_scores([("B-PER",)], [("O",)]) == EntityScores(0.0, 0.0, 0.0, 1)


def test_entity_scores_agree_with_seqeval_on_a_real_tagger(fixture_splits):
    conll = fixture_splits["conll_ner"]
    tag = unigram_baseline(conll.train)
    for split in ("validation", "test"):
        gold = [list(e.labels) for e in getattr(conll, split)]
        predicted = [list(tag(e.tokens)) for e in getattr(conll, split)]
        scores = entity_scores(gold, predicted)
        assert 0 < scores.f1 < 1
        assert astuple(scores) == pytest.approx(_seqeval_micro(gold, predicted))


def test_entity_scores_refuse_bad_input():
    with pytest.raises(TaskError, match="1 predicted sequences for 2 gold ones"):
        entity_scores([["O"], ["O"]], [["O"]])
    with pytest.raises(TaskError, match="sequence 0: 1 predicted tags for 2 gold tags"):
        entity_scores([["O", "O"]], [["O"]])
    for tag in ("PER", "B-", "E-PER", ""):
        with pytest.raises(TaskError, match="is not IOB2"):
            entity_scores([["O"]], [[tag]])


def test_accuracy():
    assert accuracy(["a", "b", "c", "a"], ["a", "c", "c", "b"]) == 0.5
    with pytest.raises(TaskError, match="2 predictions for 1 gold labels"):
        accuracy(["a"], ["a", "b"])
    with pytest.raises(TaskError, match="no examples"):
        accuracy([], [])


def test_unigram_baseline_by_hand():
    train = [
        Example(("Paris", "is", "in", "France"), ("B-LOC", "O", "O", "B-LOC")),
        Example(("Paris", "Hilton", "is", "here"), ("B-PER", "I-PER", "O", "O")),
        Example(("Paris", "said", "France"), ("B-PER", "O", "B-ORG")),
    ]
    tag = unigram_baseline(train)
    # Paris: B-PER 2 > B-LOC 1; France: B-LOC 1 = B-ORG 1, the first seen wins;
    # unseen words get the most frequent tag overall (O: 6 of 11)
    assert tag(("Paris", "France", "Hilton", "Berlin", "is")) == (
        "B-PER",
        "B-LOC",
        "I-PER",
        "O",
        "O",
    )
    assert tag(()) == ()
    with pytest.raises(TaskError, match="needs a training split"):
        unigram_baseline([])


# ---- the full shared data (skipped where ../shared/data/nlp is absent) ---------------------

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared data at {SHARED}")


@pytest.fixture(scope="module")
def shared_splits() -> dict[str, Splits]:
    return {name: corpus.load(SHARED) for name, corpus in CORPORA.items()}


@needs_shared
def test_shared_conll_counts_match_its_readme(shared_splits):
    splits = shared_splits["conll_ner"]
    assert _sizes(splits) == (14_041, 3_250, 3_453)
    tokens = [sum(len(e.tokens) for e in getattr(splits, s)) for s in SPLITS]
    assert tokens == [203_621, 51_362, 46_435]
    entities = [
        Counter(t[2:] for e in getattr(splits, s) for t in e.labels if t.startswith("B-"))
        for s in SPLITS
    ]
    assert entities == [
        {"PER": 6_600, "LOC": 7_140, "ORG": 6_321, "MISC": 3_438},
        {"PER": 1_842, "LOC": 1_837, "ORG": 1_341, "MISC": 922},
        {"PER": 1_617, "LOC": 1_668, "ORG": 1_661, "MISC": 702},
    ]
    assert (
        entity_scores([e.labels for e in splits.test], [e.labels for e in splits.test]).support
        == 5_648
    )


@needs_shared
def test_shared_classification_counts_match_its_readme(shared_splits):
    trec = shared_splits["trec"]
    assert len(trec.train) + len(trec.validation) == 5_452 and len(trec.test) == 500
    assert _classes(trec.train) + _classes(trec.validation) == {
        "ABBR": 86, "DESC": 1_162, "ENTY": 1_250, "HUM": 1_223, "LOC": 835, "NUM": 896,
    }  # fmt: skip
    assert _classes(trec.test) == {
        "ABBR": 9, "DESC": 138, "ENTY": 94, "HUM": 65, "LOC": 81, "NUM": 113,
    }  # fmt: skip
    assert _sizes(trec) == (4_906, 546, 500)
    assert _sizes(shared_splits["mr"]) == (8_530, 1_066, 1_066)  # HF rotten_tomatoes
    assert _sizes(shared_splits["subj"]) == (7_200, 800, 2_000)  # of 10,000
    assert _sizes(shared_splits["ag_news"]) == (6_080, 760, 760)  # of 7,600
    assert _classes(shared_splits["ag_news"].test) == dict.fromkeys(
        ("World", "Sports", "Business", "Sci/Tech"), 190
    )


@needs_shared
def test_shared_made_splits_are_the_same_on_every_machine(shared_splits):
    golden = {
        "trec": ("cd02cf021cc37900", "7b9853059b4701e3", "244e77f27bc287c2"),
        "mr": ("079b352b912c1576", "6f7eca4cc9023ec0", "afed780e3e154fe6"),
        "subj": ("5f648f056d7e3f6c", "5767539949db75d9", "1dcdd8b1853f1fcb"),
        "ag_news": ("8c7dc420114ad5e3", "6ec5217f2e1c12fd", "e896fbd01a2c709f"),
    }
    for name, digests in golden.items():
        assert tuple(_digest(getattr(shared_splits[name], s)) for s in SPLITS) == digests, name


def test_tpc_tasks_lists_every_corpus_without_loading_it():
    code = (
        "import sys; from tpc.cli import main\n"
        "try: main(['tasks'])\n"
        "except SystemExit: pass\n"
        "print('datasets' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    listed = {line.split()[0] for line in done.stdout.splitlines()}
    assert set(CORPORA) <= listed
    assert done.stderr.strip().splitlines()[-1] == "False"
