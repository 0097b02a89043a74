"""The layering of docs/design.md §1 beyond what `lint-imports` checks (the contract in
pyproject.toml, run by `make lint` and `make test`): no import cycles between modules,
every command in `tpc.cli`, and no heavy import where a user waits for a small command."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import click
import grimp
import networkx as nx

from tpc.cli import main
from tpc.cli.main import LAZY_COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_of_tpc_imports_itself_through_others():
    graph = grimp.build_graph("tpc", exclude_type_checking_imports=True)
    imports = nx.DiGraph()
    for module in graph.modules:
        imports.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            imports.add_edge(module, imported)
    assert list(nx.simple_cycles(imports)) == []


def _commands(group: click.Group, ctx: click.Context) -> dict[str, click.Command]:
    found = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        found[name] = command
        if isinstance(command, click.Group):
            found |= {f"{name} {k}": v for k, v in _commands(command, ctx).items()}
    return found


def test_every_command_lives_in_the_cli_package():
    commands = _commands(main, click.Context(main))
    assert set(LAZY_COMMANDS) <= set(commands)
    assert {"train", "search-wiring", "opt", "tracr compile", "tracr import", "demo"} <= set(
        commands
    )
    outside = {
        name: command.callback.__module__
        for name, command in commands.items()
        if command.callback is not None and not command.callback.__module__.startswith("tpc.cli")
    }
    assert outside == {}


PROBE = """
import json, sys
from tpc.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in ("torch", "tracr", "jax", "datasets") if m in sys.modules)
    print(json.dumps(heavy), file=sys.stderr)
"""


def _heavy_imports(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_and_run_import_neither_torch_nor_tracr():
    assert _heavy_imports("--help") == []
    program = "programs/rasp_handwritten/reverse.rasp"
    assert _heavy_imports("run", program, "a", "b", "--vocab", "a,b", "--max-len", "4") == []


def test_each_model_option_is_declared_once_and_taken_by_tpc_train():
    """A model option declared in tpc.model.config (with `option`) is a field of both the
    model configuration and TrainConfig, and an option of `tpc train`, with nothing else
    to write."""
    from tpc.cli.train import train
    from tpc.model.config import ProgramConfig, StandardConfig, option_of
    from tpc.train.config import TrainConfig

    flags = {opt for param in train.params for opt in (*param.opts, *param.secondary_opts)}
    declared = {
        f.name: option_of(f)
        for cls in (ProgramConfig, StandardConfig)
        for f in dataclasses.fields(cls)
        if option_of(f) is not None
    }
    assert {"n_layers", "n_heads_cat", "d_var", "d_model", "dropout", "causal"} <= set(declared)
    train_fields = {f.name for f in dataclasses.fields(TrainConfig)}
    for name, option in declared.items():
        assert name in train_fields, name
        assert set(option.flag.split("/")) <= flags, option.flag
