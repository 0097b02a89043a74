"""The program report page: one self-contained HTML file about a program (and the run it
was learned in, when there is one).

Sections, each an element with its id: ``summary`` (where the program came from, its
size), ``accuracy`` (on the task: the run's test split or a sample, every input when
there are few enough, by length, counterexamples; the discrete model's accuracies the
program records), ``program`` (the emitted Python, highlighted by Pygments, and the IR
listing), ``graph`` (:mod:`tpc.draw.graph`), ``attention`` (:mod:`tpc.draw.attention`
on a few inputs: the given ones, then counterexamples; with a run, the relaxed model's
soft attention beside each categorical head) and ``training`` (:mod:`tpc.draw.training`,
for a run). Pictures are embedded as ``data:`` URIs and the style sheet is inline: the
page needs no network and no other file, and has no script. Every piece of text from the
program or its files is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tpc.draw.attention import draw_attention, program_heads
from tpc.draw.graph import draw_graph
from tpc.draw.training import Curves, draw_training
from tpc.errors import TpcError, printable
from tpc.evaluate import Score, program_view, score
from tpc.ir import Program
from tpc.ir.printer import format_program, program_stats
from tpc.ir.render import program_title, provenance

if TYPE_CHECKING:
    from tpc.tasks import Task
    from tpc.train import Run

#: Score on every input when a task has at most this many (else on a sample).
EXHAUSTIVE_LIMIT = 200_000
#: Inputs of the sample scored when there are more, and its seed.
SAMPLES, SAMPLE_SEED = 2000, 0
#: Example inputs whose attention the report draws (given ones are all drawn).
EXAMPLES = 3
#: Longest emitted Python the page shows (characters); longer is cut, saying so.
MAX_SOURCE = 400_000

Log = Callable[[str], None]


@dataclass
class Accuracy:
    """Scores of a program on its task (see the module doc)."""

    task: str
    k: int
    n: int
    scores: list[tuple[str, Score]] = field(default_factory=list)
    by_length: tuple[str, Score] | None = None
    recorded: dict[str, float] = field(default_factory=dict)

    def counterexamples(self) -> list[list[str]]:
        """Task inputs the program gets wrong (from the widest score first)."""
        for _, s in reversed(self.scores):
            if s.counterexamples:
                return [list(seq) for seq, _, _ in s.counterexamples]
        return []


def run_split(run: Run, split: str = "test") -> list[list[str]]:
    """The inputs of a split of the run's dataset (the one training made, by its seed)."""
    from tpc.tasks import get_task, make_dataset

    k, n = run.train.task_size()
    seed = run.train.seed if run.train.data_seed is None else run.train.data_seed
    dataset = make_dataset(
        get_task(run.train.task),
        k=k,
        n=n,
        size=run.train.dataset_size,
        seed=seed,
        length_dist=run.train.length_dist,
    )
    return getattr(dataset, split)


def measure(
    program: Program,
    task: Task,
    k: int,
    n: int,
    run: Run | None = None,
    exhaustive_limit: int = EXHAUSTIVE_LIMIT,
) -> Accuracy:
    """Score ``program`` on ``task`` (k, n): the run's test split when there is a run,
    every input when there are at most ``exhaustive_limit``, else a length-uniform sample."""
    result = Accuracy(task.name, k, n)
    if run is not None:
        result.scores.append(("test split of the run", score(program, task, run_split(run))))
    total = task.count_inputs(k, n)
    if total <= exhaustive_limit:
        result.scores.append(
            (f"every input ({total:,})", score(program, task, task.enumerate(k, n)))
        )
    else:
        sample = task.sample(np.random.default_rng(SAMPLE_SEED), SAMPLES, k, n, "uniform")
        what = f"{SAMPLES:,} inputs, uniform lengths, seed {SAMPLE_SEED} (of {total:,})"
        result.scores.append((what, score(program, task, sample)))
    result.by_length = result.scores[-1]
    accuracy = (program.meta.get("results") or {}).get("accuracy")
    if isinstance(accuracy, dict):
        result.recorded = {
            str(split): float(v)
            for split, v in accuracy.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        }
    return result


