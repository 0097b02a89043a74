"""The RASP front end: every construct against hand-computed or directly computed outputs,
the RASP paper's examples, and clear one-line errors for bad text."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from statistics import mean

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tpc.errors import EvalError, ParseError, TpcError
from tpc.frontends import parse_rasp
from tpc.grammar import parse_expression, parse_program
from tpc.ir import Categorical, Comparison, Numerical, Select, SelectorOp, TablePredicate, run

VOCAB = ("a", "b", "c")
MAX_LEN = 4
INPUTS = [list(s) for n in range(1, MAX_LEN + 1) for s in itertools.product(VOCAB, repeat=n)]
LOCATED = re.compile(r"^line \d+, column \d+: ")


def outputs(text: str, inputs=INPUTS, vocab=VOCAB, max_len=MAX_LEN, output=None):
    return run(parse_rasp(text, vocab, max_len, output), inputs)


def expected(fn, inputs=INPUTS):
    """``fn(tokens, i, n)`` at every position of every input: a direct Python reading."""
    return [[fn(t, i, len(t)) for i in range(len(t))] for t in inputs]


def same(got, want) -> bool:
    """Equal values (numbers compared as numbers, with float tolerance)."""
    if isinstance(got, list):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    if isinstance(got, str) or isinstance(want, str):
        return got == want
    return abs(float(got) - float(want)) < 1e-9 and isinstance(got, bool) == isinstance(want, bool)


def mean_or(values, default):
    return mean(values) if values else default


# ---- element-wise expressions, with RASP's precedence -----------------------------------------

ELEMENTWISE = [
    ("y = indices * 2 + 1;", lambda t, i, n: 2 * i + 1),
    ("y = indices % 3 * 2;", lambda t, i, n: i % 6),  # '%' binds looser than '*'
    ("y = 2 ^ indices ^ 2;", lambda t, i, n: (2**i) ** 2),  # '^' groups to the left
    ("y = -indices ^ 2;", lambda t, i, n: i**2),  # unary minus binds tighter than '^'
    ("y = not indices == 0;", lambda t, i, n: (not i) == 0),  # (not indices) == 0
    ('y = not tokens == "a";', lambda t, i, n: False),  # (not tokens) == "a"
    (  # the conditional groups to the left
        "y = 1 if indices == 0 else 2 if indices == 1 else 3;",
        lambda t, i, n: (1 if i == 0 else 2) if i == 1 else 3,
    ),
    ('y = tokens + "x" in ["ax", "bx"];', lambda t, i, n: t[i] + "x" in ("ax", "bx")),
    (  # 'and' and 'or' share one level and group to the left
        "y = indices == 0 or indices == 1 and indices == 2;",
        lambda t, i, n: False,
    ),
    ("y = round(indices / 2);", lambda t, i, n: round(i / 2)),  # Python's (banker's) round
    (
        'y = indicator(tokens == "a") + indicator(tokens < "c");',
        lambda t, i, n: (t[i] == "a") + (t[i] < "c"),
    ),
    ("y = length - indices - 1;", lambda t, i, n: n - i - 1),
    ('y = tokens == "a" and indices > 1;', lambda t, i, n: t[i] == "a" and i > 1),
    ("y = -(indices - 2) + +indices;", lambda t, i, n: 2),
    ("y = indices / 4 >= 0.5;", lambda t, i, n: i / 4 >= 0.5),
    ("y = indices - 1.5 <= 0;", lambda t, i, n: i <= 1),
    ('y = 1 if tokens == "b" else "no";', lambda t, i, n: 1 if t[i] == "b" else "no"),
    ('y = indices if tokens == "a" else length;', lambda t, i, n: i if t[i] == "a" else n),
    ('y = {"a": 1, "b": 2, "c": 3}[tokens] * 10;', lambda t, i, n: 10 * "abc".index(t[i]) + 10),
    ('y = ["p", "q", "r", "s"][indices];', lambda t, i, n: "pqrs"[i]),
    ('y = "xyz"[indices % 3];', lambda t, i, n: "xyz"[i % 3]),
    ('y = tokens in ["a", "c"];', lambda t, i, n: t[i] in ("a", "c")),
    ('y = "a" in tokens;', lambda t, i, n: "a" in t),
    ("y = tokens[0] + tokens[-1];", lambda t, i, n: t[0] + t[-1]),
    ("y = tokens_str + tokens;", lambda t, i, n: t[i] * 2),
    ("y = True and indices;", lambda t, i, n: bool(i)),
    ("y = 2 * 3 + indices;", lambda t, i, n: 6 + i),
]


@pytest.mark.parametrize("text,fn", ELEMENTWISE, ids=[t for t, _ in ELEMENTWISE])
def test_elementwise(text, fn):
    assert same(outputs(text), expected(fn))


# ---- selects, aggregates, selector widths ---------------------------------------------------

SELECTS = [
    ("==", lambda i, n: 1),
    ("!=", lambda i, n: n - 1),
    ("<", lambda i, n: i),  # keys j with j < i
    (">", lambda i, n: n - 1 - i),
    ("<=", lambda i, n: i + 1),
    (">=", lambda i, n: n - i),
]


@pytest.mark.parametrize("op,count", SELECTS, ids=[op for op, _ in SELECTS])
def test_select_is_key_op_query(op, count):
    got = outputs(f"y = selector_width(select(indices, indices, {op}));")
    assert got == expected(lambda t, i, n: count(i, n))


AGGREGATES = [
    ("y = selector_width(select(tokens, tokens, ==));", lambda t, i, n: t.count(t[i])),
    ("y = selector_width(full_s);", lambda t, i, n: n),
    (  # several selected numbers: their mean
        "y = aggregate(select(indices, indices, <=), indices);",
        lambda t, i, n: i / 2,
    ),
    (  # one selected: that value, of any type; none: the default
        'y = aggregate(select(indices, indices + 1, ==), tokens, "none");',
        lambda t, i, n: t[i + 1] if i + 1 < n else "none",
    ),
    (  # the default default is 0
        "y = aggregate(select(indices, indices + 1, ==), indices);",
        lambda t, i, n: i + 1 if i + 1 < n else 0,
    ),
    ('y = aggregate(select(tokens, "b", ==), 1, 0);', lambda t, i, n: int("b" in t)),
    (
        'y = aggregate(select(tokens, tokens, <), indicator(tokens == "a"), 5);',
        lambda t, i, n: mean_or([t[j] == "a" for j in range(n) if t[j] < t[i]], 5),
    ),
    (
        "y = selector_width(select(indices, indices, <) or select(indices, indices, ==));",
        lambda t, i, n: i + 1,
    ),
    ("y = selector_width(not select(tokens, tokens, ==));", lambda t, i, n: n - t.count(t[i])),
    (
        "y = selector_width(select(tokens, tokens, ==) and select(indices, indices, <));",
        lambda t, i, n: t[:i].count(t[i]),
    ),
    (
        'y = selector_width(select(tokens, "a", ==) or select(indices, 0, ==));',
        lambda t, i, n: sum(t[j] == "a" or j == 0 for j in range(n)),
    ),
    (  # the mean of booleans' indicators over the keys before the query
        'y = aggregate(select(indices, indices, <), indicator(tokens == "c"), -1) * 6;',
        lambda t, i, n: mean_or([6 * (t[j] == "c") for j in range(i)], -6),
    ),
]


@pytest.mark.parametrize("text,fn", AGGREGATES, ids=[t for t, _ in AGGREGATES])
def test_aggregates(text, fn):
    assert same(outputs(text), expected(fn))


# ---- the standard library ------------------------------------------------------------------


def last_index(t, v):
    return max((j for j in range(len(t)) if t[j] == v), default=-1)


LIBRARY = [
    ('y = has_focus(select(tokens, "c", ==));', lambda t, i, n: "c" in t),
    ('y = count(tokens, "a");', lambda t, i, n: t.count("a")),
    ('y = contains(tokens, "b");', lambda t, i, n: "b" in t),
    ("y = max(indices, length - indices);", lambda t, i, n: max(i, n - i)),
    ("y = min(indices, 2);", lambda t, i, n: min(i, 2)),
    ("y = load_from_location(indices * 3, 1);", lambda t, i, n: 3 if n > 1 else 0),
    ('y = shift(tokens, 1, "_");', lambda t, i, n: t[i - 1] if i > 0 else "_"),
    ('y = mark_last_instance(tokens, "a");', lambda t, i, n: i == last_index(t, "a")),
    (
        'y = aggregate(select_from_last(tokens, "a"), indices, -1);',
        lambda t, i, n: last_index(t, "a"),
    ),
    ("y = sort(tokens, tokens);", lambda t, i, n: sorted(t)[i]),
    ("y = sort(indices, -indices);", lambda t, i, n: n - 1 - i),
    (
        "y = selector_width(select_next_identical(tokens));",
        lambda t, i, n: int(t[i] in t[i + 1 :]),
    ),
]


@pytest.mark.parametrize("text,fn", LIBRARY, ids=[t for t, _ in LIBRARY])
def test_library(text, fn):
    assert same(outputs(text), expected(fn))


# ---- statements: functions, loops, comprehensions -------------------------------------------


def test_functions_are_inlined_with_lexical_scope_and_multiple_results():
    text = """
    offset = 1;
    def shifted(x) {
        offset = 10;  # local to the call
        return x + offset;
    }
    def both(v) {
        a = shifted(v);
        return a, a * 2;
    }
    p, q = both(indices);
    y = p + q + offset;
    """
    assert outputs(text) == expected(lambda t, i, n: 3 * (i + 10) + 1)


def test_nested_definitions_and_functions_as_values():
    text = """
    def make() {
        def inner(s) { return s + 1; }
        return inner;
    }
    f = make();
    y = f(indices);
    """
    assert outputs(text) == expected(lambda t, i, n: i + 1)


def test_loops_and_comprehensions_run_at_compile_time():
    text = """
    total = 0;
    for v in range(1, 4) { total = total + v; }
    pairs = zip([1, 2], ["a", "b"]);
    lookup = {k: v for v, k in pairs};
    weights = [w * 2 for w in [1, 2, 3]];
    y = indices + total + len(weights) + lookup["b"];
    """
    assert outputs(text) == expected(lambda t, i, n: i + 6 + 3 + 2)


def test_compile_time_conditional_evaluates_one_branch():
    # the else branch would fail (an undefined name), but it is never evaluated
    assert outputs("y = indices if 1 > 0 else nowhere;") == expected(lambda t, i, n: i)


def test_comments_and_statements_over_several_lines():
    text = """# a program
    y = indices
        + 1;  # trailing comment
    # done"""
    assert outputs(text) == expected(lambda t, i, n: i + 1)


