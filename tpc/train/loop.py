"""The training loop: Adam on the relaxed model, temperature annealing, per-epoch discrete
validation, best-epoch selection, checkpoints, Ctrl-C handling and resumption; GloVe
initialisation of a learned embedding (``--glove``) and the device (``--device``)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from tpc.errors import FormatError, printable, quote
from tpc.fileio import FileError, check_output_dir, make_output_dir, read_text, write_atomic
from tpc.model import ConfigError, Model, TransformerProgram, build_model
from tpc.train.config import TrainConfig, model_config
from tpc.train.data import Split, TaskData, glove_rows, load_data
from tpc.train.interrupts import deferred_interrupts
from tpc.train.rundir import (
    CHECKPOINT,
    CONFIG,
    FORMAT,
    METRICS,
    WIRING,
    RunError,
    check_state,
    check_tensor,
    load_state,
    load_tensors,
    read_config,
    read_metrics,
    save_tensors,
    write_config,
    write_final,
    write_jsonl,
)
from tpc.train.schedule import temperatures
from tpc.train.supervision import Supervision, build_supervision
from tpc.train.wiring import MAX_WIRING_BYTES, apply_wiring, parse_wiring

EVAL_BATCH = 4096
#: The tensors Adam keeps per parameter (what a checkpoint's ``optim.I.*`` may hold).
ADAM_STATE = ("step", "exp_avg", "exp_avg_sq")


def _counter(meta: dict[str, str], key: str, low: int, high: int, path: Path) -> int:
    """The integer ``meta[key]`` of a checkpoint, in ``low..high``; RunError otherwise."""
    text = meta.get(key, "")
    if not re.fullmatch(r"-?[0-9]{1,18}", text):
        raise RunError(f"{path} is corrupt: {key} is not a number")
    value = int(text)
    if not low <= value <= high:
        raise RunError(f"{path} is corrupt: {key} {value} is outside {low}..{high}")
    return value


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run torch on ``threads`` CPU threads inside the block, as before after it."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextmanager
def flush_denormals() -> Iterator[None]:
    """Flush denormal floats to zero (CPU), as low temperatures make many tiny
    probabilities that would otherwise slow every operation on them down several times."""
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


@torch.inference_mode()
def accuracy(model: Model, split: Split, batch_size: int = EVAL_BATCH) -> float:
    """Accuracy of the model's (discrete, for a Transformer Program) predictions over the
    scored positions (label != PAD) of ``split``; per sequence for pooled models."""
    model.eval()
    correct = torch.zeros((), dtype=torch.long, device=split.labels.device)
    total = torch.zeros((), dtype=torch.long, device=split.labels.device)
    for start in range(0, len(split), batch_size):
        ids, lengths, labels = split.batch(start, start + batch_size)
        pred = model.predict(ids, lengths)
        scored = labels != 0
        correct += ((pred == labels) & scored).sum()
        total += scored.sum()
    return correct.item() / max(total.item(), 1)


@torch.inference_mode()
def predictions(model: Model, split: Split, batch_size: int = EVAL_BATCH) -> Tensor:
    """The model's (discrete) predictions of every input of ``split``, class ids on the
    CPU: [B, N] (positions past an input's length are meaningless), [B] when pooled."""
    model.eval()
    out = []
    for lo in range(0, len(split), batch_size):
        ids, lengths, _ = split.batch(lo, lo + batch_size)
        pred = model.predict(ids, lengths).cpu()
        if pred.dim() == 2:  # a trimmed batch: back to the split's width
            pred = torch.nn.functional.pad(pred, (0, split.ids.shape[1] - pred.shape[1]))
        out.append(pred)
    return torch.cat(out)


def corpus_results(model: Model, data: TaskData) -> dict[str, Any]:
    """What a corpus run's ``results.json`` says beyond accuracy, per split: sentences,
    model inputs and truncated sentences, and for a tagging corpus the entity precision,
    recall and F1 (CoNLL's, :func:`tpc.tasks.metrics.entity_scores`) of the predicted
    tags of every token of every sentence (windows joined)."""
    from tpc.tasks.metrics import entity_scores

    corpus = data.corpus
    assert corpus is not None
    out: dict[str, Any] = {"kind": corpus.kind, "vocabulary": len(corpus.vocabulary)}
    for name in ("train", "val", "test"):
        encoded = corpus.encoded[name]
        row: dict[str, Any] = {
            "sentences": len(encoded.lengths),
            "inputs": len(encoded.inputs),
            "truncated": encoded.truncated,
        }
        if corpus.kind == "tagging":
            predicted = corpus.predicted_labels(
                name, predictions(model, getattr(data, name)), data.classes
            )
            gold = [list(example.labels) for example in corpus.examples(name)]
            scores = entity_scores(gold, predicted)
            row.update(
                precision=scores.precision,
                recall=scores.recall,
                f1=scores.f1,
                entities=scores.support,
            )
        out[name] = row
    return out


def apply_glove(model: Model, vocab: list[str], path: str | Path, seed: int) -> int:
    """Initialise the learned token embedding of ``model`` from the GloVe file ``path``
    (:func:`tpc.train.data.glove_rows`): the row of each word of ``vocab`` that GloVe has
    becomes its projected vector, split into the ``n_vars_cat`` variables' logits in
    order (the reference's ``CatEmbed``: variable i takes dimensions i*d_var ..
    (i+1)*d_var - 1), or the standard Transformer's embedding row. Returns how many words
    were found."""
    with torch.no_grad():
        if isinstance(model, TransformerProgram):
            if model.embed is None:
                raise ConfigError("--glove initialises a learned embedding: add --learned-embed")
            n_vars, _, d_var = model.embed.shape
            ids, rows = glove_rows(path, vocab, n_vars * d_var, seed)
            if ids:
                values = torch.from_numpy(rows).view(len(ids), n_vars, d_var).transpose(0, 1)
                model.embed[:, ids] = values.to(model.embed.dtype)
        else:
            weight = model.embed.weight
            ids, rows = glove_rows(path, vocab, weight.shape[1], seed)
            if ids:
                weight[ids] = torch.from_numpy(rows).to(weight.dtype)
    return len(ids)


def new_model(config: TrainConfig, data: TaskData, mconfig: Any) -> Model:
    """The untrained model of a run (``mconfig`` its :func:`model_config`), its
    initialisation seeded with ``config.seed``; a corpus run's Transformer Program relaxes
    only the embedding rows of each batch's tokens (``relax_batch_rows``)."""
    torch.manual_seed(config.seed)
    model = build_model(mconfig)
    if isinstance(model, TransformerProgram) and data.corpus is not None:
        model.relax_batch_rows = True  # a large vocabulary: see TransformerProgram
    return model


def select_device(config: TrainConfig) -> torch.device:
    """The device ``config`` trains on; ConfigError if it asks for CUDA and torch has none."""
    if config.device == "cuda" and not torch.cuda.is_available():
        build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        raise ConfigError(f"--device cuda: torch ({build}) finds no CUDA device; use --device cpu")
    return torch.device(config.device)


def sequence_loss(logits: Tensor, labels: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """Mean over sequences of the mean token cross-entropy over scored positions (the
    reference's "per_token" loss; plain cross-entropy for pooled [B, C] logits), plus the
    numbers of right (label among the highest logits) and of scored predictions.

    The log-softmax runs over dimension 0 of ``logits.movedim(-1, 0)``, which is contiguous
    for the Transformer Program's class-major logits (torch's CPU softmax over a short
    innermost dimension is slow).
    """
    scored = labels != 0
    log_probs = logits.movedim(-1, 0).log_softmax(0)
    nll = -log_probs.gather(0, labels.unsqueeze(0)).squeeze(0)
    right = ((-nll >= log_probs.amax(0)) & scored).sum()  # a tie counts as right
    if labels.dim() == 1:
        loss = (nll * scored).sum() / scored.sum().clamp(min=1)
    else:
        loss = ((nll * scored).sum(1) / scored.sum(1).clamp(min=1)).mean()
    return loss, right, scored.sum()


@dataclass
class Trainer:
    """Trains ``model`` on ``data`` with the optimisation options of ``config``.

    The state that a checkpoint saves: weights, Adam state, torch's global RNG (batch order
    and Gumbel noise), the epoch/step counters and the best epoch so far.

    A step is one relaxed forward pass and the cross-entropy (:func:`sequence_loss`),
    unless ``config.gumbel_samples`` S > 1 (the gradient of the mean loss of S passes,
    each with its own Gumbel noise) or ``supervision`` (:mod:`tpc.train.supervision`:
    the loss adds ``weight`` x the attention MSE; metrics add ``supervised_mse`` and the
    discrete validation ``supervised_agreement``). ``config.clip_grad_norm`` clips the
    gradient's norm before each optimiser step.
    """

    config: TrainConfig
    data: TaskData
    model: Model
    epoch: int = 0
    step: int = 0
    best_epoch: int = -1
    best_val: float = -1.0
    best_state: dict[str, Tensor] | None = None
    metrics: list[dict[str, Any]] = field(default_factory=list)
    supervision: Supervision | None = None

    def __post_init__(self) -> None:
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.config.lr, fused=True)
        self.steps_per_epoch = math.ceil(len(self.data.train) / self.config.batch_size)
        self.taus = temperatures(
            self.config.tau_start,
            self.config.tau_end,
            self.config.epochs * self.steps_per_epoch,
            self.config.tau_schedule,
        ).tolist()

    def train_epoch(self) -> dict[str, Any]:
        """One pass over the shuffled training split, then discrete validation.

        The epoch's bookkeeping (its number, the best weights, the metrics row) changes
        at the end, all at once with Ctrl-C held back: an interrupted epoch leaves them
        as they were (only the weights, optimiser and step counter have moved on).
        """
        start = time.perf_counter()
        model, train, size = self.model, self.data.train, self.config.batch_size
        model.train()
        device = train.ids.device
        order = torch.randperm(len(train)).to(device)  # the CPU generator, on every device
        loss_sum = torch.zeros((), device=device)
        right = torch.zeros((), dtype=torch.long, device=device)
        total = torch.zeros((), dtype=torch.long, device=device)
        mse_sum = torch.zeros((), device=device)
        plain = self.supervision is None and self.config.gumbel_samples == 1
        clip = self.config.clip_grad_norm
        with flush_denormals():
            for lo in range(0, len(train), size):
                tau = self.taus[self.step]
                ids, lengths, labels = train.batch(lo, lo + size, order)
                if plain:  # one relaxed pass, the cross-entropy alone
                    logits = model(ids, lengths, tau=tau)
                    loss, r, t = sequence_loss(logits, labels)
                    self.optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    loss = loss.detach()
                else:
                    self.optimizer.zero_grad(set_to_none=True)
                    loss, r, t, mse = self._accumulate(
                        ids, lengths, labels, tau, order[lo : lo + size]
                    )
                    mse_sum += mse * ids.shape[0]
                if clip is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                self.optimizer.step()
                loss_sum += loss * ids.shape[0]
                right += r
                total += t
                self.step += 1
        train_seconds = time.perf_counter() - start
        val = accuracy(model, self.data.val)
        row = {
            "epoch": self.epoch + 1,
            "tau": tau,
            "loss": loss_sum.item() / len(train),
            "train_acc": right.item() / max(total.item(), 1),
            "val_acc": val,
        }
        if self.supervision is not None:
            assert isinstance(model, TransformerProgram)  # TrainConfig.supervised_heads
            row["supervised_mse"] = mse_sum.item() / len(train)
            row["supervised_agreement"] = self.supervision.agreement(model, self.data.val, "val")[0]
        row["train_seconds"] = train_seconds
        row["seconds"] = time.perf_counter() - start
        with deferred_interrupts():
            self.epoch += 1
            if val >= self.best_val:
                self.best_val, self.best_epoch = val, self.epoch
                self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            self.metrics.append(row)
        return row

    def _accumulate(
        self, ids: Tensor, lengths: Tensor, labels: Tensor, tau: float, rows: Tensor
    ) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """Gradients of one step's loss, accumulated over ``gumbel_samples`` relaxed passes
        (each with its own Gumbel noise, each pass's loss divided by their number): the
        cross-entropy plus, with supervision, ``weight`` x the attention MSE
        (:mod:`tpc.train.supervision`) of the batch's ``rows`` of the training split.
        Returns the step's mean loss, the right and scored predictions summed over the
        passes, and the mean MSE (0 without supervision), all detached."""
        samples, sup = self.config.gumbel_samples, self.supervision
        loss_mean = torch.zeros((), device=ids.device)
        mse_mean = torch.zeros((), device=ids.device)
        right = torch.zeros((), dtype=torch.long, device=ids.device)
        total = torch.zeros((), dtype=torch.long, device=ids.device)
        for _ in range(samples):
            recorded: list[Tensor] | None = [] if sup is not None else None
            matches: list[Tensor] | None = [] if sup is not None else None
            logits = self.model(ids, lengths, tau=tau, attention=recorded, matches=matches)
            loss, r, t = sequence_loss(logits, labels)
            if sup is not None:
                assert recorded is not None and matches is not None
                mse = sup.loss(recorded, matches, rows, lengths, ids.shape[1])
                loss = loss + sup.weight * mse
                mse_mean += mse.detach() / samples
            (loss / samples if samples > 1 else loss).backward()
            loss_mean += loss.detach() / samples
            right += r
            total += t
        return loss_mean, right, total, mse_mean

    def checkpoint_tensors(self) -> tuple[dict[str, Tensor], dict[str, str]]:
        """Tensors and metadata of a checkpoint of the current state."""
        tensors = {f"model.{k}": v for k, v in self.model.state_dict().items()}
        tensors.update({f"best.{k}": v for k, v in (self.best_state or {}).items()})
        for i, state in self.optimizer.state_dict()["state"].items():
            tensors.update({f"optim.{i}.{k}": torch.as_tensor(v) for k, v in state.items()})
        tensors["rng"] = torch.get_rng_state()
        meta = {
            "epoch": str(self.epoch),
            "step": str(self.step),
            "best_epoch": str(self.best_epoch),
            "best_val": repr(self.best_val),
        }
        return tensors, meta

    def restore(self, tensors: dict[str, Tensor], meta: dict[str, str], path: Path) -> None:
        """Inverse of :meth:`checkpoint_tensors`. RunError (one line, naming ``path``)
        unless every tensor has the name, shape and dtype this run's model and optimiser
        need and the counters are those of an epoch boundary of this run."""
        parts: dict[str, dict[str, Tensor]] = {"model": {}, "best": {}, "optim": {}}
        for key, value in tensors.items():
            prefix, _, rest = key.partition(".")
            if key != "rng" and (prefix not in parts or not rest):
                raise RunError(f"{path}: unexpected tensor {quote(key)}")
            if key != "rng":
                parts[prefix][rest] = value
        if "rng" not in tensors:
            raise RunError(f"{path}: no rng tensor")
        check_tensor(tensors["rng"], torch.get_rng_state(), f"{path}: rng")
        load_state(self.model, parts["model"], path)
        if parts["best"]:
            check_state(self.model.state_dict(), parts["best"], path)
        optim = self.optimizer.state_dict()
        optim["state"] = self._optimizer_state(parts["optim"], path)
        epoch = _counter(meta, "epoch", 0, self.config.epochs, path)
        step = _counter(meta, "step", 0, len(self.taus), path)
        best_epoch = _counter(meta, "best_epoch", -1, epoch, path)
        try:
            best_val = float(meta.get("best_val", ""))
        except ValueError:
            best_val = math.nan
        if step != epoch * self.steps_per_epoch or not -1.0 <= best_val <= 1.0:
            raise RunError(f"{path} is corrupt: its counters do not fit this run")
        if (best_epoch > 0) != bool(parts["best"]):
            raise RunError(f"{path} is corrupt: best_epoch {best_epoch} and its weights disagree")
        try:
            self.optimizer.load_state_dict(optim)
            torch.set_rng_state(tensors["rng"])
        except (ValueError, RuntimeError) as exc:
            raise RunError(f"{path} is corrupt: {printable(str(exc)[:200])}") from None
        self.best_state = parts["best"] or None
        self.epoch, self.step, self.best_epoch, self.best_val = epoch, step, best_epoch, best_val

    def _optimizer_state(self, tensors: dict[str, Tensor], path: Path) -> dict[int, dict]:
        """Adam's per-parameter state from ``optim.I.NAME`` tensors, each checked against
        parameter I (a scalar float32 ``step``, ``exp_avg``/``exp_avg_sq`` like it)."""
        params = list(self.model.parameters())
        step_like = torch.zeros((), dtype=torch.float32)
        state: dict[int, dict[str, Tensor]] = {}
        for key, value in tensors.items():
            index, _, name = key.partition(".")
            if not (index.isascii() and index.isdigit() and int(index) < len(params)) or (
                name not in ADAM_STATE
            ):
                raise RunError(f"{path}: unexpected tensor {quote('optim.' + key)}")
            i = int(index)
            check_tensor(value, step_like if name == "step" else params[i], f"{path}: optim.{key}")
            state.setdefault(i, {})[name] = value
        if any(set(s) != set(ADAM_STATE) for s in state.values()):
            raise RunError(f"{path} is corrupt: incomplete optimiser state")
        return state

    def select_best(self) -> None:
        """Load the weights of the epoch with the best discrete validation accuracy."""
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state)


