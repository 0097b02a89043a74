"""The DOT back end and the back-end registry."""

from __future__ import annotations

import re

import pydot
import pytest
from sample_programs import learned_style_program, rasp_style_program

from tpc.backends import BACKENDS, emit
from tpc.backends.dot import STYLES, emit_dot
from tpc.errors import TpcError
from tpc.ir import ProgramBuilder, dumps

NODE_LINE = re.compile(r'^  "(\w+)" \[label="((?:[^"\\]|\\.)*)", shape=(\w+)')
EDGE_LINE = re.compile(r'^  "(\w+)" -> "(\w+)"( \[label="(\w+)"\])?;$')


def parse(dot: str) -> tuple[dict[str, tuple[str, str, str]], list[tuple[str, str, str | None]]]:
    """Node name → (label, shape, whole line); edges (operand, user, role)."""
    nodes, edges = {}, []
    for line in dot.splitlines():
        if m := NODE_LINE.match(line):
            nodes[m[1]] = (m[2], m[3], line)
        elif m := EDGE_LINE.match(line):
            edges.append((m[1], m[2], m[4]))
    return nodes, edges


@pytest.mark.parametrize("make", [rasp_style_program, lambda: learned_style_program(True)])
def test_every_node_and_operand_is_drawn(make):
    prog = make()
    dot = emit_dot(prog)
    assert dot.startswith('digraph "program" {') and dot.endswith("}\n")
    nodes, edges = parse(dot)
    assert list(nodes) == list(prog.nodes)
    for node in prog:
        label, shape, _ = nodes[node.name]
        assert label.split("\\n")[:2][0] == node.name and node.kind in label
        assert shape == STYLES[node.kind][0]
    assert sorted((a, b) for a, b, _ in edges) == sorted(
        (op, node.name) for node in prog for op in node.inputs
    )


def test_labels_say_what_nodes_compute():
    nodes, edges = parse(emit_dot(rasp_style_program()))
    assert nodes["select_3"][0] == "select_3\\nselect\\nkey < query"
    assert "mean, default 'none'" in nodes["shifted"][0]
    assert "cat[3] {'0', '1', '2'}" in nodes["tokens"][0]
    assert ("indices", "select_1", "keys") in edges and ("opp", "select_1", "queries") in edges
    assert ("select_1", "reverse", "sel") in edges and ("tokens", "reverse", "values") in edges


def test_output_is_highlighted_and_dead_nodes_are_dashed():
    b = ProgramBuilder(vocab=("a", "b"), max_len=3)
    b.map(lambda t: t * 2, b.tokens, name="unused")
    out = b.selector_width(b.select(b.tokens, b.tokens, "EQ"), name="count")
    nodes, _ = parse(emit_dot(b.build(out)))
    assert "penwidth=3" in nodes["count"][2] and "dashed" not in nodes["count"][2]
    assert "dashed" in nodes["unused"][2] and "penwidth" not in nodes["unused"][2]
    assert "dashed" not in nodes["tokens"][2]


def test_quotes_and_backslashes_are_escaped():
    b = ProgramBuilder(vocab=('say "hi"', "back\\slash"), max_len=2)
    prog = b.build(b.map(lambda t: t + '"', b.tokens, name="quoted"))
    nodes, _ = parse(emit_dot(prog))
    assert set(nodes) == {"tokens", "indices", "quoted"}
    assert '\\"hi\\"' in nodes["tokens"][0] and "\\\\\\\\slash" in nodes["tokens"][0]


def test_table_predicates_are_grouped_and_long_lines_cut():
    nodes, _ = parse(emit_dot(learned_style_program(False)))
    label = nodes["sel_1"][0]
    assert label.startswith("sel_1\\nselect\\nquery == 0: key == 2; query == 1: key == 3;")
    assert all(len(line) <= 72 for line in label.split("\\n"))


def test_deterministic():
    assert emit_dot(learned_style_program(True)) == emit_dot(learned_style_program(True))


def test_dot_parses_with_every_node_and_edge():
    prog = learned_style_program(True)
    (graph,) = pydot.graph_from_dot_data(emit_dot(prog))
    names = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node", "edge", "graph"}
    assert set(prog.nodes) <= names
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in graph.get_edges()}
    assert edges == {(op, n.name) for n in prog for op in n.inputs}


# ---- registry -----------------------------------------------------------------------------------


def test_registry_targets():
    assert set(BACKENDS) == {"python", "rasp", "tracr", "json", "dot"}
    prog = rasp_style_program()
    assert emit(prog, "json") == dumps(prog)
    assert emit(prog, "dot") == emit_dot(prog)
    assert emit(prog, "python").startswith('"""program: emitted by tpc')


def test_unknown_target_names_the_targets():
    with pytest.raises(
        TpcError, match="unknown back end 'cuda'; choose from: python, rasp, tracr, json, dot"
    ):
        emit(rasp_style_program(), "cuda")
