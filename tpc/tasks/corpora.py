"""The paper's five NLP corpora, read through the ``datasets`` library (issue 16).

Each corpus loads from a *data directory* in the shared layout, or, given None, from the
Hugging Face dataset the paper uses (``datasets.load_dataset(hf_name)``, which works where
the user has it cached or can reach the Hub)::

    DIR/conll2003/{train,validation,test}.txt      conll_ner   (HF conll2003)
    DIR/trec/{train,test}.txt                      trec        (HF trec, coarse labels)
    DIR/mr/rt-polarity.{pos,neg}                   mr          (HF rotten_tomatoes)
    DIR/subj/{plot,quote}.tok.gt9.5000             subj        (HF SetFit/subj)
    DIR/ag_news/{test.csv,classes.txt}             ag_news     (HF ag_news)

:func:`default_data_dir` is where tpc looks: ``$TPC_NLP_DATA`` when set, else
``<repository root>/../shared/data/nlp`` when it exists, else None (the Hugging Face
route).

Local files are read with two generic builders of ``datasets``: ``text``, one row per
line (it splits at ``\\n`` only, so the U+0085 inside MR and Subj lines stays inside its
line: 5,331 + 5,331 MR and 5,000 + 5,000 Subj lines), and ``csv`` for AG News (every
field a string, nothing read as a missing value). The rows are then shaped as the Hugging
Face dataset shapes them:

- CoNLL-2003: HF's rule: a blank line or a ``-DOCSTART-`` line ends a sentence; a token
  line is ``TOKEN POS CHUNK NER``; an example is the tokens with their NER tags (IOB2).
- TREC: HF's rule: U+00F0 (the one non-ASCII character, ``sister\\u00f0city``; a 0xF0 byte
  in the original) becomes a space; the label is the coarse class before ``:`` in the
  first field; the question is the rest of the line.
- MR: HF rotten_tomatoes' rule: each file is cut, in file order, at
  ``int(0.8 n + 0.5)`` and ``int(0.9 n + 0.5)`` of its ``n`` lines into train, validation
  and test (8,530 / 1,066 / 1,066), ``.pos`` lines before ``.neg`` lines in each split.
- AG News: the text is ``title + " " + description``; class ``c`` of the CSV (1-based)
  is line ``c`` of ``classes.txt``.

A text becomes tokens by ``str.split()``: Python's whitespace, which includes U+0085, so
the NEL of a MR or Subj line separates tokens and is no token itself.

Splits the data lacks are made by one deterministic rule (:func:`carve`): per class, the
examples in order of the SHA-256 of their text (ties: file order), the first
``int(share * n + 0.5)`` of the class's ``n`` to each held-out part; every part keeps file
order. Same files, same splits, on every machine. It makes:

- TREC validation: 10% of each class of ``train.txt`` (HF trec has no validation split;
  the paper's code holds out a random 10% of train). The test split is the official one.
- Subj (local files): test 20% of each class, validation 8% (10% of the rest), train the
  other 72%: 7,200 / 800 / 2,000, the sizes of SetFit/subj's 8,000 / 2,000 split with the
  paper's 10% validation, but **other sentences**: figures are not comparable with the
  paper's. From the Hub: SetFit/subj's own train/test, validation 10% of train's classes.
- AG News (local files): only the 7,600-row test file exists; test 10% and validation
  10% of each class, train the other 80%: 6,080 / 760 / 760. **Not comparable** with the
  paper, which trains on the 120,000-row train split and tests on these 7,600. From the
  Hub: ag_news' own train/test, validation 10% of train's classes.

``datasets`` is imported by the loaders, never by this module: listing or naming a
corpus costs nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpc.errors import printable, quote

from .corpus import Corpus, Example, Splits, register_corpus
from .tokens import TaskError

if TYPE_CHECKING:
    import datasets

#: The environment variable naming the data directory (:func:`default_data_dir`).
DATA_DIR_ENV = "TPC_NLP_DATA"

#: CoNLL-2003's NER tags in HF conll2003's order.
CONLL_TAGS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
#: TREC's coarse classes in HF trec's order.
TREC_CLASSES = ("ABBR", "ENTY", "DESC", "HUM", "LOC", "NUM")
#: MR's classes in HF rotten_tomatoes' order (``.neg`` is 0).
MR_CLASSES = ("neg", "pos")
#: Subj's classes in SetFit/subj's order (plot sentences are 0).
SUBJ_CLASSES = ("objective", "subjective")

#: HF rotten_tomatoes' cut points, as fractions of a file's lines.
MR_CUTS = (0.8, 0.9)
#: Shares of each class that :func:`carve` holds out, in order (the rest is train).
TREC_VALIDATION_SHARE = 0.1
SUBJ_SHARES = (0.2, 0.08)  # test, validation
AG_NEWS_SHARES = (0.1, 0.1)  # test, validation
HUB_VALIDATION_SHARE = 0.1  # of train, where a Hub dataset has no validation split

_REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path | None:
    """Where the corpora are read from by default: ``$TPC_NLP_DATA`` if it is set and not
    empty (whether or not it exists: loading then says what is missing), else
    ``<repository root>/../shared/data/nlp`` if that directory exists, else None, which
    means the Hugging Face datasets (``datasets.load_dataset``)."""
    named = os.environ.get(DATA_DIR_ENV)
    if named:
        return Path(named)
    shared = _REPO_ROOT.parent / "shared" / "data" / "nlp"
    return shared if shared.is_dir() else None


def carve(examples: Sequence[Example], shares: Sequence[float]) -> list[list[Example]]:
    """``examples`` cut into ``len(shares) + 1`` disjoint parts, stratified by class: of
    each class's ``n`` examples, ordered by the SHA-256 of their text (tokens joined by
    spaces, UTF-8; ties in file order), part ``i`` takes the next ``int(shares[i] * n +
    0.5)``; the last part takes the rest. Every part keeps the order of ``examples``. The
    class is ``labels`` (a classification example's one label)."""
    by_class: dict[tuple[str, ...], list[int]] = {}
    for i, example in enumerate(examples):
        by_class.setdefault(example.labels, []).append(i)
    part_of = [len(shares)] * len(examples)
    for members in by_class.values():
        ranked = sorted(members, key=lambda i: (_text_hash(examples[i]), i))
        start = 0
        for part, share in enumerate(shares):
            stop = start + int(share * len(members) + 0.5)
            for i in ranked[start:stop]:
                part_of[i] = part
            start = stop
    parts: list[list[Example]] = [[] for _ in range(len(shares) + 1)]
    for example, part in zip(examples, part_of):
        parts[part].append(example)
    return parts


def _text_hash(example: Example) -> bytes:
    return hashlib.sha256(" ".join(example.tokens).encode("utf-8")).digest()


# ---- reading files through `datasets` ------------------------------------------------------


def _files(data_dir: Path, names: Mapping[str, str]) -> dict[str, Path]:
    """``data_dir / name`` for every entry of ``names``; TaskError naming the first file
    that is missing."""
    paths = {key: data_dir / name for key, name in names.items()}
    for path in paths.values():
        if not path.is_file():
            raise TaskError(
                f"no file {quote(str(path.relative_to(data_dir)))} in data directory "
                f"{quote(str(data_dir), 200)} (the shared layout: see `tpc.tasks.corpora`; "
                f"or unset {DATA_DIR_ENV} to use the Hugging Face dataset)"
            )
    return paths


def _read_lines(paths: Mapping[str, Path]) -> dict[str, list[str]]:
    """Every line (without its ``\\n``) of each UTF-8 file, by key, read with the ``text``
    builder of ``datasets``."""
    files = {key: str(path) for key, path in paths.items()}
    loaded = _load_dataset(_local(paths), "text", data_files=files)
    return {key: loaded[key].to_dict()["text"] for key in paths}


def _read_ag_news_csv(path: Path) -> dict[str, list[Any]]:
    """The columns ``class`` (int), ``title`` and ``description`` of a headerless,
    fully quoted AG News CSV file, read with the ``csv`` builder of ``datasets`` (HF
    ag_news' dialect; no text read as a number or a missing value)."""
    import datasets

    string = datasets.Value("string")
    features = datasets.Features(
        {"class": datasets.Value("int64"), "title": string, "description": string}
    )
    loaded = _load_dataset(
        _local({"test": path}),
        "csv",
        data_files={"test": str(path)},
        column_names=list(features),
        features=features,
        skipinitialspace=True,
        keep_default_na=False,
        na_filter=False,
    )
    return loaded["test"].to_dict()


def _local(paths: Mapping[str, Path]) -> str:
    return f"the data files {', '.join(quote(str(p), 200) for p in paths.values())}"


def _load_hub(hf_name: str) -> datasets.DatasetDict:
    return _load_dataset(
        f"the Hugging Face dataset {quote(hf_name)}",
        hf_name,
        hint=f"; give a data directory in the shared layout instead (set {DATA_DIR_ENV})",
    )


def _load_dataset(what: str, *args: Any, hint: str = "", **kwargs: Any) -> datasets.DatasetDict:
    """``datasets.load_dataset(*args, **kwargs)``; when it fails (a file it cannot parse;
    a Hub dataset not cached, with no network or in offline mode), TaskError in one line:
    "cannot load ``what`` (the reason)``hint``"."""
    import datasets

    try:
        return datasets.load_dataset(*args, **kwargs)
    except (OSError, RuntimeError, datasets.exceptions.DatasetsError) as error:
        while error.__cause__ is not None:  # "An error occurred while generating" → why
            error = error.__cause__
        reason = printable(f"{type(error).__name__}: {error}")
        if len(reason) > 300:
            reason = reason[:299] + "…"
        raise TaskError(f"cannot load {what} ({reason}){hint}") from None


def _bad_line(path: Path, number: int, line: str, why: str) -> TaskError:
    return TaskError(f"{quote(str(path), 200)}: line {number}: {why}: {quote(line)}")


# ---- CoNLL-2003 NER ------------------------------------------------------------------------


def _conll_sentences(lines: Iterable[str], path: Path) -> list[Example]:
    """The sentences of a CoNLL-2003 file's ``lines``, by HF conll2003's rule: a blank
    line or a ``-DOCSTART-`` line ends a sentence; any other line is ``TOKEN POS CHUNK
    NER`` (single spaces); a sentence is its tokens with their NER tags. A line with
    another number of fields or an unknown tag raises TaskError naming ``path``."""
    sentences: list[Example] = []
    tokens: list[str] = []
    tags: list[str] = []
    for number, line in enumerate(lines, 1):
        if line == "" or line.startswith("-DOCSTART-"):
            if tokens:
                sentences.append(Example(tuple(tokens), tuple(tags)))
                tokens, tags = [], []
            continue
        fields = line.split(" ")
        if len(fields) != 4:
            raise _bad_line(path, number, line, "want 4 fields (TOKEN POS CHUNK NER)")
        if fields[3] not in CONLL_TAGS:
            raise _bad_line(path, number, line, f"unknown NER tag {quote(fields[3])}")
        tokens.append(fields[0])
        tags.append(fields[3])
    if tokens:
        sentences.append(Example(tuple(tokens), tuple(tags)))
    return sentences


def _load_conll(data_dir: Path | None) -> Splits:
    if data_dir is None:
        hub = _load_hub("conll2003")
        names = hub["train"].features["ner_tags"].feature.names
        rows = {split: hub[split].to_dict() for split in ("train", "validation", "test")}
        return Splits(
            *(
                [
                    Example(tuple(tokens), tuple(names[t] for t in tags))
                    for tokens, tags in zip(split["tokens"], split["ner_tags"])
                ]
                for split in rows.values()
            ),
            labels=tuple(names),
            notes="Hugging Face conll2003: its train/validation/test splits.",
        )
    paths = _files(data_dir, {s: f"conll2003/{s}.txt" for s in ("train", "validation", "test")})
    lines = _read_lines(paths)
    return Splits(
        *(_conll_sentences(lines[split], paths[split]) for split in paths),
        labels=CONLL_TAGS,
        notes=(
            "conll2003/{train,validation,test}.txt (CoNLL-2003 English, IOB2), sentences "
            "by HF conll2003's rule (-DOCSTART- dropped): the splits of HF conll2003."
        ),
    )


# ---- TREC ----------------------------------------------------------------------------------


def _trec_example(line: str, path: Path, number: int) -> Example:
    """One line of a TREC file (``COARSE:fine question``) by HF trec's rule: U+00F0
    becomes a space, the line is stripped, the label is the coarse class of the first
    field, the question the rest. A line without a known coarse class raises TaskError."""
    label, _, text = line.replace("\u00f0", " ").strip().partition(" ")
    coarse, colon, _ = label.partition(":")
    if not colon or coarse not in TREC_CLASSES:
        raise _bad_line(
            path, number, line, f"want COARSE:fine, COARSE one of {', '.join(TREC_CLASSES)}"
        )
    return Example(tuple(text.split()), (coarse,))


def _load_trec(data_dir: Path | None) -> Splits:
    share = f"{TREC_VALIDATION_SHARE:.0%}"
    rule = f"validation: {share} of each class of train (tpc.tasks.corpora.carve)"
    if data_dir is None:
        return _hub_classification(
            "trec", "coarse_label", TREC_CLASSES, f"Hugging Face trec (coarse labels); {rule}."
        )
    paths = _files(data_dir, {"train": "trec/train.txt", "test": "trec/test.txt"})
    lines = _read_lines(paths)
    train, test = (
        [_trec_example(line, paths[split], n) for n, line in enumerate(lines[split], 1)]
        for split in ("train", "test")
    )
    validation, train = carve(train, (TREC_VALIDATION_SHARE,))
    return Splits(
        train,
        validation,
        test,
        labels=TREC_CLASSES,
        notes=f"trec/{{train,test}}.txt (Li & Roth; coarse labels, HF trec's parsing); test: "
        f"test.txt (TREC 10, as the paper); {rule}; HF trec has no validation split.",
    )


# ---- MR ------------------------------------------------------------------------------------


def _load_mr(data_dir: Path | None) -> Splits:
    if data_dir is None:
        return _hub_classification(
            "rotten_tomatoes",
            "label",
            MR_CLASSES,
            "Hugging Face rotten_tomatoes: its train/validation/test splits.",
        )
    paths = _files(data_dir, {"pos": "mr/rt-polarity.pos", "neg": "mr/rt-polarity.neg"})
    lines = _read_lines(paths)
    parts: list[list[Example]] = [[], [], []]
    for label in ("pos", "neg"):
        examples = [Example(tuple(line.split()), (label,)) for line in lines[label]]
        n = len(examples)
        first, second = (int(cut * n + 0.5) for cut in MR_CUTS)
        for part, chunk in zip(
            parts, (examples[:first], examples[first:second], examples[second:])
        ):
            part.extend(chunk)
    return Splits(
        *parts,
        labels=MR_CLASSES,
        notes="mr/rt-polarity.{pos,neg} (Pang & Lee sentence polarity v1.0), split by HF "
        "rotten_tomatoes' rule (each file cut at int(0.8n+0.5), int(0.9n+0.5)): the "
        "splits of HF rotten_tomatoes.",
    )


# ---- Subj ----------------------------------------------------------------------------------


def _load_subj(data_dir: Path | None) -> Splits:
    if data_dir is None:
        return _hub_classification(
            "SetFit/subj",
            "label",
            SUBJ_CLASSES,
            f"Hugging Face SetFit/subj: its train/test splits; validation: "
            f"{HUB_VALIDATION_SHARE:.0%} of each class of train (tpc.tasks.corpora.carve).",
        )
    names = {"plot": "subj/plot.tok.gt9.5000", "quote": "subj/quote.tok.gt9.5000"}
    paths = _files(data_dir, names)
    lines = _read_lines(paths)
    examples = [
        Example(tuple(line.split()), (label,))
        for key, label in zip(("plot", "quote"), SUBJ_CLASSES)
        for line in lines[key]
    ]
    test, validation, train = carve(examples, SUBJ_SHARES)
    return Splits(
        train,
        validation,
        test,
        labels=SUBJ_CLASSES,
        notes="subj/{plot,quote}.tok.gt9.5000 (Pang & Lee subjectivity v1.0; plot = "
        "objective); SetFit/subj's split is not in the files, so tpc made one "
        "(tpc.tasks.corpora.carve): "
        "test 20%, validation 8%, train 72% of each class (SetFit's sizes, other "
        "sentences): NOT comparable with the paper's figures.",
    )


# ---- AG News -------------------------------------------------------------------------------


def _load_ag_news(data_dir: Path | None) -> Splits:
    if data_dir is None:
        return _hub_classification(
            "ag_news",
            "label",
            None,
            f"Hugging Face ag_news: its train/test splits; validation: "
            f"{HUB_VALIDATION_SHARE:.0%} of each class of train (tpc.tasks.corpora.carve).",
        )
    paths = _files(data_dir, {"test": "ag_news/test.csv", "classes": "ag_news/classes.txt"})
    lines = paths["classes"].read_text(encoding="utf-8").split("\n")
    classes = tuple(line.strip() for line in lines if line.strip())
    columns = _read_ag_news_csv(paths["test"])
    examples = []
    for number, (c, title, description) in enumerate(
        zip(columns["class"], columns["title"], columns["description"]), 1
    ):
        if not 1 <= c <= len(classes):
            raise TaskError(
                f"{quote(str(paths['test']), 200)}: row {number}: class {c} is not in "
                f"1..{len(classes)} (the lines of classes.txt)"
            )
        examples.append(Example(tuple(f"{title} {description}".split()), (classes[c - 1],)))
    test, validation, train = carve(examples, AG_NEWS_SHARES)
    return Splits(
        train,
        validation,
        test,
        labels=classes,
        notes="ag_news/test.csv (AG's News, the test split only; text = title + ' ' + "
        "description); the train split is not in the files, so tpc split test.csv "
        "(tpc.tasks.corpora.carve): test 10%, validation 10%, train 80% of each class: "
        "NOT comparable with the paper's figures (trained on 120,000 rows, tested on these).",
    )


# ---- shared --------------------------------------------------------------------------------


def _hub_classification(
    hf_name: str, label_column: str, names: tuple[str, ...] | None, notes: str
) -> Splits:
    """A Hub classification dataset (``text`` and ``label_column``) as Splits: its class
    names are its ClassLabel's, else ``names``; a missing validation split is carved from
    train (:data:`HUB_VALIDATION_SHARE`)."""
    hub = _load_hub(hf_name)
    feature = hub["train"].features[label_column]
    labels = tuple(getattr(feature, "names", None) or names or ())

    def examples(split: str) -> list[Example]:
        rows = hub[split].to_dict()
        return [
            Example(tuple(text.split()), (labels[y],))
            for text, y in zip(rows["text"], rows[label_column])
        ]

    train, test = examples("train"), examples("test")
    if "validation" in hub:
        validation = examples("validation")
    else:
        validation, train = carve(train, (HUB_VALIDATION_SHARE,))
    return Splits(train, validation, test, labels=labels, notes=notes)


register_corpus(
    Corpus(
        "conll_ner",
        "tagging",
        "CoNLL-2003 English named entities (IOB2 tags)",
        "conll2003",
        _load_conll,
    )
)
register_corpus(
    Corpus(
        "trec",
        "classification",
        "TREC question classification (6 coarse classes)",
        "trec",
        _load_trec,
    )
)
register_corpus(
    Corpus(
        "mr",
        "classification",
        "movie review sentence polarity (Rotten Tomatoes)",
        "rotten_tomatoes",
        _load_mr,
    )
)
register_corpus(
    Corpus(
        "subj",
        "classification",
        "subjective or objective movie sentence",
        "SetFit/subj",
        _load_subj,
    )
)
register_corpus(
    Corpus("ag_news", "classification", "AG's News topic (4 classes)", "ag_news", _load_ag_news)
)