def example_inputs(
    program: Program,
    given: Sequence[Sequence[str]],
    accuracy: Accuracy | None,
    task: Task | None,
    count: int = EXAMPLES,
) -> list[list[str]]:
    """The inputs whose attention the report draws, as the program reads them: the given
    ones, then counterexamples, then (when there is none) a task input, or else the
    program's first vocabulary tokens; at most ``count`` unless more are given."""
    chosen = [list(tokens) for tokens in given]
    limit = max(count, len(chosen))
    if task is not None and accuracy is not None:
        for seq in accuracy.counterexamples():
            view = program_view(program, task, seq)[0]
            if len(chosen) < limit and view and view not in chosen:
                chosen.append(view)
    if chosen:
        return chosen
    if task is not None and accuracy is not None:
        seq = task.sample(np.random.default_rng(SAMPLE_SEED), 1, accuracy.k, accuracy.n, "uniform")
        view = program_view(program, task, seq[0])[0]
        if view:
            return [view]
    specials = [t for t in (program.bos, program.eos) if t is not None]
    content = [t for t in program.vocab if t not in specials]
    room = program.max_len - len(specials)
    tokens = content[: max(1, min(room, 5))] or list(program.vocab[:1])
    return [
        [program.bos] * (program.bos is not None)
        + tokens
        + [program.eos] * (program.eos is not None)
    ]


