"""IR files are untrusted input: nothing in one runs as code, exhausts memory or prints a
traceback. Every bad file gets one line naming the node; every back end writes a user's
strings as data (``repr`` literals in code, escaped text in comments and docstrings).

These are the regression tests of attacks on tpc: each builds the hostile file itself.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import itertools
import json
import tokenize
import types
from pathlib import Path

import pydot
import pytest
from click.testing import CliRunner
from sample_programs import rasp_style_program

from tpc.backends.dot import emit_dot
from tpc.backends.python import emit_python
from tpc.cli import main
from tpc.errors import FormatError, InputError, IRError, TpcError, printable, quote
from tpc.evaluate import check_compatible
from tpc.ir import (
    Categorical,
    Constant,
    Map,
    ProgramBuilder,
    SequenceMap,
    dumps,
    limits,
    load,
    loads,
    run,
)
from tpc.ir.forms import parse_form, render_form
from tpc.ir.printer import format_program
from tpc.loading import rasp_header
from tpc.passes.domain import program_domain
from tpc.passes.maps import recognize_forms
from tpc.tasks import TaskError, encode, get_task
from tpc.tracr.ir_to_tracr import emit_tracr

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = sorted(ROOT.glob("programs/*/*/*.tpir.json"))

#: Characters that end a line somewhere: for Python's tokenizer (\n, \r), for
#: ``str.splitlines`` (the others), for terminals (\x1b starts an escape sequence).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
CONTROL = LINE_BREAKS + "\x00\x1b\x7f\t"


def doc() -> dict:
    """A valid IR document (every node kind of RASP programs) to make hostile."""
    return json.loads(dumps(rasp_style_program()))


def node_of(d: dict, name: str) -> dict:
    return next(n for n in d["nodes"] if n["name"] == name)


def is_one_line(text: str) -> bool:
    """One line of printable text: no line break of any kind, no control character."""
    return text.isprintable()


def refused(text: str, node: str | None = None) -> TpcError:
    """The error loading ``text`` gives: a TpcError of one printable line, naming ``node``."""
    with pytest.raises(TpcError) as info:
        loads(text)
    message = str(info.value)
    assert is_one_line(message), message
    assert node is None or f"'{node}'" in message, message
    return info.value


def cli_refuses(tmp_path: Path, text: str, *command: str) -> str:
    """``tpc COMMAND FILE`` on a file holding ``text``: exit 1 with one ``Error:`` line."""
    path = tmp_path / "hostile.tpir.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(main, [*command, str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output
    return result.output


# ---- 1. code injection through forms and strings --------------------------------------------


def marker_payload(marker: Path) -> str:
    """Python that, if it ever ran, would create ``marker``."""
    return f"open({str(marker)!r}, 'w').write('ran')"


@pytest.mark.parametrize("node", ["before", "opp"])  # a Map and a SequenceMap, both with tables
@pytest.mark.parametrize(
    "form",
    [
        "x\n{payload}",
        "x\r{payload}",
        "x #\n+ 1",
        "x # {payload}",
        "x\u2028+ 1",
        "x\x0b+ 1",
        "x\x0c+ 1",
        "x\x00",
        "x +\t1",
        "z + 1",
        "{payload}",
        "-" * 150 + "x",
    ],
)
def test_forms_of_table_maps_are_refused_unless_they_are_one_line_forms(node, form, tmp_path):
    marker = tmp_path / "ran"
    d = doc()
    node_of(d, node)["form"] = form.format(payload=marker_payload(marker))
    text = json.dumps(d)
    assert isinstance(refused(text, node), FormatError)
    cli_refuses(tmp_path, text, "emit", "--to", "python")
    assert not marker.exists()


@pytest.mark.parametrize(
    "form", ["-" * 150 + "x", "x in [" + ", ".join(map(str, range(150))) + "]"]
)
def test_open_map_forms_nested_deeper_than_python_reads_are_refused(form, tmp_path):
    b = ProgramBuilder(("a", "b"), 3)
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    with pytest.raises(IRError, match="nests more than"):
        b.open_map(form, count, name="deep")
    d = json.loads(dumps(b.build(b.open_map("-x", count, name="deep"))))
    node_of(d, "deep")["form"] = form
    refused(json.dumps(d), "deep")
    cli_refuses(tmp_path, json.dumps(d), "emit", "--to", "python")


def test_hostile_forms_built_in_memory_are_refused_before_any_back_end_writes(tmp_path):
    prog = rasp_style_program()
    bad = dataclasses.replace(prog["before"], form="x\nimport os")
    hostile = prog.replace([bad if n.name == "before" else n for n in prog])
    for emit in (emit_python, emit_dot, format_program):
        with pytest.raises(IRError, match="'before'"):
            emit(hostile.validate())


def hostile_strings(marker: Path) -> list[str]:
    """Strings that would break out of a comment, a docstring or a string literal."""
    payload = marker_payload(marker)
    return [
        f"\n{payload}\n",
        f"\r{payload}",
        f'"""\n{payload}\n"""',
        f"'''\n{payload}\n'''",
        f"\\\n{payload}",
        f"\u2028{payload}",
        f"\x0c{payload}",
        f"\x85{payload}",
        "\x00",
        "\x1b[2J\x1b[31m",
        "\"'\\",
    ]


def hostile_program(marker: Path):
    """A valid program whose tokens, values and metadata are all hostile strings."""
    strings = hostile_strings(marker)
    b = ProgramBuilder(vocab=strings[:4], max_len=3)
    upper = b.map(lambda t: t + strings[4], b.tokens, name="upper")
    width = b.selector_width(b.select(b.tokens, b.tokens, "EQ"), name="width")
    pair = b.sequence_map(lambda u, w: u * (w % 2), upper, width, name="pair")
    prog = b.build(pair)
    meta = {
        "task": strings[0],
        "name": strings[2],
        "source": strings[5],
        "optimization": strings[8],
        "model": {"kind": "tp", "n_layers": strings[3]},
        "results": {"accuracy": {"test": strings[9]}, "best_epoch": strings[1]},
        "domain": {"task": strings[6], "k": strings[7]},
        "exact_on": {"task": strings[10]},
        strings[1]: strings[6],
        "nested": {strings[7]: [strings[8]]},
    }
    return dataclasses.replace(prog, meta=meta)


ALLOWED_STATEMENTS = (ast.Import, ast.ImportFrom, ast.FunctionDef)


def assert_data(expr: ast.expr) -> None:
    """``expr`` is a literal, a name, ``frozenset(data)``, ``{data, ...}`` or
    ``data - data``."""
    if isinstance(expr, ast.Name):
        return
    if isinstance(expr, ast.Call):
        assert isinstance(expr.func, ast.Name) and expr.func.id == "frozenset", ast.dump(expr)
        assert len(expr.args) == 1 and not expr.keywords
        return assert_data(expr.args[0])
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Sub):
        assert_data(expr.left)
        return assert_data(expr.right)
    if isinstance(expr, ast.Set):
        for element in expr.elts:
            assert_data(element)
        return
    ast.literal_eval(expr)  # raises unless the value is a literal


def assert_only_definitions(source: str) -> None:
    """The module's top level holds a docstring, imports, function definitions (decorated
    by names or calls of names on names/literals) and assignments of data: literals, or
    sets made of names and literals (``_IN_VOCAB = frozenset(VOCAB)``, a text program's
    ``WORDS = _IN_VOCAB - {BOS, UNK}``): importing it computes nothing but data."""
    tree = ast.parse(source)
    body = tree.body
    assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    for stmt in body[1:]:
        if isinstance(stmt, ast.Assign):
            assert all(isinstance(t, ast.Name) for t in stmt.targets)
            assert_data(stmt.value)
        elif isinstance(stmt, ast.FunctionDef):
            for deco in stmt.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                assert isinstance(call.func if call else deco, ast.Name)
                for arg in call.args if call else ():
                    assert isinstance(arg, ast.Name) or ast.literal_eval(arg) is not None
        else:
            assert isinstance(stmt, ALLOWED_STATEMENTS), ast.dump(stmt)


def comments(source: str) -> list[str]:
    return [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]


def test_emitted_python_holds_hostile_strings_as_data_only(tmp_path):
    marker = tmp_path / "ran"
    prog = hostile_program(marker)
    source = emit_python(prog)
    assert "\x00" not in source
    assert_only_definitions(source)
    assert all(is_one_line(c) for c in comments(source))
    path = tmp_path / "emitted.py"
    path.write_text(source, encoding="utf-8")
    module = types.ModuleType("emitted")
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)
    assert not marker.exists()
    assert all(is_one_line(line) for line in module.__doc__.splitlines())
    inputs = [list(s) for n in range(4) for s in itertools.product(prog.vocab, repeat=n)]
    assert module.run_batch(inputs) == run(prog, inputs)
    assert not marker.exists()


def test_strings_that_look_like_table_placeholders_stay_strings(tmp_path):
    """The Python back end writes data tables in after formatting the module: a token that
    reads like its placeholder line must not move a table into the docstring, where a
    string holding triple quotes would then end it."""
    marker = tmp_path / "ran"
    payload = f'""";open({json.dumps(str(marker))}, "w");"""'
    lookalikes = [f"_TPC_TABLE_{i} = None" for i in range(3)]
    b = ProgramBuilder(vocab=(*lookalikes, payload), max_len=2)
    first = b.map(lambda t: t, b.tokens, name="first")
    prog = b.build(b.map(lambda t: t[::-1], first, name="second"))
    source = emit_python(prog)
    assert_only_definitions(source)
    module = types.ModuleType("emitted")
    exec(compile(source, "<emitted>", "exec"), module.__dict__)
    assert not marker.exists()
    inputs = [[t] for t in prog.vocab]
    assert module.run_batch(inputs) == run(prog, inputs)


def test_emitted_tracr_and_dot_hold_hostile_strings_as_data_only(tmp_path):
    marker = tmp_path / "ran"
    prog = hostile_program(marker)
    assert_only_definitions(emit_tracr(prog))
    dot = emit_dot(prog)
    assert all(is_one_line(line) for line in dot.splitlines())
    (graph,) = pydot.graph_from_dot_data(dot)
    assert {n.get_name().strip('"') for n in graph.get_nodes()} >= set(prog.nodes)
    assert all(is_one_line(line) for line in format_program(prog).splitlines())
    assert not marker.exists()


def test_a_nul_in_the_task_name_gives_a_module_that_imports(tmp_path):
    d = doc()
    d["meta"] = {"task": "a\u0000b\u2028c", "name": "\u001b[31mred"}
    prog = loads(json.dumps(d))
    source = emit_python(prog)
    module = types.ModuleType("emitted")
    exec(compile(source, "<emitted>", "exec"), module.__dict__)
    assert "\\x1b[31mred" in module.__doc__.splitlines()[0]


# ---- 2. memory: what a file may ask for -----------------------------------------------------


@pytest.mark.parametrize("max_len", [2147483648, 2**63, 10**30, limits.MAX_LEN + 1, 0, -1])
def test_max_len_beyond_the_limit_is_refused_before_anything_is_built(max_len, tmp_path):
    d = doc()
    d["max_len"] = max_len
    assert "max_len" in str(refused(json.dumps(d)))
    cli_refuses(tmp_path, json.dumps(d), "ir", "show")


def test_every_checked_in_program_loads_well_within_the_limits():
    assert len(PROGRAMS) >= 10
    for path in PROGRAMS:
        prog = load(path)
        assert path.stat().st_size * 10 < limits.MAX_FILE_BYTES
        assert len(prog) * 10 < limits.MAX_NODES and prog.max_len * 10 < limits.MAX_LEN
        assert len(prog.vocab) * 10 < limits.MAX_VOCAB
        entries = sum(len(n.table or ()) for n in prog if isinstance(n, Map))
        assert entries * 10 < limits.MAX_ENTRIES


@pytest.mark.parametrize("extra", [1, 100_000])
def test_table_entries_for_values_the_operand_cannot_take_are_refused(extra):
    d = doc()
    node = node_of(d, "before")  # a Map over indices 0..4
    node["table"] += [[1000 + i, node["table"][0][1]] for i in range(extra)]
    refused(json.dumps(d), "before")
    pair = node_of(doc(), "opp")
    d = doc()
    node_of(d, "opp")["table"] += [["x", 0, pair["table"][0][2]]]
    refused(json.dumps(d), "opp")


def test_a_table_listing_an_input_twice_is_refused():
    d = doc()
    node = node_of(d, "before")
    node["table"].append(list(node["table"][0]))
    refused(json.dumps(d), "before")


def categorical(name: str, values: list) -> dict:
    """A constant node of a categorical type holding ``values``."""
    return {
        "kind": "constant",
        "name": name,
        "type": {"kind": "categorical", "values": values},
        "value": values[0],
    }


def test_programs_beyond_the_size_limits_are_refused():
    d = doc()
    d["nodes"] += [categorical(f"c{i}", [0]) for i in range(limits.MAX_NODES)]
    assert "nodes" in str(refused(json.dumps(d)))
    d = doc()
    d["nodes"].append(categorical("wide", list(range(limits.MAX_VALUE_SET + 1))))
    refused(json.dumps(d), "wide")
    d = doc()
    d["vocab"] = [str(i) for i in range(limits.MAX_VOCAB + 1)]
    node_of(d, "tokens")["type"]["values"] = d["vocab"]
    assert "vocabulary" in str(refused(json.dumps(d)))
    # a select tabulates keys x queries: two wide operands ask for too many entries
    side = int(limits.MAX_ENTRIES**0.5) + 1
    d = doc()
    d["nodes"] += [categorical("k", list(range(side))), categorical("q", list(range(side)))]
    select = {"kind": "select", "name": "huge", "keys": "k", "queries": "q", "causal": False}
    d["nodes"].append({**select, "predicate": {"comparison": "EQ"}, "type": {"kind": "selector"}})
    refused(json.dumps(d), "huge")


def test_long_strings_and_deep_nesting_are_refused():
    d = doc()
    d["vocab"][0] = node_of(d, "tokens")["type"]["values"][0] = "a" * (limits.MAX_STRING + 1)
    assert "characters" in str(refused(json.dumps(d)))
    d = doc()
    d["meta"] = {"deep": json.loads("[" * (limits.MAX_DEPTH + 1) + "]" * (limits.MAX_DEPTH + 1))}
    assert "deeper" in str(refused(json.dumps(d)))


def test_files_beyond_the_size_limit_are_refused_unread(tmp_path):
    path = tmp_path / "big.tpir.json"
    with open(path, "wb") as f:
        f.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(FormatError, match="larger than"):
        load(path)


def test_the_limits_are_documented_in_one_place():
    for name in dir(limits):
        if name.startswith("MAX_"):
            assert name in limits.__doc__, name


# ---- 3. one-line errors, never tracebacks ---------------------------------------------------


def with_text(old: str, new: str) -> str:
    text = json.dumps(doc())
    assert old in text
    return text.replace(old, new, 1)


INDICES = '"values": [0, 1, 2, 3, 4]'


@pytest.mark.parametrize(
    ("text", "node"),
    [
        (with_text('"max_len": 5', '"max_len": ' + "9" * 5000), None),
        ("[" * 100_000 + "]" * 100_000, None),
        ('{"format": "tpc-ir/1", "meta": ' + '{"a": ' * 100_000 + "}" * 100_001, None),
        (with_text(INDICES, '"values": [0, 1, 2, 3, NaN]'), None),
        (with_text(INDICES, '"values": [0, 1, 2, 3, Infinity]'), None),
        (with_text(INDICES, '"values": [0, 1, 2, 3, 1e999]'), "indices"),
        (with_text(INDICES, '"values": [0, 1, 2, 3, 99999999999999999999]'), "indices"),
        (with_text('"name": "before"', '"name": "before\\n"'), None),
        (with_text('"vocab": ["0"', '"vocab": ["\\ud800"'), None),
        (with_text('"output": "combined"', '"output": "\\udfff"'), None),
        (with_text('"meta": {}', '"meta": {"x": [1e999]}'), None),
    ],
)
def test_malformed_files_give_one_line_errors(text, node, tmp_path):
    refused(text, node)
    cli_refuses(tmp_path, text, "ir", "show")


@pytest.mark.parametrize(
    "meta",
    [
        {"results": {"accuracy": {"test": "x"}}},
        {"results": {"accuracy": 3}},
        {"results": "x"},
        {"results": {"best_epoch": 1.5}},
        {"domain": {"k": "x"}},
        {"domain": {"task": "sort", "k": 8, "n": 10**9}},
        {"exact_on": {"task": "sort", "k": True, "n": 8}},
        {"task": 3},
        {"model": []},
        {"\ud800": 1},
    ],
)
def test_meta_that_tpc_cannot_read_is_refused(meta, tmp_path):
    d = doc()
    d["meta"] = meta
    text = json.dumps(d)
    assert "meta" in str(refused(text))
    cli_refuses(tmp_path, text, "emit", "--to", "python")


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "Infinity"])
def test_numbers_that_are_not_finite_are_refused(number, tmp_path):
    d = doc()
    node = node_of(d, "before")  # before = indices - 1, numbers in its type and table
    node["type"]["values"][-1] = node["table"][-1][-1] = "NOT_FINITE"
    text = json.dumps(d).replace('"NOT_FINITE"', number)
    refused(text, "before" if "e999" in number else None)
    cli_refuses(tmp_path, text, "opt", "-O2", "-o", str(tmp_path / "out.tpir.json"))


def test_node_meta_rasp_text_must_be_one_line():
    d = doc()
    node_of(d, "before")["meta"] = {"rasp": "x - 1\nreverse = 0"}
    refused(json.dumps(d), "before")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_validation_refuses_values_that_are_not_finite(value):
    b = ProgramBuilder(("a", "b"), 3)
    prog = b.build(b.map(lambda t: 1.0, b.tokens, numerical=True, name="m"))
    node = prog["m"]
    for bad in (
        dataclasses.replace(node, table={"a": value, "b": 1.0}, type=Categorical((1.0, value))),
        Constant("m", Categorical((value,)), value=value),
    ):
        with pytest.raises(IRError, match="'m'.*finite"):
            prog.replace([bad if n.name == "m" else n for n in prog]).validate()


def test_a_trailing_newline_in_a_name_is_refused_in_memory_too():
    prog = rasp_style_program()
    bad = dataclasses.replace(prog["combined"], name="target\n")
    nodes = {**{k: v for k, v in prog.nodes.items() if k != "combined"}, bad.name: bad}
    with pytest.raises(IRError, match="not an identifier"):
        prog.replace(nodes, output=bad.name).validate()


def another_tasks_domain(tmp_path: Path, domain: dict) -> Path:
    prog = load(ROOT / "programs/rasp/hist/hist.tpir.json")
    path = tmp_path / "other.tpir.json"
    path.write_text(dumps(dataclasses.replace(prog, meta={**prog.meta, "domain": domain})))
    return path


@pytest.mark.parametrize(
    "domain",
    [
        {"task": "dyck1", "k": 4, "n": 8},  # tokens the program does not know
        {"task": "sort", "k": 8, "n": 8},  # sort inputs end with </s>
        {"task": "hist", "k": 8, "n": 9},  # longer than max_len
    ],
)
def test_o3_with_a_domain_the_program_cannot_read_is_a_one_line_error(domain, tmp_path):
    path = another_tasks_domain(tmp_path, domain)
    out = tmp_path / "out.tpir.json"
    result = CliRunner().invoke(main, ["opt", str(path), "-o", str(out), "-O3"])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert result.output.count("\n") == 1 and not out.exists()


def test_o3_with_the_domain_of_a_task_not_loaded_optimises_without_it(tmp_path):
    """A user's task (tpc.tasks.user) this process has not loaded: no domain, no error."""
    path = another_tasks_domain(tmp_path, {"task": "no_such_task.py:TASK", "k": 8, "n": 8})
    out = tmp_path / "out.tpir.json"
    result = CliRunner().invoke(main, ["opt", str(path), "-o", str(out), "-O3"])
    assert result.exit_code == 0, result.output
    assert load(out).meta.get("exact_on") == load(path).meta.get("exact_on")  # not used