def test_tokens_int():
    got = outputs("y = tokens_int * 2;", [["1", "2"], ["3"]], vocab=("1", "2", "3"))
    assert got == [[2, 4], [6]]


# ---- names, outputs, types --------------------------------------------------------------------

REVERSE = """
opp_index = length - indices - 1;
flip = select(indices, opp_index, ==);
reverse = aggregate(flip, tokens);
"""


def test_nodes_are_named_after_variables_and_unused_ones_dropped():
    prog = parse_rasp(REVERSE + "unused = indices + 7;", VOCAB, MAX_LEN, output="reverse")
    assert set(prog.nodes) == {
        "tokens",
        "indices",
        "full_s",
        "length",
        "opp_index",
        "flip",
        "reverse",
    }
    assert prog.output == "reverse" and prog.bos is None
    assert prog["opp_index"].meta["rasp"] == "((x - y) - 1)"


def test_default_output_is_the_last_assignment():
    assert parse_rasp(REVERSE, VOCAB, MAX_LEN).output == "reverse"
    assert parse_rasp(REVERSE + "reverse;", VOCAB, MAX_LEN).output == "reverse"
    prog = parse_rasp("x = indices + 1; x = x * 2;", VOCAB, MAX_LEN)
    assert prog.output == "x_1"
    assert run(prog, [["a", "b"]]) == [[2, 4]]


