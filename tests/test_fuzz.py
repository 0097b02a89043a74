"""Fuzzing tpc's untrusted inputs (docs/security.md says what is promised for them).

* **IR files**: valid ``*.tpir.json`` texts (small programs of ``programs/``, the sample
  programs, random programs of ``tests/strategies.py``) mutated structurally (values at
  random JSON paths replaced, deleted, inserted, swapped: huge and 5000-digit integers,
  NaN/inf, hostile strings, deep nesting, wrong types, parts of the same document) and as
  bytes (flips, truncation, insertions). ``tpc.ir.loads``/``load`` give a valid program or
  a one-line :class:`~tpc.errors.TpcError`; a valid one then runs in the interpreter and
  goes through every back end, each giving text or a one-line TpcError; the Python module
  is import-safe and agrees with the interpreter, the JSON re-reads to the same bytes, the
  RASP text re-reads (tpc.grammar) and agrees.
* **RASP text**: the hand-written programs mutated token by token and character by
  character, and token soup from the grammar's tokens: ``parse_rasp`` gives a program
  or a one-line TpcError.
* **Run directories**: a tiny trained run copied and broken (config.json mutated as
  above, safetensors files truncated, flipped, their headers rewritten, files removed or
  replaced): ``load_run`` and ``lower_run`` give a run/program or a one-line TpcError.
* **Back-end agreement**: random valid programs; the Python module's ``run``, the RASP
  text read back and the Tracr program evaluated by ``tracr.rasp`` agree with the
  interpreter on every input up to ``max_len``.
* **Import safety**: emitted Python (random programs, programs with hostile names, values,
  vocabularies and metadata, every checked-in ``programs/**/*.py``) has only imports of
  what it needs, definitions and literal-ish assignments at top level, and importing it
  with a restricted ``__import__`` and tripwired ``open``/``exec``/``eval``/``print``
  runs no payload.
* **CLI**: hostile files through ``tpc emit``/``ir show``/``run`` exit 1 with one line
  ``Error: ...`` and leave no ``-o`` file behind.

Budgets. Every hypothesis test here runs twice: ``test_X`` under ``make test`` with a
small derandomized budget (hypothesis profile ``fuzz-fast`` from ``conftest.py``,
deterministic), ``test_X_slow`` (``@pytest.mark.slow``) with a larger, randomized one
(profile ``fuzz-slow``, 14,600 cases in all; ``pytest -m slow tests/test_fuzz.py``).

Memory. Untrusted sizes must be refused before anything is allocated. Each case runs
under an address-space limit (``RLIMIT_AS``, the process's current size plus
:data:`MEMORY_HEADROOM`), so a missing size check shows up as a ``MemoryError`` (a
failure naming the input) instead of exhausting the machine; no test needs a timeout.

A failing case is a finding: the assertion messages say what was expected.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import dataclasses
import importlib.util
import itertools
import json
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from sample_programs import learned_style_program, rasp_style_program, wide_readout_program
from strategies import TRICKY_NAMES, programs

from tpc.backends import BACKENDS, emit
from tpc.errors import EvalError, TpcError
from tpc.frontends import parse_rasp
from tpc.ir import (
    Categorical,
    Numerical,
    Program,
    ProgramBuilder,
    TablePredicate,
    dumps,
    load,
    loads,
)
from tpc.ir import run as interpret
from tpc.ir.limits import MAX_VALUE_SET
from tpc.ir.render import live_nodes
from tpc.ir.serialize import to_json

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = ROOT / "programs"
HANDWRITTEN_RASP = sorted((PROGRAMS_DIR / "rasp_handwritten").glob("*.rasp"))
HAS_TRACR = importlib.util.find_spec("tracr") is not None
TARGETS = [t for t in BACKENDS if t != "tracr" or HAS_TRACR]

# ---- budgets ---------------------------------------------------------------------------------

FAST = settings.get_profile("fuzz-fast")
SLOW = settings.get_profile("fuzz-slow")

#: test name → (examples under ``make test``, examples under ``-m slow``).
BUDGET = {
    "ir_documents": (50, 3000),
    "ir_bytes": (50, 1500),
    "rasp_mutations": (80, 3000),
    "rasp_soup": (80, 2000),
    "run_dirs": (15, 600),
    "agreement": (20, 2000),
    "import_random": (15, 1000),
    "import_hostile": (20, 1500),
}


def fast(name: str) -> settings:
    return settings(FAST, max_examples=BUDGET[name][0])


def slow(name: str) -> settings:
    return settings(SLOW, max_examples=BUDGET[name][1])


# ---- the oracle ------------------------------------------------------------------------------

#: Address space a single case may add (see the module docstring).
MEMORY_HEADROOM = 2 << 30


def _address_space() -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


@contextlib.contextmanager
def bounded_memory(headroom: int = MEMORY_HEADROOM):
    """Run the body with at most ``headroom`` more bytes of address space (no-op where
    ``RLIMIT_AS`` or ``/proc`` is unavailable)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not Linux
        yield
        return
    size = _address_space()
    if size is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + headroom
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def assert_one_line(e: BaseException) -> None:
    """A TpcError's message: one non-empty line."""
    msg = str(e)
    assert msg.strip(), f"{type(e).__name__} with an empty message"
    assert "\n" not in msg and "\r" not in msg, f"{type(e).__name__} message spans lines: {msg!r}"


def outcome(fn, *args, **kwargs):
    """``fn(*args)``, or None after a one-line TpcError; any other exception (MemoryError
    included: a size that was not refused) propagates and fails the test."""
    try:
        with bounded_memory():
            return fn(*args, **kwargs)
    except TpcError as e:
        assert_one_line(e)
        return None


# ---- hostile values and JSON mutation --------------------------------------------------------


class Raw:
    """JSON text spliced in verbatim (what ``json.dumps`` cannot or will not write)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:40]!r}{'...' if len(self.text) > 40 else ''})"


#: A file a payload hidden in a hostile string would create.
SENTINEL = Path(tempfile.gettempdir()) / "tpc-fuzz-pwned"
PAYLOAD = f"open({str(SENTINEL)!r}, 'w').write('pwned')"

DEPTH = 100_000
HOSTILE_RAW = [
    Raw("1" + "0" * 5000),  # a 5000-digit integer (Python refuses int() of > 4300 digits)
    Raw("-" + "9" * 5000),
    Raw("1e999"),  # JSON's way to +inf
    Raw("-1e999"),
    Raw("1" + "0" * 400 + ".5"),
    Raw("[" * DEPTH + "]" * DEPTH),  # deeper than any recursive parser
    Raw("{" + '"a":{' * 5000 + "}" * 5001),
    Raw("[" + ",".join(["0"] * 100_000) + "]"),  # a long list
    Raw('"' + "\\ud800" + '"'),  # a lone surrogate, escaped
    Raw('"\\u0000"'),
]

HOSTILE_STRINGS = [
    "",
    " ",
    "\n",
    "a\nb",
    "a\r\nb",
    "\x00",
    "nul\x00byte",
    "\ud800",
    "lone \udfff surrogate",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "\u2028\u2029\x0b\x0c\x85",
    '"""',
    "'''",
    "\\",
    '\\"""\\',
    f"__import__('os').system('touch {SENTINEL}')",
    '"""\n' + PAYLOAD + '\n"""',
    "');" + PAYLOAD + "#",
    "x" * 100_000,
    "é" * 1000,
    "<s>",
    "</s>",
    "<pad>",
    "tokens",
    "indices",
    "len",
    "__debug__",
    "__builtins__",
    "None",
    "True",
    "1",
    "1.5",
    "x + y",
    "x / 0",
    'x == "a"',
    "x if x else y",
    "(" * 500 + "x" + ")" * 500,
    "not " * 2000 + "x",
    "x" + " + x" * 3000,
    "EQ",
    "LT",
    "closest",
    "mean",
    "sum",
    "and",
    "not",
    "map",
    "select",
    "readout",
    "categorical",
    "numerical",
    "selector",
    "tpc-ir/1",
    "tpc-ir/2",
    "tpc-run/1",
    "sort",
    "hist",
    "standard",
    "tp",
    "geomspace",
]

HOSTILE_NUMBERS = [
    0,
    1,
    -1,
    2,
    3,
    7,
    8,
    255,
    256,
    -(2**31),
    2**31,
    2**53 + 1,
    2**63,
    -(2**63) - 1,
    10**6,
    10**12,
    10**18,
    2**1000,
    0.5,
    -0.0,
    1e-320,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
]

