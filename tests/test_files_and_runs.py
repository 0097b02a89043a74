"""Files and runs as untrusted input and output: the one atomic writer (modes, links,
FIFOs, stale temporaries), output paths checked before the work, bounded JSON, run
directories and wiring files with wrong types or sizes, the one-line error printer,
Ctrl-C (exit 130, consistent run directories), and threads as part of a run."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click
import pytest
import torch
from click.testing import CliRunner
from test_train import TINY

from tpc.cli import main
from tpc.cli.common import INTERRUPTED, ErrorGroup, one_line
from tpc.errors import FormatError, TpcError
from tpc.fileio import (
    TMP_TAG,
    FileError,
    atomic_output,
    check_output_dir,
    check_writable,
    parse_json,
    read_json,
    write_atomic,
)
from tpc.model import ConfigError, build_model, check_model_size, config_from_dict
from tpc.model.config import LIMITS, MAX_PARAMETERS, ProgramConfig, StandardConfig
from tpc.train import RunError, TrainConfig, load_run, train_run
from tpc.train.rundir import (
    CHECKPOINT,
    CONFIG,
    METRICS,
    MODEL,
    RESULTS,
    load_tensors,
    save_tensors,
)

pytestmark = pytest.mark.usefixtures("one_thread")

TINY_ARGS = ["--layers", "1", "--heads-cat", "2", "--heads-num", "1", "--cat-mlps", "1"]
TINY_ARGS += ["--num-mlps", "1", "--dataset-size", "600", "--batch-size", "128"]
ROOT = Path(__file__).resolve().parent.parent


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if TMP_TAG in p.name]


def one_error_line(output: str) -> str:
    """The output's only line, which must be an error (no traceback, nothing else)."""
    lines = output.strip("\n").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    return lines[0]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("runs") / "tiny"
    train_run(run_dir, TrainConfig(**TINY, seed=0), progress=False)
    return run_dir


def weights(run_dir: Path) -> dict[str, torch.Tensor]:
    return load_tensors(run_dir / MODEL)[0]


# ---- the atomic writer ---------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_new_and_replaced_files_get_the_umask_mode(tmp_path, mask):
    before = os.umask(mask)
    try:
        write_atomic(tmp_path / "new.txt", "one")
        old = tmp_path / "old.txt"
        old.write_text("x")
        os.chmod(old, 0o640)
        write_atomic(old, b"two")
    finally:
        os.umask(before)
    assert mode(tmp_path / "new.txt") == 0o666 & ~mask
    assert mode(old) == 0o666 & ~mask  # the documented choice: the umask's, not the old mode
    assert (tmp_path / "new.txt").read_text() == "one" and old.read_bytes() == b"two"
    assert leftovers(tmp_path) == []


def test_links_fifos_and_directories_are_refused_and_left_alone(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep")
    (tmp_path / "link.txt").symlink_to(real)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "absent.txt")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    cases = {"link.txt": "symbolic link", "dangling.txt": "symbolic link"}
    cases |= {"fifo": "not a regular file", "dir": "is a directory"}
    for name, reason in cases.items():
        for attempt in (check_writable, lambda p: write_atomic(p, "new")):
            with pytest.raises(FileError, match=reason) as info:
                attempt(tmp_path / name)
            assert "\n" not in str(info.value)
    assert real.read_text() == "keep" and (tmp_path / "link.txt").is_symlink()
    assert not (tmp_path / "absent.txt").exists() and stat.S_ISFIFO(
        os.lstat(tmp_path / "fifo").st_mode
    )
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "path, reason",
    [
        ("", "empty"),
        ("{tmp}/missing/out.txt", "does not exist"),
        ("{tmp}/file.txt/out.txt", "(?i)not a directory"),
        ("/proc/tpc-cannot-write-here", "cannot write"),
        ("{tmp}/" + "n" * 300, "too long"),
    ],
)
def test_unwritable_paths_fail_in_one_line(tmp_path, path, reason):
    (tmp_path / "file.txt").write_text("x")
    target = path.format(tmp=tmp_path)
    for attempt in (check_writable, lambda p: write_atomic(p, "x")):
        with pytest.raises(FileError, match=reason) as info:
            attempt(target)
        assert "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_fails_in_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        with pytest.raises(FileError, match="cannot write"):
            check_writable(locked / "out.txt")
        with pytest.raises(FileError, match="cannot write"):
            check_output_dir(locked / "run")
    finally:
        locked.chmod(0o755)


