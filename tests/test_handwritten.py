"""The hand-written RASP programs (programs/rasp_handwritten) solve their tasks: every
content position right on every input (exhaustively where that takes seconds, else a
large sample), read as RASP text and again after a trip through the RASP back end.

Framing (see each program's header): a program reads the content tokens only (no
``<s>``/``</s>``), its vocabulary is the task's symbols, its max_len is N minus the task's
special tokens, and it is scored on the content positions.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from tpc.backends.rasp import emit_rasp
from tpc.evaluate import render
from tpc.frontends import parse_rasp
from tpc.ir import Interpreter, Program, run
from tpc.tasks import get_task

PROGRAMS = Path(__file__).resolve().parent.parent / "programs" / "rasp_handwritten"


def load(task_name: str, k: int, n: int) -> tuple[Program, Program]:
    """The program as written, and read back from its emitted RASP text."""
    task = get_task(task_name)
    text = (PROGRAMS / f"{task_name}.rasp").read_text(encoding="utf-8")
    prog = parse_rasp(text, task.symbols(k), n - 1 - task.eos)
    assert prog.output == task_name
    return prog, parse_rasp(emit_rasp(prog), prog.vocab, prog.max_len)


def wrong_inputs(task_name: str, prog: Program, inputs: list[list[str]]) -> list:
    """Inputs on which the program's content labels differ from ``task.label``."""
    task = get_task(task_name)
    by_length = defaultdict(list)
    for seq in inputs:
        by_length[len(seq)].append(seq)
    index = {tok: i for i, tok in enumerate(prog.vocab)}
    rendered = np.array([render(v) for v in prog[prog.output].type.values], dtype=object)
    wrong = []
    for seqs in by_length.values():
        contents = [s[1 : len(s) - task.eos] for s in seqs]
        labels = np.array([task.label(s)[1 : len(s) - task.eos] for s in seqs], dtype=object)
        codes = np.array([[index[t] for t in c] for c in contents], dtype=np.int64)
        env = Interpreter(prog).run(codes, np.full(len(codes), codes.shape[1]))
        bad = (rendered[env[prog.output]] != labels).any(axis=1)
        wrong += [seqs[i] for i in np.flatnonzero(bad)]
    return wrong


def check(task_name: str, k: int, n: int, inputs: list[list[str]]) -> None:
    """The program on every input; its RASP round trip on every 10th (same code path)."""
    prog, back = load(task_name, k, n)
    assert wrong_inputs(task_name, prog, inputs)[:3] == []
    assert wrong_inputs(task_name, back, inputs[::10])[:3] == []


@pytest.mark.parametrize("name", ["reverse", "sort"])
def test_reverse_and_sort_exhaustively(name):
    check(name, 8, 8, list(get_task(name).enumerate(8, 8)))


@pytest.mark.parametrize("name", ["hist", "double_hist", "most_freq"])
def test_counting_tasks_exhaustively_up_to_n7(name):
    # every input of k = 8, N = 7 (56k inputs); N = 8 (336k) is the slow test below
    check(name, 8, 8, list(get_task(name).enumerate(8, 7)))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hist", "double_hist", "most_freq"])
def test_counting_tasks_exhaustively(name):
    check(name, 8, 8, list(get_task(name).enumerate(8, 8)))


def test_dyck1_exhaustively():
    inputs = list(get_task("dyck1").enumerate(16, 16))
    assert len(inputs) == 2**15
    check("dyck1", 16, 16, inputs)


def test_dyck2_exhaustively_up_to_length_8_and_sampled_at_16():
    task = get_task("dyck2")
    inputs = [s for n in range(2, 10) for s in task.enumerate(16, n)]  # 1..8 brackets
    check("dyck2", 16, 16, inputs)
    check("dyck2", 16, 16, task.sample(np.random.default_rng(0), 30_000, 16, 16))


def test_programs_are_causal_where_the_task_is():
    # dyck is trained with causal attention: the label of a prefix must not read later tokens
    task = get_task("dyck2")
    prog, _ = load("dyck2", 16, 16)
    seq = task.sample(np.random.default_rng(1), 1, 16, 16)[0][1:]
    full = run(prog, [seq])[0]
    for cut in range(1, len(seq)):
        assert run(prog, [seq[:cut]])[0] == full[:cut]


@pytest.mark.parametrize("dist", ["reference", "random", "walk"])
def test_eval_samples_each_check_distribution_of_dyck(dist):
    """`tpc eval --dist` scores on tpc refine's Dyck distributions; the hand-written dyck2
    program, right on every input checked above, is right on each."""
    from click.testing import CliRunner

    from tpc.cli.main import main

    args = ["eval", str(PROGRAMS / "dyck2.rasp"), "--task", "dyck2", "--samples", "300"]
    result = CliRunner().invoke(main, [*args, "--dist", dist])
    assert result.exit_code == 0, result.output
    assert f"300 sampled inputs ({dist} distribution, seed 0)" in result.output
    assert "sequence accuracy  100.00%  (300/300)" in result.output
    bad = CliRunner().invoke(main, [*args, "--dist", "uniform"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert "Error: unknown check distribution 'uniform'" in bad.output