HOSTILE_CONTAINERS = [
    None,
    [],
    {},
    [None],
    [[]],
    [1, "a", True, None, 1.5],
    {"kind": "categorical", "values": []},
    {"kind": "numerical", "values": None},
    {"kind": "selector"},
    {"comparison": "EQ"},
    {"table": []},
    {"table": [[1, 2, 3]]},
    {"rows": [[1, [1.0]]]},
    {"scale": [float("nan")]},
    {"__class__": "x", "__proto__": {}},
]

#: Keys of IR and run documents: mutations insert them with hostile values.
FIELD_NAMES = (
    "name kind type values table form meta default x y sel sels op keys queries predicate "
    "causal reduce features weights bias mask pooled value comparison rows scale format vocab "
    "max_len bos eos output nodes train model task k n d_var d_mlp n_layers epochs input_vocab "
    "classes class_mask results accuracy domain exact_on wiring"
).split()


def hostile_values(doc) -> st.SearchStrategy:
    """A hostile value, a random JSON value or a part of ``doc`` itself (so that many
    mutants stay almost valid)."""
    parts = [v for _, v in walk(doc)]
    scalars = [v for v in parts if not isinstance(v, (list, dict))]
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        _json_containers,
        max_leaves=8,
    )
    options = [
        st.sampled_from(HOSTILE_RAW),
        st.sampled_from(HOSTILE_STRINGS),
        st.sampled_from(HOSTILE_NUMBERS),
        st.sampled_from(HOSTILE_CONTAINERS),
        json_values,
        st.sampled_from(parts),
    ]
    if scalars:
        options.append(st.sampled_from(scalars).map(nudge))
    return st.one_of(options)


def _json_containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3)


def nudge(v):
    """A value next to ``v``: ints ±1, floats halved, strings extended, bools flipped."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + random.Random(v).choice([-1, 1])
    if isinstance(v, float):
        return v / 2
    if isinstance(v, str):
        return v + "_" if v else "x"
    return v


def walk(doc, path=()):
    """Every (path, value) of a JSON document, the root first."""
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from walk(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from walk(v, (*path, i))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


@st.composite
def mutated(draw, doc, n_max: int = 4, prefix: tuple = ()):
    """``doc`` (a parsed JSON document, copied) with 1..n_max structural mutations at paths
    under ``prefix``."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, n_max))):
        paths = [p for p, _ in walk(doc) if p[: len(prefix)] == prefix]
        path = draw(st.sampled_from(paths))
        value = copy.deepcopy(draw(hostile_values(doc)))  # a part of doc itself: no cycles
        op = draw(
            st.sampled_from(["replace", "replace", "replace", "delete", "insert", "swap", "dup"])
        )
        if not path:
            if op == "replace":
                doc = value
            continue
        parent, key = get(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = value
        elif op == "delete":
            del parent[key]
        elif op == "insert":
            target = get(doc, path)
            if isinstance(target, list):
                target.insert(draw(st.integers(0, len(target))), value)
            elif isinstance(target, dict):
                target[draw(st.sampled_from(FIELD_NAMES))] = value
            else:
                parent[key] = value
        elif op == "swap" and isinstance(parent, list) and len(parent) > 1:
            j = draw(st.integers(0, len(parent) - 1))
            parent[key], parent[j] = parent[j], parent[key]
        elif op == "dup" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return doc


def to_text(v, ascii_only: bool = True) -> str:
    """JSON text of ``v`` with :class:`Raw` parts spliced in; NaN/inf as Python writes them."""
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, dict):
        return (
            "{"
            + ", ".join(
                f"{json.dumps(str(k), ensure_ascii=ascii_only)}: {to_text(x, ascii_only)}"
                for k, x in v.items()
            )
            + "}"
        )
    if isinstance(v, list):
        return "[" + ", ".join(to_text(x, ascii_only) for x in v) + "]"
    return json.dumps(v, ensure_ascii=ascii_only)


# ---- seed IR texts ---------------------------------------------------------------------------


def _seed_ir_texts() -> list[str]:
    files = sorted(p for p in PROGRAMS_DIR.rglob("*.tpir.json") if p.stat().st_size < 20_000)
    texts = [p.read_text(encoding="utf-8") for p in files]
    texts += [
        dumps(p)
        for p in (
            learned_style_program(False),
            learned_style_program(True),
            rasp_style_program(),
            wide_readout_program(),
        )
    ]
    return texts


SEED_IR = [json.loads(t) for t in _seed_ir_texts()]


@st.composite
def ir_documents(draw):
    """A parsed IR document: a checked-in/sample program or a random one."""
    if draw(st.booleans()):
        return draw(st.sampled_from(SEED_IR))
    return json.loads(dumps(draw(programs())))


@st.composite
def mutated_ir_texts(draw):
    doc = draw(ir_documents())
    return to_text(draw(mutated(doc)), ascii_only=draw(st.booleans()))


@st.composite
def byte_mutants(draw, data: bytes, hostile: list[bytes]):
    """``data`` with 1..3 byte-level edits: flips, truncation, insertion, deletion, copies."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "copy", "set"]))
        i = draw(st.integers(0, max(len(b) - 1, 0)))
        if op == "flip" and b:
            b[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and b:
            b[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            del b[i:]
        elif op == "insert":
            b[i:i] = draw(st.sampled_from(hostile) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del b[i : i + draw(st.integers(1, 64))]
        elif op == "copy":
            j = draw(st.integers(0, max(len(b) - 1, 0)))
            b[i:i] = b[j : j + draw(st.integers(1, 64))]
    return bytes(b)


HOSTILE_BYTES = [
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # UTF-8 of a lone surrogate (invalid)
    b"\xc3",  # a cut multi-byte sequence
    b"\x1b[2J",
    b'"',
    b"\\",
    b"\\u",
    b"[",
    b"{",
    b"}",
    b",",
    b"NaN",
    b"-Infinity",
    b"1" + b"0" * 5000,
    b"[" * 5000,
]


@st.composite
def ir_byte_mutants(draw):
    doc = draw(ir_documents())
    return draw(byte_mutants(dumps_bytes(doc), HOSTILE_BYTES))


def dumps_bytes(doc) -> bytes:
    return (json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode(
        "utf-8", "surrogatepass"
    )


# ---- emitted Python: what may run on import -------------------------------------------------

#: Standard-library modules an emitted module may import (what the Python back end uses;
#: ``re`` for a text program's normalisation of raw tokens).
STDLIB_IMPORTS = {"functools", "itertools", "bisect", "re"}
TRACR_IMPORTS = {"tracr", "tracr.rasp", "tracr.rasp.rasp"}
#: Builtins a top-level statement may call: constructors of literal-like values.
PURE_BUILTINS = {
    "range",
    "set",
    "frozenset",
    "tuple",
    "list",
    "dict",
    "float",
    "int",
    "str",
    "bool",
}
#: Builtins that must not run while an emitted module is imported or run.
TRIPWIRES = (
    "open",
    "exec",
    "eval",
    "compile",
    "input",
    "breakpoint",
    "print",
    "exit",
    "quit",
    "help",
)


def assert_defines_only(source: str, allowed_imports: set[str]) -> None:
    """Top level: a docstring, imports of ``allowed_imports``, ``def``/``class`` (their
    decorators, defaults and annotations literal-ish or calls of the module's own
    definitions), and assignments of names to such values. Nothing else runs on import."""
    tree = ast.parse(source)
    defined: set[str] = set()

    def check(expr: ast.AST | None, where: str) -> None:
        if expr is None:
            return
        bound: set[str] = set()
        for node in ast.walk(expr):
            if isinstance(node, ast.comprehension):
                bound |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Lambda):
                bound |= {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        for node in ast.walk(expr):
            if isinstance(node, ast.Call):
                func = node.func
                ok = isinstance(func, ast.Name) and (func.id in defined or func.id in PURE_BUILTINS)
                assert ok, (
                    f"{where}: calls {ast.unparse(func)} at import: {ast.unparse(node)[:200]}"
                )
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                assert node.id in defined or node.id in bound or hasattr(builtins, node.id), (
                    f"{where}: reads {node.id!r}, which the module does not define"
                )
            elif isinstance(node, ast.Attribute):
                base = node
                while isinstance(base, ast.Attribute):
                    base = base.value
                assert isinstance(base, ast.Name) and base.id in defined, (
                    f"{where}: attribute access {ast.unparse(node)[:100]}"
                )
            elif isinstance(
                node,
                (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.JoinedStr, ast.Starred),
            ):
                raise AssertionError(f"{where}: {type(node).__name__} at top level")

    future_annotations = False
    for stmt in tree.body:
        where = f"line {stmt.lineno}"
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            assert isinstance(stmt.value.value, str), f"{where}: a bare expression"
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.module == "__future__":
                future_annotations |= any(a.name == "annotations" for a in stmt.names)
                continue
            assert stmt.level == 0 and stmt.module in allowed_imports, (
                f"{where}: imports {stmt.module!r}"
            )
            defined |= {a.asname or a.name for a in stmt.names}
        elif isinstance(stmt, ast.Import):
            for a in stmt.names:
                assert a.name in allowed_imports, f"{where}: imports {a.name!r}"
                defined.add((a.asname or a.name).split(".")[0])
        elif isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
            for d in stmt.decorator_list:
                check(d, f"{where} (decorator of {stmt.name})")
            if isinstance(stmt, ast.FunctionDef):
                for d in [*stmt.args.defaults, *stmt.args.kw_defaults]:
                    check(d, f"{where} (default of {stmt.name})")
                if not future_annotations:
                    for a in [*stmt.args.args, *stmt.args.kwonlyargs, *stmt.args.posonlyargs]:
                        check(a.annotation, f"{where} (annotation in {stmt.name})")
                    check(stmt.returns, f"{where} (annotation of {stmt.name})")
            else:
                for e in [*stmt.bases, *(k.value for k in stmt.keywords)]:
                    check(e, f"{where} (base of {stmt.name})")
                for s in stmt.body:  # a class body runs on import: definitions only
                    assert isinstance(
                        s, (ast.FunctionDef, ast.Assign, ast.AnnAssign, ast.Expr, ast.Pass)
                    ), f"{where}: class {stmt.name} body holds {type(s).__name__}"
            assert not _dunder(stmt.name), f"{where}: defines the module attribute {stmt.name}"
            defined.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                assert isinstance(t, ast.Name), f"{where}: assigns to {ast.unparse(t)}"
                assert not _dunder(t.id), f"{where}: assigns the module attribute {t.id}"
            check(stmt.value, f"{where} ({ast.unparse(targets[0])} = ...)")
            defined |= {t.id for t in targets}
        else:
            raise AssertionError(
                f"{where}: top-level {type(stmt).__name__}: {ast.unparse(stmt)[:200]}"
            )


def _dunder(name: str) -> bool:
    """``__builtins__``, ``__name__``...: names that change how a module works."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class Tripped(Exception):
    """A forbidden builtin was called by an emitted module."""


