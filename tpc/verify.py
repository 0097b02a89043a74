"""Faithfulness checks: the discrete torch model against the IR interpreter, node by node.

``compare_model`` runs both on the same inputs and compares every model variable with the
IR node of the same name (categorical values by label, numerical values exactly) and the
predictions with the program's output (at the scored positions only for a program
specialised to its domain, ``-O3``, whose outputs at BOS/EOS are free). The first disagreement (in evaluation order) is
what a user needs to find the bug, so it is reported with its input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from tpc.errors import TpcError, printable, quote
from tpc.evaluate import predict_text, render
from tpc.ir import Interpreter, Program, encode_tokens, run
from tpc.ir.reading import reading_of
from tpc.passes.domain import program_domain
from tpc.tasks import encode

BATCH = 8192


@dataclass
class Disagreement:
    """One input on which two implementations differ, at node ``node``."""

    node: str
    tokens: list[str]
    position: int
    expected: object
    got: object

    def __str__(self) -> str:
        return (
            f"node '{self.node}' differs on `{printable(' '.join(self.tokens))}` at position "
            f"{self.position}: reference {quote(self.expected)}, got {quote(self.got)}"
        )


@dataclass
class Agreement:
    """How many inputs and scored positions agreed, and the first disagreements."""

    what: str
    inputs: int = 0
    positions: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    differing_inputs: int = 0

    @property
    def ok(self) -> bool:
        return self.differing_inputs == 0

    def summary(self) -> str:
        share = 100.0 * (self.inputs - self.differing_inputs) / max(self.inputs, 1)
        verdict = "OK" if self.ok else "FAILED"
        return f"{self.what}: {share:.2f}% agreement on {self.inputs:,} inputs ({self.positions:,} positions) {verdict}"


def _batches(seqs: Sequence[Sequence[str]]):
    for start in range(0, len(seqs), BATCH):
        yield [list(s) for s in seqs[start : start + BATCH]]


def compare_model(
    model, program: Program, seqs: Sequence[Sequence[str]], keep: int = 5
) -> Agreement:
    """The discrete model vs the IR interpreter on ``seqs``, every shared variable."""
    from tpc.model import read_structure

    structure = read_structure(model)
    config = model.config
    report = Agreement("model vs IR")
    order = [n for n in program.nodes if any(v.name == n for v in structure.variables)]
    variables = {v.name: v for v in structure.variables}
    exact_on = program_domain(program, "exact_on")
    if exact_on is not None:
        report.what += " (output at scored positions)"
    interp = Interpreter(program)
    for batch in _batches(seqs):
        ids, lengths = encode(batch, list(config.input_vocab))
        trace = model.trace(ids, lengths)
        codes, lens = encode_tokens(program, batch)
        env = interp.run(codes, lens)
        width = codes.shape[1]
        valid = np.arange(width)[None, :] < lens[:, None]
        bad_rows = np.zeros(len(batch), dtype=bool)
        checks = [(name, variables[name]) for name in order]
        for name, var in [*checks, (program.output, None)]:
            got = env[name]
            ptype = program[name].type
            if var is None:  # predictions vs program output
                want_idx = trace["predictions"]
                want_idx = (
                    want_idx[:, None].repeat(width, 1)
                    if want_idx.ndim == 1
                    else want_idx[:, :width]
                )
                want = np.array(config.classes, dtype=object)[want_idx]
                got = np.array(ptype.values, dtype=object)[got]
            elif var.kind == "categorical":
                want = np.array(var.values, dtype=object)[trace[name][:, :width]]
                got = np.array(ptype.values, dtype=object)[got]
            else:
                want = trace[name][:, :width]
            checked = valid
            if var is None and exact_on is not None:  # -O3: BOS/EOS outputs are free
                checked = valid & exact_on.scored(lens, width)
            diff = (want != got) & checked
            rows = diff.any(1)
            for b in np.flatnonzero(rows & ~bad_rows):
                if len(report.disagreements) < keep:
                    i = int(np.flatnonzero(diff[b])[0])
                    report.disagreements.append(
                        Disagreement(name, batch[b], i, want[b, i], got[b, i])
                    )
            bad_rows |= rows
        report.inputs += len(batch)
        report.positions += int(valid.sum())
        report.differing_inputs += int(bad_rows.sum())
    return report


def compare_outputs(
    what: str, program: Program, seqs: Sequence[Sequence[str]], runner, keep: int = 5
) -> Agreement:
    """The IR interpreter vs another implementation ``runner(batch) -> outputs`` (as text)."""
    report = Agreement(what)
    interp = Interpreter(program)
    for batch in _batches(seqs):
        want = run(interp, batch)
        got = runner(batch)
        for seq, w, g in zip(batch, want, got):
            w_text, g_text = [render(x) for x in w], [render(x) for x in g]
            report.inputs += 1
            report.positions += len(seq)
            if w_text != g_text:
                report.differing_inputs += 1
                if len(report.disagreements) < keep:
                    i = next(i for i, (a, c) in enumerate(zip(w_text, g_text)) if a != c)
                    report.disagreements.append(
                        Disagreement(program.output, seq, i, w_text[i], g_text[i])
                    )
    return report


#: Enumerate every input when a task has at most this many (in addition to the run's data).
EXHAUSTIVE_LIMIT = 2_000_000


@dataclass
class RunInputs:
    """What a run is verified on: ``seqs``, the program's inputs (``what`` says which);
    for a corpus run also ``sentences``, the raw tokens of its validation and test
    sentences, on which a text program's ``run`` is checked (:func:`compare_text`)."""

    seqs: list[list[str]]
    what: str
    sentences: list[list[str]] = field(default_factory=list)