def test_output_directories(tmp_path):
    (tmp_path / "file").write_text("x")
    assert check_output_dir(tmp_path / "a" / "b") == tmp_path / "a" / "b"  # made later
    assert not (tmp_path / "a").exists()
    with pytest.raises(FileError, match="exists and is not a directory"):
        check_output_dir(tmp_path / "file")
    with pytest.raises(FileError, match="(?i)not a directory"):
        check_output_dir(tmp_path / "file" / "run")
    with pytest.raises(FileError, match="empty"):
        check_output_dir("")


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as f:
        f.write(b"half of the new")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_killed_writer_leaves_a_temporary_that_the_next_write_removes(tmp_path):
    target = tmp_path / "out.txt"
    script = textwrap.dedent(
        f"""
        import os, signal
        from tpc.fileio import atomic_output
        with atomic_output({str(target)!r}) as f:
            f.write(b"half")
            f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    (stale,) = leftovers(tmp_path)
    assert stale.startswith(f".out.txt{TMP_TAG}{proc.pid}.")
    # a temporary of a live process (this one's parent) is not touched
    alive = tmp_path / f".out.txt{TMP_TAG}{os.getppid()}.0000"
    alive.write_text("in use")
    write_atomic(target, "new")
    assert target.read_text() == "new" and leftovers(tmp_path) == [alive.name]


# ---- bounded JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[" * 70 + "]" * 70, "nested too deeply"),
        ("1" * 5000, "too many digits"),
        ('{"a": ', "is not JSON"),
    ],
)
def test_json_that_python_cannot_take_is_one_line(text, reason):
    with pytest.raises(FormatError, match=reason) as info:
        parse_json(text, "f.json", FormatError)
    assert str(info.value).startswith("f.json") and "\n" not in str(info.value)


def test_read_json_refuses_fifos_and_huge_files_without_reading_them(tmp_path):
    os.mkfifo(tmp_path / "fifo.json")  # reading it would block forever
    with pytest.raises(FileError, match="not a regular file"):
        read_json(tmp_path / "fifo.json")
    (tmp_path / "big.json").write_text("[" + "0," * 1000 + "0]")
    with pytest.raises(FileError, match="too large"):
        read_json(tmp_path / "big.json", max_bytes=100)


# ---- configurations ---------------------------------------------------------------------------


def test_every_number_string_and_list_field_has_a_limit():
    import dataclasses

    for cls in (TrainConfig, ProgramConfig, StandardConfig):
        for f in dataclasses.fields(cls):
            kinds = str(f.type)
            if any(k in kinds for k in ("int", "float", "str", "tuple")) and f.name not in (
                "length_dist",
                "tau_schedule",
            ):
                assert f.name in LIMITS, (cls.__name__, f.name)


def run_config(run_dir: Path) -> dict:
    return json.loads((run_dir / CONFIG).read_text())


@pytest.mark.parametrize(
    "part, field, value, text",
    [
        ("model", "n_layers", 2.0, "n_layers must be an integer, got 2.0"),
        ("model", "d_mlp", 10**12, "d_mlp must be <= 4096"),
        ("model", "d_var", -3, "d_var must be >= 1"),
        ("model", "n_heads_cat", 10**6, "n_heads_cat must be <= 32"),
        ("model", "causal", "yes", "causal must be true or false"),
        ("model", "input_vocab", ["<pad>", 3], "input_vocab must be a list of strings"),
        ("model", "input_vocab", ["t"] * 20_000, "at most 16,384 entries"),
        ("model", "class_mask", [True], "class_mask must be a list of integers"),
        ("model", "kind", ["tp"], "unknown model kind"),
        ("model", "d_var", None, "d_var must be an integer"),
        ("train", "epochs", 1e12, "epochs must be an integer"),
        ("train", "lr", "fast", "lr must be a finite number"),
        ("train", "batch_size", 0, "batch_size must be >= 1"),
        ("train", "threads", 10**6, "threads must be <= 1024"),
        ("train", "task", {"a": 1}, "task must be a string"),
        ("train", "tau_schedule", "cosine", "tau_schedule must be one of"),
        ("train", "seed", -1, "seed must be >= 0"),
    ],
)
def test_bad_config_values_name_file_and_field(finished_run, tmp_path, part, field, value, text):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    for name in (MODEL, RESULTS, CHECKPOINT):
        (run_dir / name).write_bytes((finished_run / name).read_bytes())
    data = run_config(finished_run)
    data[part][field] = value
    (run_dir / CONFIG).write_text(json.dumps(data))
    with pytest.raises(RunError, match="config.json is corrupt") as info:
        load_run(run_dir)
    assert text in str(info.value) and "\n" not in str(info.value)
    result = CliRunner().invoke(main, ["lower", str(run_dir)])
    assert result.exit_code == 1 and text in one_error_line(result.output)


@pytest.mark.parametrize(
    "raw, text",
    [
        ('{"format": "tpc-run/1", "train": ' + "[" * 100_000, "nested too deeply"),
        (
            '{"format": "tpc-run/1", "train": {"task": "sort", "seed": ' + "7" * 5000 + "}}",
            "digits",
        ),
        ('{"format": "tpc-run/1", "train": {"task": "sort"}}', 'no "model" options'),
        ('{"format": "tpc-run/1", "train": [], "model": {}}', "training options must be an object"),
        ('{"format": "tpc-run/1", "train": {}, "model": {}}', "missing training option(s): task"),
        ('["tpc-run/1"]', "not a tpc run config"),
    ],
)
def test_malformed_config_json_is_one_line(tmp_path, raw, text):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / CONFIG).write_text(raw)
    with pytest.raises(RunError) as info:
        load_run(run_dir)
    assert text in str(info.value) and "\n" not in str(info.value)
    assert len(str(info.value)) < 300


def test_model_size_is_bounded_without_allocating_it():
    base = dict(input_vocab=tuple("abcdefgh"), classes=tuple("abcdefgh"), max_len=8)
    big = ProgramConfig(**base, d_var=1024, n_layers=32, n_heads_cat=32, n_cat_mlps=32)
    data = {k: list(v) if isinstance(v, tuple) else v for k, v in big.__dict__.items()}
    for build in (check_model_size, build_model):
        with pytest.raises(ConfigError, match=f"more than tpc trains \\({MAX_PARAMETERS:,}\\)"):
            build(config_from_dict(data))
    with pytest.raises(ConfigError, match="tokens"):
        TrainConfig(task="sort", dataset_size=1_000_000, n=64).check()


def copy_run(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def edit_checkpoint(run_dir: Path, change) -> None:
    tensors, meta = load_tensors(run_dir / CHECKPOINT)
    change(tensors, meta)
    save_tensors(run_dir / CHECKPOINT, tensors, meta)


@pytest.mark.parametrize(
    "change, text",
    [
        (lambda t, m: t.update(rng=t["rng"].float()), "rng does not match"),
        (lambda t, m: t.update(rng=t["rng"][:10]), "rng does not match"),
        (lambda t, m: t.pop("rng"), "no rng tensor"),
        (lambda t, m: t.update({"optim.0.exp_avg": torch.zeros(3, 3)}), "optim.0.exp_avg"),
        (lambda t, m: t.update({"optim.999.step": torch.zeros(())}), "unexpected tensor"),
        (lambda t, m: t.pop("optim.0.exp_avg_sq"), "incomplete optimiser state"),
        (lambda t, m: t.update(extra=torch.zeros(1)), "unexpected tensor 'extra'"),
        (lambda t, m: m.update(epoch="9" * 5000), "epoch is not a number"),
        (lambda t, m: m.update(epoch="99"), "epoch 99 is outside"),
        (lambda t, m: m.update(step="1"), "counters do not fit"),
        (lambda t, m: m.update(best_val="nan"), "counters do not fit"),
    ],
)
def test_bad_checkpoints_are_refused_on_resume(finished_run, tmp_path, change, text):
    run_dir = copy_run(finished_run, tmp_path / "run")
    edit_checkpoint(run_dir, change)
    with pytest.raises(RunError, match="checkpoint.safetensors") as info:
        train_run(run_dir, resume=True, progress=False)
    assert text in str(info.value) and "\n" not in str(info.value)


def test_model_weights_of_another_dtype_are_refused(finished_run, tmp_path):
    run_dir = copy_run(finished_run, tmp_path / "run")
    tensors = {k: v.double() for k, v in weights(run_dir).items()}
    save_tensors(run_dir / MODEL, tensors)
    with pytest.raises(RunError, match="does not match config.json: shape .* torch.float64"):
        load_run(run_dir)


@pytest.mark.parametrize(
    "rows, text",
    [
        (['{"epoch": 1, "seconds": 0.1}', '{"epoch": 3, "seconds": 0.1}'], "line 2"),
        (['{"epoch": 1}'], "line 1"),
        (["[" * 5000 + "]" * 5000], "nested too deeply"),
        (['{"epoch": 1, "seconds": 0.1}'], "has 1 epochs"),
    ],
)
def test_bad_metrics_are_refused_on_resume(finished_run, tmp_path, rows, text):
    run_dir = copy_run(finished_run, tmp_path / "run")
    (run_dir / METRICS).write_text("\n".join(rows) + "\n")
    with pytest.raises(RunError, match="metrics.jsonl") as info:
        train_run(run_dir, resume=True, progress=False)
    assert text in str(info.value)


@pytest.mark.parametrize("raw", ["[1, 2]", '{"format": "x"}', "[" * 100_000])
def test_bad_results_are_refused(finished_run, tmp_path, raw):
    run_dir = copy_run(finished_run, tmp_path / "run")
    (run_dir / RESULTS).write_text(raw)
    with pytest.raises(RunError, match="results.json"):
        load_run(run_dir)


# ---- wiring files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate, text",
    [
        (lambda d: d.update(layers=[[[[[]]]]] * 0 + ["[" * 10]), "needs"),
        (lambda d: d["layers"][0]["heads"][0].update(predicate=[True] * 5), "integer key values"),
        (lambda d: d["layers"][0]["heads"][0].update(query=["tokens"]), "cannot read ['tokens']"),
        (lambda d: d["layers"][0]["heads"][0].update(key=5), "cannot read 5"),
        (lambda d: d["layers"][0].update(mlps="tokens"), 'needs "heads" and "mlps" lists'),
        (lambda d: d["layers"][0]["heads"][0].update(predicate=[10**30] * 5), "0..4"),
    ],
)
def test_wiring_files_with_wrong_types_are_one_line(tmp_path, mutate, text):
    from test_wiring import HAND, small_model

    from tpc.train.wiring import load_wiring

    doc = json.loads(json.dumps(HAND))
    mutate(doc)
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(FormatError) as info:
        load_wiring(small_model(), path)
    assert text in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "raw, text",
    [
        ('{"format": "tpc-wiring/1", "layers": ' + "[" * 100_000, "nested too deeply"),
        ('{"format": "tpc-wiring/1", "layers": [' + "9" * 5000 + "]}", "digits"),
    ],
)
def test_wiring_files_python_cannot_parse_are_one_line(tmp_path, raw, text):
    from test_wiring import small_model

    from tpc.train.wiring import load_wiring

    path = tmp_path / "w.json"
    path.write_text(raw)
    with pytest.raises(FormatError, match=text) as info:
        load_wiring(small_model(), path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


# ---- the command line: output paths, one line ----------------------------------------------


@pytest.fixture
def bad_outputs(tmp_path) -> dict[str, str]:
    (tmp_path / "dir").mkdir()
    (tmp_path / "real.json").write_text("keep")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    return {
        "dir": str(tmp_path / "dir"),
        "empty": "",
        "proc": "/proc/tpc-x",
        "no parent": str(tmp_path / "missing" / "out.json"),
        "link": str(tmp_path / "link.json"),
    }


def check_nothing_written(tmp_path: Path) -> None:
    assert (tmp_path / "real.json").read_text() == "keep"
    assert not (tmp_path / "missing").exists()
    assert leftovers(tmp_path) == [] and list((tmp_path / "dir").iterdir()) == []


@pytest.mark.parametrize("which", ["dir", "empty", "proc", "no parent", "link"])
def test_file_commands_check_their_output_first(
    finished_run, tmp_path, bad_outputs, monkeypatch, which
):
    from tpc import lower
    from tpc.cli import opt as opt_cli
    from tpc.train import search

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("the output should have been checked before this")

    monkeypatch.setattr(lower, "lower_run", must_not_run)
    monkeypatch.setattr(opt_cli, "optimize", must_not_run)
    monkeypatch.setattr(search, "search_wiring", must_not_run)
    program = tmp_path / "p.rasp"
    program.write_text("x = tokens;\n")
    out = bad_outputs[which]
    commands = [
        ["emit", str(program), "--vocab", "a,b", "--max-len", "3", "--to", "python", "-o", out],
        ["lower", str(finished_run), "-o", out],
        ["opt", str(program), "--vocab", "a,b", "--max-len", "3", "-o", out],
        ["search-wiring", str(finished_run), "-o", out],
    ]
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        assert "cannot write" in one_error_line(result.output) or "empty" in result.output
    check_nothing_written(tmp_path)


@pytest.mark.parametrize("which", ["file", "empty", "proc", "under a file"])
def test_train_checks_its_directories_before_making_data(tmp_path, monkeypatch, which):
    from tpc.train import loop

    monkeypatch.setattr(loop, "load_data", lambda *a: pytest.fail("checked too late"))
    (tmp_path / "file").write_text("x")
    out = {
        "file": str(tmp_path / "file"),
        "empty": "",
        "proc": "/proc/tpc-run",
        "under a file": str(tmp_path / "file" / "run"),
    }[which]
    for args in (["-o", out], ["-o", str(tmp_path / "ok"), "--emit", out]):
        result = CliRunner().invoke(main, ["train", "sort", *args, "--no-progress"])
        assert result.exit_code == 1, result.output
        one_error_line(result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_the_error_printer_keeps_messages_to_one_line():
    message = "bad\ntoken \x1b[31mred\r\u202e" + "x" * 5000

    @click.group(cls=ErrorGroup)
    def group() -> None:
        pass

    @group.command()
    def fails() -> None:
        raise TpcError(message)

    @group.command()
    def click_fails() -> None:
        raise click.ClickException("two\nlines")

    @group.command()
    def interrupted() -> None:
        raise KeyboardInterrupt

    @group.command()
    def os_fails() -> None:
        open("/nonexistent/tpc/file")  # noqa: SIM115

    @group.command()
    def memory_fails() -> None:
        raise MemoryError

    @group.command()
    def recursion_fails() -> None:
        raise RecursionError

    result = CliRunner().invoke(group, ["fails"])
    line = one_error_line(result.output)
    assert result.exit_code == 1 and "bad\\ntoken \\x1b[31mred\\r\\u202e" in line
    assert len(line) < 1100 and line.endswith("(cut; 5,020 characters in all)")
    assert one_error_line(CliRunner().invoke(group, ["click-fails"]).output) == "Error: two\\nlines"
    result = CliRunner().invoke(group, ["interrupted"])
    assert result.exit_code == INTERRUPTED and one_error_line(result.output) == "Error: interrupted"
    result = CliRunner().invoke(group, ["os-fails"])
    assert result.exit_code == 1 and "No such file" in one_error_line(result.output)
    for name, text in (("memory-fails", "out of memory"), ("recursion-fails", "nested")):
        result = CliRunner().invoke(group, [name])
        assert result.exit_code == 1 and text in one_error_line(result.output)
    assert one_line("plain é ü") == "plain é ü"


# ---- Ctrl-C ------------------------------------------------------------------------------------

# A subprocess that runs `tpc ARGS...` as the program, after PATCHES: so that a test can
# deliver SIGINT at an exact point (os.kill on itself raises KeyboardInterrupt there).
PROGRAM = """
import os, signal, sys
{patches}
sys.argv = ["tpc", *{args!r}]
from tpc.cli import main
main()
"""


def tpc_command(args: list[str], patches: str = "") -> list[str]:
    return [sys.executable, "-c", PROGRAM.format(patches=textwrap.dedent(patches), args=args)]


def with_ctrl_c() -> None:
    """In a child before it runs: Ctrl-C's default disposition, as for a command typed at
    a terminal, even when these tests run where SIGINT is ignored (nohup, a background
    job), which children would inherit and Python would then respect."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_tpc(cwd: Path, args: list[str], patches: str = "", timeout: float = 240):
    return subprocess.run(
        tpc_command(args, patches),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=with_ctrl_c,
    )


def assert_interrupted(proc, text: str) -> None:
    assert proc.returncode == INTERRUPTED, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr, proc.stderr
    assert text in one_error_line(proc.stderr)


def test_ctrl_c_while_tpc_cli_imports_its_modules(tmp_path):
    patches = """
    import importlib.abc
    class Interrupt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "click":
                os.kill(os.getpid(), signal.SIGINT)
            return None
    sys.meta_path.insert(0, Interrupt())
    """
    assert_interrupted(run_tpc(tmp_path, ["tasks"], patches), "Error: interrupted")


def test_ctrl_c_while_the_trainer_starts_up(tmp_path):
    patches = """
    from tpc.train import loop
    def interrupted(*args):
        os.kill(os.getpid(), signal.SIGINT)
    loop.load_data = interrupted
    """
    proc = run_tpc(tmp_path, ["train", "sort", "-o", "run", "--no-progress"], patches)
    assert_interrupted(proc, "interrupted before the run started")
    assert not (tmp_path / "run").exists()


SECOND_CTRL_C = """
from tpc.train import loop, rundir
real_epoch, real_select = loop.Trainer.train_epoch, loop.Trainer.select_best
def train_epoch(self):
    if self.epoch == 1:
        os.kill(os.getpid(), signal.SIGINT)  # the first Ctrl-C: during epoch 2
    return real_epoch(self)
def select_best(self):
    real_select(self)
    if {where!r} == "evaluation":
        real_accuracy = loop.accuracy
        def accuracy(*args):
            os.kill(os.getpid(), signal.SIGINT)  # the second: while it evaluates
            return real_accuracy(*args)
        loop.accuracy = accuracy
    else:
        real_save = rundir.save_tensors
        def save_tensors(path, *args):
            if path.name == "model.safetensors":
                os.kill(os.getpid(), signal.SIGINT)  # the second: while it writes
            return real_save(path, *args)
        rundir.save_tensors = save_tensors
loop.Trainer.train_epoch, loop.Trainer.select_best = train_epoch, select_best
"""


def test_a_second_ctrl_c_while_evaluating_leaves_a_resumable_run(tmp_path):
    args = ["train", "sort", "-o", "run", *TINY_ARGS, "--epochs", "3", "--no-progress"]
    proc = run_tpc(tmp_path, args, SECOND_CTRL_C.format(where="evaluation"))
    assert_interrupted(proc, "before the run finished: continue with tpc train --resume run")
    run_dir = tmp_path / "run"
    assert {p.name for p in run_dir.iterdir()} == {CONFIG, CHECKPOINT, METRICS}
    with pytest.raises(RunError, match="did not finish"):
        load_run(run_dir)
    result = CliRunner().invoke(main, ["lower", str(run_dir)])
    assert "did not finish" in one_error_line(result.output)
    resumed = train_run(run_dir, resume=True, progress=False)
    assert resumed["epochs_completed"] == 3 and not resumed["interrupted"]
    straight = tmp_path / "straight"
    train_run(straight, TrainConfig(**TINY), progress=False)
    a, b = weights(straight), weights(run_dir)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_second_ctrl_c_while_writing_the_results_waits_for_them(tmp_path):
    args = ["train", "sort", "-o", "run", *TINY_ARGS, "--epochs", "3", "--no-progress"]
    proc = run_tpc(tmp_path, args, SECOND_CTRL_C.format(where="writing"))
    assert_interrupted(proc, "before the run finished")
    run = load_run(tmp_path / "run")  # both written, and they belong together
    assert run.results["interrupted"] and run.results["epochs_completed"] == 1
    assert leftovers(tmp_path / "run") == []


def test_ctrl_c_while_python_shuts_down_keeps_the_exit_status(tmp_path):
    patches = """
    import atexit, time
    def late_ctrl_c():
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
    atexit.register(late_ctrl_c)
    """
    proc = run_tpc(tmp_path, ["tasks"], patches)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    proc = run_tpc(tmp_path, ["lower", "nowhere"], patches)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    one_error_line(proc.stderr)


def test_two_real_ctrl_cs_during_training(tmp_path):
    """The real thing, timing and all: whatever the second Ctrl-C interrupts, tpc exits
    with 130 and leaves a run that is finished or resumable."""
    args = ["train", "sort", "-o", "run", *TINY_ARGS, "--epochs", "200", "--no-progress"]
    proc = subprocess.Popen(
        tpc_command(args),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=with_ctrl_c,
    )
    deadline = time.monotonic() + 120
    while not (tmp_path / "run" / METRICS).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == INTERRUPTED, (out, err)
    assert "Traceback" not in err and "Aborted" not in err, err
    run_dir = tmp_path / "run"
    if not (run_dir / RESULTS).exists():
        train_run(run_dir, resume=True, progress=False)
    assert load_run(run_dir).results["epochs_completed"] >= 1


def test_a_kill_while_finishing_leaves_no_stale_results(finished_run, tmp_path, monkeypatch):
    """Finishing removes results.json before it replaces the model: a hard stop between
    the two never pairs the new weights with the old results."""
    from tpc.train import rundir

    run_dir = copy_run(finished_run, tmp_path / "run")
    real = rundir.write_json

    def killed(path, obj):
        if path.name == RESULTS:
            raise SystemExit("killed")
        return real(path, obj)

    monkeypatch.setattr(rundir, "write_json", killed)
    with pytest.raises(SystemExit):
        train_run(run_dir, resume=True, progress=False)
    with pytest.raises(RunError, match="has no results.json"):
        load_run(run_dir)


def test_a_run_stopped_before_its_first_checkpoint_resumes_from_scratch(tmp_path, monkeypatch):
    from tpc.train import loop

    real = loop.Trainer.train_epoch

    def stop(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(loop.Trainer, "train_epoch", stop)
    stopped = train_run(tmp_path / "run", TrainConfig(**TINY), progress=False)
    assert stopped["interrupted"] and not (tmp_path / "run" / CHECKPOINT).exists()
    monkeypatch.setattr(loop.Trainer, "train_epoch", real)
    train_run(tmp_path / "run", resume=True, progress=False)
    train_run(tmp_path / "straight", TrainConfig(**TINY), progress=False)
    a, b = weights(tmp_path / "straight"), weights(tmp_path / "run")
    assert all(torch.equal(a[k], b[k]) for k in a)


# ---- threads ------------------------------------------------------------------------------------


def test_threads_are_part_of_the_run(tmp_path, monkeypatch):
    from tpc.train import loop

    seen = []
    real = loop.Trainer.train_epoch

    def record(self):
        seen.append(torch.get_num_threads())
        return real(self)

    monkeypatch.setattr(loop.Trainer, "train_epoch", record)
    before = torch.get_num_threads()
    args = ["train", "sort", "-o", str(tmp_path / "run"), *TINY_ARGS, "--epochs", "1"]
    result = CliRunner().invoke(main, [*args, "--threads", "2", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert seen == [2] and torch.get_num_threads() == before
    assert run_config(tmp_path / "run")["train"]["threads"] == 2
    assert "threads" not in TrainConfig(task="sort").to_dict()  # old configs stay as they were
    same = CliRunner().invoke(main, ["train", "--resume", str(tmp_path / "run"), "--threads", "2"])
    assert same.exit_code == 0, same.output
    other = CliRunner().invoke(main, ["train", "--resume", str(tmp_path / "run"), "--threads", "1"])
    assert other.exit_code == 1
    assert "drop --threads (saved: 2)" in one_error_line(other.output)