def import_restricted(
    source: str, allowed_imports: set[str], name: str = "emitted"
) -> types.ModuleType:
    """Execute ``source`` as a module whose ``__import__`` admits only ``allowed_imports``
    and whose file, eval and print builtins raise :class:`Tripped`."""
    real_import = builtins.__import__

    def guarded_import(mod, globals=None, locals=None, fromlist=(), level=0):
        if level != 0 or mod not in allowed_imports:
            raise Tripped(f"import of {mod!r} (level {level})")
        return real_import(mod, globals, locals, fromlist, level)

    def tripwire(what):
        def trip(*args, **kwargs):
            raise Tripped(f"{what}{args!r:.200}")

        return trip

    restricted = dict(vars(builtins))
    restricted["__import__"] = guarded_import
    for what in TRIPWIRES:
        restricted[what] = tripwire(what)
    module = types.ModuleType(name)
    module.__dict__["__builtins__"] = restricted
    existed = SENTINEL.exists()
    code = compile(source, f"<{name}>", "exec")
    exec(code, module.__dict__)
    assert existed or not SENTINEL.exists(), "importing the module ran a payload"
    return module


def check_python_source(source: str) -> types.ModuleType:
    """Import safety of an emitted stdlib-only module; the module, imported restricted."""
    assert "\x00" not in source
    assert_defines_only(source, STDLIB_IMPORTS)
    module = import_restricted(source, STDLIB_IMPORTS)
    for api in ("run", "run_batch", "VOCAB", "MAX_LEN", "BOS", "EOS"):
        assert hasattr(module, api), f"the module lacks {api}"
    return module


# ---- comparing outputs -----------------------------------------------------------------------


def same(got, want, numerical: bool = False) -> bool:
    """Equal outputs: categorical values by type and value (True is not 1), numbers as
    floats (NaN equals NaN)."""
    if isinstance(got, list) or isinstance(want, list):
        return (
            isinstance(got, list)
            and isinstance(want, list)
            and len(got) == len(want)
            and all(same(g, w, numerical) for g, w in zip(got, want))
        )
    if numerical and not isinstance(got, str) and not isinstance(want, str):
        g, w = float(got), float(want)
        return g == w or (math.isnan(g) and math.isnan(w)) or abs(g - w) <= 1e-9 * max(1, abs(w))
    if isinstance(got, float) and isinstance(want, float) and math.isnan(got) and math.isnan(want):
        return True
    return (type(got) is type(want) or {type(got), type(want)} <= {int, float}) and got == want


def per_input(prog: Program, seqs: list[list[str]]) -> list:
    """The interpreter's output per input; ``EvalError`` where it is undefined."""
    try:
        return interpret(prog, seqs)
    except EvalError:
        pass
    out = []
    for s in seqs:
        try:
            out.append(interpret(prog, [s])[0])
        except EvalError as e:
            assert_one_line(e)
            out.append(EvalError)
    return out


def few_inputs(prog: Program, count: int = 6, seed: int = 0) -> list[list[str]]:
    """A few inputs: the empty one, short ones, one of max_len (when small); a BOS first
    when the program expects one."""
    rng = random.Random(seed)
    pre = [prog.bos] if prog.bos is not None else []
    body = [t for t in prog.vocab if t not in (prog.bos, prog.eos)] or list(prog.vocab)
    room = min(prog.max_len, 6) - len(pre)
    seqs = [pre] if prog.bos is not None else [[]]
    for _ in range(count):
        n = rng.randint(1, room) if room >= 1 else 0
        seqs.append(pre + rng.choices(body, k=n))
    return seqs


def all_short_inputs(prog: Program, limit: int = 3000) -> list[list[str]]:
    """Every input up to max_len (BOS first when expected), at most ``limit`` of them."""
    pre = [prog.bos] if prog.bos is not None else []
    body = [t for t in prog.vocab if t not in (prog.bos, prog.eos)]
    seqs = []
    for n in range(0 if not pre else 0, prog.max_len - len(pre) + 1):
        for s in itertools.product(body, repeat=n):
            seqs.append(pre + list(s))
            if len(seqs) >= limit:
                return seqs
    return seqs


def check_module_agrees(prog: Program, module: types.ModuleType, seqs, want) -> None:
    """The module's ``run`` equals the interpreter's output per input; ValueError exactly
    where the interpreter raises EvalError."""
    numerical = isinstance(prog.output_node.type, Numerical)
    for seq, w in zip(seqs, want):
        try:
            got = module.run(list(seq))
        except ValueError as e:
            assert w is EvalError, f"module raised {e!r} on {seq!r}; the interpreter gives {w!r}"
            continue
        assert w is not EvalError, (
            f"module gives {got!r} on {seq!r}; the interpreter raises EvalError"
        )
        assert same(got, w, numerical), f"module {got!r} != interpreter {w!r} on {seq!r}"


def check_rasp_agrees(prog: Program, text: str, seqs, want) -> None:
    """RASP text the back end wrote reads back (tpc.grammar) and computes the same on every
    input where the IR is defined (outputs compared as values, or as text: RASP writes
    ``True`` and ``1`` alike)."""
    try:
        with bounded_memory():
            back = parse_rasp(text, prog.vocab, prog.max_len)
    except TpcError as e:
        raise AssertionError(f"the RASP back end's text does not read back: {e}\n{text}") from None
    numerical = isinstance(prog.output_node.type, Numerical)
    got = per_input(back, seqs)
    for seq, g, w in zip(seqs, got, want):
        if w is EvalError:
            continue  # RASP has no undefined value (an empty mean gives its default)
        if g is EvalError:
            raise AssertionError(f"RASP text is undefined on {seq!r}; the IR gives {w!r}\n{text}")
        else:
            assert same(g, w, numerical) or same([str(x) for x in g], [str(x) for x in w]), (
                f"RASP text gives {g!r}, the IR {w!r} on {seq!r}\n{text}"
            )


def check_tracr_agrees(prog: Program, source: str, seqs, want) -> None:
    """The emitted Tracr module's ``program()``, evaluated by tracr.rasp, computes the same."""
    assert_defines_only(source, TRACR_IMPORTS)
    module = import_restricted(source, TRACR_IMPORTS, "emitted_tracr")
    sop = module.program()
    for seq, w in zip(seqs, want):
        if w is EvalError or not seq:
            continue
        got = sop(seq)
        for g, x in zip(got, w):
            if isinstance(x, (int, float)) and not isinstance(x, str) and g is not None:
                assert math.isclose(float(g), float(x), abs_tol=1e-9), (seq, got, w)
            else:
                assert str(g) == str(x), (seq, got, w)


