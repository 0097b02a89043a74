"""Files tpc writes and reads: the one atomic writer, output-path checks and bounded JSON.

Every file tpc writes goes through :func:`write_atomic` (or :func:`atomic_output`, which
streams): the data goes to a temporary file in the target's directory, is flushed to disk
(``fsync``) and is renamed over the target, so a reader sees the old file or the new one,
never half of one. The rules, chosen once for every command:

* **Mode.** A written file gets the mode a new file gets under the process's umask
  (``0o666 & ~umask``), also when it replaces an existing file: the old file's mode is not
  carried over (a rename installs a new file; copying the mode of whatever was there
  would also copy modes that make no sense for an output, such as ``0o755``). For the
  same reason the new file has the writer as owner, and other hard links to the old
  file keep the old content.
* **What may be replaced.** Only a regular file. A directory, FIFO, device or socket at
  the target is refused, and so is a **symbolic link** (even one to a regular file):
  following it would write somewhere the user did not name, replacing it would silently
  break the link. Directories given as output *directories* (run directories, ``--emit``)
  may be symbolic links to directories.
* **Temporary files** are named ``.NAME.tpc-tmp.PID.RANDOM`` (a hash stands in for a
  NAME too long to extend) and removed on any error or interrupt. Only a hard kill leaves
  one behind; the next write of the same target removes those whose process is no longer
  running (processes in another PID namespace writing the same directory are not
  supported).
* **Errors** are :class:`FileError` with a one-line message naming the path; a command
  calls :func:`check_writable` (files) or :func:`check_output_dir` (directories) on its
  outputs before any long work, so a bad path fails in a second, not after a search.

Reading: :func:`read_json` reads a bounded JSON document (size, nesting depth, no
``RecursionError`` or integer-conversion ``ValueError`` escaping) and raises the caller's
error class with a one-line message.

This module depends only on :mod:`tpc.errors` and the standard library.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from tpc.errors import TpcError

#: Marks tpc's temporary files: ``.NAME`` + TMP_TAG + ``PID.RANDOM``.
TMP_TAG = ".tpc-tmp."
#: Longest target name (bytes) that is kept in the temporary name; longer ones are hashed.
MAX_NAME_IN_TMP = 200
#: Default size limit of a JSON file :func:`read_json` reads.
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Deepest nesting of arrays and objects :func:`parse_json` accepts.
MAX_JSON_DEPTH = 64

PathLike = str | os.PathLike[str]


class FileError(TpcError):
    """An output path tpc cannot write, or a file it cannot read."""


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _output_path(path: PathLike) -> Path:
    if os.fspath(path) == "":
        raise FileError("the output path is empty")
    return Path(path)


def _check_target(path: Path) -> None:
    """FileError unless ``path`` is absent or a regular file (not a link) tpc may replace."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileError(f"cannot write {path}: {_reason(exc)}") from None
    if stat.S_ISLNK(mode):
        raise FileError(f"cannot write {path}: it is a symbolic link (tpc does not replace links)")
    if stat.S_ISDIR(mode):
        raise FileError(f"cannot write {path}: it is a directory")
    if not stat.S_ISREG(mode):
        raise FileError(f"cannot write {path}: it is not a regular file")


def _temp_prefix(path: Path) -> str:
    name = path.name
    if len(os.fsencode(name)) > MAX_NAME_IN_TMP:
        name = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    return f".{name}{TMP_TAG}"


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside ``path`` (mode from the umask): (fd, its path).
    Raises OSError if the directory does not let one be created."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    prefix = _temp_prefix(path)
    while True:
        tmp = path.parent / f"{prefix}{os.getpid()}.{secrets.token_hex(4)}"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _probe(directory: Path) -> None:
    """Create and remove a temporary file in ``directory``: the only reliable test that
    tpc can write there (read-only mounts, /proc, permissions that root ignores)."""
    fd, tmp = _create_temp(directory / "probe")
    os.close(fd)
    _unlink_quietly(tmp)


def _check_parent(path: Path) -> None:
    """FileError unless ``path``'s directory exists and a file can be created in it."""
    parent = path.parent
    try:
        mode = os.stat(parent).st_mode
    except FileNotFoundError:
        raise FileError(f"cannot write {path}: directory {parent} does not exist") from None
    except OSError as exc:
        raise FileError(f"cannot write {path}: {_reason(exc)}") from None
    if not stat.S_ISDIR(mode):
        raise FileError(f"cannot write {path}: {parent} is not a directory")
    try:
        _probe(parent)
    except OSError as exc:
        raise FileError(f"cannot write {path}: {_reason(exc)}") from None


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process (or an impossible id): leave its file alone
    return True


