"""Pictures and the report page (``tpc draw``, ``tpc report``; :mod:`tpc.draw`).

Every command on a learned program (programs/rasp/*), hand-written RASP text
(programs/rasp_handwritten/*.rasp), a Tracr-imported program and a (tiny) run directory
writes a valid, non-empty image; the report's HTML parses and has every section, needs no
network and escapes what programs say; bad input is one line and writes nothing; the
relaxed model's soft attention is the model's own (it agrees with the discrete attention
as the temperature goes to 0).

The headless-browser check of the report page (Chromium from the system's packages,
driven over the DevTools protocol through a pipe: no console errors, every picture
loads, a non-blank screenshot) is marked ``slow``; run it with ``make check-report``
(or ``pytest -m slow tests/test_draw.py -k browser``). It needs ``chromium``
(``apt-get install chromium``) and is skipped without it.
"""

from __future__ import annotations

import base64
import html.parser
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tpc.cli import main
from tpc.draw import draw_attention, image_format, program_heads, trace_heads
from tpc.draw.common import DrawError, head_layers
from tpc.draw.graph import dot_program, draw_graph, graph_dot
from tpc.ir import dump
from tpc.loading import load_program

ROOT = Path(__file__).resolve().parent.parent
LEARNED = ROOT / "programs" / "rasp" / "hist" / "hist.tpir.json"
LEARNED_SORT = ROOT / "programs" / "rasp" / "sort" / "sort.tpir.json"
RASP = ROOT / "programs" / "rasp_handwritten" / "reverse.rasp"
RASP_ARGS = ["--vocab", "0,1,2,3,4", "--max-len", "6"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def check_image(path: Path) -> str:
    """Assert ``path`` is a non-empty PNG or SVG (by its suffix); returns the format."""
    data = path.read_bytes()
    assert len(data) > 2000, f"{path} has only {len(data)} bytes"
    if path.suffix == ".png":
        assert data.startswith(PNG_MAGIC)
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        image.verify()
        assert min(image.size) >= 100
        return "png"
    root = ET.fromstring(data)  # well-formed XML whose root is an <svg>
    assert root.tag.endswith("svg")
    return "svg"


@pytest.fixture(scope="module")
def tracr_program(tmp_path_factory) -> Path:
    """Tracr's own library sort (unique keys), imported as IR."""
    pytest.importorskip("tracr")
    from tracr.compiler import lib
    from tracr.rasp import rasp

    from tpc.tracr.tracr_to_ir import import_tracr

    program = import_tracr(lib.make_sort_unique(rasp.tokens, rasp.tokens), [1, 2, 3, 4], 4)
    path = tmp_path_factory.mktemp("tracr") / "sort_unique.tpir.json"
    dump(program, path)
    return path


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A tiny trained sort run (seconds)."""
    out = tmp_path_factory.mktemp("draw_run") / "run"
    args = ["train", "sort", "--n", "6", "--k", "6", "--epochs", "4", "--dataset-size", "600"]
    args += ["--layers", "2", "--heads-cat", "2", "--heads-num", "1", "--cat-mlps", "1"]
    args += ["--num-mlps", "0", "-o", str(out), "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def targets(tracr_program: Path, run_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """kind -> (the TARGET and its options, an input)."""
    return {
        "learned": ([str(LEARNED)], ["<s>", "1", "0", "1", "2"]),
        "rasp": ([str(RASP), *RASP_ARGS], ["3", "1", "4", "0"]),
        "tracr": ([str(tracr_program)], ["3", "1", "4"]),
        "run": ([str(run_dir)], ["<s>", "2", "0", "1", "</s>"]),
    }


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# ---- every command on every kind of program ------------------------------------------------


@pytest.mark.parametrize("kind", ["learned", "rasp", "tracr", "run"])
def test_every_picture_of_every_kind_of_program(kind, tracr_program, run_dir, tmp_path):
    target, tokens = targets(tracr_program, run_dir)[kind]
    for command, suffix in (("attention", ".png"), ("flow", ".svg"), ("graph", ".png")):
        out = tmp_path / f"{command}{suffix}"
        args = ["draw", command, *target, *(tokens if command != "graph" else [])]
        result = invoke(*args, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert f"wrote {out}" in result.output
        check_image(out)
    if kind == "run":
        assert (
            "soft attention at tau"
            in invoke("draw", "attention", *target, *tokens, "-o", str(tmp_path / "a.svg")).output
        )
        check_image(tmp_path / "a.svg")


def test_graph_says_which_layout_and_never_needs_graphviz(tmp_path):
    out = tmp_path / "g.svg"
    result = invoke("draw", "graph", str(LEARNED_SORT), "--layout", "python", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "layout: pure-Python layout (networkx + matplotlib)" in result.output
    check_image(out)
    auto = invoke("draw", "graph", str(RASP), *RASP_ARGS, "-o", str(tmp_path / "a.png"))
    assert auto.exit_code == 0, auto.output
    check_image(tmp_path / "a.png")
    if dot_program() is None:
        assert "Graphviz's dot is not installed" in auto.output
        bad = invoke(
            "draw", "graph", str(RASP), *RASP_ARGS, "--layout", "dot", "-o", str(tmp_path / "d.png")
        )
        assert bad.exit_code == 1 and "not installed" in bad.output
    else:
        assert "layout: Graphviz (dot)" in auto.output


def test_graph_without_graphviz_or_when_it_fails(monkeypatch, tmp_path):
    import tpc.draw.graph as graph_module

    monkeypatch.setattr(graph_module, "dot_program", lambda: None)  # as if not installed
    out = tmp_path / "g.png"
    result = invoke("draw", "graph", str(LEARNED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "pure-Python layout (networkx + matplotlib): Graphviz's dot is not installed" in (
        result.output
    )
    check_image(out)
    bad = invoke("draw", "graph", str(LEARNED), "--layout", "dot", "-o", str(tmp_path / "d.png"))
    assert bad.exit_code == 1 and "dot program is not installed" in bad.output
    assert not (tmp_path / "d.png").exists()

    def failing(source, fmt):
        raise DrawError("Graphviz's dot failed (exit 1): syntax error")

    monkeypatch.setattr(graph_module, "dot_program", lambda: "/usr/bin/dot")
    monkeypatch.setattr(graph_module, "_run_dot", failing)
    result = invoke("draw", "graph", str(LEARNED), "-o", str(out))
    assert result.exit_code == 0 and "dot failed (exit 1)" in result.output, result.output


def test_graph_dot_text_groups_layers_and_greys_dead_nodes(tmp_path):
    program = load_program(LEARNED_SORT)
    text = graph_dot(program)
    assert text.count("subgraph cluster_layer_") == len(set(head_layers(program).values())) == 3
    # a lowered, unoptimised program has dead nodes: they are drawn grey and dashed
    from tpc.ir import Map

    dead = Map(
        name="unused", type=program["tokens"].type, x="tokens", table={v: v for v in program.vocab}
    )
    with_dead = program.replace([*program, dead]).validate()
    assert '"unused" [label="unused\\nmap: table of 7", fillcolor="#e6e6e6"' in graph_dot(with_dead)
    data, note = draw_graph(with_dead, "png", "python")
    assert data.startswith(PNG_MAGIC) and "pure-Python" in note


def test_training_curves_of_one_and_several_runs(run_dir, tmp_path):
    for runs, out in (
        ([run_dir], tmp_path / "one.png"),
        ([run_dir, run_dir], tmp_path / "two.svg"),
    ):
        result = invoke("draw", "training", *map(str, runs), "-o", str(out))
        assert result.exit_code == 0, result.output
        check_image(out)


# ---- what the pictures say ------------------------------------------------------------------


def test_heads_layers_and_the_key_each_head_reads():
    program = load_program(LEARNED_SORT)
    heads = program_heads(program)
    assert len(heads) == 24 and {h.layer for h in heads} == {0, 1, 2}
    tokens = ["<s>", "3", "1", "4", "1", "0", "</s>"]
    traces = trace_heads(program, tokens)
    from tpc.ir import run

    for trace in traces:
        assert trace.selected.shape == (7, 7)
        if trace.head.reduce == "closest":  # the key read holds the head's output value
            values = run(program, [tokens], node=trace.head.values)[0]
            assert [values[j] for j in trace.read] == trace.output
            for i, j in enumerate(trace.read):
                assert trace.selected[i, j] or (j == 0 and not trace.selected[i].any())
    rasp = load_program(RASP, vocab=list("01234"), max_len=6)
    # RASP's length is a selector width: reverse reads it, so it sits one layer up
    assert [(h.name, h.reduce, h.layer) for h in program_heads(rasp)] == [
        ("length", "width", 0),
        ("reverse", "mean", 1),
    ]


def test_soft_attention_is_the_models_and_tends_to_the_discrete(run_dir):
    from tpc.draw.relaxed import final_temperature, relaxed_attention
    from tpc.lower import lower_run
    from tpc.train import load_run

    run = load_run(run_dir)
    program = lower_run(run)
    tokens = ["<s>", "2", "0", "1", "2", "</s>"]
    reads = {t.head.name: t.read for t in trace_heads(program, tokens) if t.read is not None}
    weights, tau = relaxed_attention(run, tokens)
    assert tau == final_temperature(run) == pytest.approx(0.01, rel=1e-6)
    assert set(weights) == set(reads) == {"attn_0_0", "attn_0_1", "attn_1_0", "attn_1_1"}
    for w in weights.values():
        assert w.shape == (6, 6) and np.allclose(w.sum(1), 1.0, atol=1e-5)
    cold, _ = relaxed_attention(run, tokens, tau=1e-4)
    for name, read in reads.items():
        assert cold[name].argmax(1).tolist() == read.tolist(), name
    assert run.model.layers[0].__dict__.get("relaxed") is None  # the model is left as it was


def test_same_input_same_bytes(tmp_path):
    program = load_program(RASP, vocab=list("01234"), max_len=6)
    tokens = ["1", "2", "3"]
    assert draw_attention(program, tokens, "svg") == draw_attention(program, tokens, "svg")
    assert draw_attention(program, tokens, "png") == draw_attention(program, tokens, "png")


def test_program_text_is_never_math_or_markup(tmp_path):
    vocab = "$x$,<b>,a&b"
    out = tmp_path / "a.png"
    tokens = ["$x$", "<b>", "a&b"]
    result = invoke(
        "draw", "attention", str(RASP), "--vocab", vocab, "--max-len", "4", *tokens, "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    check_image(out)
    page = tmp_path / "r.html"
    result = invoke(
        "report",
        str(RASP),
        "--vocab",
        vocab,
        "--max-len",
        "4",
        "--input",
        " ".join(tokens),
        "-o",
        str(page),
    )
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert "<b>" not in text.replace("<b>reverse</b>", "") and "&lt;b&gt;" in text


# ---- the report page ------------------------------------------------------------------------


class PageParser(html.parser.HTMLParser):
    """Section ids, images (src), scripts and external references of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if value and not value.startswith(("data:", "#")):
                self.external.append(value)


SECTIONS = ["summary", "accuracy", "program", "graph", "attention", "training"]


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert parser.sections == SECTIONS
    assert parser.scripts == 0 and parser.external == []
    for src in parser.images:  # every picture decodes
        head, _, data = src.partition(",")
        raw = base64.b64decode(data, validate=True)
        if head == "data:image/png;base64":
            assert raw.startswith(PNG_MAGIC)
        else:
            assert head == "data:image/svg+xml;base64" and ET.fromstring(raw).tag.endswith("svg")
    return parser


def test_report_of_a_run(run_dir, tmp_path):
    out = tmp_path / "report.html"
    result = invoke("report", str(run_dir), "--input", "<s> 2 0 1 </s>", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = parse_page(out)
    text = out.read_text()
    assert "test split of the run" in text and "every input (" in text
    assert "By input length" in text and "Counterexamples" in text
    assert '<div class="hl">' in text and '<span class="nf">run_batch</span>' in text  # Python
    assert "soft attention at the final temperature" in text
    assert "&lt;s&gt; 2 0 1 &lt;/s&gt;" in text  # the given input comes first
    assert len(page.images) >= 4  # graph, attention (1+), training


def test_report_of_programs_with_and_without_a_task(tracr_program, tmp_path):
    out = tmp_path / "rasp.html"
    result = invoke("report", str(RASP), *RASP_ARGS, "--task", "reverse", "-o", str(out))
    assert result.exit_code == 0, result.output
    parse_page(out)
    assert "token accuracy" in out.read_text() and "100.00%" in out.read_text()
    out = tmp_path / "tracr.html"
    result = invoke("report", str(tracr_program), "-o", str(out))
    assert result.exit_code == 0, result.output
    parse_page(out)
    assert "No task" in out.read_text()
    out = tmp_path / "learned.html"
    assert invoke("report", str(LEARNED), "-o", str(out)).exit_code == 0
    text = out.read_text()
    assert "Task <b>hist</b>" in text and "as recorded when it was lowered" in text


# ---- bad input: one line, exit 1, nothing written ------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["draw", "attention", str(RASP), *RASP_ARGS, "3", "9"], "unknown token '9'"),
        (["draw", "flow", str(LEARNED), "<s>", "x"], "unknown token 'x'"),
        (["draw", "attention", str(LEARNED), "<s>", "1", "--head", "nope"], "no node named 'nope'"),
        (
            ["draw", "attention", str(LEARNED), "<s>", "1", "--head", "tokens"],
            "not an attention head",
        ),
        (["draw", "flow", str(LEARNED), "<s>", "1", "--node", "nope"], "no node named 'nope'"),
        (["draw", "graph", str(ROOT / "nowhere.tpir.json")], "no such program file"),
        (["draw", "graph", str(RASP)], "give its --vocab and --max-len"),
        (["draw", "training", str(ROOT / "programs")], "config.json"),
        (["report", str(LEARNED), "--input", "<s> 9"], "unknown token '9'"),
        (["report", str(LEARNED), "--task", "nope"], "nope"),
        (["draw", "flow", str(RASP), *RASP_ARGS, *["1"] * 7], "at most 6"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(args, message, tmp_path):
    out = tmp_path / ("page.html" if args[0] == "report" else "picture.png")
    result = invoke(*args, "-o", str(out))
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert list(tmp_path.iterdir()) == []


def test_bad_output_paths_fail_before_any_work(tmp_path):
    for out, message in (
        (tmp_path / "picture.jpg", "give a .png or .svg file"),
        (tmp_path / "missing" / "picture.png", "does not exist"),
    ):
        result = invoke("draw", "graph", str(LEARNED), "-o", str(out))
        assert result.exit_code == 1 and message in result.output, result.output
    with pytest.raises(DrawError):
        image_format("picture.pdf")
    unreadable = tmp_path / "broken.tpir.json"
    unreadable.write_text("{not json")
    result = invoke("draw", "graph", str(unreadable), "-o", str(tmp_path / "g.png"))
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.tpir.json"]


# ---- cheap imports ----------------------------------------------------------------------------

PROBE = """
import json, sys
from tpc.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
finally:
    heavy = sorted(m for m in ("torch", "matplotlib", "tracr", "jax") if m in sys.modules)
    print(json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["draw", "--help"], ["report", "--help"]])
def test_help_imports_neither_matplotlib_nor_torch(args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


# ---- the report in a real browser (slow; `make check-report`) -------------------------------


def chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)


class DevTools:
    """The Chrome DevTools protocol over ``--remote-debugging-pipe`` (file descriptors 3
    and 4 of the browser, NUL-separated JSON messages): no web socket, no extra package."""

    def __init__(self, browser: str, profile: Path):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become its fds 3 and 4
            import fcntl

            ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
            os.dup2(ends[0], 3)  # (via fds >= 10: a pipe end may itself be fd 3 or 4)
            os.dup2(ends[1], 4)

        self.process = subprocess.Popen(
            [
                browser,
                "--headless=new",
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _read(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the DevTools pipe")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.to_browser)
        os.close(self.from_browser)


@pytest.mark.slow
def test_report_renders_in_a_headless_browser(run_dir, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium (apt-get install chromium)")
    page = tmp_path / "report.html"
    result = invoke("report", str(run_dir), "-o", str(page))
    assert result.exit_code == 0, result.output
    tools = DevTools(browser, tmp_path / "profile")
    try:
        target = tools.call("Target.createTarget", url="about:blank")["targetId"]
        session = tools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable", session)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.navigate", session, url=page.as_uri())
        tools.wait_for("Page.loadEventFired")
        facts = tools.call(
            "Runtime.evaluate",
            session,
            returnByValue=True,
            expression="JSON.stringify({"
            "sections: [...document.querySelectorAll('section')].map(s => s.id),"
            "images: document.images.length,"
            "broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length,"
            "height: document.documentElement.scrollHeight})",
        )
        facts = json.loads(facts["result"]["value"])
        shot = tools.call(
            "Page.captureScreenshot", session, format="png", captureBeyondViewport=True
        )
    finally:
        tools.close()
    errors = [
        e
        for e in tools.events
        if e.get("method") in ("Runtime.exceptionThrown", "Network.loadingFailed")
        or (
            e.get("method") == "Runtime.consoleAPICalled"
            and e["params"]["type"] in ("error", "assert")
        )
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert errors == []
    assert facts["sections"] == SECTIONS
    assert facts["images"] >= 3 and facts["broken"] == 0 and facts["height"] > 2000
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("L")
    pixels = np.asarray(image)
    assert pixels.shape[0] > 2000  # the whole page, not one screen
    assert (pixels < 200).mean() > 0.01 and len(np.unique(pixels)) > 50  # not blank