#: Programs up to this much JSON also go through the Tracr back end in the mutation tests
#: (it takes seconds on the larger learned programs; random programs always do).
TRACR_EXERCISE_BYTES = 8000


def exercise(prog: Program, seqs=None, agree: bool = True, tracr: bool = True) -> dict[str, str]:
    """Run a valid program and every back end on it (results or one-line TpcErrors);
    check what the back ends wrote. Returns the texts emitted."""
    seqs = few_inputs(prog) if seqs is None else seqs
    want = outcome(per_input, prog, seqs)
    emitted = {}
    json_text = outcome(dumps, prog)  # None: too large to write as an IR file
    small = json_text is not None and len(json_text) <= TRACR_EXERCISE_BYTES
    for target in TARGETS:
        if target == "tracr" and not (tracr and small):
            continue
        text = outcome(emit, prog, target)
        if text is None:
            continue
        assert isinstance(text, str) and text, f"{target}: no text"
        emitted[target] = text
        if target == "python":
            module = check_python_source(text)
            if agree and want is not None:
                live = prog.replace(live_nodes(prog))
                check_module_agrees(live, module, seqs, outcome(per_input, live, seqs) or want)
        elif target == "json":
            again = outcome(loads, text)
            assert again is not None, "the JSON back end's text does not read back"
            assert dumps(again) == text, "JSON does not re-read to the same bytes"
        elif target == "rasp" and agree and want is not None:
            live = prog.replace(live_nodes(prog))
            check_rasp_agrees(prog, text, seqs, outcome(per_input, live, seqs) or want)
        elif target == "tracr":
            compile(text, "<tracr>", "exec")
            assert_defines_only(text, TRACR_IMPORTS)
    return emitted


# ---- 1. mutated IR ---------------------------------------------------------------------------


def check_ir_text(text: str) -> None:
    prog = outcome(loads, text)
    if prog is not None:
        assert isinstance(prog, Program)
        exercise(prog)


@fast("ir_documents")
@given(mutated_ir_texts())
def test_mutated_ir_documents(text):
    check_ir_text(text)


@pytest.mark.slow
@slow("ir_documents")
@given(mutated_ir_texts())
def test_mutated_ir_documents_slow(text):
    check_ir_text(text)


@pytest.fixture(scope="session")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check_ir_bytes(data: bytes, where: Path) -> None:
    path = where / "mutant.tpir.json"
    path.write_bytes(data)
    from_file = outcome(load, path)
    from_text = outcome(loads, data.decode("utf-8", "surrogateescape"))
    if from_file is not None:
        assert from_text is not None and dumps(from_file) == dumps(from_text)
        exercise(from_file, agree=False, tracr=False)


@fast("ir_bytes")
@given(ir_byte_mutants())
def test_mutated_ir_bytes(fuzz_dir, data):
    check_ir_bytes(data, fuzz_dir)


@pytest.mark.slow
@slow("ir_bytes")
@given(ir_byte_mutants())
def test_mutated_ir_bytes_slow(fuzz_dir, data):
    check_ir_bytes(data, fuzz_dir)


# ---- 2. RASP text ----------------------------------------------------------------------------

RASP_TOKEN = re.compile(
    r'"[^"\n]*"|[0-9]+\.[0-9]+|[0-9]+|(?:select|aggregate|range|zip|len)\(|[A-Za-z_][A-Za-z_0-9]*'
    r"|==|!=|<=|>=|#[^\n]*|\s+|."
)
#: The grammar's tokens (rasp.lark), some names of its library and built-ins, literals.
GRAMMAR_TOKENS = (
    "def return for in if else and or not round indicator select( aggregate( range( zip( len( "
    "( ) [ ] { } , ; : = == != <= >= < > + - * / % ^ tokens indices length selector_width "
    "has_focus count contains max min load_from_location shift mark_last_instance "
    "select_from_last sort select_next_identical True False x y f i 0 1 2 7 0.5 1.0 "
    '"a" "0" "(" "" # \n'
).split(" ")
HOSTILE_RASP = [
    "9" * 5000,
    "9" * 400 + ".5",
    "99999999",
    "2 ^ 99999",
    "range(99999999)",
    '"' + "x" * 100_000 + '"',
    "(" * 3000,
    ")" * 3000,
    "not " * 3000,
    "[" * 3000,
    "\x00",
    "\ud800",
    "\x1b[2J",
    "\u2028",
    "\r",
    '"\n"',
    "é",
    "__import__",
    "def f(x) { return f(x); }",
    "for i in range(99999) { z = i; }",
    "[x for x in range(99999)]",
    "aggregate(select(indices, indices, ==), tokens, 0)",
    "selector_width(select(tokens, tokens, ==))",
]
RASP_SEEDS = [p.read_text(encoding="utf-8") for p in HANDWRITTEN_RASP]
RASP_VOCABS = (
    ["0", "1", "2", "3"],
    ["a", "b"],
    ["(", ")"],
    ["(", ")", "{", "}"],
    ["<s>", "0", "1"],
    ["1", "2", "10"],
    ["x\ny", '"', "\\", "\x00", "\ud800"],
)


def rasp_vocab_and_length() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(RASP_VOCABS), st.integers(1, 5))


@st.composite
def mutated_rasp(draw):
    text = draw(st.sampled_from(RASP_SEEDS))
    toks = RASP_TOKEN.findall(text)
    words = sorted({t for t in toks if not t.isspace()})
    pool = st.sampled_from(words) | st.sampled_from(GRAMMAR_TOKENS) | st.sampled_from(HOSTILE_RASP)
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, max(len(toks) - 1, 0)))
        op = draw(
            st.sampled_from(["delete", "replace", "insert", "dup", "swap", "truncate", "char"])
        )
        if op == "delete" and toks:
            del toks[i]
        elif op == "replace" and toks:
            toks[i] = draw(pool)
        elif op == "insert":
            toks.insert(i, draw(pool))
        elif op == "dup" and toks:
            toks[i:i] = toks[i : i + draw(st.integers(1, 20))]
        elif op == "swap" and len(toks) > 1:
            j = draw(st.integers(0, len(toks) - 1))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == "truncate":
            toks = toks[:i]
        elif op == "char" and toks:
            t = toks[i]
            k = draw(st.integers(0, len(t)))
            toks[i] = (
                t[:k] + draw(st.characters(codec=None) | st.sampled_from(HOSTILE_RASP)) + t[k:]
            )
    vocab, max_len = draw(rasp_vocab_and_length())
    return "".join(toks), vocab, max_len


@st.composite
def rasp_soup(draw):
    toks = draw(
        st.lists(
            st.sampled_from(GRAMMAR_TOKENS)
            | st.sampled_from(HOSTILE_RASP[:8])
            | st.from_regex(r"[a-z_]{1,3}", fullmatch=True),
            min_size=1,
            max_size=40,
        )
    )
    sep = draw(st.sampled_from([" ", "", "\n"]))
    vocab, max_len = draw(rasp_vocab_and_length())
    return sep.join(toks), vocab, max_len


def check_rasp(case) -> None:
    text, vocab, max_len = case
    prog = outcome(parse_rasp, text, vocab=vocab, max_len=max_len)
    if prog is not None:
        assert isinstance(prog, Program)
        exercise(prog, agree=False)


@fast("rasp_mutations")
@given(mutated_rasp())
def test_mutated_rasp(case):
    check_rasp(case)


@pytest.mark.slow
@slow("rasp_mutations")
@given(mutated_rasp())
def test_mutated_rasp_slow(case):
    check_rasp(case)


@fast("rasp_soup")
@given(rasp_soup())
def test_rasp_token_soup(case):
    check_rasp(case)


@pytest.mark.slow
@slow("rasp_soup")
@given(rasp_soup())
def test_rasp_token_soup_slow(case):
    check_rasp(case)


@pytest.mark.parametrize(
    "max_len",
    [0, -1, 10**12, 2**63, 10**5000, 1.5, True, "4"],
    ids=["0", "-1", "10**12", "2**63", "10**5000", "1.5", "True", "str"],
)
def test_rasp_reader_refuses_hostile_lengths(max_len):
    """A hostile --max-len (the CLI admits any positive integer) is refused before the
    reader allocates a table over every position."""
    with bounded_memory():
        with pytest.raises(TpcError) as info:
            parse_rasp("y = indices;", vocab=["a"], max_len=max_len)
    assert_one_line(info.value)


@pytest.mark.parametrize(
    "vocab",
    [[], ["a", "a"], [1, 2], ["a"] * 100_000, [str(i) for i in range(10**5)], ["a", None]],
    ids=["empty", "dup", "ints", "100k-dups", "100k-tokens", "none"],
)
def test_rasp_reader_hostile_vocabularies(vocab):
    """Hostile vocabularies give a program or a one-line error, within bounded memory."""
    prog = outcome(parse_rasp, "y = tokens;", vocab=vocab, max_len=2)
    assert prog is None or isinstance(prog, Program)


