"""IR structure: validation errors name the node, JSON round-trips exactly."""

from __future__ import annotations

import dataclasses
import itertools
import json
from fractions import Fraction

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_programs import learned_style_program, rasp_style_program

from tpc.cli import main
from tpc.errors import FormatError, IRError, TpcError
from tpc.ir import (
    Aggregate,
    Categorical,
    Comparison,
    Map,
    Numerical,
    Program,
    ProgramBuilder,
    Select,
    Selector,
    dumps,
    load,
    loads,
)
from tpc.ir.build import mean_values
from tpc.ir.serialize import FORMAT


@pytest.mark.parametrize("make", [lambda: learned_style_program(True), rasp_style_program])
def test_json_round_trip_is_exact_and_deterministic(make, tmp_path):
    prog = make()
    text = dumps(prog)
    again = loads(text)
    assert again == prog
    assert dumps(again) == text
    assert json.loads(text)["format"] == FORMAT
    path = tmp_path / "p.tpir.json"
    path.write_text(text)
    assert load(path) == prog


def test_wrong_format_version_is_rejected():
    data = json.loads(dumps(rasp_style_program()))
    data["format"] = "tpc-ir/999"
    with pytest.raises(FormatError, match="tpc-ir/999"):
        loads(json.dumps(data))
    with pytest.raises(FormatError, match="not a tpc IR file"):
        loads("{}")
    with pytest.raises(FormatError, match="not JSON"):
        loads("{nope")


def _prog(*nodes, output):
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    for n in nodes:
        b.nodes[n.name] = n
    return Program(nodes=b.nodes, output=output, vocab=b.vocab, max_len=3)


def test_validation_names_the_node():
    m = Map("m", Categorical((0, 1)), x="tokens", table={"a": 0})
    with pytest.raises(IRError, match=r"node 'm' \(map\): table has no entry for input value 'b'"):
        _prog(m, output="m").validate()
    m = Map("m", Categorical((0,)), x="tokens", table={"a": 0, "b": 5})
    with pytest.raises(IRError, match="'m'.*produces 5"):
        _prog(m, output="m").validate()
    m = Map("m", Categorical((0,)), x="nowhere", table={})
    with pytest.raises(IRError, match="operand 'nowhere' does not exist"):
        _prog(m, output="m").validate()
    s = Select("s", Selector(), keys="tokens", queries="indices", predicate=Comparison("LT"))
    with pytest.raises(IRError, match="'s'.*cannot order key 'a' against query 0"):
        _prog(s, output="tokens").validate()
    s = Select("s", Selector(), keys="tokens", queries="tokens", predicate=Comparison("EQ"))
    agg = Aggregate("g", Categorical(("a",)), sel="s", values="tokens", reduce="mean")
    with pytest.raises(IRError, match="'g'.*lacks values"):
        _prog(s, agg, output="g").validate()
    with pytest.raises(IRError, match="output node 's' is a selector"):
        _prog(s, output="s").validate()
    bad = Map("1x", Categorical((0,)), x="tokens", table={"a": 0, "b": 0})
    with pytest.raises(IRError, match="not an identifier"):
        _prog(bad, output="1x").validate()
    mixed = Map("m", Categorical((1, True)), x="tokens", table={"a": 1, "b": True})
    with pytest.raises(IRError, match="both 1 and True"):
        _prog(mixed, output="m").validate()
    agg = Aggregate("g", Numerical(None), sel="s", values="tokens", reduce="sum")
    with pytest.raises(IRError, match="sum aggregate reads and produces numerical"):
        _prog(s, agg, output="g").validate()