def test_reverse():
    assert outputs(REVERSE) == [t[::-1] for t in INPUTS]


def test_python_keywords_make_node_names_with_underscores():
    prog = parse_rasp("lambda = indices + 1;", VOCAB, MAX_LEN)
    assert prog.output == "lambda_"


def test_atom_output_is_a_constant():
    assert outputs("y = 3 + 4;", [["a", "b"]]) == [[7, 7]]


def test_numerical_and_categorical_means():
    prog = parse_rasp(
        "m = aggregate(select(indices, indices, <=), indices);"
        "c = aggregate(select(indices, indices, ==), tokens);",
        VOCAB,
        MAX_LEN,
        output="m",
    )
    assert isinstance(prog["m"].type, Numerical)
    assert set(prog["m"].type.values) >= {0, 0.5, 1, 1.5}
    prog = parse_rasp("c = aggregate(select(indices, indices, ==), tokens);", VOCAB, MAX_LEN)
    assert prog["c"].type == Categorical(("a", "b", "c"))


def test_a_string_mean_selecting_nothing_without_default_is_undefined():
    # the reference's default 0 among strings is a mixed-type sequence, which it rejects
    prog = parse_rasp("c = aggregate(select(indices, indices + 1, ==), tokens);", VOCAB, MAX_LEN)
    assert prog["c"].default is None
    with pytest.raises(EvalError, match="selected no key"):
        run(prog, [["a", "b"]])