# ---- 3. run directories ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> Path:
    """A finished one-epoch run of test_train's tiny sort configuration."""
    import torch
    from test_train import TINY

    from tpc.train import TrainConfig, train_run

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run_dir = tmp_path_factory.mktemp("tiny") / "run"
        train_run(run_dir, TrainConfig(**{**TINY, "epochs": 1}, seed=0), progress=False)
    finally:
        torch.set_num_threads(before)
    return run_dir


RUN_FILES = (
    "config.json",
    "model.safetensors",
    "checkpoint.safetensors",
    "results.json",
    "metrics.jsonl",
)


@st.composite
def run_mutations(draw):
    """A list of edits to a run directory (applied by :func:`apply_run_mutations`)."""
    ops = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                [
                    "config",
                    "config",
                    "config",
                    "tensor_bytes",
                    "tensor_header",
                    "header_len",
                    "delete",
                    "replace",
                    "results",
                ]
            )
        )
        if kind == "config":
            ops.append(("config", draw(st.integers(0, 2**32))))
        elif kind in ("tensor_bytes", "tensor_header", "header_len"):
            ops.append(
                (
                    kind,
                    draw(st.sampled_from(["model.safetensors", "checkpoint.safetensors"])),
                    draw(st.integers(0, 2**32)),
                )
            )
        elif kind == "delete":
            ops.append(("delete", draw(st.sampled_from(RUN_FILES))))
        elif kind == "replace":
            ops.append(
                (
                    "replace",
                    draw(st.sampled_from(RUN_FILES)),
                    draw(
                        st.sampled_from(
                            [
                                b"",
                                b"{}",
                                b"[]",
                                b"\x00" * 16,
                                b"null",
                                b"\xff" * 9,
                                b"1" + b"0" * 5000,
                                b"[" * 100_000,
                            ]
                        )
                    ),
                )
            )
        else:
            ops.append(("results", draw(st.integers(0, 2**32))))
    return ops


def _seeded(doc, seed: int, prefix=()):
    """``doc`` with 1..3 structural mutations under ``prefix``, as :func:`mutated` makes
    them but driven by ``seed`` (the document is only known once the fixture has run)."""
    rng = random.Random(seed)
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p, _ in walk(doc) if p[: len(prefix)] == prefix and p]
        if not paths:
            break
        path = rng.choice(paths)
        parts = [v for _, v in walk(doc)]
        value = copy.deepcopy(
            rng.choice(
                [
                    rng.choice(HOSTILE_RAW),
                    rng.choice(HOSTILE_STRINGS),
                    rng.choice(HOSTILE_NUMBERS),
                    rng.choice(HOSTILE_CONTAINERS),
                    rng.choice(parts),
                    nudge(get(doc, path)),
                    nudge(get(doc, path)),
                ]
            )
        )
        parent, key = get(doc, path[:-1]), path[-1]
        op = rng.choice(["replace", "replace", "replace", "delete", "insert"])
        if op == "replace":
            parent[key] = value
        elif op == "delete":
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice(FIELD_NAMES)] = value
        else:
            parent.insert(key, value)
    return doc


def _safetensors_parts(data: bytes):
    n = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8 : 8 + n]), data[8 + n :]


def apply_run_mutations(run_dir: Path, ops) -> None:
    for op in ops:
        try:
            _apply_run_mutation(run_dir, op)
        except (ValueError, RecursionError, struct.error):
            pass  # an earlier edit left the file unreadable to this one: skip it


def _apply_run_mutation(run_dir: Path, op) -> None:
    kind = op[0]
    if kind == "config":
        path = run_dir / "config.json"
        if path.is_file():
            doc = json.loads(path.read_text())
            prefix = random.Random(op[1]).choice([("train",), ("model",), ()])
            path.write_text(
                to_text(_seeded(doc, op[1], prefix)), encoding="utf-8", errors="surrogatepass"
            )
    elif kind == "results":
        path = run_dir / "results.json"
        if path.is_file():
            doc = json.loads(path.read_text())
            path.write_text(to_text(_seeded(doc, op[1])), encoding="utf-8", errors="surrogatepass")
    elif kind in ("tensor_bytes", "tensor_header", "header_len"):
        path = run_dir / op[1]
        if not path.is_file():
            return
        data = bytearray(path.read_bytes())
        rng = random.Random(op[2])
        if kind == "tensor_bytes":
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(data)) if data else 0
                what = rng.choice(["flip", "truncate", "insert"])
                if what == "flip" and data:
                    data[i] ^= 1 << rng.randrange(8)
                elif what == "truncate":
                    del data[i:]
                else:
                    data[i:i] = rng.choice(HOSTILE_BYTES)
        elif kind == "header_len" and len(data) >= 8:
            data[:8] = struct.pack(
                "<Q", rng.choice([0, 1, 7, 2**31, 2**63, 2**64 - 1, len(data), len(data) - 8])
            )
        elif kind == "tensor_header" and len(data) >= 8:
            header, body = _safetensors_parts(bytes(data))  # ValueError if already broken
            text = to_text(_seeded(header, op[2])).encode("utf-8", "surrogatepass")
            data = bytearray(struct.pack("<Q", len(text)) + text + body)
        path.write_bytes(bytes(data))
    elif kind == "delete":
        (run_dir / op[1]).unlink(missing_ok=True)
    elif kind == "replace":
        (run_dir / op[1]).write_bytes(op[2])


def check_run_dir(base: Path, work: Path, ops) -> None:
    from tpc.lower import lower_run
    from tpc.train import load_run

    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(base, work)
    apply_run_mutations(work, ops)
    run = outcome(load_run, work)
    if run is not None:
        prog = outcome(lower_run, work)
        assert prog is None or isinstance(prog, Program)


@fast("run_dirs")
@given(run_mutations())
def test_mutated_run_dirs(tiny_run, fuzz_dir, ops):
    check_run_dir(tiny_run, fuzz_dir / "run", ops)


@pytest.mark.slow
@slow("run_dirs")
@given(run_mutations())
def test_mutated_run_dirs_slow(tiny_run, fuzz_dir, ops):
    check_run_dir(tiny_run, fuzz_dir / "run", ops)


#: Address space a hostile model size may take before the test calls it a missing limit
#: (the tiny run itself needs a few megabytes).
SIZE_HEADROOM = 256 << 20


@pytest.mark.parametrize(
    "section, field, value",
    [
        ("model", "d_mlp", 10**12),
        ("model", "d_mlp", 2**40),
        ("model", "d_var", 10**7),
        ("model", "max_len", 10**7),
        ("model", "n_layers", 10**9),
        ("model", "n_heads_cat", 10**9),
        ("model", "n_cat_mlps", 10**9),
        ("model", "mlp_vars_in", 10**9),
        ("model", "readout_vars", 10**9),
        ("model", "d_mlp", 1e300),
        ("model", "d_mlp", float("nan")),
        ("model", "d_mlp", "64"),
        ("model", "causal", "yes"),
        ("model", "input_vocab", [str(i) for i in range(10**5)]),
        ("model", "classes", ["<pad>"] * 3),
        ("train", "d_mlp", 10**12),
        ("train", "epochs", 10**12),
        ("train", "task", "no-such-task"),
        ("train", "k", 10**9),
        ("train", "n", 10**9),
    ],
    ids=lambda v: str(v)[:16],
)
def test_run_config_hostile_sizes_are_refused_cheaply(tiny_run, fuzz_dir, section, field, value):
    """Sizes in config.json that would build a huge model are refused before allocating
    (a MemoryError under the address-space bound, or a torch allocation error, is a
    finding: the limit is missing)."""
    from tpc.lower import lower_run
    from tpc.train import load_run

    work = fuzz_dir / f"sizes-{section}-{field}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(tiny_run, work)
    doc = json.loads((work / "config.json").read_text())
    doc[section][field] = value
    (work / "config.json").write_text(to_text(doc))
    try:
        with bounded_memory(SIZE_HEADROOM):
            run = load_run(work)
            lower_run(work)
    except TpcError as e:
        assert_one_line(e)
    else:
        assert run is not None


# ---- 4. back ends agree with the interpreter -------------------------------------------------


def check_agreement(prog: Program) -> None:
    """Every back end whose output can be read back or imported agrees with the interpreter
    on every input up to max_len (a BOS first when the program expects one)."""
    seqs = all_short_inputs(prog)
    live = prog.replace(live_nodes(prog))
    want = per_input(live, seqs)
    for target in TARGETS:
        try:
            text = emit(prog, target)
        except TpcError as e:
            assert_one_line(e)
            continue
        if target == "python":
            check_module_agrees(live, check_python_source(text), seqs, want)
        elif target == "rasp":
            check_rasp_agrees(prog, text, seqs, want)
        elif target == "json":
            back = loads(text)
            assert back == prog and dumps(back) == text
        elif target == "tracr":
            check_tracr_agrees(live, text, seqs, want)