@contextmanager
def epoch_progress(
    enabled: bool, total: int, done: int, task: str
) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A rich progress bar over epochs; yields ``update(metrics_row)``."""
    if not enabled:
        yield lambda row: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn(f"[bold]{task}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[stats]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        handle = bar.add_task("train", total=total, completed=done, stats="")

        def update(row: dict[str, Any]) -> None:
            stats = (
                f"loss {row['loss']:.3f}  acc {row['train_acc']:.3f}  "
                f"val {row['val_acc']:.4f}  tau {row['tau']:.3g}"
            )
            if "supervised_agreement" in row:
                stats += f"  agree {row['supervised_agreement']:.3f}"
            bar.update(handle, completed=row["epoch"], stats=stats)

        yield update


def train_run(
    run_dir: str | Path,
    config: TrainConfig | None = None,
    *,
    resume: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Train (or, with ``resume``, continue) the run in ``run_dir`` and return its results.

    A new run needs ``config`` and a directory that is empty or absent (checked, with
    the options, before any data is made). Each epoch writes the metrics and the
    checkpoint; Ctrl-C stops after the last complete epoch, selects the best epoch so
    far and evaluates it. The final ``model.safetensors`` holds the epoch with the best
    discrete validation accuracy (the later one on ties); ``results.json`` its discrete
    train/val/test accuracy (:func:`tpc.train.rundir.write_final`). A second Ctrl-C while
    that evaluation runs raises ``KeyboardInterrupt`` and leaves the run unfinished and
    resumable. Torch runs on ``config.threads`` threads meanwhile.
    """
    saved_model = None
    if resume:
        config, saved_model = read_config(Path(run_dir))
    else:
        if config is None:
            raise ValueError("a new run needs a TrainConfig")
        config.check()
        check_new_run_dir(run_dir)
    select_device(config)
    run_dir = Path(run_dir)
    with torch_threads(config.threads):
        return _train(run_dir, config, saved_model, progress)


