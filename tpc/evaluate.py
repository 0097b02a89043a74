"""Score a program on a task: token and sequence accuracy, per length, counterexamples;
and a program learned on a corpus on sentences of raw text (:func:`score_text`).

A program that expects the task's BOS (``program.bos`` set, as learned programs do) reads
whole task inputs. A program without one (RASP text) reads only the content tokens,
between ``<s>`` and an optional ``</s>``, and is scored on the content positions. Labels
come from the task's own label function; outputs are compared as text (``2`` == ``"2"``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tpc.errors import TpcError, quote
from tpc.ir import Interpreter, Program, run
from tpc.ir.types import label_text
from tpc.tasks import BOS, EOS, PAD, Example, Task
from tpc.tasks.metrics import EntityScores, accuracy, entity_scores
from tpc.tasks.text import TextReader

BATCH = 4096


#: Output values as label text (integral floats print as integers).
render = label_text


@dataclass
class Score:
    """Accuracy over scored positions and whole sequences, overall and per input length."""

    tokens_right: int = 0
    tokens: int = 0
    seqs_right: int = 0
    seqs: int = 0
    by_length: dict[int, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0])
    )
    counterexamples: list[tuple[list[str], list[str], list[str]]] = field(
        default_factory=list
    )

    @property
    def token_accuracy(self) -> float:
        return self.tokens_right / max(self.tokens, 1)

    @property
    def sequence_accuracy(self) -> float:
        return self.seqs_right / max(self.seqs, 1)

    def to_json(self) -> dict:
        return {
            "token_accuracy": self.token_accuracy,
            "sequence_accuracy": self.sequence_accuracy,
            "tokens": self.tokens,
            "sequences": self.seqs,
            "by_length": {
                n: {
                    "token_accuracy": r[0] / max(r[1], 1),
                    "sequence_accuracy": r[2] / max(r[3], 1),
                    "sequences": r[3],
                }
                for n, r in sorted(self.by_length.items())
            },
        }


def program_view(
    program: Program, task: Task, tokens: Sequence[str]
) -> tuple[list[str], int]:
    """The part of a task input the program reads, and the offset of its first position."""
    if program.bos is not None:
        return list(tokens), 0
    end = len(tokens) - 1 if tokens and tokens[-1] == EOS else len(tokens)
    start = 1 if tokens and tokens[0] == BOS else 0
    return list(tokens[start:end]), start


def check_compatible(
    program: Program, task: Task, inputs: Sequence[Sequence[str]]
) -> None:
    """Fail clearly when the task's inputs use tokens the program does not know."""
    vocab = set(program.vocab)
    for seq in inputs:
        view, _ = program_view(program, task, seq)
        for tok in view:
            if tok not in vocab:
                raise TpcError(
                    f"the program's vocabulary lacks the token {quote(tok)} that task '{task.name}' uses"
                )


def score(
    program: Program, task: Task, inputs: Iterable[Sequence[str]], keep: int = 5
) -> Score:
    """Run ``program`` on task inputs and compare with ``task.label``; keep a few counterexamples."""
    result = Score()
    batch: list[Sequence[str]] = []
    interp = Interpreter(program)

    def flush() -> None:
        views = [program_view(program, task, s) for s in batch]
        check_compatible(program, task, batch)
        outputs = run(interp, [v for v, _ in views])
        for seq, (_, offset), out in zip(batch, views, outputs):
            labels = task.label(list(seq))
            got = [PAD] * len(seq)
            for i, v in enumerate(out):
                got[offset + i] = render(v)
            scored = [i for i, lab in enumerate(labels) if lab != PAD]
            right = sum(got[i] == labels[i] for i in scored)
            row = result.by_length[len(seq)]
            row[0] += right
            row[1] += len(scored)
            row[2] += right == len(scored)
            row[3] += 1
            result.tokens_right += right
            result.tokens += len(scored)
            result.seqs += 1
            if right == len(scored):
                result.seqs_right += 1
            elif len(result.counterexamples) < keep:
                result.counterexamples.append(
                    (list(seq), [got[i] for i in scored], [labels[i] for i in scored])
                )
        batch.clear()

    for seq in inputs:
        batch.append(seq)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return result


def predict_text(
    program: Program, sentences: Iterable[Sequence[str]]
) -> list[list[str] | str]:
    """A text program's predictions for sentences of raw tokens, by the IR interpreter:
    one tag per token (tagging) or the class name (classification), read as its
    ``meta["text"]`` says (:class:`~tpc.tasks.text.TextReader`). ``TaskError`` for a
    program that reads no raw text."""
    reader = TextReader.of(program)
    interp = Interpreter(program)
    out: list[list[str] | str] = []
    batch: list[Sequence[str]] = []

    def flush() -> None:
        inputs = [reader.inputs(s) for s in batch]
        flat = [x for per in inputs for x in per]
        outputs = iter(run(interp, flat) if flat else [])
        for per in inputs:
            labels = reader.labels([[render(v) for v in next(outputs)] for _ in per])
            out.append(labels)
        batch.clear()

    for sentence in sentences:
        batch.append(sentence)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return out


@dataclass(frozen=True)
class TextScore:
    """A text program on labelled sentences: ``accuracy`` (classification: of the
    sentences' classes; tagging: of the tokens' tags) and, for tagging, the entity
    scores (strict IOB2, ``seqeval``)."""

    sentences: int
    accuracy: float
    entities: EntityScores | None

    def to_json(self) -> dict:
        out: dict = {"sentences": self.sentences, "accuracy": self.accuracy}
        if self.entities is not None:
            e = self.entities
            out["entities"] = {
                "precision": e.precision,
                "recall": e.recall,
                "f1": e.f1,
                "support": e.support,
            }
        return out


def score_text(program: Program, examples: Sequence[Example]) -> TextScore:
    """Score a text program on a corpus split's ``examples`` (raw tokens, gold labels),
    by :func:`predict_text`: every sentence counts, long ones as the program reads them
    (windows, or their first ``max_len - 1`` tokens)."""
    predicted = predict_text(program, [e.tokens for e in examples])
    if TextReader.of(program).reading.kind == "classification":
        gold = [e.labels[0] for e in examples]
        return TextScore(len(examples), accuracy(gold, [str(p) for p in predicted]), None)
    tags = [list(p) for p in predicted]
    gold_tags = [list(e.labels) for e in examples]
    flat_gold = [t for tags_ in gold_tags for t in tags_]
    flat_pred = [t for tags_ in tags for t in tags_]
    return TextScore(
        len(examples), accuracy(flat_gold, flat_pred), entity_scores(gold_tags, tags)
    )