@fast("agreement")
@given(programs())
def test_backends_agree_with_interpreter(prog):
    check_agreement(prog)


@pytest.mark.slow
@slow("agreement")
@given(programs())
def test_backends_agree_with_interpreter_slow(prog):
    check_agreement(prog)


# ---- 5. import safety ------------------------------------------------------------------------


def check_import_safe(prog: Program) -> None:
    SENTINEL.unlink(missing_ok=True)
    for target in ("python", "tracr") if HAS_TRACR else ("python",):
        try:
            source = emit(prog, target)
        except TpcError as e:
            assert_one_line(e)
            continue
        if target == "python":
            module = check_python_source(source)
            for seq in few_inputs(prog, 3):
                try:
                    module.run(seq)
                except ValueError:
                    pass
        else:
            assert_defines_only(source, TRACR_IMPORTS)
            import_restricted(source, TRACR_IMPORTS, "emitted_tracr")
    assert not SENTINEL.exists(), "a payload ran"


@fast("import_random")
@given(programs())
def test_emitted_python_of_random_programs_is_import_safe(prog):
    check_import_safe(prog)


@pytest.mark.slow
@slow("import_random")
@given(programs())
def test_emitted_python_of_random_programs_is_import_safe_slow(prog):
    check_import_safe(prog)


#: Node names (identifiers, as the IR requires) that shadow what emitted code relies on.
HOSTILE_NAMES = (
    "__import__ open exec eval compile print __builtins__ __name__ __file__ __doc__ "
    "__debug__ __annotations__ __spec__ __loader__ _check_input run run_batch VOCAB MAX_LEN "
    "BOS EOS cache compress bisect_right functools itertools math type object str int float "
    "bool list dict set tuple range len sum min max zip map match case _ self cls"
).split() + list(TRICKY_NAMES)
HOSTILE_TEXT = [
    '"""',
    '\\"""',
    "'''",
    "\\",
    "\n" + PAYLOAD + "\n",
    '"""\n' + PAYLOAD + '\n"""',
    "'''\n" + PAYLOAD + "\n'''",
    "x\r" + PAYLOAD,
    "# fmt: on\n" + PAYLOAD,
    "\x00",
    "\x1b[2J",
    "\ud800",
    "\u2028" + PAYLOAD,
    "\\N{",
    "{" + PAYLOAD + "}",
    "%s%r{0}",
    "é",
    "",
]


@st.composite
def hostile_programs(draw):
    """Small programs whose names, vocabulary, values, output and metadata are hostile."""
    vocab = draw(
        st.lists(st.sampled_from(HOSTILE_TEXT + ["a", "b"]), min_size=1, max_size=3, unique=True)
    )
    bos = vocab[0] if draw(st.booleans()) else None
    b = ProgramBuilder(vocab, draw(st.integers(1, 3)), bos=bos)
    names = st.sampled_from(HOSTILE_NAMES)

    def fresh():
        return b.fresh(draw(names))

    values = st.sampled_from(HOSTILE_TEXT) | st.sampled_from(
        [0, 1, True, 1.5, float("nan"), float("inf"), -0.0, 2**70]
    )
    out = b.tokens
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["map", "constant", "select", "table_select"]))
        try:
            if kind == "map":
                table = {v: draw(values) for v in b.values_of(out)}
                numerical = all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in table.values()
                ) and draw(st.booleans())
                out = b.map(table.__getitem__, out, numerical=numerical, name=fresh())
            elif kind == "constant":
                out = b.constant(draw(values), name=fresh())
            elif kind == "select":
                sel = b.select(
                    b.tokens, b.tokens, draw(st.sampled_from(["EQ", "NEQ", "TRUE"])), name=fresh()
                )
                out = b.aggregate(sel, b.indices, reduce="closest", name=fresh())
            else:
                pairs = frozenset((q, k) for q in vocab for k in vocab if draw(st.booleans()))
                sel = b.select(b.tokens, b.tokens, TablePredicate(pairs), name=fresh())
                out = b.selector_width(sel, name=fresh())
        except TpcError:
            continue
    try:
        prog = b.build(out)
    except TpcError:
        reject()
    text = st.sampled_from(HOSTILE_TEXT)
    meta = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "task": text,
                "name": text,
                "run_dir": text,
                "source": text,
                "optimization": text,
                "config": st.dictionaries(text, text, max_size=2),
                "domain": st.fixed_dictionaries({"task": text, "k": text, "n": text}),
                "results": st.fixed_dictionaries(
                    {
                        "accuracy": st.dictionaries(text, st.sampled_from([0.5, 1.0]), max_size=2),
                        "best_epoch": text,
                    }
                ),
                "notes": text,
            },
        )
    )
    prog.meta = meta
    return prog


@fast("import_hostile")
@given(hostile_programs())
def test_emitted_python_of_hostile_programs_is_import_safe(prog):
    check_import_safe(prog)


@pytest.mark.slow
@slow("import_hostile")
@given(hostile_programs())
def test_emitted_python_of_hostile_programs_is_import_safe_slow(prog):
    check_import_safe(prog)


CHECKED_IN_MODULES = sorted(PROGRAMS_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", CHECKED_IN_MODULES, ids=lambda p: str(p.relative_to(PROGRAMS_DIR)))
def test_checked_in_modules_define_only(path):
    source = path.read_text(encoding="utf-8")
    if path.name.endswith("_tracr.py"):
        assert_defines_only(source, TRACR_IMPORTS)
        if HAS_TRACR:
            import_restricted(source, TRACR_IMPORTS, path.stem)
    else:
        module = check_python_source(source)
        bos = [module.BOS] if module.BOS is not None else []
        module.run(bos + [t for t in module.VOCAB if t not in (module.BOS, module.EOS)][:2])


def test_the_import_checks_catch_payloads():
    """The checks themselves: code at top level and imports are caught."""
    good = "import functools\nX = {1: 2}\ndef run(tokens):\n    return tokens\n"
    assert_defines_only(good, STDLIB_IMPORTS)
    for bad in (
        "import os\n",
        "from subprocess import run\n",
        "X = open('f')\n",
        "print('hi')\n",
        "def f(x=open('f')):\n    pass\n",
        "@__import__('os').system\ndef f():\n    pass\n",
        "X = [open('f') for _ in range(1)]\n",
        "if True:\n    X = 1\n",
        "X = (1).__class__.__subclasses__()\n",
        "def __builtins__(key, query):\n    return True\n",
        "__name__ = 'x'\n",
    ):
        with pytest.raises(AssertionError):
            assert_defines_only(bad, STDLIB_IMPORTS)
    with pytest.raises(Tripped):
        import_restricted("import os\n", STDLIB_IMPORTS)
    with pytest.raises(Tripped):
        import_restricted("open('x')\n", STDLIB_IMPORTS)


# ---- 6. the command line ---------------------------------------------------------------------


def _hostile_files() -> dict[str, tuple[str, bytes, list[str]]]:
    """name → (file name, contents, options) of files every command must refuse."""
    seed = json.loads(dumps(rasp_style_program()))
    newline_name = copy.deepcopy(seed)
    newline_name["nodes"][-1]["name"] = "out\nError: injected"
    escape_type = copy.deepcopy(seed)
    escape_type["nodes"][0]["type"]["values"] = ["\x1b[2J\x1b[31m", "0", "1"]
    rasp = ["--vocab", "a,b", "--max-len", "3"]
    return {
        "5000-digit max_len": (
            "p.tpir.json",
            to_text(dict(seed, max_len=Raw("1" + "0" * 5000))).encode(),
            [],
        ),
        "deep nesting": (
            "p.tpir.json",
            to_text(dict(seed, meta=Raw("[" * DEPTH + "]" * DEPTH))).encode(),
            [],
        ),
        "max_len 10**12": ("p.tpir.json", to_text(dict(seed, max_len=10**12)).encode(), []),
        "newline in a name": ("p.tpir.json", to_text(newline_name).encode(), []),
        "terminal escapes in a type": ("p.tpir.json", to_text(escape_type).encode(), []),
        "truncated": ("p.tpir.json", dumps(rasp_style_program()).encode()[:300], []),
        "not UTF-8": ("p.tpir.json", b'{"format": "tpc-ir/1\xff\xfe"}', []),
        "NUL bytes": ("p.tpir.json", b"\x00" * 64, []),
        "rasp: 5000-digit literal": ("p.rasp", b"y = tokens == " + b"9" * 5000 + b";", rasp),
        "rasp: NUL": ("p.rasp", b"y = tokens;\x00", rasp),
        "rasp: not UTF-8": ("p.rasp", b"y = \xff;", rasp),
        "rasp: terminal escape": ("p.rasp", b"y = \x1b[2J;", rasp),
        "rasp: deep parentheses": ("p.rasp", b"y = " + b"(" * 100_000 + b";", rasp),
        "rasp: header max_len 10**12": (
            "p.rasp",
            b'# vocab: ["a"]\n# max_len: 1000000000000\ny = indices;\n',
            [],
        ),
        "rasp: header vocab of dicts": (
            "p.rasp",
            b'# vocab: [{"a": 1}]\n# max_len: 3\ny = tokens;\n',
            [],
        ),
    }


HOSTILE_FILES = _hostile_files()


@dataclasses.dataclass
class Done:
    """A finished ``tpc`` command: exit code, what it printed, an uncaught exception."""

    returncode: int
    output: str
    exception: BaseException | None = None


def cli(args: list[str]) -> Done:
    """``tpc ARGS`` in this process (click's CliRunner: stdout and stderr as a terminal
    shows them), under the memory bound."""
    from click.testing import CliRunner

    from tpc.cli import main

    with bounded_memory():
        result = CliRunner().invoke(main, args)
    uncaught = None if isinstance(result.exception, (SystemExit, type(None))) else result.exception
    return Done(result.exit_code, result.output, uncaught)


def cli_subprocess(args: list[str]) -> Done:
    """``tpc ARGS`` as a user runs it (a new process, real streams)."""
    exe = Path(sys.executable).parent / "tpc"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tpc.cli"]
    done = subprocess.run(
        cmd + args, capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}
    )
    out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    return Done(done.returncode, out)