def test_builder_reports_failing_functions():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    with pytest.raises(IRError, match="node 'bad'.*fails on \\('a'\\)"):
        b.map(lambda t: int(t), b.tokens, name="bad")
    with pytest.raises(IRError, match="node 'pair'.*fails on \\('b', 'a'\\)"):
        b.sequence_map(lambda x, y: 1 // (x != "b" or y != "a"), b.tokens, b.tokens, name="pair")
    with pytest.raises(IRError, match="node 'odd'.*returned None, not a str"):
        b.map(lambda t: None if t == "b" else t, b.tokens, name="odd")


@pytest.mark.parametrize("values", [(-3, 0, 5), (1, 2), (0.5, 1, 2.25), (7,)])
def test_mean_values_are_every_mean_of_up_to_n_values(values):
    """Against brute force over every multiset, in fractions."""
    n = 4
    means = {
        Fraction(sum(map(Fraction, combo)), size)
        for size in range(1, n + 1)
        for combo in itertools.combinations_with_replacement(values, size)
    }
    got = mean_values(values, n)
    assert got == tuple(float(m) for m in sorted(means))
    assert [type(g) for g in got] == [int if m.denominator == 1 else float for m in sorted(means)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_garbage_json_gives_tpc_errors_only(garbage):
    try:
        loads(json.dumps(garbage))
    except TpcError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_ir_files_give_tpc_errors_only(data):
    doc = json.loads(dumps(learned_style_program(False)))
    node = data.draw(st.sampled_from(doc["nodes"]))
    field = data.draw(st.sampled_from(sorted(node)))
    node[field] = data.draw(json_values)
    try:
        loads(json.dumps(doc))
    except TpcError:
        pass


# ---- open maps: defined by their form ----------------------------------------------------------


def _open_program():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    ones = b.constant(1, numerical=True, name="ones")
    count = b.aggregate(b.select(b.tokens, b.tokens, "EQ"), ones, reduce="sum", name="count")
    scaled = b.open_map("(-0.5) + x * 0.0000125", count, name="scaled")
    return b.build(b.open_map("x >= y", scaled, b.indices, name="ahead"))


def test_open_maps_round_trip_through_json(tmp_path):
    prog = _open_program()
    text = dumps(prog)
    doc = {n["name"]: n for n in json.loads(text)["nodes"]}
    assert doc["scaled"]["table"] is None and doc["scaled"]["form"] == "(-0.5) + x * 0.0000125"
    assert doc["scaled"]["type"] == {"kind": "numerical", "values": None}
    assert loads(text) == prog and dumps(loads(text)) == text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (None, "node 'scaled': a map with a null table needs a form"),
        ("x / 2", "node 'scaled': '/' is not allowed in a form"),
        ("x +", "node 'scaled': the form 'x \\+' does not parse"),
        ("z + 1", "node 'scaled': a form reads only x and y, not 'z'"),
    ],
)
def test_bad_open_maps_are_one_line_format_errors(form, message, tmp_path):
    doc = json.loads(dumps(_open_program()))
    node = next(n for n in doc["nodes"] if n["name"] == "scaled")
    node.pop("form")
    if form is not None:
        node["form"] = form
    with pytest.raises(FormatError, match=message) as info:
        loads(json.dumps(doc))
    assert "\n" not in str(info.value)
    path = tmp_path / "bad.tpir.json"
    path.write_text(json.dumps(doc))
    result = CliRunner().invoke(main, ["ir", "show", str(path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")


def test_open_maps_are_validated_against_their_operands_and_type():
    prog = _open_program()
    for node, message in [
        (dataclasses.replace(prog["ahead"], form="x + y"), "'ahead'.*numbers without a finite"),
        (dataclasses.replace(prog["ahead"], form="x"), "'ahead'.*numbers without a finite"),
        (dataclasses.replace(prog["ahead"], form='x == "a"'), "'ahead'.*strings with numbers"),
        (dataclasses.replace(prog["scaled"], form="x + y"), "'scaled'.*reads y.*1 operand"),
        (dataclasses.replace(prog["scaled"], type=Numerical((0, 1))), "'scaled'.*not only"),
        (dataclasses.replace(prog["scaled"], form=None), "'scaled'.*needs a form"),
    ]:
        bad = prog.replace([node if n.name == node.name else n for n in prog])
        with pytest.raises(IRError, match=message):
            bad.validate()


def test_table_maps_take_whole_tables_that_cover_their_operands_exactly():
    b = ProgramBuilder(["<s>", "a", "b"], 4, bos="<s>")
    pair = {(t, i): f"{t}{i}" for t in ("<s>", "a", "b") for i in range(4)}
    node = b.table_map(pair, b.tokens, b.indices, name="pair")
    single = b.table_map({"<s>": 0, "a": 1, "b": 2}, b.tokens, numerical=True, name="code")
    prog = b.build(node)
    assert prog[node].table == pair and prog[node].type == Categorical(tuple(sorted(pair.values())))
    assert b.nodes[single].type == Numerical((0, 1, 2))
    for table in ({**pair, ("c", 0): "c0"}, {k: v for k, v in pair.items() if k != ("a", 3)}):
        with pytest.raises(IRError, match="'short'.*does not cover exactly the values of tokens"):
            b.table_map(table, b.tokens, b.indices, name="short")