def test_readers_of_meta_survive_anything_built_in_memory(tmp_path):
    prog = hostile_program(tmp_path / "ran")
    assert program_domain(prog) is None and program_domain(prog, "exact_on") is None
    odd = dataclasses.replace(prog, meta={"results": {"accuracy": {"test": None}}, "domain": 3})
    assert "Discrete model accuracy: test None" in emit_python(odd)


# ---- 4. messages quote user values on one short line ----------------------------------------


def test_quote_escapes_and_cuts():
    for value in ["a\nb", "\x1b[31m", "x" * 100_000, ["\u2028"] * 1000, {"k": "\x00"}]:
        shown = quote(value)
        assert is_one_line(shown) and len(shown) <= 40
    assert quote("ab") == repr("ab") and quote(7) == "7"
    assert is_one_line(quote(10**5000)) and is_one_line(quote([10**5000]))  # no ValueError
    assert quote("x" * 100, limit=10) == "'xxxxxxxx…"
    assert printable("tab\there") == "tab\\there" and printable("é ok") == "é ok"


def test_unknown_tokens_are_quoted_escaped_and_cut():
    prog = rasp_style_program()
    token = "\x1b[2J\n" + "x" * 100_000
    with pytest.raises(InputError) as info:
        run(prog, [["0", token]])
    assert is_one_line(str(info.value)) and len(str(info.value)) < 300
    with pytest.raises(TaskError) as task_info:
        encode([["<pad>", token]], ["<pad>", "a"])
    assert is_one_line(str(task_info.value)) and len(str(task_info.value)) < 300
    task = get_task("sort")
    with pytest.raises(TpcError) as score_info:
        check_compatible(prog, task, [["<s>", token, "</s>"]])
    assert is_one_line(str(score_info.value)) and len(str(score_info.value)) < 300