def remove_stale_temps(path: PathLike) -> list[Path]:
    """Remove the temporary files of earlier writes of ``path`` whose process is gone
    (a hard kill during a write leaves one); returns what was removed."""
    path = Path(path)
    prefix = _temp_prefix(path)
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        pid_text = entry.name[len(prefix) :].split(".", 1)[0]
        if not (pid_text.isascii() and pid_text.isdigit()):
            continue
        pid = int(pid_text)
        if pid <= 0 or pid == os.getpid() or _process_alive(pid):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def check_writable(path: PathLike) -> Path:
    """Check, before any long work, that :func:`write_atomic` can write ``path``.

    FileError (one line) if the path is empty, is a directory, a symbolic link or another
    non-regular file, or its directory is missing or does not let a file be created.
    Returns the path.
    """
    target = _output_path(path)
    _check_target(target)
    _check_parent(target)
    return target


def check_output_dir(path: PathLike) -> Path:
    """Check that ``path`` is a directory tpc can write files into, or can be created
    (with its missing parents). FileError (one line) otherwise. Returns the path."""
    target = _output_path(path)
    existing = target
    while True:
        try:
            mode = os.stat(existing).st_mode
            break
        except FileNotFoundError:
            if existing.parent == existing:
                raise FileError(f"cannot create directory {target}") from None
            existing = existing.parent
        except OSError as exc:
            raise FileError(f"cannot create directory {target}: {_reason(exc)}") from None
    if not stat.S_ISDIR(mode):
        if existing == target:
            raise FileError(f"{target} exists and is not a directory")
        raise FileError(f"cannot create directory {target}: {existing} is not a directory")
    try:
        _probe(existing)
    except OSError as exc:
        raise FileError(f"cannot write into directory {existing}: {_reason(exc)}") from None
    return target


def make_output_dir(path: PathLike) -> Path:
    """Create the directory ``path`` (and missing parents) unless it exists;
    :class:`FileError` (one line) if it cannot. Returns the path."""
    target = check_output_dir(path)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"cannot create directory {target}: {_reason(exc)}") from None
    return target


@contextlib.contextmanager
def atomic_output(path: PathLike) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content to; installed by a rename when the
    block ends, discarded (and ``path`` untouched) if it raises or is interrupted.

    Raises :class:`FileError` for a path it may not or cannot write (see the module doc).
    """
    target = _output_path(path)
    _check_target(target)
    if not target.parent.is_dir():
        raise FileError(f"cannot write {target}: directory {target.parent} does not exist")
    remove_stale_temps(target)
    try:
        fd, tmp = _create_temp(target)
    except OSError as exc:
        raise FileError(f"cannot write {target}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _check_target(target)  # again, just before replacing it
        os.replace(tmp, target)
    except OSError as exc:
        _unlink_quietly(tmp)
        raise FileError(f"cannot write {target}: {_reason(exc)}") from None
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_directory(target.parent)


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (best effort: not every system can)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # the data itself is already synced
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: PathLike, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; see the module doc for the
    mode, what may be replaced, temporary files and errors (:class:`FileError`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_output(path) as handle:
        handle.write(payload)


# ---- reading ------------------------------------------------------------------------------


def read_text(
    path: PathLike,
    error: type[TpcError] = FileError,
    max_bytes: int = MAX_JSON_BYTES,
    what: str = "",
) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``max_bytes`` long; ``error``
    with a one-line message if it is missing ("cannot read WHAT PATH: ..."), not a
    regular file, too large or not text."""
    path = Path(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise error(f"{path} is too large ({info.st_size:,} bytes; at most {max_bytes:,})")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read {what + ' ' if what else ''}{path}: {_reason(exc)}") from None
    if len(data) > max_bytes:
        raise error(f"{path} is too large (more than {max_bytes:,} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{path} is not UTF-8 text") from None


def parse_json(text: str, where: str, error: type[TpcError] = FileError) -> Any:
    """``json.loads(text)`` that raises ``error`` ("WHERE is not JSON: ...") instead
    of letting a too deep nesting (RecursionError) or an integer of more digits than
    Python converts (ValueError) escape; nesting deeper than :data:`MAX_JSON_DEPTH` is
    refused too."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"{where} is not JSON: {exc}") from None
    except RecursionError:
        raise error(f"{where} is not JSON: nested too deeply") from None
    except ValueError:  # int("9" * 5000): CPython's integer string conversion limit
        raise error(f"{where} is not JSON: a number has too many digits") from None
    if _depth_exceeds(doc, MAX_JSON_DEPTH):
        raise error(f"{where} is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return doc


def _depth_exceeds(doc: Any, limit: int) -> bool:
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def read_json(
    path: PathLike, error: type[TpcError] = FileError, max_bytes: int = MAX_JSON_BYTES
) -> Any:
    """:func:`read_text` then :func:`parse_json`: a bounded JSON document, or ``error``."""
    return parse_json(read_text(path, error, max_bytes), str(path), error)


__all__ = [
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "TMP_TAG",
    "FileError",
    "atomic_output",
    "check_output_dir",
    "check_writable",
    "make_output_dir",
    "parse_json",
    "read_json",
    "read_text",
    "remove_stale_temps",
    "write_atomic",
]