def test_a_categorical_mean_over_several_keys_is_undefined():
    prog = parse_rasp("c = aggregate(select(tokens, tokens, ==), tokens);", VOCAB, MAX_LEN)
    assert run(prog, [["a", "b"]]) == [["a", "b"]]
    with pytest.raises(EvalError, match="2 keys"):
        run(prog, [["a", "a"]])


def test_boolean_mean_default_zero_is_false():
    prog = parse_rasp(
        'y = aggregate(select(indices, indices + 1, ==), tokens == "a");', VOCAB, MAX_LEN
    )
    assert prog["y"].type == Categorical((False, True))
    assert run(prog, [["a", "a"]]) == [[True, False]]


def test_booleans_next_to_numbers_they_do_not_equal_stay_booleans():
    # as in Python: True if c else 0 is True or 0 (True and 1 together are one value: 1)
    assert outputs("y = True if indices == 1 else 0;") == expected(
        lambda t, i, n: True if i == 1 else 0
    )
    got = outputs("y = True if indices == 0 else indices;")  # True and 1: one value, 1
    assert got == expected(lambda t, i, n: i or 1)
    assert not any(isinstance(v, bool) for row in got for v in row)
    # averaged, they count as 1 and 0 (a numerical mean); a boolean default makes labels
    text = "v = True if indices == 1 else 0;\ny = aggregate(select(indices, indices, <=), v);"
    assert same(outputs(text), expected(lambda t, i, n: mean_or([j == 1 for j in range(i + 1)], 0)))
    text = "y = aggregate(select(indices + 1, indices, ==), indices * 2, True);"
    assert outputs(text) == expected(lambda t, i, n: 2 * (i - 1) if i else True)
    assert isinstance(parse_rasp(text, VOCAB, MAX_LEN)["y"].type, Categorical)


def test_selectors_over_the_same_operands_fold_into_one_predicate():
    prog = parse_rasp(
        "s = select(indices, indices, <) or select(indices, indices, ==); y = selector_width(s);",
        VOCAB,
        MAX_LEN,
    )
    assert prog["s"].predicate == Comparison("LEQ")
    prog = parse_rasp(
        "s = select(indices, indices, <) and select(tokens, tokens, ==); y = selector_width(s);",
        VOCAB,
        MAX_LEN,
    )
    assert isinstance(prog["s"], SelectorOp) and prog["s"].op == "and"


def test_python_equality_between_booleans_and_numbers_becomes_a_table():
    # RASP compares with Python's ==, where True == 1; the IR's EQ keeps them apart
    text = 'y = selector_width(select(tokens == "a", indicator(tokens == "b"), ==));'
    prog = parse_rasp(text, VOCAB, MAX_LEN)
    sel = next(n for n in prog if isinstance(n, Select))
    assert isinstance(sel.predicate, TablePredicate)
    # query "b" (1) selects keys "a" (True); others (0) select keys that are not "a" (False)
    assert run(prog, [["a", "b", "c", "a"]]) == [[2, 2, 2, 2]]
    assert run(prog, [["b", "c", "c"]]) == [[0, 3, 3]]