def test_ir_show_prints_no_control_characters(tmp_path):
    b = ProgramBuilder(vocab=("\x1b[2J", "a\u2028b"), max_len=2)
    prog = b.build(b.map(lambda t: t + "\x07", b.tokens, name="bell"))
    path = tmp_path / "p.tpir.json"
    path.write_text(dumps(prog), encoding="utf-8")
    result = CliRunner().invoke(main, ["ir", "show", str(path)])
    assert result.exit_code == 0, result.output
    assert all(is_one_line(line) for line in result.output.splitlines())
    assert not set(CONTROL) & set(result.output.replace("\n", ""))


@pytest.mark.parametrize("option", [["--vocab", "a,b"], ["--max-len", "4"]])
def test_vocab_and_max_len_are_refused_for_ir_files(option, tmp_path):
    path = tmp_path / "p.tpir.json"
    path.write_text(dumps(rasp_style_program()))
    result = CliRunner().invoke(main, ["run", str(path), "0", *option])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --vocab/--max-len apply to RASP text; an IR file carries its own\n"
    )


def test_eval_reads_ir_files_with_their_own_vocabulary():
    path = ROOT / "programs/rasp/hist/hist.tpir.json"
    result = CliRunner().invoke(main, ["eval", str(path), "--task", "hist", "--samples", "20"])
    assert result.exit_code == 0, result.output