def check_new_run_dir(path: str | Path) -> None:
    """RunError or FileError unless ``path`` is absent or an empty directory that tpc
    can create and write."""
    run_dir = check_output_dir(path)
    if (run_dir / CONFIG).exists():
        raise RunError(
            f"{run_dir} already holds a run; resume it with --resume {run_dir} "
            "or choose another output directory"
        )
    try:
        if run_dir.is_dir() and any(run_dir.iterdir()):
            raise RunError(f"output directory {run_dir} exists and is not empty")
    except OSError as exc:
        raise FileError(f"cannot read {run_dir}: {exc.strerror or exc}") from None


def _train(run_dir: Path, config: TrainConfig, saved_model: Any, progress: bool) -> dict[str, Any]:
    resume = saved_model is not None
    data = load_data(config)
    mconfig = model_config(
        config, data.input_vocab, data.classes, data.max_len, data.causal, data.pooled
    )
    if resume and mconfig != saved_model:
        raise RunError(f"{run_dir / CONFIG} does not match the data it describes")
    model = new_model(config, data, mconfig)
    glove_found = None
    if config.glove is not None and not (resume and (run_dir / CHECKPOINT).exists()):
        glove_found = apply_glove(model, data.input_vocab, config.glove, config.seed)
    wiring_text = _fix_wiring(model, config, run_dir, resume)
    supervision = build_supervision(config, data)
    device = select_device(config)
    model.to(device)
    data = data.to(device)
    if supervision is not None:
        supervision = supervision.to(device)
    trainer = Trainer(config, data, model, supervision=supervision)
    start = time.perf_counter()
    if not resume:
        with deferred_interrupts():  # config.json last: it marks the directory as a run
            make_output_dir(run_dir)
            if wiring_text is not None:
                write_atomic(run_dir / WIRING, wiring_text)
            write_config(run_dir, config, mconfig)
    elif (run_dir / CHECKPOINT).exists():  # none if stopped before its first epoch ended
        tensors, meta = load_tensors(run_dir / CHECKPOINT)
        trainer.restore(tensors, meta, run_dir / CHECKPOINT)
        metrics = read_metrics(run_dir)
        if len(metrics) < trainer.epoch:
            raise RunError(
                f"{run_dir / METRICS} has {len(metrics)} epochs, {CHECKPOINT} {trainer.epoch}"
            )
        trainer.metrics = metrics[: trainer.epoch]
    interrupted = _train_epochs(trainer, run_dir, progress)
    trainer.select_best()
    results = {
        "format": FORMAT,
        "task": config.task,
        "model": config.model,
        "discrete": isinstance(trainer.model, TransformerProgram),
        "epochs": config.epochs,
        "epochs_completed": trainer.epoch,
        "best_epoch": trainer.best_epoch if trainer.best_state is not None else None,
        "interrupted": interrupted,
        "accuracy": {
            name: accuracy(trainer.model, getattr(data, name)) for name in ("train", "val", "test")
        },
        "train_seconds": sum(row["seconds"] for row in trainer.metrics),
        "wall_seconds_this_session": time.perf_counter() - start,
        "n_parameters": sum(p.numel() for p in trainer.model.parameters()),
    }
    if supervision is not None:
        results.update(supervision_results(trainer.model, data, supervision))
    if glove_found is not None:
        results["glove_words"] = {"found": glove_found, "vocabulary": len(data.input_vocab)}
    if data.corpus is not None:
        results["corpus"] = corpus_results(trainer.model, data)
    write_final(run_dir, trainer.model.state_dict(), results)
    return results