def run_inputs(run, exhaustive: bool | None = None) -> RunInputs:
    """The inputs a run is verified on: its train/val/test data, plus every input up to N
    when there are at most :data:`EXHAUSTIVE_LIMIT` (or when ``exhaustive`` forces it).
    A corpus has no domain to enumerate: its inputs are its sentences' (windows)."""
    from tpc.tasks import decode, get_task
    from tpc.train.data import load_data

    data = load_data(run.train)
    seqs: list[list[str]] = []
    for split in (data.train, data.val, data.test):
        seqs += decode(split.ids.numpy(), data.input_vocab, split.lengths.numpy())
    what = f"{len(seqs):,} train/val/test inputs"
    if data.corpus is not None:
        if exhaustive:
            raise TpcError(f"{run.train.task} is a corpus: it has no inputs to enumerate")
        sentences = [list(e.tokens) for s in ("val", "test") for e in data.corpus.examples(s)]
        what += f" of {run.train.task}, and its {len(sentences):,} val/test sentences as raw text"
        return RunInputs(seqs, what, sentences)
    task = get_task(run.train.task)
    k = task.default_k if run.train.k is None else run.train.k
    total = task.count_inputs(k, data.max_len)
    if exhaustive:
        task.check_enumerable(k, data.max_len)
    if exhaustive or (exhaustive is None and total <= EXHAUSTIVE_LIMIT):
        seqs += list(task.enumerate(k, data.max_len))
        what += f" + all {total:,} inputs up to length {data.max_len}"
    return RunInputs(seqs, what)


def compare_text(
    program: Program, sentences: Sequence[Sequence[str]], runner: Runner, keep: int = 5
) -> Agreement:
    """A text program's emitted ``run_batch`` on raw ``sentences`` vs the IR interpreter
    reading them as the program's ``meta["text"]`` says (:func:`tpc.evaluate.predict_text`:
    tags joined over windows, or the class)."""
    report = Agreement("IR vs python on raw text")
    for start in range(0, len(sentences), BATCH):
        batch = [list(s) for s in sentences[start : start + BATCH]]
        for sentence, want, got in zip(batch, predict_text(program, batch), runner(batch)):
            w, g = ([want], [got]) if isinstance(want, str) else (list(want), list(got))
            w, g = [render(x) for x in w], [render(x) for x in g]
            report.inputs += 1
            report.positions += len(sentence)
            if w == g:
                continue
            report.differing_inputs += 1
            if len(report.disagreements) < keep:
                i = next((i for i, (a, b) in enumerate(zip(w, g)) if a != b), min(len(w), len(g)))
                report.disagreements.append(
                    Disagreement(
                        program.output,
                        sentence,
                        i,
                        w[i] if i < len(w) else None,
                        g[i] if i < len(g) else None,
                    )
                )
    return report


#: Back ends whose emitted text :func:`backend_runner` can run.
RUNNABLE_BACKENDS = ("python", "rasp")

#: ``batch -> outputs``: a way to compute a program's output on a batch of inputs.
Runner = Callable[[list[list[str]]], list]


@functools.lru_cache(maxsize=2)
def python_namespace(text: str) -> dict:
    """The names an emitted Python module defines, executed from ``text`` (tpc's own
    output, which only defines things: docs/security.md). Cached: verifying a text
    program runs both its ``run_program_batch`` and its ``run_batch`` from one execution
    of a module of 10,000-word tables."""
    namespace: dict = {}
    exec(compile(text, "<emitted python>", "exec"), namespace)  # noqa: S102 -- our own output
    return namespace


def backend_runner(program: Program, name: str, text: str) -> Runner:
    """A runner for the text the back end ``name`` emitted for ``program``: the Python
    module executed, the RASP text read back and interpreted."""
    if name == "python":
        namespace = python_namespace(text)
        # a text program's run_batch reads raw text; run_program_batch runs the program
        return namespace.get("run_program_batch", namespace["run_batch"])
    if name == "rasp":
        from tpc.frontends import parse_rasp

        parsed = parse_rasp(text, vocab=program.vocab, max_len=program.max_len)
        return functools.partial(run, Interpreter(parsed))
    raise TpcError(f"cannot run back end {quote(name)}; checkable: {', '.join(RUNNABLE_BACKENDS)}")


def verify_program(
    model,
    program: Program,
    seqs: Sequence[Sequence[str]],
    texts: Mapping[str, str],
    log: Callable[[str], object] = print,
    sentences: Sequence[Sequence[str]] = (),
) -> list[Agreement]:
    """Every faithfulness check on ``seqs``, each logged as it ends: the discrete
    ``model`` against the IR node by node, then the IR against each back end's emitted
    text in ``texts`` (``name -> text``, names from :data:`RUNNABLE_BACKENDS`), and for a
    text program its emitted Python's ``run`` on the raw ``sentences``
    (:func:`compare_text`). A ``TpcError`` after logging every disagreement found if any
    check fails."""
    reports = [compare_model(model, program, seqs)]
    log(reports[-1].summary())
    for name, text in texts.items():
        runner = backend_runner(program, name, text)
        reports.append(compare_outputs(f"IR vs {name}", program, seqs, runner))
        log(reports[-1].summary())
        if name == "python" and sentences and reading_of(program) is not None:
            raw = python_namespace(text)["run_batch"]
            reports.append(compare_text(program, sentences, raw))
            log(reports[-1].summary())
    failed = [r for r in reports if not r.ok]
    for r in failed:
        for d in r.disagreements:
            log(f"  {r.what}: {d}")
    if failed:
        raise TpcError(f"{len(failed)} check(s) disagree: the program is not faithful")
    return reports