def test_rasp_headers_of_the_wrong_kind_are_ignored():
    text = '# vocab: 5\n# max_len: "8"\n# bos: [1]\n# eos: ' + "[" * 100_000 + "\nx = 1;"
    assert rasp_header(text) == {}
    assert rasp_header('# vocab: ["a"]\n# max_len: 3\n') == {"vocab": ["a"], "max_len": 3}


# ---- recognised forms are forms -------------------------------------------------------------


def test_recognized_forms_parse_and_reproduce_their_tables():
    b = ProgramBuilder(vocab=("a", 'say "hi"', "c\td"), max_len=4)
    functions = {
        "is_a": (lambda t: t == "a", [b.tokens]),
        "not_a": (lambda t: t != "a", [b.tokens]),
        "small": (lambda i: i < 2, [b.indices]),
        "shift": (lambda i: 3 - 2 * i, [b.indices]),
    }
    names = [b.map(f, *ops, name=name) for name, (f, ops) in functions.items()]
    low = b.sequence_map(min, b.indices, names[-1], name="low")
    left = b.sequence_map(lambda *a: str(a), low, names[0], name="left")
    right = b.sequence_map(lambda *a: str(a), names[1], names[2], name="right")
    prog = b.build(b.sequence_map(lambda *a: str(a), left, right, name="out"))
    functions["low"] = (min, None)
    new = recognize_forms(prog)
    found = {n.name: n.form for n in new if isinstance(n, (Map, SequenceMap)) and n.form}
    assert {"is_a", "not_a", "small", "shift", "low"} <= set(found)
    for name, form in found.items():
        parse_form(form)  # a form proper, one printable line
        node = new[name]
        code = render_form(form, ("x", "y")[: len(node.inputs)], repr, python=True)
        fn = functions[name][0]
        for key in node.table:
            args = key if isinstance(key, tuple) else (key,)
            assert eval(code, {"bool": bool}, dict(zip("xy", args))) == fn(*args)  # noqa: S307
