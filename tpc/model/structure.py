"""Read-off of a trained Transformer Program's discrete structure (what lowering consumes).

Everything here is the argmax of the model's choices, so a program built from it computes
exactly what :meth:`TransformerProgram.run_discrete` computes:

- a categorical variable holds a value index 0..d_var-1; :attr:`Variable.values` labels the
  indices (the token for ``tokens``, the position for ``indices``, the value variable's
  labels for a categorical head, the index itself for embeddings and MLP outputs; ``None``
  for an index the variable can never hold);
- a categorical head selects M_i = {j allowed : key_j == predicate[query_i]} and takes the
  value at the closest other match (earlier on ties; i itself only if M_i = {i}; position 0
  if M_i is empty); a numerical head sums its value over M_i ("allowed": not padding, and
  j <= i when causal);
- an MLP maps its input values to an output value index: ``table`` for categorical inputs,
  :meth:`MLP.apply` (the model's own float64 arithmetic) for numerical ones;
- ``prefix_count`` and ``expert`` (:mod:`tpc.model.extras`) are numerical inputs;
  :attr:`ProgramStructure.prefix_counts` says whether the model has the first,
  :attr:`ProgramStructure.router` holds the expert router's weights (None: no experts);
- the readout adds, in float64, ``readout.categorical[v][value_v]`` for every categorical
  variable it reads, ``value_u * readout.numerical[u]`` for every numerical one it reads
  (every variable, unless the model has ``readout_vars``) and ``bias``; masked
  classes never win; prediction = first argmax (of the mean over non-pad positions when
  ``pooled``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import torch

from tpc.model.mlp_argmax import numerical_mlp_argmax

if TYPE_CHECKING:
    from tpc.model.program import TransformerProgram

Label = str | int | None


@dataclass(frozen=True)
class Variable:
    """A residual variable: ``values`` labels the d_var value indices (categorical only)."""

    name: str
    kind: Literal["categorical", "numerical"]
    values: tuple[Label, ...] | None = None


@dataclass(frozen=True)
class Embedding:
    """A learned input variable: ``table[token_id]`` is its value index (categorical) or
    value (numerical) for that token."""

    name: str
    kind: Literal["categorical", "numerical"]
    table: np.ndarray


@dataclass(frozen=True)
class Head:
    """An attention head of layer ``layer`` writing variable ``name``.

    ``query`` and ``key`` are categorical variables; ``predicate[q]`` is the key value index
    selected by query value index q. ``value`` is categorical for ``reduce="closest"`` and
    numerical for ``reduce="sum"``.
    """

    name: str
    layer: int
    kind: Literal["categorical", "numerical"]
    query: str
    key: str
    value: str
    predicate: tuple[int, ...]
    reduce: Literal["closest", "sum"]
    causal: bool


@dataclass(frozen=True)
class MLP:
    """An MLP of layer ``layer`` writing the categorical variable ``name``.

    Reads ``inputs`` (categorical for kind "categorical", numerical for "numerical").
    Weights: ``w_in`` [d_mlp, n_in, width] (width d_var: column [:, r, v] is added when input
    r has value v; width 1: multiplied by input r's value), ``b_in`` [d_mlp], ``w_out``
    [d_var, d_mlp], ``b_out`` [d_var]; output = argmax(w_out relu(.) + b_out).
    ``table`` (categorical only) has shape (d_var,) * n_in: the output for every input tuple.
    """

    name: str
    layer: int
    kind: Literal["categorical", "numerical"]
    inputs: tuple[str, ...]
    w_in: np.ndarray
    b_in: np.ndarray
    w_out: np.ndarray
    b_out: np.ndarray
    table: np.ndarray | None = field(default=None, repr=False)

    def apply(self, values: np.ndarray) -> np.ndarray:
        """Output value indices for inputs ``values`` [K, n_in] (value indices for a
        categorical MLP, numbers for a numerical one), exactly as the model computes them."""
        values = np.asarray(values)
        if values.ndim != 2 or values.shape[1] != len(self.inputs):
            raise ValueError(
                f"{self.name} takes [K, {len(self.inputs)}] inputs, got shape {values.shape}"
            )
        if self.table is not None:
            return self.table[tuple(values.astype(np.int64).T)]
        out = numerical_mlp_argmax(
            *(torch.from_numpy(w) for w in (self.w_in[:, :, 0], self.b_in, self.w_out, self.b_out)),
            torch.from_numpy(values),
        )
        return out.numpy()


@dataclass(frozen=True)
class Readout:
    """The classifier: weight blocks per variable it reads (see the module docstring)."""

    categorical: dict[str, np.ndarray]
    numerical: dict[str, np.ndarray]
    bias: np.ndarray
    classes: tuple[str, ...]
    mask: tuple[int, ...]
    pooled: bool


@dataclass(frozen=True)
class Router:
    """The expert router (:mod:`tpc.model.extras`): ``symbols`` the content tokens whose
    histogram it reads, in order; ``weight`` [5, S] and ``bias`` [5] as float64 (exact
    copies of the model's float32 weights)."""

    symbols: tuple[str, ...]
    weight: np.ndarray
    bias: np.ndarray


@dataclass(frozen=True)
class ProgramStructure:
    """The whole discrete program; ``variables`` in residual order (categorical, then
    numerical); ``heads`` and ``mlps`` in evaluation order."""

    input_vocab: tuple[str, ...]
    classes: tuple[str, ...]
    max_len: int
    d_var: int
    causal: bool
    variables: tuple[Variable, ...]
    embeddings: tuple[Embedding, ...]
    heads: tuple[Head, ...]
    mlps: tuple[MLP, ...]
    readout: Readout
    prefix_counts: bool = False
    router: Router | None = None

    def variable(self, name: str) -> Variable:
        """The variable called ``name`` (KeyError if none)."""
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


@torch.no_grad()
def read_structure(model: TransformerProgram) -> ProgramStructure:
    """The discrete structure of ``model`` (copies; later training does not change it)."""
    c = model.config
    d = c.d_var
    labels: dict[str, tuple[Label, ...]] = {}
    embeddings: list[Embedding] = []
    if model.embed is None:
        labels["tokens"] = tuple(c.input_vocab) + (None,) * (d - len(c.input_vocab))
    else:
        for i, table in enumerate(model.embed.argmax(-1)):
            labels[f"embed_{i}"] = tuple(range(d))
            embeddings.append(Embedding(f"embed_{i}", "categorical", _np(table)))
    labels["indices"] = tuple(range(c.max_len)) + (None,) * (d - c.max_len)
    if model.num_embed is not None:
        embeddings += [
            Embedding(f"num_embed_{i}", "numerical", _np(col))
            for i, col in enumerate(model.num_embed.T)
        ]
    heads: list[Head] = []
    mlps: list[MLP] = []
    n_cat, n_num = c.n_vars_cat + 1, model.n_num_inputs
    for index, layer in enumerate(model.layers):
        cat_in, num_in = model.cat_names[:n_cat], model.num_names[:n_num]
        names = model.head_names(index)
        h = len(names)
        if h:
            reads = layer.read_cat.argmax(-1).tolist()
            predicates = layer.predicate.argmax(-1).tolist()
            num_values = layer.read_num.argmax(-1).tolist() if layer.read_num is not None else []
        for i, name in enumerate(names):
            categorical = i < c.n_heads_cat
            value = (
                cat_in[reads[2 * h + i]] if categorical else num_in[num_values[i - c.n_heads_cat]]
            )
            if categorical:
                labels[name] = labels[value]
            heads.append(
                Head(
                    name,
                    index,
                    "categorical" if categorical else "numerical",
                    cat_in[reads[i]],
                    cat_in[reads[h + i]],
                    value,
                    tuple(predicates[i]),
                    "closest" if categorical else "sum",
                    c.causal,
                )
            )
        cat_mid = model.cat_names[: n_cat + c.n_heads_cat]
        num_mid = model.num_names[: n_num + c.n_heads_num]
        for bank, kind, pool, prefix in (
            (layer.mlp, "categorical", cat_mid, "mlp"),
            (layer.num_mlp, "numerical", num_mid, "num_mlp"),
        ):
            if bank is None:
                continue
            for m, reads_m in enumerate(bank.reads().tolist()):
                name = f"{prefix}_{index}_{m}"
                labels[name] = tuple(range(d))
                table = None
                if kind == "categorical":
                    table = _np(bank.categorical_table(m)).reshape((d,) * len(reads_m))
                mlps.append(
                    MLP(
                        name,
                        index,
                        kind,
                        tuple(pool[r] for r in reads_m),
                        _np(bank.w_in[m]),
                        _np(bank.b_in[m]),
                        _np(bank.w_out[m]),
                        _np(bank.b_out[m]),
                        table,
                    )
                )
        n_cat += c.n_heads_cat + c.n_cat_mlps + c.n_num_mlps
        n_num += c.n_heads_num
    variables = tuple(
        [Variable(n, "categorical", labels[n]) for n in model.cat_names]
        + [Variable(n, "numerical") for n in model.num_names]
    )
    w_cat, w_num = model.readout_weights()
    reads = set(model.readout_reads())
    readout = Readout(
        {n: _np(w) for n, w in zip(model.cat_names, w_cat) if n in reads},
        {
            n: _np(w)
            for n, w in zip(model.num_names, w_num if w_num is not None else ())
            if n in reads
        },
        _np(model.readout_bias),
        tuple(c.classes),
        tuple(c.class_mask),
        c.pooled,
    )
    return ProgramStructure(
        tuple(c.input_vocab),
        tuple(c.classes),
        c.max_len,
        d,
        c.causal,
        variables,
        tuple(embeddings),
        tuple(heads),
        tuple(mlps),
        readout,
        prefix_counts=c.prefix_counts,
        router=None
        if model.router is None
        else Router(
            tuple(c.input_vocab[i] for i in model.router.symbols.tolist()),
            _np(model.router.weight.double()),
            _np(model.router.bias.double()),
        ),
    )