def assert_cli_error(done: Done, usage_ok: bool = False) -> None:
    """Exit 1 with exactly one line ``Error: ...`` of printable text (``usage_ok``: or
    click's usage error, exit 2, whose last line is ``Error: ...``), no traceback."""
    out = done.output
    assert done.exception is None, (
        f"uncaught {type(done.exception).__name__}: {done.exception!s:.500}"
    )
    assert "Traceback" not in out, f"exit {done.returncode}: {out[-1500:]}"
    lines = out.splitlines()
    if usage_ok and done.returncode == 2:
        assert lines and lines[-1].startswith("Error: "), out[-1500:]
        line = lines[-1]
    else:
        assert done.returncode == 1, f"exit {done.returncode}: {out[-1500:]}"
        assert len(lines) == 1 and lines[0].startswith("Error: "), (
            f"not one error line: {out[-1500:]!r}"
        )
        line = lines[0]
    assert_printable(line)


def assert_printable(text: str) -> None:
    """No control characters (a terminal would act on ESC sequences)."""
    controls = [c for c in text if ord(c) < 32 or 127 <= ord(c) < 160]
    assert not controls, f"control characters in an error message: {text!r}"


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_cli_refuses_hostile_files_in_one_line(tmp_path, case):
    """``tpc emit -o``, ``tpc ir show`` and ``tpc run`` on a malformed file: exit 1, one
    line ``Error: ...``, and no output file (nor a temporary one) left behind."""
    name, data, opts = HOSTILE_FILES[case]
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out" / "emitted.py"
    out.parent.mkdir()
    for args in (
        ["emit", str(path), "--to", "python", "-o", str(out), *opts],
        ["ir", "show", str(path), *opts],
        ["run", str(path), *opts, "a"],
    ):
        assert_cli_error(cli(args))
    assert list(out.parent.iterdir()) == [], "emit left a file behind"


def _hostile_valid_programs() -> dict[str, Program]:
    """Valid programs whose metadata and vocabulary are hostile text."""
    meta_prog = rasp_style_program()
    meta_prog.meta = {
        "task": '"""\n' + PAYLOAD + '\n"""',
        "results": {"accuracy": {"test": "high"}, "best_epoch": "\x1b[2J"},
        "domain": {"task": "x"},
        "model": {"kind": "tp", "n_layers": "many"},
        "config": {"\n": "\r"},
    }
    b = ProgramBuilder(("\x1b[2J\x1b[31m", '"""', "\\"), 3)
    escape_prog = b.build(b.selector_width(b.select(b.tokens, b.tokens, "EQ"), name="width"))
    return {"hostile meta": meta_prog, "escapes in the vocabulary": escape_prog}


@pytest.mark.parametrize("case", ["hostile meta", "escapes in the vocabulary"])
def test_cli_hostile_but_valid_programs(tmp_path, case):
    """A well-formed program with hostile text in it: ``emit -o`` writes an import-safe
    module, ``ir show`` works, and an unknown token is refused in one printable line; or
    the file is refused as a whole, in one line, with no output."""
    prog = _hostile_valid_programs()[case]
    path = tmp_path / "p.tpir.json"  # written as it is: tpc would refuse to write odd meta
    path.write_text(json.dumps(to_json(prog), sort_keys=True), encoding="utf-8")
    out = tmp_path / "p.py"
    SENTINEL.unlink(missing_ok=True)
    done = cli(["emit", str(path), "--to", "python", "-o", str(out)])
    if done.returncode != 0:  # refused as a whole (e.g. meta tpc reads must be well typed)
        assert_cli_error(done)
        assert not out.exists()
        assert_cli_error(cli(["ir", "show", str(path)]))
        return
    assert done.exception is None, done.output[-1500:]
    check_python_source(out.read_text(encoding="utf-8"))
    done = cli(["ir", "show", str(path)])
    assert done.exception is None and done.returncode == 0, done.output[-1500:]
    assert_cli_error(cli(["run", str(path), "no-such-token"]))
    # click drops ANSI escapes when its output is not a terminal: check the message itself
    with pytest.raises(TpcError) as info:
        interpret(prog, [["no-such-token"]])
    assert_one_line(info.value)
    assert_printable(str(info.value))
    assert not SENTINEL.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--max-len", "1000000000000", "--vocab", "a"],
        ["--max-len", "1" + "0" * 5000, "--vocab", "a"],
        ["--max-len", "3", "--vocab", "\x1b[2J,b"],
        ["--max-len", "3", "--vocab", "a,b", "--output", "no\nsuch"],
        ["--max-len", "3", "--vocab", "a,b", "--output", "\x1b[2J"],
    ],
    ids=[
        "max-len 10**12",
        "max-len 5000 digits",
        "escape in vocab",
        "newline in --output",
        "escape in --output",
    ],
)
def test_cli_hostile_options(tmp_path, args):
    """Options of commands that read RASP text: hostile ones are refused in one line (or
    as click usage errors) or, when harmless, accepted."""
    path = tmp_path / "p.rasp"
    path.write_text("y = indices;\n")
    done = cli(["ir", "show", str(path), *args])
    if done.returncode == 0:
        assert done.exception is None and done.output
    else:
        assert_cli_error(done, usage_ok=True)


@pytest.mark.parametrize("where", ["a directory", "a missing directory", "a file's child"])
def test_cli_hostile_output_paths(tmp_path, where):
    """``-o`` at a directory, in a missing directory, or under a file: one-line error,
    nothing written."""
    prog = tmp_path / "p.tpir.json"
    prog.write_text(dumps(rasp_style_program()))
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_text("mine")
    target = {
        "a directory": tmp_path / "dir",
        "a missing directory": tmp_path / "missing" / "x.py",
        "a file's child": tmp_path / "file" / "x.py",
    }[where]
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert_cli_error(cli(["emit", str(prog), "--to", "python", "-o", str(target)]))
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "file").read_text() == "mine"


@pytest.mark.parametrize("how", ["5000-digit d_mlp", "deep results.json", "d_mlp 10**12"])
def test_cli_lower_refuses_broken_runs(tiny_run, tmp_path, how):
    """``tpc lower`` on a broken run directory: one line, no output file."""
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run, run_dir)
    config = json.loads((run_dir / "config.json").read_text())
    if how == "5000-digit d_mlp":
        config["model"]["d_mlp"] = Raw("1" + "0" * 5000)
    elif how == "d_mlp 10**12":
        config["model"]["d_mlp"] = 10**12
    else:
        (run_dir / "results.json").write_text("[" * DEPTH + "]" * DEPTH)
    (run_dir / "config.json").write_text(to_text(config))
    out = tmp_path / "p.tpir.json"
    assert_cli_error(cli(["lower", str(run_dir), "-o", str(out)]))
    assert not out.exists()