def test_three_operand_conditional_pairs_two_operands():
    prog = parse_rasp('y = indices if tokens == "a" else length;', VOCAB, MAX_LEN)
    assert any(name.startswith("y_pair") for name in prog.nodes)


# ---- the RASP paper's examples (Weiss et al. 2021), without BOS --------------------------------


def test_paper_hist_reverse_sort():
    assert outputs("hist = selector_width(select(tokens, tokens, ==));") == expected(
        lambda t, i, n: t.count(t[i])
    )
    flip = "flip = select(indices, length - 1 - indices, ==); reverse = aggregate(flip, tokens);"
    assert outputs(flip) == [t[::-1] for t in INPUTS]
    text = """
    def sort_by(vals, keys) {
        smaller = select(keys, keys, <) or (select(keys, keys, ==) and select(indices, indices, <));
        target_pos = selector_width(smaller);
        return aggregate(select(target_pos, indices, ==), vals);
    }
    sorted_tokens = sort_by(tokens, tokens);
    """
    assert outputs(text) == [sorted(t) for t in INPUTS]


def test_paper_double_histogram():
    text = """
    hist = selector_width(select(tokens, tokens, ==));
    first = not has_focus(select(tokens, tokens, ==) and select(indices, indices, <));
    hist2 = selector_width(select(hist, hist, ==) and select(first, True, ==));
    """

    def hist2(t, i, n):
        return len({v for v in t if t.count(v) == t.count(t[i])})

    assert outputs(text) == expected(hist2)


def test_paper_sort_by_frequency():
    text = """
    hist = selector_width(select(tokens, tokens, ==));
    has_earlier = has_focus(select(tokens, tokens, ==) and select(indices, indices, <));
    freq = hist - indicator(has_earlier) * length;
    by_freq = sort(tokens if not has_earlier else "-", -freq);
    """

    def by_freq(t, i, n):
        firsts = sorted(dict.fromkeys(t), key=lambda v: -t.count(v))
        return (firsts + ["-"] * n)[i]

    assert outputs(text) == expected(by_freq)


def test_paper_style_dyck1_with_means():
    text = """
    prefix = select(indices, indices, <=);
    n_open = (indices + 1) * aggregate(prefix, indicator(tokens == "("));
    n_close = (indices + 1) * aggregate(prefix, indicator(tokens == ")"));
    balance = n_open - n_close;
    ever_negative = aggregate(prefix, indicator(balance < 0)) > 0;
    dyck1 = "F" if ever_negative else ("T" if balance == 0 else "P");
    """

    def label(t, i, n):
        depths = list(itertools.accumulate(1 if c == "(" else -1 for c in t[: i + 1]))
        return "F" if min(depths) < 0 else ("T" if depths[-1] == 0 else "P")

    inputs = [list(s) for s in itertools.product("()", repeat=6)]
    got = outputs(text, inputs, vocab=("(", ")"), max_len=6)
    assert got == expected(label, inputs)


def test_numerical_value_sets_are_exact_fractions():
    prog = parse_rasp("m = aggregate(select(indices, indices, <=), indices);", VOCAB, 3)
    means = {Fraction(v).limit_denominator(10) for v in prog["m"].type.values}
    assert means == {Fraction(s, c) for c in (1, 2, 3) for s in range(0, 2 * c + 1)} | {0}


# ---- errors: one line, with line and column ----------------------------------------------------

