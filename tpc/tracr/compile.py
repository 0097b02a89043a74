"""Compile IR programs with Tracr, run the compiled models, check them against the interpreter.

A compiled model reads ``[COMPILER_BOS, *tokens]`` (at most ``max_len`` tokens, Tracr's
indices count from the first token) and writes the output at every position; position 0
(the compiler's BOS) is dropped. Categorical outputs decode to the program's own values;
numerical outputs are floats (checked with :data:`NUMERICAL_TOLERANCE`). Runs are padded,
masked batches through one jitted forward pass.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tpc.errors import EmitError, TpcError
from tpc.fileio import atomic_output
from tpc.ir import Program, Value, run
from tpc.passes.legalize.tracr import tracr_mlp_exactness
from tpc.tracr.ir_to_tracr import build_tracr, compiler_bos_for, tracr_rasp

#: Absolute and relative tolerance for numerical outputs of compiled models (float32).
NUMERICAL_TOLERANCE = 1e-4
#: Rows per jitted call (one compilation per model).
CHUNK = 512


def _jax():
    tracr_rasp()  # a clear error when the extra is missing
    import jax
    from tracr.compiler import compiling

    return jax, compiling


@dataclass
class CompiledTracr:
    """A Tracr model compiled from an IR program, with what it took."""

    program: Program
    model: Any  # tracr.compiler.assemble.AssembledTransformerModel
    compiler_bos: str
    seconds: float
    sharpened: bool = False
    _forward: Any = field(default=None, repr=False)

    @property
    def numerical_output(self) -> bool:
        from tracr.transformer.encoder import NumericalEncoder

        return isinstance(self.model.output_encoder, NumericalEncoder)

    def stats(self) -> dict[str, int | float]:
        """Layers, attention heads in use, residual width, MLP hidden size, parameters."""
        cfg = self.model.model_config
        params = self.model.params
        heads = 0
        for layer in range(cfg.num_layers):
            q = params.get(f"transformer/layer_{layer}/attn/query")
            if q is not None:
                w = np.asarray(q["w"]).reshape(q["w"].shape[0], cfg.num_heads, -1)
                heads += int((np.abs(w).sum(axis=(0, 2)) > 0).sum())
        return {
            "layers": cfg.num_layers,
            "heads": heads,
            "max_heads_per_layer": cfg.num_heads,
            "residual_width": len(self.model.residual_labels),
            "mlp_hidden": cfg.mlp_hidden_size,
            "params": int(sum(np.size(a) for m in params.values() for a in m.values())),
            "key_size": cfg.key_size,
            "compile_seconds": round(self.seconds, 2),
        }

    def run(self, seqs: Sequence[Sequence[str]]) -> list[list[Value]]:
        """The compiled model's outputs on token lists (BOS position dropped).

        Inputs of every length share one jitted call: they are padded with Tracr's pad
        token, which the model masks as a key (weight exactly 0), so each output equals
        the model's output on that input alone.
        """
        for i, s in enumerate(seqs):
            if len(s) > self.program.max_len:
                raise TpcError(f"input {i} is longer than max_len {self.program.max_len}")
            unknown = [t for t in s if t not in self.program.vocab]
            if unknown:
                raise TpcError(f"unknown token {unknown[0]!r} in input {i}")
        enc = self.model.input_encoder
        ids = np.full((len(seqs), self.program.max_len + 1), enc.pad_encoding, dtype=np.int32)
        ids[:, 0] = enc.bos_encoding
        for i, s in enumerate(seqs):
            ids[i, 1 : len(s) + 1] = [enc.encoding_map[t] for t in s]
        forward = self._jitted()
        outs: list[list[Value]] = []
        for start in range(0, len(seqs), CHUNK):
            chunk = ids[start : start + CHUNK]
            padded = np.concatenate([chunk, np.repeat(chunk[-1:], CHUNK - len(chunk), 0)])
            res = np.asarray(forward(self.model.params, padded))
            for s, row in zip(seqs[start : start + CHUNK], res):
                vals = row[1 : len(s) + 1].tolist()
                outs.append(
                    vals if self.numerical_output else self.model.output_encoder.decode(vals)
                )
        return outs

    def _jitted(self):
        if self._forward is None:
            jax, _ = _jax()
            import haiku as hk

            pad = self.model.input_encoder.pad_encoding

            def forward(tokens):
                model = self.model.get_compiled_model()
                model.pad_token = pad
                return model(tokens, use_dropout=False).unembedded_output

            self._forward = jax.jit(hk.without_apply_rng(hk.transform(forward)).apply)
        return self._forward


def sharpen_attention(model: Any) -> None:
    """Undo the ``1 / sqrt(key_size)`` that Tracr's ``MultiHeadAttention`` applies to the
    attention logits its compiler designed, by scaling every query weight by
    ``sqrt(key_size)`` (in place).

    Tracr's attention blocks are built for logits of 100 on selected keys, 50 on BOS and 0
    elsewhere (``softmax_coldness``), but the assembled model divides them by
    ``sqrt(key_size)``, where ``key_size`` is the largest query/key space of any head in
    the model. Once a selector's (product-encoded) value sets reach a few dozen values the
    softmax is no longer hard and outputs drift; with this correction the model computes
    exactly the attention pattern of the compiled program.
    """
    scale = float(np.sqrt(model.model_config.key_size))
    for name, params in model.params.items():
        if name.endswith("/attn/query"):
            model.params[name] = {**params, "w": params["w"] * scale}


def compile_tracr(program: Program, sharpen: bool = True) -> CompiledTracr:
    """Compile ``program`` (legalised for Tracr) to a Tracr transformer, timing it, with
    the ``mlp_exactness`` of :func:`~tpc.passes.legalize.tracr.tracr_mlp_exactness`; with
    ``sharpen``, apply :func:`sharpen_attention` (Tracr's plain output otherwise)."""
    _, compiling = _jax()
    start = time.perf_counter()
    sop = build_tracr(program)
    bos = compiler_bos_for(program.vocab)
    try:
        model = compiling.compile_rasp_to_model(
            sop,
            vocab=set(program.vocab),
            max_seq_len=program.max_len,
            compiler_bos=bos,
            mlp_exactness=tracr_mlp_exactness(program.max_len),
        )
    except (NotImplementedError, ValueError, TypeError, AssertionError) as e:
        # Tracr's own refusals (it raises these for constructs it cannot compile): one line
        raise EmitError(f"Tracr could not compile the program: {type(e).__name__}: {e}") from None
    if sharpen:
        sharpen_attention(model)
    return CompiledTracr(program, model, bos, time.perf_counter() - start, sharpened=sharpen)


# ---- inputs and checks ----------------------------------------------------------------------


def _body(program: Program) -> list[str]:
    return [t for t in program.vocab if t not in (program.bos, program.eos)]


def _prefix(program: Program) -> list[str]:
    return [program.bos] if program.bos is not None else []


def count_inputs(program: Program) -> int:
    """How many inputs :func:`all_inputs` gives."""
    room = program.max_len - len(_prefix(program))
    return sum(len(_body(program)) ** n for n in range(1, room + 1))


def all_inputs(program: Program) -> list[list[str]]:
    """Every input of length 1..max_len: a BOS first when the program expects one, then any
    tokens but BOS/EOS."""
    pre, body = _prefix(program), _body(program)
    room = program.max_len - len(pre)
    return [
        pre + list(seq) for n in range(1, room + 1) for seq in itertools.product(body, repeat=n)
    ]


def sample_inputs(program: Program, count: int, seed: int = 0) -> list[list[str]]:
    """``count`` random inputs, lengths uniform over 1..max_len (as in :func:`all_inputs`)."""
    rng = random.Random(seed)
    pre, body = _prefix(program), _body(program)
    room = program.max_len - len(pre)
    return [pre + rng.choices(body, k=rng.randint(1, room)) for _ in range(count)]


def same_output(expected: Value, got: Value) -> bool:
    """A compiled model's output value equals the interpreter's (numbers within tolerance)."""
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(
            float(expected), float(got), rel_tol=NUMERICAL_TOLERANCE, abs_tol=NUMERICAL_TOLERANCE
        )
    return type(expected) is type(got) and expected == got


@dataclass
class Agreement:
    """How many inputs the compiled model gets exactly right, and a few that it does not."""

    agree: int
    total: int
    mismatches: list[tuple[list[str], list[Value], list[Value]]]

    @property
    def ok(self) -> bool:
        return self.agree == self.total


def check_compiled(
    compiled: CompiledTracr, seqs: Sequence[Sequence[str]], keep: int = 5
) -> Agreement:
    """Run the compiled model and the interpreter on ``seqs``; compare every position."""
    want = run(compiled.program, seqs)
    got = compiled.run(seqs)
    agree, bad = 0, []
    for s, w, g in zip(seqs, want, got):
        if len(w) == len(g) and all(same_output(a, b) for a, b in zip(w, g)):
            agree += 1
        elif len(bad) < keep:
            bad.append((list(s), w, g))
    return Agreement(agree, len(seqs), bad)


def save_weights(compiled: CompiledTracr, path: str | Path) -> None:
    """Write the compiled parameters (``module/param`` arrays) and residual labels to an
    ``.npz`` file, atomically (:func:`tpc.fileio.atomic_output`)."""
    arrays = {
        f"{module}/{name}": np.asarray(a)
        for module, params in compiled.model.params.items()
        for name, a in params.items()
    }
    arrays["residual_labels"] = np.array(compiled.model.residual_labels)
    with atomic_output(path) as f:
        np.savez(f, **arrays)


# ---- loading Tracr programs from Python ---------------------------------------------------


def load_tracr_function(spec: str) -> Any:
    """``MODULE:FUNCTION`` or ``path/to/file.py:FUNCTION`` → the function's result (a
    ``tracr.rasp.SOp``), called without arguments."""
    module_name, sep, attr = spec.rpartition(":")
    if not sep or not module_name or not attr:
        raise TpcError(f"expected MODULE:FUNCTION, not {spec!r}")
    try:
        if module_name.endswith(".py"):
            path = Path(module_name)
            if not path.is_file():
                raise TpcError(f"no such file: {path}")
            loader_spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(loader_spec)
            loader_spec.loader.exec_module(module)
        else:
            sys.path.insert(0, os.getcwd())
            try:
                module = importlib.import_module(module_name)
            finally:
                sys.path.remove(os.getcwd())
    except ImportError as e:
        raise TpcError(f"cannot import {module_name}: {e}") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise TpcError(f"{module_name} has no function {attr!r}")
    return fn()


__all__ = [
    "Agreement",
    "CompiledTracr",
    "all_inputs",
    "check_compiled",
    "compile_tracr",
    "count_inputs",
    "load_tracr_function",
    "sample_inputs",
    "same_output",
    "save_weights",
    "sharpen_attention",
]
