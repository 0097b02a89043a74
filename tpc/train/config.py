"""Training options (every hyper-parameter of a run) and the paper's presets.

Every option's type and bound is checked by :func:`tpc.model.config.check_fields` (the
bounds, shared with the model configurations, are :data:`tpc.model.config.LIMITS`; for
training: at most 1,000,000 examples, 100,000 epochs, batches of 65,536, 1,024 threads,
learning rate and temperatures positive and finite). The dataset must also fit in
:data:`MAX_DATASET_TOKENS` tokens (examples x N).

A run's task is a synthetic task (:data:`tpc.tasks.TASKS`) or a corpus
(:data:`tpc.tasks.corpus.CORPORA`: real text with fixed splits, issue 16). For a corpus,
``k`` is the most entries its vocabulary can have (``vocab_size`` words and the 3
specials of :mod:`tpc.tasks.text`; the training split may have fewer distinct words, the
run's ``config.json`` holds the vocabulary itself), ``n`` the most positions of an
input, ``<s>`` included (default :data:`CORPUS_DEFAULT_N`: the paper's ``max_length``,
which is also its ``d_var``, and ``indices`` needs ``d_var >= n``), and ``d_var``
defaults to ``n`` for a learned embedding. The options ``data_dir``, ``vocab_size``,
``lowercase`` and ``replace_numbers`` are for corpora only, ``dataset_size``,
``length_dist``, ``data_seed`` and ``k`` for synthetic tasks only.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tpc.errors import TpcError, quote
from tpc.model.config import (
    LIMITS,
    ConfigError,
    IOConfig,
    Limit,
    ModelConfig,
    ProgramConfig,
    ProgramOptions,
    StandardConfig,
    StandardOptions,
    check_fields,
    derived_option,
    from_fields,
)

if TYPE_CHECKING:
    from tpc.ir import Program
    from tpc.tasks.corpus import Corpus
    from tpc.tasks.user import HeadRef

TAU_SCHEDULES = ("geomspace", "linspace", "constant")
#: Most tokens (examples x N) of a run's dataset: a few hundred MB as int64 tensors.
MAX_DATASET_TOKENS = 20_000_000
#: Fields added after runs were first written: left out of ``config.json`` at their
#: default, so that the configs of runs that do not use them stay as they were.
OMITTED_AT_DEFAULT = (
    "wiring",
    "threads",
    "data_dir",
    "vocab_size",
    "lowercase",
    "replace_numbers",
    "glove",
    "device",
    "task_vocab",
    "task_max_len",
    "task_output",
    "task_source",
    "prefix_counts",
    "experts",
    "supervise",
    "supervise_source",
    "supervise_weight",
    "gumbel_samples",
    "clip_grad_norm",
)
#: Options that only a corpus run takes (at another value than their default).
CORPUS_OPTIONS = ("data_dir", "vocab_size", "lowercase", "replace_numbers")
#: Options that only a synthetic task's run takes (at another value than their default).
SYNTHETIC_OPTIONS = ("k", "dataset_size", "length_dist", "data_seed")
#: Options that only a task made of a RASP program (``TASK.rasp``) takes.
RASP_TASK_OPTIONS = ("task_vocab", "task_max_len", "task_output", "task_source")
#: How each is given: a ``tpc train`` flag, or the program text itself (config.json).
RASP_TASK_FLAGS = {
    "task_vocab": "--vocab",
    "task_max_len": "--max-len",
    "task_output": "--output",
    "task_source": "task_source (the RASP text in config.json)",
}
#: A corpus's ``n`` (positions, ``<s>`` included) when not given: the paper's max length.
CORPUS_DEFAULT_N = {"tagging": 32, "classification": 64}
DEVICES = ("cpu", "cuda")


class TaskNotLoaded(ConfigError):
    """A run's task is Python (``PATH.py:NAME``) that this process has not loaded: tpc
    runs a user's code only when the user names it (``--task``)."""


def corpora() -> dict[str, Corpus]:
    """Every corpus by name (:data:`tpc.tasks.CORPORA`: the paper's five and any other
    registered)."""
    from tpc.tasks import CORPORA

    return CORPORA