ERRORS = [
    ("y = foo + 1;", 1, 5, "undefined name 'foo'"),
    ("indices = 3;", 1, 1, "reserved"),
    ("y = select (indices, indices, ==);", 1, 31, "unexpected '=='"),
    ("y = select;", 1, 5, "no space before"),
    ("\n\ny = 1 / (indices - 2);", 3, 5, "ZeroDivisionError"),
    ("def f(a) { return f(a); }\ny = f(indices);", 1, 19, "recursion"),
    ("y = aggregate(indices, tokens);", 1, 5, "needs a selector"),
    ("y = select(indices, indices, ==) + 1;", 1, 5, "selector"),
    ("y = selector_width(indices);", 1, 5, "needs a selector"),
    ("y = max(indices);", 1, 5, "takes 2 argument"),
    ("y = tokens < indices;", 1, 5, "TypeError"),
    ("s = select(tokens, indices, <);", 1, 5, "cannot compare"),
    ('y = {"a": 1}[tokens];', 1, 5, "KeyError"),
    ("x, y = 1;", 1, 1, "2 names"),
    ("y = range(10000000);", 1, 5, "too long"),
    ("y = 10 ^ 10 ^ 10 ^ 10 ^ 10;", 1, 5, "too large"),
    ("y = indices * 10 ^ 20;", 1, 5, "2^53"),
    ("y = indicator(3);", 1, 5, "needs an s-op"),
    ("y = indices(3);", 1, 5, "REPL feature"),
    ("y = 1;\ny = y[0];", 2, 5, "cannot index"),
    ('y = shift(tokens, "x", 0);', 1, 5, "library function 'shift'"),
    ("def f(a) {\n  b = a / 0;\n  return b;\n}\ny = f(indices);", 2, 7, "in 'f' called at line 5"),
    ("y = x = 1;", 1, 7, "unexpected '='"),
    ("y = 1", 1, 6, "unexpected end of input"),
    ("y = [1, 2;", 1, 10, "expected ']'"),
    ('y = "open;', 1, 5, "unexpected character"),
]


@pytest.mark.parametrize("text,line,column,what", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_line_and_column(text, line, column, what):
    with pytest.raises(ParseError) as info:
        parse_rasp(text, VOCAB, MAX_LEN)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(f"line {line}, column {column}: "), msg
    assert what in msg


def test_program_level_errors():
    with pytest.raises(ParseError, match="assigns no variable"):
        parse_rasp("# nothing\n", VOCAB, MAX_LEN)
    with pytest.raises(ParseError, match="'nope' is not a variable"):
        parse_rasp("y = indices;", VOCAB, MAX_LEN, output="nope")
    with pytest.raises(ParseError, match="is a selector"):
        parse_rasp("s = select(indices, indices, ==);", VOCAB, MAX_LEN)
    with pytest.raises(TpcError, match="distinct strings"):
        parse_rasp("y = indices;", ("a", "a"), MAX_LEN)
    with pytest.raises(TpcError, match="max_len"):
        parse_rasp("y = indices;", VOCAB, 0)


def test_parse_tree_shapes():
    tree = parse_program("y = a if b else c;")
    assert tree.children[0].data == "assign"
    assert parse_expression("x in [1] if c else y").data == "contains"


# ---- garbage and mutations: only TpcErrors, one line -------------------------------------------

PIECES = [
    "x", "y", "tokens", "indices", "length", "def", "f", "(", ")", "{", "}", "[", "]", ",",
    ";", "=", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "^", "and", "or",
    "not", "if", "else", "in", "for", "return", "select(", "aggregate(", "selector_width",
    "round", "indicator", "range(", "zip(", "len(", "0", "1", "2.5", '"a"', '"', "#", "\n",
    " ", "True", "full_s", "sort", "count", ":",
]  # fmt: skip

SEEDS = [
    REVERSE,
    'def f(a, b) { c = a + b; return c * 2; }\ny = f(indices, 1) if tokens == "a" else 0;',
    "s = select(tokens, tokens, ==) and not select(indices, 0, ==);\n"
    "y = aggregate(s, indices, 1) + selector_width(s);",
    "for v in [1, 2] { z = indices + v; }\nw = [q for q in range(3)];\ny = z % 2 == 0;",
]


def check_only_tpc_errors(text: str) -> None:
    try:
        parse_rasp(text, VOCAB, 3)
    except TpcError as e:
        assert "\n" not in str(e)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_garbage_gives_only_one_line_tpc_errors(text):
    check_only_tpc_errors(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_programs_give_only_one_line_tpc_errors(seed, data):
    text = seed
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 4))
        insert = data.draw(st.sampled_from(["", *PIECES]))
        text = text[:at] + insert + text[at + cut :]
    check_only_tpc_errors(text)


def test_syntax_errors_are_located():
    for text in ("y = (1;", "def f( { }", "y = 1 +;", "y = select(a, b, ===);"):
        with pytest.raises(ParseError) as info:
            parse_program(text)
        assert LOCATED.match(str(info.value))