def supervision_results(model: Model, data: TaskData, supervision: Supervision) -> dict[str, Any]:
    """What a supervised run's ``results.json`` adds: the discrete model's agreement with
    the attention targets per split (``supervised_agreement``) and, per supervised head
    ``"L.H"`` or ``"L.nH"``, its target and agreement per split (``supervised_heads``)."""
    assert isinstance(model, TransformerProgram)
    overall: dict[str, float] = {}
    heads: dict[str, Any] = {
        str(head): {"target": target, "agreement": {}}
        for head, target in zip(supervision.heads, supervision.targets)
    }
    for name in ("train", "val", "test"):
        total, per_head = supervision.agreement(model, getattr(data, name), name)
        overall[name] = total
        for head, value in zip(supervision.heads, per_head):
            heads[str(head)]["agreement"][name] = value
    return {
        "supervised_agreement": overall,
        "supervised_heads": heads,
        "supervise_weight": supervision.weight,
    }


def _train_epochs(trainer: Trainer, run_dir: Path, progress: bool) -> bool:
    """Train the remaining epochs, writing the metrics and then the checkpoint after each
    (together, Ctrl-C held back); True if Ctrl-C stopped it. On disk, the checkpoint is
    always of a complete epoch and the metrics cover at least that epoch."""
    saved = trainer.epoch

    def save() -> None:
        nonlocal saved
        with deferred_interrupts():
            write_jsonl(run_dir / METRICS, trainer.metrics)
            save_tensors(run_dir / CHECKPOINT, *trainer.checkpoint_tensors())
            saved = trainer.epoch

    config = trainer.config
    interrupted = False
    with epoch_progress(progress, config.epochs, trainer.epoch, config.task) as update:
        try:
            while trainer.epoch < config.epochs:
                row = trainer.train_epoch()
                save()
                update(row)
        except KeyboardInterrupt:
            interrupted = True
    if trainer.epoch != saved:  # stopped between an epoch's end and its checkpoint
        save()
    return interrupted


def _fix_wiring(model: Model, config: TrainConfig, run_dir: Path, resume: bool) -> str | None:
    """Apply ``config.wiring`` (the run's copy when resuming) to ``model``; returns the
    file's text for a new run to keep, or None without a wiring."""
    if config.wiring is None:
        return None
    assert isinstance(model, TransformerProgram)  # TrainConfig.check
    path = run_dir / WIRING if resume else Path(config.wiring)
    text = read_text(path, FormatError, MAX_WIRING_BYTES, "wiring file")
    apply_wiring(model, parse_wiring(model, text, path))
    return text