# ---- HTML ---------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 0 1.5em 3em; color: #222; }
nav { position: sticky; top: 0; background: #fff; padding: .6em 0; border-bottom: 1px solid #ddd; }
nav a { margin-right: 1.2em; color: #2c5d9e; text-decoration: none; }
h1 { margin-top: .8em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #eee; }
table { border-collapse: collapse; margin: .6em 0; }
td, th { border: 1px solid #ddd; padding: .25em .7em; text-align: right; }
th { background: #f5f5f5; } td.l, th.l { text-align: left; }
.note { color: #666; font-size: .9em; }
.picture { overflow-x: auto; border: 1px solid #eee; padding: .5em; margin: .6em 0; }
.picture img { display: block; max-width: none; }
.picture img.fit { max-width: 100%; height: auto; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
            font-size: .85em; }
.source { max-height: 40em; overflow: auto; border: 1px solid #eee; }
.source pre { margin: 0; padding: .5em; }
.bad { color: #b00; } .good { color: #070; }
"""


def _e(value: object) -> str:
    """Text from a program or a file, escaped for HTML (and made printable)."""
    return html.escape(printable(str(value)))


def _picture(data: bytes, fmt: str, alt: str, fit: bool = False) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    encoded = base64.b64encode(data).decode("ascii")
    cls = ' class="fit"' if fit else ""
    return (
        f'<div class="picture"><img{cls} alt="{_e(alt)}" src="data:{mime};base64,{encoded}"></div>'
    )


def _attempt(draw: Callable[[], bytes], fmt: str, alt: str, fit: bool = False) -> str:
    """A picture drawn by ``draw``, or a note saying why it could not be drawn (too large,
    an input the program is undefined on): one picture does not cost the page."""
    try:
        return _picture(draw(), fmt, alt, fit)
    except TpcError as exc:
        return f'<p class="note">No picture ({_e(alt)}): {_e(exc)}</p>'


def _pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _accuracy_html(accuracy: Accuracy | None, why_not: str) -> str:
    if accuracy is None:
        return f'<p class="note">{_e(why_not)}</p>'
    parts = [f"<p>Task <b>{_e(accuracy.task)}</b> (k = {accuracy.k}, N = {accuracy.n}).</p>"]
    rows = [
        '<tr><th class="l">inputs</th><th>token accuracy</th><th>sequence accuracy</th>'
        "<th>sequences</th></tr>"
    ]
    for what, s in accuracy.scores:
        rows.append(
            f'<tr><td class="l">{_e(what)}</td><td>{_pct(s.token_accuracy)}</td>'
            f"<td>{_pct(s.sequence_accuracy)}</td><td>{s.seqs:,}</td></tr>"
        )
    parts.append("<table>" + "".join(rows) + "</table>")
    if accuracy.recorded:
        shown = ", ".join(f"{_e(k)} {_pct(v)}" for k, v in accuracy.recorded.items())
        parts.append(
            f'<p class="note">The discrete model this program was read off scored '
            f"(token accuracy, as recorded when it was lowered): {shown}.</p>"
        )
    if accuracy.by_length is not None:
        what, s = accuracy.by_length
        rows = [
            "<tr><th>length</th><th>sequences</th><th>token accuracy</th>"
            "<th>sequence accuracy</th></tr>"
        ]
        for length, (tr, t, sr, n) in sorted(s.by_length.items()):
            rows.append(
                f"<tr><td>{length}</td><td>{n:,}</td><td>{_pct(tr / max(t, 1))}</td>"
                f"<td>{_pct(sr / max(n, 1))}</td></tr>"
            )
        parts.append(
            f'<h3>By input length</h3><p class="note">On {_e(what)}; the length '
            "counts every token of the task's input.</p><table>" + "".join(rows) + "</table>"
        )
        parts.append("<h3>Counterexamples</h3>")
        if s.counterexamples:
            items = "".join(
                f'<li><code>{_e(" ".join(seq))}</code><br>got <code class="bad">'
                f'{_e(" ".join(got))}</code>, want <code class="good">{_e(" ".join(want))}</code></li>'
                for seq, got, want in s.counterexamples
            )
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f'<p class="note">None on {_e(what)}.</p>')
    return "\n".join(parts)


def _program_html(program: Program) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    from tpc.backends import emit
    from tpc.errors import EmitError, IRError

    parts = []
    try:
        source = emit(program, "python")
    except (EmitError, IRError) as exc:
        parts.append(
            f'<p class="note">The Python back end cannot write this program: {_e(exc)}</p>'
        )
    else:
        lines = source.count("\n")
        cut = ""
        if len(source) > MAX_SOURCE:
            source = source[:MAX_SOURCE]
            cut = f" (the first {MAX_SOURCE:,} characters are shown)"
        formatter = HtmlFormatter(style="friendly", cssclass="hl", nobackground=False)
        parts.append(
            f'<p class="note">What <code>tpc emit --to python</code> writes: '
            f"{lines:,} lines{cut}, standard library only.</p>"
        )
        parts.append(f"<style>{formatter.get_style_defs('.hl')}</style>")
        parts.append(f'<div class="source">{highlight(source, PythonLexer(), formatter)}</div>')
    listing = _e(format_program(program))
    parts.append(
        f"<details><summary>The IR, node by node (<code>tpc ir show</code>)</summary>"
        f'<div class="source"><pre>{listing}</pre></div></details>'
    )
    return "\n".join(parts)


def build_report(
    program: Program,
    *,
    title: str | None = None,
    run: Run | None = None,
    curves: Curves | None = None,
    task: Task | None = None,
    k: int | None = None,
    n: int | None = None,
    examples: Sequence[Sequence[str]] = (),
    layout: str = "auto",
    exhaustive_limit: int = EXHAUSTIVE_LIMIT,
    log: Log | None = None,
) -> str:
    """The report page's HTML (see the module doc).

    ``task`` (with ``k``, ``n``; default the program's recorded domain, else the task's
    defaults) scores the program; without one the accuracy section says so. ``run`` (a
    finished run the program was lowered from) adds its test split, its soft attention
    and, with ``curves``, its training curves. ``examples`` are inputs as the program
    reads them. ``log`` is told what is being done.
    """
    say = log or (lambda message: None)
    title = title or program_title(program)
    stats = program_stats(program)
    heads = program_heads(program)
    domain = program.meta.get("domain")
    domain = domain if isinstance(domain, dict) else {}
    accuracy = None
    why_not = "No task: give one (tpc report --task NAME) to score the program."
    if task is not None:
        same = domain.get("task") == task.name
        k = k or (domain.get("k") if same and type(domain.get("k")) is int else task.default_k)
        n = n or (domain.get("n") if same and type(domain.get("n")) is int else task.default_n)
        say(f"scoring on task {task.name} (k = {k}, N = {n})")
        accuracy = measure(program, task, k, n, run, exhaustive_limit)
    inputs = example_inputs(program, examples, accuracy, task)
    sections = []

    lines = [_e(line) for line in provenance(program.meta)]
    size = (
        f"{stats['nodes']} nodes, {stats['heads']} heads in {stats['attention_layers']} "
        f"attention layers, {stats['table_entries']:,} table entries"
    )
    sections.append(
        (
            "summary",
            "Summary",
            "<p>"
            + "<br>".join([*lines, _e(size)])
            + "</p>"
            + f'<p class="note">Vocabulary: {_e(", ".join(program.vocab))}; '
            f"max length {program.max_len}; output node <code>{_e(program.output)}</code>.</p>",
        )
    )
    sections.append(("accuracy", "Accuracy", _accuracy_html(accuracy, why_not)))
    say("emitting Python")
    sections.append(("program", "The program", _program_html(program)))
    say("drawing the IR graph")
    used = []

    def graph() -> bytes:
        data, layout_used = draw_graph(program, "svg", layout, title)
        used.append(layout_used)
        return data

    picture = _attempt(graph, "svg", "IR graph")
    note = f"Layout: {_e(used[0])}. " if used else ""
    sections.append(
        (
            "graph",
            "IR graph",
            f'<p class="note">{note}Nodes are coloured by kind; grey dashed nodes are dead '
            "code (the output does not need them); the output is outlined in red.</p>" + picture,
        )
    )
    parts = []
    if not heads:
        parts.append('<p class="note">The program has no attention heads.</p>')
    for tokens in inputs:
        say(f"drawing attention on {' '.join(tokens)}")
        soft, tau = {}, None
        if run is not None:
            from tpc.draw.relaxed import relaxed_attention

            try:
                soft, tau = relaxed_attention(run, tokens)
            except TpcError:
                soft = {}
        if heads:
            picture = _attempt(
                lambda t=tokens, w=soft, tau=tau: draw_attention(
                    program, t, "png", soft=w, tau=tau, title=title
                ),
                "png",
                f"attention on {' '.join(tokens)}",
            )
            parts.append(f"<h3><code>{_e(' '.join(tokens))}</code></h3>" + picture)
    if run is not None and heads:
        parts.insert(
            0,
            '<p class="note">Beside each categorical head: the relaxed model\'s '
            "soft attention at the final temperature (the model's own forward pass, "
            "tempered softmax without noise).</p>",
        )
    sections.append(("attention", "Attention", "\n".join(parts)))
    if curves is not None:
        say("drawing the training curves")
        picture = _attempt(lambda: draw_training([curves], "svg"), "svg", "training curves", True)
        sections.append(("training", "Training", picture))
    else:
        sections.append(
            (
                "training",
                "Training",
                '<p class="note">No run: training curves are '
                "drawn for a run directory (tpc report RUN_DIR, or --run).</p>",
            )
        )
    nav = "".join(f'<a href="#{sid}">{_e(name)}</a>' for sid, name, _ in sections)
    body = "\n".join(
        f'<section id="{sid}"><h2>{_e(name)}</h2>\n{content}\n</section>'
        for sid, name, content in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}: tpc report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<nav>{nav}</nav>\n<h1>{_e(title)}</h1>\n{body}\n"
        '<p class="note">Written by tpc report.</p>\n</body>\n</html>\n'
    )