@dataclass(frozen=True)
class _Run:
    """The first options of a run: the task, its data, the seed and the kind of model (a
    base class of :class:`TrainConfig` so that they come first in its fields, and so in
    ``config.json``)."""

    task: str
    k: int | None = None
    n: int | None = None
    dataset_size: int = 20000
    length_dist: str = "reference"
    seed: int = 0
    data_seed: int | None = None
    model: Literal["tp", "standard"] = "tp"


@dataclass(frozen=True)
class TrainConfig(StandardOptions, ProgramOptions, _Run):
    """Everything that determines a run: data, model hyper-parameters, optimisation.

    ``k``/``n``/``causal``/``d_var`` left ``None`` take the task's defaults (``d_var``:
    max(k, n)). ``data_seed`` ``None`` means ``seed``. The model options are those of
    :class:`tpc.model.config.ProgramOptions` (``model="tp"``) and
    :class:`~tpc.model.config.StandardOptions` (``model="standard"``: ``n_layers``,
    ``d_model``, ``d_mlp``, ``dropout`` and ``n_heads_cat + n_heads_num`` heads),
    inherited with their defaults. ``wiring``: the path of a wiring file whose
    choices the run fixes (:mod:`tpc.train.wiring`; the run keeps a copy). ``threads``:
    torch's CPU threads while training, part of the run because the thread count
    changes how sums are split and so the weights (``--resume`` keeps it).

    Corpora (see the module docstring): ``data_dir`` holds the corpus files (None: the
    corpora's default directory, or the Hugging Face cache); the vocabulary is the
    ``vocab_size`` most frequent training words after ``lowercase`` and
    ``replace_numbers`` (:mod:`tpc.tasks.text`). ``glove``: a GloVe text file whose
    vectors initialise the learned embedding (:func:`tpc.train.data.glove_rows`).
    ``device``: where torch trains, ``"cpu"`` or ``"cuda"`` (recorded like ``threads``:
    another device computes other weights).

    A task made of a RASP program (``task`` ends in ``.rasp``, :mod:`tpc.tasks.user`):
    ``task_source`` is the program's text (kept in the run, so the run needs no file),
    ``task_vocab`` its vocabulary (``"A,B,C"``), ``task_max_len`` its longest input and
    ``task_output`` the variable learned (None: the program's output). A Python task
    (``PATH.py:NAME``, a plug-in) must be loaded (registered) before its config is made:
    tpc runs no code that a run directory names.

    Attention supervision (:mod:`tpc.train.supervision`): ``supervise_weight`` C > 0
    adds C x the MSE between supervised heads' relaxed attention and their targets to
    the loss (0: off). The targets are selectors of a RASP program named by
    ``supervise`` (``"L.H=NAME,L.nH=NAME..."``, :func:`parse_supervise`): the program
    ``supervise_source`` (RASP text, kept in the run like ``task_source``), by default a
    RASP task's own; or a Python task's ``attention`` functions
    (``define_task(attention=...)``; ``supervise`` unset).
    ``gumbel_samples`` S: each step's loss is the mean over S forward passes with
    independent Gumbel noise (1: one pass). ``clip_grad_norm``: clip the gradient's
    norm to this before each step (None: no clipping).
    """

    d_var: int | None = derived_option(ProgramOptions, "d_var", "max(k, N)")
    causal: bool | None = derived_option(IOConfig, "causal", "the task's")
    epochs: int = 250
    batch_size: int = 512
    lr: float = 5e-2
    tau_start: float = 3.0
    tau_end: float = 0.01
    tau_schedule: str = "geomspace"
    wiring: str | None = None
    threads: int = 1
    data_dir: str | None = None
    vocab_size: int = 10_000
    lowercase: bool = False
    replace_numbers: bool = False
    glove: str | None = None
    device: Literal["cpu", "cuda"] = "cpu"
    task_vocab: str | None = None
    task_max_len: int | None = None
    task_output: str | None = None
    task_source: str | None = None
    supervise: str | None = None
    supervise_source: str | None = None
    supervise_weight: float = 0.0
    gumbel_samples: int = 1
    clip_grad_norm: float | None = None

    def check(self) -> None:
        """Raise :class:`ConfigError` naming the first bad option: a type or bound
        (:func:`check_fields`), an unknown task or a combination that does not fit."""
        from tpc.tasks import LENGTH_DISTS, TASKS

        check_fields(self)
        for name, choices in (
            ("task", (*TASKS, *corpora())),
            ("tau_schedule", TAU_SCHEDULES),
            ("length_dist", LENGTH_DISTS),
        ):
            problem = Limit(choices=choices).violation(getattr(self, name))
            if problem is not None:
                raise ConfigError(f"{name} {problem}")
        if self.wiring is not None and self.model != "tp":
            raise ConfigError("--wiring needs a Transformer Program (--model tp)")
        if self.glove is not None and self.model == "tp" and self.one_hot_embed:
            raise ConfigError("--glove initialises a learned embedding: add --learned-embed")
        defaults = {f.name: f.default for f in dataclasses.fields(self)}
        wrong = SYNTHETIC_OPTIONS if self.is_corpus() else CORPUS_OPTIONS
        for name in wrong:
            if getattr(self, name) != defaults[name]:
                kind = "synthetic tasks" if self.is_corpus() else "corpora"
                flag = "--" + name.replace("_", "-")
                raise ConfigError(f"{flag} is an option for {kind} only, not for {self.task}")
        self.supervised_heads()  # ConfigError for a bad --supervise
        _, n = self.task_size()
        if not self.is_corpus() and self.dataset_size * n > MAX_DATASET_TOKENS:
            raise ConfigError(
                f"dataset_size {self.dataset_size:,} x N {n} is more than "
                f"{MAX_DATASET_TOKENS:,} tokens; use fewer examples"
            )

    def __post_init__(self) -> None:
        self._register_user_task()

    def _register_user_task(self) -> None:
        """Register a RASP-program task from the options (TASKS then lists it); for a
        Python task, ConfigError unless it is registered already."""
        from tpc.tasks import TASKS
        from tpc.tasks.user import is_python_spec, plugin_tasks

        if not isinstance(self.task, str):
            return  # check() names the bad field
        rasp = self.task.endswith(".rasp")
        if not rasp:
            given = [n for n in RASP_TASK_OPTIONS if getattr(self, n) is not None]
            if given:
                flag = RASP_TASK_FLAGS[given[0]]
                raise ConfigError(f"{flag} is an option for a RASP program task (TASK.rasp)")
            known = self.task in TASKS or self.task in corpora()  # no entry-point scan then
            if not known and (is_python_spec(self.task) or self.task in plugin_tasks()):
                raise TaskNotLoaded(
                    f"{self.task} is a Python task, which tpc runs only when you name it: "
                    f"give --task {self.task}"
                )
            return
        if self.task_source is None or self.task_vocab is None or self.task_max_len is None:
            raise ConfigError(
                f"{self.task} is a RASP program task: give its --vocab and --max-len"
            )
        from tpc.frontends.rasp_to_task import rasp_task

        symbols = [t for t in str(self.task_vocab).split(",") if t]
        origin = (self.task_source, tuple(symbols), self.task_max_len, self.task_output)
        if getattr(TASKS.get(self.task), "origin", None) != origin:  # new, or another program
            check_fields(self)  # the RASP text, vocabulary and length: types and bounds
            from tpc.tasks.user import register

            TASKS.pop(self.task, None)
            try:
                task = rasp_task(
                    self.task_source, symbols, self.task_max_len, self.task_output, self.task
                )
            except TpcError as e:
                raise ConfigError(f"{self.task}: {e}") from None
            register(self.task, task)

    def supervised_heads(self) -> list[tuple[HeadRef, str]]:
        """The supervised heads with their targets, sorted, empty without supervision.
        A target is the IR node name of a selector of :meth:`supervision_program`
        (:func:`rasp_selector`), or ``"attention"`` (the Python task's function for that
        head). ConfigError (one line) for ``--supervise`` without a weight or without a
        RASP program, a weight with nothing to supervise, a head the model does not
        have, or a name the RASP program does not define."""
        from tpc.tasks import TASKS

        if self.supervise is None and self.supervise_source is not None:
            raise ConfigError("--supervise-program needs --supervise L.H=SELECTOR")
        if self.supervise is None and self.supervise_weight == 0:
            return []
        named = None if self.supervise is None else parse_supervise(self.supervise)
        if self.supervise_weight == 0:
            raise ConfigError("--supervise needs --supervise-weight C > 0")
        if self.model != "tp":
            raise ConfigError("attention supervision needs a Transformer Program (--model tp)")
        task = TASKS.get(self.task)
        found = getattr(task, "attention", None)
        if named is None:
            if getattr(task, "program", None) is not None:
                raise ConfigError(
                    f"--supervise-weight: name the supervised heads of {self.task} with "
                    "--supervise L.H=SELECTOR"
                )
            if found is None:
                raise ConfigError(
                    f"{self.task} has no attention targets to supervise: name selectors of "
                    "a RASP program with --supervise L.H=SELECTOR and --supervise-program "
                    "FILE.rasp, or train a Python task with define_task(attention=...)"
                )
            heads = [(head, "attention") for head in found]
        else:
            program = self.supervision_program()
            if program is None:
                declared = f"; {self.task} declares its targets with define_task" if found else ""
                raise ConfigError(
                    "--supervise names selectors of a RASP program: give it with "
                    f"--supervise-program FILE.rasp{declared}"
                )
            heads = [(head, rasp_selector(program, name)) for head, name in named]
        for head, _ in heads:
            count = self.n_heads_num if head.numerical else self.n_heads_cat
            if head.layer >= self.n_layers or head.head >= count:
                kind = "numerical" if head.numerical else "categorical"
                raise ConfigError(
                    f"supervised head {head}: the model has {self.n_layers} layer(s) "
                    f"0..{self.n_layers - 1} of {count} {kind} head(s) each"
                )
        return sorted(heads)

    def supervision_program(self) -> Program | None:
        """The RASP program whose selectors ``--supervise`` names: ``supervise_source``
        parsed for the task's inputs (its content symbols, at most as many as an input of
        length ``n`` holds; :mod:`tpc.train.supervision` runs it on each input's content),
        else a RASP task's own program, else None. ConfigError (one line) if the text
        does not parse or the task is a corpus, TaskError for a k or n it cannot have."""
        from tpc.frontends import parse_rasp
        from tpc.tasks import TASKS, get_task

        if self.supervise_source is None:
            return getattr(TASKS.get(self.task), "program", None)
        if self.is_corpus():
            raise ConfigError("--supervise-program is for synthetic tasks, not for a corpus")
        k, n = self.task_size()
        task = get_task(self.task)
        task.check(k, n)  # TaskError for a k or n the task cannot have
        symbols, longest = task.symbols(k), max(task.content_lengths(n))
        try:
            return parse_rasp(self.supervise_source, vocab=symbols, max_len=longest)
        except TpcError as e:
            raise ConfigError(f"--supervise-program: {e}") from None

    def is_corpus(self) -> bool:
        """Whether the task is a corpus (real text) rather than a synthetic task."""
        from tpc.tasks import TASKS

        return self.task not in TASKS and self.task in corpora()

    def task_size(self) -> tuple[int, int]:
        """``(k, n)``: the vocabulary size and longest input, the task's defaults if unset
        (for a corpus: the most entries of its vocabulary and :data:`CORPUS_DEFAULT_N`)."""
        from tpc.tasks import get_task

        if self.is_corpus():
            kind = corpora()[self.task].kind
            return self.vocab_size + 3, CORPUS_DEFAULT_N[kind] if self.n is None else self.n
        task = get_task(self.task)
        return (
            task.default_k if self.k is None else self.k,
            task.default_n if self.n is None else self.n,
        )

    def default_d_var(self, vocab_size: int, max_len: int) -> int:
        """``d_var`` when not given: max(k, N), or N for a corpus's learned embedding (a
        corpus's k is its vocabulary, far more than a variable's values)."""
        if self.is_corpus() and not self.one_hot_embed:
            return max_len
        return max(vocab_size, max_len)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict. The fields of :data:`OMITTED_AT_DEFAULT` appear only when not
        at their default, so that the configs of runs without them are as before."""
        data = dataclasses.asdict(self)
        for f in dataclasses.fields(self):
            if f.name in OMITTED_AT_DEFAULT and data[f.name] == f.default:
                del data[f.name]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> TrainConfig:
        """Inverse of :meth:`to_dict`; anything but the options of a valid run (unknown
        or missing fields, wrong types, out of bounds) raises :class:`ConfigError`."""
        return from_fields(cls, data, "training")


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_supervise(text: str) -> list[tuple[HeadRef, str]]:
    """``"L.H=NAME,L.nH=NAME"`` (``--supervise``, repeatable, joined by commas) as
    ``(head, NAME)`` pairs (``L.H`` categorical head H of layer L, ``L.nH`` numerical
    head H); ConfigError (one line) for a malformed item or a head named twice."""
    from tpc.tasks.user import parse_head

    out: list[tuple[HeadRef, str]] = []
    for item in text.split(","):
        head_text, _, name = item.strip().partition("=")
        head = parse_head(head_text)
        if head is None or _NAME.fullmatch(name) is None:
            raise ConfigError(
                f"--supervise {quote(item.strip(), 60)}: expected LAYER.HEAD=SELECTOR "
                "(LAYER.nHEAD for a numerical head), e.g. 0.1=prev or 0.n0=same_token"
            )
        if any(head == seen for seen, _ in out):
            raise ConfigError(f"--supervise names head {head} twice")
        out.append((head, name))
    return out


def rasp_selector(program: Program, name: str) -> str:
    """The IR node of ``program`` (the RASP program of :meth:`TrainConfig.supervision_program`)
    that ``--supervise L.H=NAME`` means: NAME itself if it is a selector (a RASP variable
    holding a selector keeps its name: ``goes_before``; a selector written inline gets
    ``VAR_sel``, ``VAR_sel_1``... after the variable it helps compute, as ``tpc ir
    show`` lists), else the selector of the aggregate or selector width NAME (``sort``
    for ``sort = aggregate(select(...), ...)``, ``hist`` for ``hist =
    selector_width(same_token)``). ConfigError listing the selectors otherwise. The
    front end keeps only what the program's output uses, so a selector that does not
    contribute to it cannot be supervised."""
    from tpc.ir.nodes import Aggregate, SelectorWidth
    from tpc.ir.types import Selector

    selectors = [node.name for node in program if isinstance(node.type, Selector)]
    if name in selectors:
        return name
    node = program.nodes.get(name)
    if isinstance(node, Aggregate | SelectorWidth):
        return node.sel
    shown = ", ".join(selectors[:20]) + (", ..." if len(selectors) > 20 else "")
    raise ConfigError(
        f"--supervise: the RASP program has no selector, aggregate or selector width {quote(name)}; "
        f"its selectors: {shown or 'none'}"
    )


def model_config(
    config: TrainConfig,
    input_vocab: list[str],
    classes: list[str],
    max_len: int,
    causal: bool,
    pooled: bool = False,
) -> ModelConfig:
    """The model configuration of a run on data with these vocabularies and length.

    PAD (class 0) is the only masked class: every other class is a label of some input.
    """
    io = dict(
        input_vocab=tuple(input_vocab),
        classes=tuple(classes),
        max_len=max_len,
        class_mask=(0,),
        causal=causal,
        pooled=pooled,
    )
    if config.model == "standard":
        result: ModelConfig = StandardConfig(
            **io,
            **_options(config, StandardOptions),
            n_heads=max(config.n_heads_cat + config.n_heads_num, 1),
        )
    else:
        words, most = len(input_vocab), LIMITS["d_var"].high or 0
        if config.one_hot_embed and config.d_var is None and words > most:
            raise ConfigError(
                f"a one-hot embedding of {words:,} tokens needs d_var >= {words:,}; use "
                "--learned-embed (as --preset paper does for corpora) or a smaller vocabulary"
            )
        options = _options(config, ProgramOptions)
        options["d_var"] = config.d_var or config.default_d_var(len(input_vocab), max_len)
        result = ProgramConfig(**io, **options)
    result.check()
    from tpc.model.build import check_model_size  # torch: only when a model is configured

    check_model_size(result)
    return result


def _options(config: TrainConfig, options: type) -> dict[str, Any]:
    """The values of the model options ``options`` (a dataclass) in ``config``, by name."""
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(options)}


# The paper's settings (REFERENCE.md; the authors' scripts/*.sh): shared hyper-parameters
# and, per task, the Table 1 architecture (heads and MLPs split evenly into categorical
# and numerical ones). k and n are the tasks' defaults; d_var = max(k, n).
PAPER_COMMON: dict[str, Any] = dict(
    model="tp",
    dataset_size=20000,
    length_dist="reference",
    epochs=250,
    batch_size=512,
    lr=5e-2,
    tau_start=3.0,
    tau_end=0.01,
    tau_schedule="geomspace",
    one_hot_embed=True,
    count_only=True,
    d_mlp=64,
    mlp_vars_in=2,
    d_var=None,
    k=None,
    n=None,
)
PAPER_TASKS: dict[str, dict[str, Any]] = {
    "reverse": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=1, n_num_mlps=1),
    "hist": dict(n_layers=1, n_heads_cat=2, n_heads_num=2, n_cat_mlps=1, n_num_mlps=1),
    "double_hist": dict(n_layers=3, n_heads_cat=2, n_heads_num=2, n_cat_mlps=1, n_num_mlps=1),
    "sort": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=2, n_num_mlps=2),
    "most_freq": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=2, n_num_mlps=2),
    "dyck1": dict(n_layers=3, n_heads_cat=4, n_heads_num=4, n_cat_mlps=1, n_num_mlps=1),
    "dyck2": dict(n_layers=3, n_heads_cat=2, n_heads_num=2, n_cat_mlps=2, n_num_mlps=2),
    # scripts/induction.sh: 2 layers x 1 categorical head, attention only, 500 epochs
    "induction": dict(
        n_layers=2, n_heads_cat=1, n_heads_num=0, n_cat_mlps=0, n_num_mlps=0, epochs=500
    ),
}
# The paper's NLP settings (princeton-nlp/TransformerPrograms scripts/conll.sh and
# scripts/classification.sh): 2 layers of categorical heads and one categorical MLP, a
# learned embedding of 4 categorical variables, vocabulary of 10,000 words, no lowercasing.
# n is the scripts' --max_length (their models' positions, <s> included; d_var bounds it).
# The scripts also initialise the embedding from GloVe (glove.840B.300d, which --glove
# takes; a preset names no file).
PAPER_NLP: dict[str, Any] = dict(
    model="tp",
    tau_start=3.0,
    tau_end=0.01,
    tau_schedule="geomspace",
    one_hot_embed=False,
    n_vars_cat=4,
    count_only=True,
    n_layers=2,
    n_heads_num=0,
    n_cat_mlps=1,
    n_num_mlps=0,
    d_mlp=64,
    mlp_vars_in=2,
    vocab_size=10_000,
    lowercase=False,
    k=None,
)
_PAPER_CLASSIFICATION = dict(
    n_heads_cat=4, d_var=64, n=64, batch_size=128, lr=5e-2, epochs=10, dropout=0.0
)
PAPER_CORPORA: dict[str, dict[str, Any]] = {
    # scripts/conll.sh: 8 heads, 4 x 32 values, batch 32, lr 1e-2, 50 epochs, --dropout 0.5
    # (applied where tpc.model.program says; the reference's src/run.py passes --dropout
    # to its standard Transformer only, so its own Transformer Program runs had none),
    # numbers -> @
    "conll_ner": dict(
        n_heads_cat=8,
        d_var=32,
        n=32,
        batch_size=32,
        lr=1e-2,
        epochs=50,
        dropout=0.5,
        replace_numbers=True,
    ),
    **{
        name: dict(_PAPER_CLASSIFICATION, replace_numbers=False)
        for name in ("trec", "mr", "subj", "ag_news")
    },
}
PRESETS = ("paper",)

#: The paper's Table 1: discrete test accuracy (%) of its best model per RASP task, what
#: the ``paper`` preset's runs are compared with.
PAPER_TEST_ACCURACY: dict[str, float] = {
    "reverse": 99.79,
    "hist": 100.0,
    "double_hist": 98.40,
    "sort": 99.83,
    "most_freq": 75.69,
    "dyck1": 99.30,
    "dyck2": 99.09,
}


def preset_options(preset: str, task: str) -> dict[str, Any]:
    """The options ``preset`` sets for ``task`` (explicit options override them)."""
    if preset not in PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; choose from: {', '.join(PRESETS)}")
    if task in PAPER_CORPORA:
        return {**PAPER_NLP, **PAPER_CORPORA[task]}
    if task not in PAPER_TASKS:
        raise ConfigError(
            f"the paper preset has no configuration for task {task!r}; "
            f"it covers: {', '.join([*PAPER_TASKS, *PAPER_CORPORA])}"
        )
    return {**PAPER_COMMON, **PAPER_TASKS[task]}