def test_cli_in_a_real_process():
    """The same contract through the installed ``tpc`` script: a malformed file and a
    missing one give exit 1 and one line on the terminal."""
    name, data, opts = HOSTILE_FILES["truncated"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        assert_cli_error(cli_subprocess(["emit", str(path), "--to", "python", *opts]))
        assert_cli_error(cli_subprocess(["ir", "show", str(Path(tmp) / "missing.tpir.json")]))


# ---- 7. minimal reproductions of what the fuzzing found -----------------------------------------
# Each is the smallest case of a failure the tests above found; they stay as regression
# tests (a failure here is the same bug as the fuzz failure, in a form easy to debug).


@pytest.mark.parametrize("flag", ["open map", "constant"])
def test_rasp_sum_of_numerical_booleans_reads_back_defined(flag):
    """A sum over a numerical node with boolean values (an open map ``x >= 1``, the
    constant False): the RASP text must read back as a numerical mean, not a categorical
    one (undefined on 2+ keys)."""
    b = ProgramBuilder(("a",), 2)
    if flag == "open map":
        flag = b.open_map("x >= 1", b.indices, numerical=True, name="flag")
    else:
        flag = b.constant(False, numerical=True, name="flag")
    prog = b.build(
        b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), flag, reduce="sum", name="out")
    )
    seqs = all_short_inputs(prog)
    check_rasp_agrees(prog, emit(prog, "rasp"), seqs, per_input(prog, seqs))


def test_rasp_categorical_mean_keeps_a_default_of_zero():
    """A categorical mean whose default is the number 0: the RASP text must keep the
    default (RASP's implicit default is not 0 for a categorical aggregate)."""
    b = ProgramBuilder(("a",), 2)
    prog = b.build(
        b.aggregate(b.select(b.tokens, b.tokens, "FALSE"), b.tokens, default=0, name="out")
    )
    seqs = all_short_inputs(prog)
    check_rasp_agrees(prog, emit(prog, "rasp"), seqs, per_input(prog, seqs))


@pytest.mark.parametrize("how", ["mean default", "table"])
def test_rasp_keeps_booleans_apart_from_numbers(how):
    """``True`` in a categorical value set next to numbers: RASP text reads back ``True``,
    not ``1`` or ``1.0`` (IR values 1, 1.0 and True are different; in RASP, Python,
    ``True if c else 0`` is True). Found as ``readout = (True if (indices == 3) else 0)``
    reading back ``1``."""
    if how == "mean default":  # indices is {0}: the mean's type is {0, True}
        b = ProgramBuilder(("a",), 1)
        out = b.aggregate(b.select(b.indices, b.indices, "FALSE"), b.indices, default=True)
    else:
        b = ProgramBuilder(("a",), 2)
        out = b.map(lambda i: True if i == 1 else 0, b.indices, name="out")
    prog = b.build(out)
    back = parse_rasp(emit(prog, "rasp"), prog.vocab, prog.max_len)
    seqs = all_short_inputs(prog)
    got, want = interpret(back, seqs), interpret(prog, seqs)
    assert same(got, want), (got, want)


def test_python_node_named_builtins_keeps_the_module_working():
    """A node named ``__builtins__`` (a valid identifier) must not replace the emitted
    module's builtins."""
    b = ProgramBuilder(("a", "b"), 3)
    sel = b.select(b.tokens, b.tokens, "NEQ", name="__builtins__")
    prog = b.build(b.aggregate(sel, b.indices, reduce="closest", name="out"))
    module = check_python_source(emit(prog, "python"))
    seqs = all_short_inputs(prog)
    check_module_agrees(prog, module, seqs, per_input(prog, seqs))


def test_python_value_outside_its_value_set_is_a_value_error():
    """A sum whose declared value set leaves out a value it reaches: the interpreter raises
    EvalError, so the emitted module must raise ValueError (not KeyError)."""
    b = ProgramBuilder(("a",), 3)
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "TRUE"), ones, reduce="sum", name="count")
    prog = b.build(b.map(lambda c: f"n{c}", count, name="label"))
    doc = json.loads(dumps(prog))
    for node in doc["nodes"]:
        if node["name"] == "count":
            node["type"]["values"] = [0, 1, 3]
        if node["name"] == "label":
            node["table"] = [r for r in node["table"] if r[0] != 2]
            node["type"]["values"] = [r[1] for r in node["table"]]
    prog = loads(json.dumps(doc))
    module = check_python_source(emit(prog, "python"))
    seqs = all_short_inputs(prog)
    check_module_agrees(prog, module, seqs, per_input(prog, seqs))


@pytest.mark.parametrize(
    "text", ["\x00", "\ud800", '"""\x00"""'], ids=["NUL", "surrogate", "quoted NUL"]
)
def test_python_docstring_of_hostile_meta(text):
    """Provenance text with NUL or a lone surrogate: the emitted module still compiles and
    imports (or the program is refused in one line)."""
    b = ProgramBuilder(("a",), 2)
    prog = b.build(b.map(lambda t: 1, b.tokens, name="out"))
    prog.meta = {"task": text, "notes": text}
    source = outcome(emit, prog, "python")
    if source is not None:
        check_python_source(source)


def test_readout_weight_rows_for_a_numerical_feature_are_refused():
    """Readout weights swapped between a numerical and a categorical feature: a one-line
    IRError, not a TypeError from validation."""
    doc = json.loads(dumps(learned_style_program(False)))
    weights = doc["nodes"][-1]["weights"]
    weights[1], weights[2] = weights[2], weights[1]
    assert outcome(loads, json.dumps(doc)) is None


def test_numerical_mean_with_a_string_default_is_refused_or_runs():
    """A numerical mean whose default is a string: refused when loaded, or the interpreter
    gives a result or an EvalError (not a ValueError from float())."""
    b = ProgramBuilder(("a",), 2)
    values = b.map(lambda t: 0.5, b.tokens, numerical=True, name="values")
    prog = b.build(b.aggregate(b.select(b.tokens, b.tokens, "FALSE"), values, name="out"))
    doc = json.loads(dumps(prog))
    doc["nodes"][-1]["default"] = "zz"
    prog = outcome(loads, json.dumps(doc))
    if prog is not None:
        exercise(prog, all_short_inputs(prog))


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "tpc-ir/1", "max_len": 1' + "0" * 5000 + "}",
        '{"format": "tpc-ir/1", "meta": ' + "[" * DEPTH + "]" * DEPTH + "}",
        '{"format": "tpc-ir/1", "max_len": 1000000000000}',
        '{"format": "tpc-ir/1", "vocab": ["a"], "max_len": NaN}',
    ],
    ids=["5000 digits", "deep", "max_len 10**12", "NaN"],
)
def test_ir_loads_refuses_hostile_numbers_and_nesting(text):
    assert outcome(loads, text) is None


def test_nan_values_are_refused_or_work():
    """A NaN in a value set: refused, or every back end copes (``{nan: 0}`` lookups fail
    in Python: NaN is not equal to itself)."""
    b = ProgramBuilder(("a",), 2)
    try:
        c = b.constant(float("nan"), name="c")
        prog = b.build(b.map(lambda v: 0, c, name="out"))
    except TpcError as e:
        assert_one_line(e)
        return
    exercise(prog, all_short_inputs(prog))


def test_rasp_mean_of_a_mean_of_booleans_stays_boolean():
    """A mean of booleans without a default, itself averaged: RASP's implicit default 0
    would put a number among the booleans and read the second mean back as numerical
    (``1.0`` where the IR gives ``True``). Found through two chained closest aggregates
    over the constant True."""
    b = ProgramBuilder(("<s>",), 1)
    flag = b.constant(True, name="flag")
    first = b.aggregate(b.select(b.indices, b.indices, "EQ"), flag, name="first")
    prog = b.build(b.aggregate(b.select(b.indices, b.indices, "EQ"), first, name="out"))
    seqs = all_short_inputs(prog)
    check_rasp_agrees(prog, emit(prog, "rasp"), seqs, per_input(prog, seqs))


def test_what_tpc_builds_or_writes_it_loads():
    """RASP text whose comparison spells out a 100,000-element list: the reader builds the
    program (the list's text is not kept as the node's RASP hint: it is longer than an IR
    string may be), so its JSON loads back. A program larger than tpc reads is refused
    when written, in one line, instead of written as a file tpc then refuses."""
    text = "y = selector_width(select(indices, indices, <)) == [x for x in range(100000)];"
    prog = parse_rasp(text, ["a"], 2)
    assert dumps(loads(dumps(prog))) == dumps(prog)
    b = ProgramBuilder(("a",), 2)
    wide = b.constant(0, name="out")
    prog = b.build(wide)
    many = Categorical(tuple(range(MAX_VALUE_SET + 1)))
    huge = prog.replace({**prog.nodes, "out": dataclasses.replace(prog["out"], type=many)})
    with pytest.raises(TpcError) as info:
        dumps(huge)
    assert_one_line(info.value)
