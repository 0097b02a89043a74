"""One trial, one process: ``python -m tpc.sweep.worker RUN_DIR (--config JSON | --resume)``.

Both executors (local processes and Ray tasks) train every trial the same way, in a
process of its own started by :class:`TrialProcess`:

* **Isolation.** A trial that runs out of memory, crashes or is killed takes nothing else
  with it; its memory goes back to the system when it ends; torch's global settings
  (threads, denormals) start fresh, so a trial computes the same weights whichever
  worker, backend or earlier trials ran before it. Starting Python and torch costs a
  couple of seconds, against minutes for a real trial.
* **The same Ctrl-C as ``tpc train``.** The process runs in a session of its own, so a
  Ctrl-C at the terminal reaches only the sweep, which passes one SIGINT on to each
  trial: training stops after saving its last complete epoch, evaluates that and writes
  ``results.json`` marked interrupted (a second SIGINT skips the evaluation). Either way
  the run resumes from its checkpoint. If the sweep itself dies, the trial sees its
  standard input close and stops the same way (``--stop-on-eof``).
* **One torch thread** unless the trial's ``threads`` option says otherwise
  (:class:`tpc.train.TrainConfig` records it: the thread count changes the weights).

Exit status: 0 finished, 130 interrupted (resumable), 1 failed (the last line of the
output says why: ``Error: ...``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130
#: Most bytes of a session's output kept as its failure message source.
TAIL_BYTES = 64 * 1024


def main(argv: list[str] | None = None) -> int:
    """Train (or resume) one run; see the module docstring for the exit status."""
    # A process started with SIGINT ignored (nohup, a background job) or blocked (a Ray
    # worker blocks it) passes that on to its children: training needs Ctrl-C as
    # KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parser = argparse.ArgumentParser(prog="python -m tpc.sweep.worker")
    parser.add_argument("run_dir", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--config", help="the TrainConfig of a new run, as JSON")
    group.add_argument("--resume", action="store_true", help="continue the run in RUN_DIR")
    parser.add_argument(
        "--stop-on-eof",
        action="store_true",
        help="stop (as on Ctrl-C) when standard input closes: the sweep has gone",
    )
    args = parser.parse_args(argv)
    if args.stop_on_eof:
        threading.Thread(target=_stop_on_eof, daemon=True).start()
    try:
        from tpc.errors import TpcError
        from tpc.train.config import TrainConfig
        from tpc.train.loop import train_run

        try:
            if args.resume:
                results = train_run(args.run_dir, resume=True, progress=False)
            else:
                config = TrainConfig.from_dict(json.loads(args.config))
                results = train_run(args.run_dir, config, progress=False)
        except TpcError as exc:
            print(f"Error: {_one_line(str(exc))}", flush=True)
            return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted (resumable)", flush=True)
        return EXIT_INTERRUPTED
    acc = results["accuracy"]
    print(
        f"{'interrupted' if results['interrupted'] else 'finished'}: train {acc['train']:.4f} "
        f"val {acc['val']:.4f} test {acc['test']:.4f} (best epoch {results['best_epoch']} of "
        f"{results['epochs_completed']})",
        flush=True,
    )
    return EXIT_INTERRUPTED if results["interrupted"] else EXIT_OK


def _one_line(text: str) -> str:
    from tpc.errors import printable

    return printable(text[:1000])


def _stop_on_eof() -> None:
    """Wait for standard input to close, then interrupt the main thread (as Ctrl-C)."""
    try:  # os.read, not sys.stdin: a buffered reader's lock would hang the exit
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGINT)


class TrialProcess:
    """A running :func:`main` for one trial, its output appended to ``log``.

    ``config`` None resumes the run in ``run_dir``. :meth:`poll` reaps the process
    (with its CPU time, from ``wait4``), :meth:`interrupt` sends it one SIGINT.
    """

    def __init__(
        self,
        run_dir: Path,
        config: dict[str, Any] | None,
        log: Path,
        cwd: Path | None = None,
    ) -> None:
        cmd = [sys.executable, "-m", "tpc.sweep.worker", str(run_dir), "--stop-on-eof"]
        cmd += ["--resume"] if config is None else ["--config", json.dumps(config)]
        threads = str((config or {}).get("threads", 1))
        import tpc

        root = str(Path(tpc.__file__).resolve().parent.parent)
        path = os.environ.get("PYTHONPATH")
        env = dict(
            os.environ,
            OMP_NUM_THREADS=threads,
            MKL_NUM_THREADS=threads,
            PYTHONPATH=root if not path else f"{root}{os.pathsep}{path}",
            PYTHONUNBUFFERED="1",
        )
        self.mode = "resume" if config is None else "new"
        self.log_path = log
        self._log: IO[bytes] = open(log, "ab")  # noqa: SIM115 (closed in _close)
        self.log_start = self._log.tell()
        self.started = time.time()
        self._t0 = time.perf_counter()
        self.signals = 0
        self.exit_code: int | None = None
        self.wall = self.cpu = 0.0
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))
        self.proc = _popen(cmd, env, cwd, self._log)
        header = f"== {stamp} {self.mode} (pid {self.proc.pid})\n"
        os.write(self._log.fileno(), header.encode())

    @property
    def pid(self) -> int:
        return self.proc.pid

    def poll(self) -> bool:
        """Whether the process has ended (then :attr:`exit_code`, :attr:`wall` and
        :attr:`cpu` are set)."""
        if self.exit_code is not None:
            return True
        pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
        if pid == 0:
            return False
        self.exit_code = os.waitstatus_to_exitcode(status)
        self.proc.returncode = self.exit_code
        self.wall = time.perf_counter() - self._t0
        self.cpu = usage.ru_utime + usage.ru_stime
        self._close()
        return True

    def wait(self, interval: float = 0.2) -> None:
        while not self.poll():
            time.sleep(interval)

    def interrupt(self) -> None:
        """Ask the trial to stop (one SIGINT; a second one skips its evaluation)."""
        if self.exit_code is None:
            self.signals += 1
            try:
                os.kill(self.proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        if self.exit_code is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def status(self) -> str:
        """``finished``, ``interrupted`` or ``failed`` (after :meth:`poll`)."""
        if self.exit_code == EXIT_OK:
            return "finished"
        if self.exit_code == EXIT_INTERRUPTED:
            return "interrupted"
        return "failed"

    def message(self) -> str:
        """The session's last ``Error:`` line, else its last line, else its exit status."""
        text = self.output()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("Error:")]
        if errors:
            return errors[-1].removeprefix("Error:").strip()
        if self.exit_code is not None and self.exit_code < 0:
            name = (
                signal.Signals(-self.exit_code).name
                if -self.exit_code in signal.valid_signals()
                else ""
            )
            last = f"; last output: {lines[-1]}" if lines else ""
            return f"killed by signal {-self.exit_code} {name}".rstrip() + last
        if lines:
            return lines[-1][:500]
        return f"exit status {self.exit_code}"

    def output(self) -> str:
        """What this session wrote (its last :data:`TAIL_BYTES`)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(self.log_start, os.path.getsize(self.log_path) - TAIL_BYTES))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def session(self, trial: str, backend: str, host: str) -> dict[str, Any]:
        """The ``sessions.json`` entry of this (ended) process."""
        return {
            "trial": trial,
            "mode": self.mode,
            "backend": backend,
            "host": host,
            "start": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started)),
            "wall": round(self.wall, 3),
            "cpu": round(self.cpu, 3),
            "exit": self.exit_code,
            "status": self.status(),
        }

    def _close(self) -> None:
        for stream in (self.proc.stdin, self._log):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def _popen(cmd: list[str], env: dict[str, str], cwd: Path | None, log: IO[bytes]):
    import subprocess

    return subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )


if __name__ == "__main__":
    sys.exit(main())
