"""Python back end: a program as one standalone, black-formatted module (docs/design.md §5).

The module needs only the standard library and exposes ``run(tokens)``, ``run_batch``,
``VOCAB``, ``MAX_LEN``, ``BOS`` and ``EOS``. ``run`` computes one variable per node that
the output depends on, in the program's order: a sequence is a list of values, a selector
a list of boolean rows (``sel[i][j]``: query i selects key j). Tables, predicates and
readout weights are module-level literals (an open map, defined by its form, is that
form in a comprehension); named comparisons are written inline
(``key < query``), table predicates as grouped ``if query in {...}: return key == v``
chains, tabulated once at import (a decorator) into ``name_predicate[query]`` = the key
values selected.
The module agrees with :mod:`tpc.ir.interp` on every input the interpreter accepts;
where the interpreter raises ``EvalError`` the module raises ``ValueError``.
"""

from __future__ import annotations

import ast
import inspect
import io
import secrets
import tokenize
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import black

from tpc.backends import python_runtime as runtime
from tpc.errors import TpcError, printable
from tpc.ir.forms import render_form
from tpc.ir.nodes import (
    Aggregate,
    Comparison,
    Constant,
    Indices,
    Map,
    Node,
    Readout,
    Select,
    SelectorOp,
    SelectorWidth,
    SequenceMap,
    TablePredicate,
    Tokens,
)
from tpc.ir.program import Program
from tpc.ir.reading import TextReading, reading_of
from tpc.ir.readout_rows import contribution_rows, sums_are_exact
from tpc.ir.render import (
    TABLE_WIDTH,
    Namer,
    comparison_rows,
    describe_predicate,
    describe_specials,
    dict_literal,
    group_table,
    live_nodes,
    membership,
    program_title,
    provenance,
    render_set,
    render_value,
    sorted_values,
    summarize_values,
)
from tpc.ir.types import Categorical, Numerical, Type, Value, tag, value_key, value_set

#: Support functions of the emitted module (:mod:`tpc.backends.python_runtime`'s source),
#: emitted only when used, in this order.
_HELPERS: dict[str, str] = {
    name: "\n\n\n".join(inspect.getsource(fn).strip() for fn in functions)
    for name, functions in runtime.HELPERS.items()
}

#: Names in ``run``'s scope besides node variables: helpers, API, comprehension variables.
_FIXED_NAMES = (
    *_HELPERS,
    "bisect_right",
    "cache",
    "compress",
    "run",
    "run_batch",
    "run_program",
    "run_program_batch",
    "normalize",
    "window_starts",
    "re",
    "VOCAB",
    "_IN_VOCAB",
    "MAX_LEN",
    "BOS",
    "EOS",
    "UNK",
    "WORDS",
    "LOWERCASE",
    "REPLACE_NUMBERS",
    "n",
    "i",
    "j",
    "key",
    "query",
    "row",
    "a",
    "b",
    "s",
    "v",
    "x",
    "y",
    "logits",
)


def emit_python(program: Program, *, formatted: bool = True) -> str:
    """The program as a standalone Python module.

    Only the nodes the output depends on are emitted. The source is black-formatted unless
    ``formatted`` is false (the same code, ~100x faster to produce: for tests). ``TpcError``
    when a node cannot be written (a table predicate over operands without a finite value
    set, a node kind this back end does not know).
    """
    emitter = _Emitter(program.validate())
    source = emitter.module()
    if formatted:  # black only the code: parsing large tables would take black minutes
        source = black.format_str(source, mode=black.Mode())
    return emitter.fill_tables(source)


class _Emitter:
    """Collects the module's definitions and ``run``'s statements, node by node."""

    def __init__(self, program: Program):
        self.program = program
        self.nodes = live_nodes(program)
        width = max(
            (len(n.features) for n in self.nodes if isinstance(n, Readout)), default=0
        )
        self.namer = Namer(
            ("tokens", *_FIXED_NAMES, *(f"{v}{k}" for v in "fw" for k in range(width)))
        )
        self.var: dict[str, str] = {"tokens": "tokens"}
        others = [n.name for n in self.nodes if not isinstance(n, Tokens)]
        clashing = [name for name in others if name in self.namer.taken]
        for name in others:  # keep every free node name, then rename the others
            if name not in clashing:
                self.var[name] = self.namer.name(name)
        for name in clashing:
            self.var[name] = self.namer.name(name)
        self.lookup_var = dict(
            self.var
        )  # the variable lookups read (snapped numerical values)
        self.value_sets: dict[str, str] = {
            "tokens": "VOCAB",
            "indices": "range(MAX_LEN)",
        }
        self.users: dict[str, list[Node]] = {}
        for node in self.nodes:
            for name in node.inputs:
                self.users.setdefault(name, []).append(node)
        #: selects read only by closest/sum aggregates and widths, which attend straight
        #: from (keys, queries, the tabulated predicate) without building the selector
        self.fused: dict[str, tuple[str, str, str]] = {}
        self.defs: list[str] = []
        self.body: list[str] = []
        self.helpers: set[str] = {"_check_input"}
        self.uses_n = False
        self.tables: dict[str, str] = {}  # placeholder line -> data table text
        #: makes placeholders unguessable: no string of the program can hold one
        self.nonce = secrets.token_hex(16)

    # ---- module -----------------------------------------------------------------------------

    def _data(self, comment: str | None, literal: str) -> str:
        """A data table kept compact between ``# fmt: off/on``; the module holds a placeholder
        line until it has been formatted (see :func:`emit_python`, :meth:`fill_tables`)."""
        placeholder = f"_TPC_TABLE_{self.nonce}_{len(self.tables)} = None"
        self.tables[placeholder] = f"# fmt: off\n{literal}\n# fmt: on"
        return f"{comment}\n{placeholder}" if comment else placeholder

    def fill_tables(self, source: str) -> str:
        """``source`` with each placeholder line replaced by its data table. Only whole
        lines are replaced, and placeholders hold a random nonce, so text inside the
        program's strings (a token ``"_TPC_TABLE_0 = None"``) is never taken for one."""
        lines = source.split("\n")
        filled = [self.tables.get(line, line) for line in lines]
        found = sum(line in self.tables for line in lines)
        if found != len(self.tables):  # pragma: no cover - black keeps `NAME = None` lines
            raise AssertionError(f"{found} of {len(self.tables)} table placeholders found")
        return "\n".join(filled)

    def module(self) -> str:
        looked_up = self._lookup_operands()
        for node in self.nodes:
            handler = getattr(self, "_emit_" + node.kind, None)
            if handler is None:
                raise TpcError(
                    f"python back end: node '{node.name}' is a {node.kind}, which it cannot emit"
                )
            handler(node)
            if node.name not in looked_up:
                continue
            if self._inexact(node.name):
                self._snap(node)
            elif self._computed(node.name):
                self._check_members(node)
        prog = self.program
        out = self.var[prog.output]
        reading = reading_of(prog)
        entry = "run" if reading is None else "run_program"
        run_body = ["_check_input(tokens)", "if not tokens:\n    return []"]
        run_body += ["n = len(tokens)"] if self.uses_n else []
        run_body += [*self.body, f"return {'list(tokens)' if out == 'tokens' else out}"]
        run_doc = (
            f'"""The value of node `{prog.output}` at each position of `tokens`.\n\n'
            'tokens: a list of VOCAB tokens, at most MAX_LEN of them.\n"""'
        )
        functions = [
            f"def {entry}(tokens: list[str]) -> list:\n" + _indent([run_doc, *run_body]),
            f"def {entry}_batch(batch: list[list[str]]) -> list[list]:\n"
            f'    """`{entry}` on each input of `batch`."""\n'
            f"    return [{entry}(tokens) for tokens in batch]",
        ]
        constants = (
            self._vocab_literal() + "\n"
            "_IN_VOCAB = frozenset(VOCAB)\n"
            f"MAX_LEN = {prog.max_len}\nBOS = {render_value(prog.bos)}\n"
            f"EOS = {render_value(prog.eos)}"
        )
        if reading is not None:
            constants += "\n" + _text_constants(reading)
            functions += _text_functions(reading, self.helpers)
        helpers = [_HELPERS[h].strip() for h in _HELPERS if h in self.helpers]
        imports = sorted(
            {runtime.IMPORTS[h] for h in self.helpers if h in runtime.IMPORTS}
        )
        parts = [_header(prog), *(["\n".join(imports)] if imports else []), constants]
        parts += [*helpers, *self.defs, *functions]
        return "\n\n\n".join(parts) + "\n"

    def _vocab_literal(self) -> str:
        """``VOCAB = (...)``: as black writes it when it fits on a line, else a data table
        packed into lines (black would give each of a corpus's 10,000 words a line, and
        take seconds to)."""
        literal = _packed_tuple([render_value(t) for t in self.program.vocab])
        line = f"VOCAB = {literal}"
        return line if "\n" not in literal else self._data(None, line)

    def _lookup_operands(self) -> set[str]:
        """Numerical nodes read by lookups (tables and tabulated predicates)."""
        names: set[str] = set()
        for node in self.nodes:
            if isinstance(node, (Map, SequenceMap)) and node.table is not None:
                names.update(node.inputs)
            elif isinstance(node, Select) and self._finite(node.keys, node.queries):
                names.update(node.inputs)
        return {name for name in names if isinstance(self.program[name].type, Numerical)}

    def _inexact(self, name: str) -> bool:
        """Whether numerical node ``name``'s computed values may miss its value set by
        rounding (non-integer values: sums and means of fractions)."""
        return not all(float(v).is_integer() for v in self.program[name].type.values)

    def _computed(self, name: str) -> bool:
        """Whether node ``name`` computes its values (a sum or mean), rather than taking
        them from a table or an operand."""
        node = self.program[name]
        return isinstance(node, Aggregate) and node.reduce in ("sum", "mean")

    def _finite(self, *names: str) -> bool:
        return all(value_set(self.program[name].type) is not None for name in names)

    def _global(self, node: Node, suffix: str) -> str:
        return self.namer.name(f"{self.var[node.name].upper()}_{suffix}")

    def _values_constant(self, name: str) -> str:
        """A module constant holding node ``name``'s value set (a set literal, packed like
        a data table when it does not fit on a line)."""
        if name not in self.value_sets:
            node = self.program[name]
            const = self._global(node, "VALUES")
            values = value_set(node.type)
            literal = f"{const} = {render_set(values)}"
            if len(literal) > TABLE_WIDTH:
                items = map(render_value, sorted_values(values))
                literal = self._data(None, dict_literal(const, items))
            self.defs.append(literal)
            self.value_sets[name] = const
        return self.value_sets[name]

    def _assign(self, node: Node, expr: str, comment: str | None = None) -> None:
        """``var = expr`` in ``run``, after the comment and a note if the node was renamed."""
        var = self.var[node.name]
        notes = [f"# {var} is the IR node '{node.name}'"] * (var != node.name)
        notes += [f"# {comment}"] * (comment is not None)
        self.body.append("\n".join([*notes, f"{var} = {expr}"]))

    def _check_members(self, node: Node) -> None:
        """Check that the node's computed values lie in its value set (the interpreter
        raises EvalError where one does not: the module raises ValueError, not KeyError,
        and never takes a table's default for it)."""
        self.helpers.add("_check_members")
        values = self._values_constant(node.name)
        self.body.append(f"_check_members({self.var[node.name]}, {values}, {node.name!r})")

    def _snap(self, node: Node) -> None:
        self.helpers.add("_snap")
        exact = self.namer.name(f"{self.var[node.name]}_exact")
        values = self._values_constant(node.name)
        self.body.append(f"{exact} = _snap({self.var[node.name]}, {values})")
        self.lookup_var[node.name] = exact

    def _literal(self, node: Node) -> Callable[[Value], str]:
        """Renders the node's output values; categorical ones as members of its value set
        (a table output ``1.0`` of a node typed ``cat{1, 2}`` is printed ``1``)."""
        if isinstance(node.type, Categorical):
            members = {m: m for m in node.type.values}
            return lambda v: render_value(members[v])
        return render_value

    # ---- node kinds -------------------------------------------------------------------------

    def _emit_tokens(self, node: Tokens) -> None:
        """The input itself is the ``tokens`` parameter."""

    def _emit_indices(self, node: Indices) -> None:
        self.uses_n = True
        self._assign(node, "list(range(n))")

    def _emit_constant(self, node: Constant) -> None:
        users = self.users.get(node.name, [])
        if users and all(self._counts(user) for user in users):
            return  # only counted: never read
        self.uses_n = True
        self._assign(node, f"[{self._literal(node)(node.value)}] * n")

    def _emit_open_map(self, node: Map | SequenceMap) -> None:
        """An open map: its form as a comprehension over the operands' own values."""
        if isinstance(node, Map):
            loop = f"for x in {self.var[node.x]}"
        else:
            loop = f"for x, y in zip({self.var[node.x]}, {self.var[node.y]})"
        expr = render_form(node.form, ("x", "y"), render_value, python=True)  # type: ignore[arg-type]
        self._assign(node, f"[{expr} {loop}]")

    def _emit_map(self, node: Map) -> None:
        if node.table is None:
            return self._emit_open_map(node)
        self._emit_table(node, render_value, "x", f"for x in {self.lookup_var[node.x]}")

    def _emit_sequence_map(self, node: SequenceMap) -> None:
        if node.table is None:
            return self._emit_open_map(node)
        x, y = self.lookup_var[node.x], self.lookup_var[node.y]
        self._emit_table(
            node,
            lambda k: f"({render_value(k[0])}, {render_value(k[1])})",
            "(x, y)",
            f"for x, y in zip({x}, {y})",
        )

    def _emit_table(
        self,
        node: Map | SequenceMap,
        render_key: Callable[[Value], str],
        key: str,
        loop: str,
    ) -> None:
        """The node's table as a dict literal and ``[TABLE[key] loop]``. When one output
        fills at least a third of the entries (and eight or more), only the others are
        listed and the lookup is ``TABLE.get(key, output)``."""
        literal = self._literal(node)
        entries = _ordered_entries(node)
        counts = Counter(tag(v) for v in node.table.values())
        common, count = counts.most_common(1)[0]
        default = None
        if count >= max(8, len(entries) // 3):
            default = next(v for v in node.table.values() if tag(v) == common)
            entries = [(k, v) for k, v in entries if tag(v) != common]
        runs = _fewest_runs(node, self.program)
        if runs is not None and 2 * sum(map(len, runs[1].values())) < len(entries):
            return self._emit_runs(node, *runs)
        table = self._global(node, "TABLE")
        body = dict_literal(
            table, (f"{render_key(k)}: {literal(v)}" for k, v in entries)
        )
        operands = ", ".join(self.var[name] for name in node.inputs)
        note = "" if default is None else f", {literal(default)} where not listed"
        form = f", i.e. {printable(node.form)}" if node.form else ""
        self.defs.append(
            self._data(
                f"# {self.var[node.name]} = {table}[{operands}]{note}{form}", body
            )
        )
        lookup = (
            f"{table}[{key}]"
            if default is None
            else f"{table}.get({key}, {literal(default)})"
        )
        self._assign(node, f"[{lookup} {loop}]")

    def _emit_runs(self, node: Map | SequenceMap, by: int, rows: dict) -> None:
        """The table as runs of one numerical operand's values with the same output: for
        each value of the other operand (if any), ``{start: output}``, and the lookup
        ``_in_run(...)``: the output of the last run starting at or before the value."""
        literal = self._literal(node)
        names = [self.var[n] for n in node.inputs]
        values = [self.lookup_var[n] for n in node.inputs]
        if isinstance(node, Map) and len(rows[None]) == 2:  # one threshold: a conditional
            (_, low), (start, high) = rows[None].items()
            return self._assign(
                node,
                f"[{literal(low)} if x < {render_value(start)} else {literal(high)} "
                f"for x in {values[0]}]",
            )
        self.helpers.add("_runs")
        table = self._global(node, "RUNS")

        def starts(row: dict) -> str:
            return (
                "_runs({"
                + ", ".join(f"{render_value(k)}: {literal(v)}" for k, v in row.items())
                + "})"
            )

        if isinstance(node, Map):
            body = f"{table} = {starts(rows[None])}"
            note, lookup = (
                f" at {names[0]}",
                f"[_in_run({table}, x) for x in {values[0]}]",
            )
        else:
            other = 1 - by
            body = dict_literal(
                table, (f"{render_value(k)}: {starts(r)}" for k, r in rows.items())
            )
            note = f"[{names[other]}] at {names[by]}"
            xy = ("x", "y") if by == 1 else ("y", "x")
            lookup = f"[_in_run({table}[{xy[0]}], {xy[1]}) for x, y in zip({values[0]}, {values[1]})]"
        comment = (
            f"# {self.var[node.name]} = {table}{note}:\n"
            f"# the output of the last listed start at or before it"
        )
        self.defs.append(self._data(comment, body))
        self._assign(node, lookup)

    def _emit_select(self, node: Select) -> None:
        pred = self._faithful_predicate(node)
        keys, queries = self.lookup_var[node.keys], self.lookup_var[node.queries]
        # a fused selector is never built: its name goes to the predicate
        if self._fusable(node):
            func = self._predicate_function(node, pred, self.var[node.name])
            self.fused[node.name] = (keys, queries, func)
            return
        if isinstance(pred, Comparison):
            expr = f"[[{describe_predicate(pred)} for key in {keys}] for query in {queries}]"
            reading = describe_predicate(pred, f"{keys}[j]", f"{queries}[i]")
        else:
            self.helpers.add("_select")
            func = self._predicate_function(
                node, pred, f"{self.var[node.name]}_predicate"
            )
            expr = f"_select({keys}, {queries}, {func})"
            reading = f"{func}({keys}[j], {queries}[i])"
        if node.causal:
            self.helpers.add("_causal")
            expr, reading = f"_causal({expr})", f"{reading} and j <= i"
        self._assign(node, expr, f"{self.var[node.name]}[i][j] = {reading}")

    def _counts(self, node: Node) -> bool:
        """Whether ``node`` is a sum of the integer 1 over a fused select: a count."""
        return (
            isinstance(node, Aggregate)
            and node.reduce == "sum"
            and isinstance(sel := self.program[node.sel], Select)
            and self._fusable(sel)
            and isinstance(ones := self.program[node.values], Constant)
            and type(ones.value) is int
            and ones.value == 1
        )

    def _fusable(self, node: Select) -> bool:
        """Whether every reader of the select attends from its predicate directly (closest
        and sum aggregates, widths), so that the selector itself is never built."""
        return self._finite(node.keys, node.queries) and all(
            isinstance(user, SelectorWidth)
            or (isinstance(user, Aggregate) and user.reduce in ("closest", "sum"))
            for user in self.users.get(node.name, ())
        )

    def _fused_call(self, helper: str, sel: str, *args: str) -> str:
        """``helper(keys, queries, predicate, *args)`` for fused select ``sel``."""
        self.helpers.update(
            (helper, "_closest_orders") if helper == "_attend_closest" else (helper,)
        )
        keys, queries, func = self.fused[sel]
        causal = self.program[sel].causal
        return f"{helper}({', '.join((keys, queries, func, *args))}{', causal=True' * causal})"

    def _faithful_predicate(self, node: Select) -> Comparison | TablePredicate:
        """The node's predicate, as a table when Python's operator would disagree with the IR
        on the operands' values (``True == 1`` is true in Python, false in the IR)."""
        pred = node.predicate
        if not self._finite(node.keys, node.queries):
            if isinstance(pred, TablePredicate):
                raise TpcError(
                    f"python back end: select '{node.name}' has a table predicate over an "
                    "operand without a finite value set"
                )
            return pred
        keys = value_set(self.program[node.keys].type)
        queries = value_set(self.program[node.queries].type)
        if isinstance(pred, Comparison) and pred.python_agrees(keys, queries):
            return pred
        return TablePredicate(
            frozenset((q, k) for q in queries for k in keys if pred(k, q))
        )

    def _predicate_function(
        self, node: Select, pred: Comparison | TablePredicate, name: str
    ) -> str:
        """Define predicate function ``name`` (a comparison, or a table as grouped ``if``
        lines, one per group of query values), tabulated by its decorator; its name."""
        self.helpers.add("_selects_by_query")
        func = self.namer.name(name) if name not in self.var.values() else name
        types = [_annotation(self.program[n].type) for n in (node.keys, node.queries)]
        key_values = self._values_constant(node.keys)
        query_values = self._values_constant(node.queries)
        lines = [
            f"@_selects_by_query({key_values}, {query_values})",
            f"def {func}(key: {types[0]}, query: {types[1]}) -> bool:",
        ]
        if isinstance(pred, Comparison):
            self.defs.append(
                "\n".join([*lines, f"    return {describe_predicate(pred)}"])
            )
            return func
        keys = value_set(self.program[node.keys].type) or ()
        queries = value_set(self.program[node.queries].type) or ()
        body = _grouped_lines(group_table(pred), len(queries))
        best = comparison_rows(pred, keys, queries)
        if best is not None:  # the other query values as exceptions, then the comparison
            cmp, rows = best
            others = set(queries) - set(rows)
            rest = TablePredicate(frozenset(p for p in pred.pairs if p[0] in others))
            exceptions = group_table(rest)
            empty = sorted_values(others - {q for qs, _ in exceptions for q in qs})
            exceptions += [(tuple(empty), ())] if empty else []
            shorter = _grouped_lines(exceptions, -1, f"return {describe_predicate(cmp)}")
            body = min(body, shorter, key=len)
        lookup = _lookup_line(pred, keys, queries)
        if lookup is not None and len(body) > 1:
            body = [lookup]
        self.defs.append(self._data(None, "\n".join(lines + body)))
        return func

    def _emit_selector_op(self, node: SelectorOp) -> None:
        a = self.var[node.sels[0]]
        if node.op == "not":
            expr = f"[[not s for s in row] for row in {a}]"
        else:
            b = self.var[node.sels[1]]
            expr = f"[[x {node.op} y for x, y in zip(a, b)] for a, b in zip({a}, {b})]"
        self._assign(node, expr)

    def _emit_selector_width(self, node: SelectorWidth) -> None:
        if node.sel in self.fused:
            self._assign(node, self._fused_call("_count_selected", node.sel))
            return
        self._assign(node, f"[sum(row) for row in {self.var[node.sel]}]")

    def _emit_aggregate(self, node: Aggregate) -> None:
        sel, values = self.var[node.sel], self.var[node.values]
        if self._counts(node):
            self._assign(node, self._fused_call("_count_selected", node.sel))
            return
        if node.sel in self.fused:
            helper = {"closest": "_attend_closest", "sum": "_attend_sum"}[node.reduce]
            self._assign(node, self._fused_call(helper, node.sel, values))
            return
        if node.reduce == "closest":
            self.helpers.update(("_closest", "_closest_orders"))
            expr = f"_closest({sel}, {values})"
        elif node.reduce == "sum":
            self.helpers.add("_sum")
            expr = f"_sum({sel}, {values})"
        elif isinstance(node.type, Categorical):
            self.helpers.add("_mean_categorical")
            default = (
                "None" if node.default is None else self._literal(node)(node.default)
            )
            expr = f"_mean_categorical({sel}, {values}, {default}, {node.name!r})"
        else:
            self.helpers.add("_mean")
            default = 0.0 if node.default is None else float(node.default)
            expr = f"_mean({sel}, {values}, {render_value(default)})"
        self._assign(node, expr)

    def _emit_readout(self, node: Readout) -> None:
        self.helpers.add("_argmax")
        self.uses_n = True
        classes, allowed = self._global(node, "CLASSES"), self._global(node, "ALLOWED")
        bias = self._global(node, "BIAS")
        pooled = " averaged over the positions," if node.pooled else ""
        rows = contribution_rows(self.program, node)
        exact = rows is not None and sums_are_exact(node.bias, rows)
        numerical = "(tabulated per value)" if exact else "times its weights"
        defs = [
            f"# {self.var[node.name]}: logits = {bias} + the weight row of each categorical feature's value"
            f"\n# + each numerical feature {numerical}; the prediction is the allowed class"
            f"\n# with the highest logit{pooled} (the first one on ties)",
            f"{classes} = {_tuple(render_value(c) for c in node.classes)}",
            f"{allowed} = {_tuple(str(c) for c, ok in enumerate(node.mask) if ok)}",
            self._data(None, f"{bias} = {_floats(node.bias)}"),
        ]
        tables = []
        for feature, w in zip(node.features, rows if exact else node.weights):
            const = self._global(node, f"WEIGHTS_{self.var[feature].upper()}")
            if isinstance(w, dict):  # a row of logits per value
                rows_f = sorted(w.items(), key=lambda e: value_key(e[0]))
                body = dict_literal(
                    const, (f"{render_value(v)}: {_floats(r)}" for v, r in rows_f)
                )
                defs.append(self._data(None, body))
            else:  # logits per unit of the value
                defs.append(self._data(None, f"{const} = {_floats(w)}"))
            tables.append(const)
        logits = self.namer.name(f"{self.var[node.name]}_logits")
        if node.features:
            weights = self._global(node, "WEIGHTS_BY_FEATURE")
            defs.append(
                self._data(None, f"{weights} = {_packed_list(tables, indent=4)}")
            )
            helper = "_logits" if exact else "_logits_in_order"
            self.helpers.add(helper)
            features = _packed_list([self.var[f] for f in node.features])
            self.body.append(
                f"# {logits}[i] = {bias} + each feature's weights at position i"
                f"{'' if exact else ', in this order'}\n"
                f"# fmt: off\n{logits} = {helper}(\n    {bias},\n    {features},\n"
                f"    {weights},\n)\n# fmt: on"
            )
        else:
            self.body.append(f"{logits} = [list({bias})] * n")
        self.defs.append("\n".join(defs))
        if node.pooled:
            self.helpers.add("_mean_over_positions")
            expr = (
                f"[{classes}[_argmax(_mean_over_positions({logits}), {allowed})]] * n"
            )
        else:
            expr = f"[{classes}[_argmax(row, {allowed})] for row in {logits}]"
        self._assign(node, expr)


def _lookup_line(
    pred: TablePredicate, keys: Sequence[Value], queries: Sequence[Value]
) -> str | None:
    """``return key == {query: key, ...}.get(query, k)`` when every query value selects at
    most one key value (None for none, which no key equals; k, the most common, is left
    out of the dict), the line fits in :data:`TABLE_WIDTH` columns and Python's ``==``
    agrees with the IR on the keys; else None."""
    chosen: dict[Value, list[Value]] = {q: [] for q in queries}
    for q, k in pred.pairs:
        chosen.setdefault(q, []).append(k)
    if any(len(ks) > 1 for ks in chosen.values()) or not Comparison("EQ").python_agrees(
        keys, keys
    ):
        return None
    target = {q: ks[0] if ks else None for q, ks in chosen.items()}
    (common, count), *_ = Counter(tag(k) for k in target.values()).most_common(1)
    same = [q for q, k in target.items() if tag(k) == tag(q)]
    if len(same) > count and Comparison("EQ").python_agrees(keys, queries):
        default, left_out = ", query", {tag(q) for q in same}  # key == query but for a few
    else:  # common is the most frequent key's tag
        default = "" if common[1] is None else f", {render_value(common[1])}"
        left_out = {tag(q) for q, k in target.items() if tag(k) == common}
    entries = ", ".join(
        f"{render_value(q)}: {render_value(k)}"
        for q, k in sorted(target.items(), key=lambda e: value_key(e[0]))
        if tag(q) not in left_out
    )
    line = f"    return key == {{{entries}}}.get(query{default})"
    return line if len(line) <= TABLE_WIDTH else None


def _grouped_lines(groups: list, n_queries: int, last: str = "return False") -> list[str]:
    """A table predicate's body: ``if query in {...}: return key == v`` per group (an empty
    group returns False), then ``last``; when the groups cover all ``n_queries`` query
    values the final group's test is left out instead."""
    lines = []
    covered = sum(len(qs) for qs, _ in groups) == n_queries
    for n, (qs, ks) in enumerate(groups):
        if covered and n == len(groups) - 1:  # the query values no group above took
            return [*lines, f"    return {membership('key', ks)}"]
        test, then = f"    if {membership('query', qs)}:", f"return {membership('key', ks)}"
        fits = len(test) + 1 + len(then) <= TABLE_WIDTH
        lines += [f"{test} {then}"] if fits else [test, f"        {then}"]
    return [*lines, f"    {last}"]


def _annotation(t: Type) -> str:
    """The Python type of a node's values, for signatures."""
    values = value_set(t)
    if isinstance(t, Numerical):
        return "float"
    kinds = {type(v) for v in values}
    if len(kinds) == 1:
        return next(iter(kinds)).__name__
    return "float" if kinds <= {int, float} else "object"


def _fewest_runs(node: Map | SequenceMap, program: Program) -> tuple[int, dict] | None:
    """The table as runs along the numerical operand ``by`` that needs fewest of them:
    ``(by, {other operand's value (None for a Map): {start: output}})``, each row's runs
    over its entries in value order (a new run where the output changes). ``None`` when
    no operand is numerical (bools excluded)."""
    best = None
    for by, name in enumerate(node.inputs):
        t = program[name].type
        if not isinstance(t, Numerical) or any(
            isinstance(v, bool) for v in t.values or (True,)
        ):
            continue
        rows: dict = {}
        last: dict = {}  # the output of each row's latest run
        for key, out in _ordered_entries(node, by_second=by == 0):
            other, v = (None, key) if isinstance(node, Map) else (key[1 - by], key[by])
            if other not in last or last[other] != tag(out):
                rows.setdefault(other, {})[v] = out
                last[other] = tag(out)
        if best is None or sum(map(len, rows.values())) < sum(
            map(len, best[1].values())
        ):
            best = (by, rows)
    return best


def _ordered_entries(node: Map | SequenceMap, by_second: bool = False) -> list[tuple]:
    """The table's entries in value order (pairs by first, then second operand; by second,
    then first with ``by_second``). Each operand value is ranked once, not per entry."""
    if isinstance(node, Map):
        rank = _ranks(node.table)
        return sorted(node.table.items(), key=lambda e: rank[e[0]])
    rank_x, rank_y = _ranks(k[0] for k in node.table), _ranks(k[1] for k in node.table)
    if by_second:
        return sorted(node.table.items(), key=lambda e: (rank_y[e[0][1]], rank_x[e[0][0]]))
    return sorted(node.table.items(), key=lambda e: (rank_x[e[0][0]], rank_y[e[0][1]]))


def _ranks(values: Iterable[Value]) -> dict[Value, int]:
    """Each distinct value's position in value order (one operand's values never hold
    both ``True`` and ``1``, so they can key a dict)."""
    return {v: i for i, v in enumerate(sorted(set(values), key=value_key))}


def _packed_list(items: list[str], indent: int = 8, width: int = 88) -> str:
    """A list literal of ``items`` whose lines are indented ``indent`` (8: an argument of a
    call in ``run``): on one line if it fits in ``width`` columns, else packed into lines
    of at most that."""
    flat = f"[{', '.join(items)}]"
    if indent + len(flat) + 1 <= width:
        return flat
    lines, line = [], " " * indent
    for item in items:
        if len(line) + len(item) + 2 > width and line.strip():
            lines.append(line.rstrip())
            line = " " * indent
        line += f"{item}, "
    lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n" + " " * (indent - 4) + "]"


def _packed_tuple(items: list[str]) -> str:
    """A module-level tuple literal of ``items``, packed into lines as
    :func:`_packed_list` packs a list (one item: ``(item,)``)."""
    if len(items) == 1:
        return _tuple(items)
    return "(" + _packed_list(items, indent=4)[1:-1] + ")"


def _floats(row: Iterable[float]) -> str:
    return _tuple(render_value(float(x)) for x in row)


def _tuple(items: Iterable[str]) -> str:
    """A tuple literal of rendered items (no trailing comma unless it has one item)."""
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _indent(statements: list[str]) -> str:
    return "\n".join(
        "    " + line if line else line for s in statements for line in s.split("\n")
    )


def _text_constants(reading: TextReading) -> str:
    """The constants of a text program's raw-text reading (:mod:`tpc.ir.reading`)."""
    return (
        f"UNK = {render_value(reading.unk)}\n"
        "WORDS = _IN_VOCAB - {BOS, UNK}\n"
        f"LOWERCASE = {reading.lowercase}\nREPLACE_NUMBERS = {reading.replace_numbers}"
    )


def _text_functions(reading: TextReading, helpers: set[str]) -> list[str]:
    """A text program's ``run`` and ``run_batch`` on raw tokens (asking for the helpers
    they call)."""
    helper = "_tag_sentence" if reading.kind == "tagging" else "_classify_sentence"
    helpers.update(("_word", helper))
    if reading.kind == "tagging":
        signature, doc = "-> list[str]", (
            "One tag per raw token of a sentence (windows of MAX_LEN - 1 tokens)."
        )
    else:
        signature, doc = "-> str", (
            "The class of a sentence of raw tokens (its first MAX_LEN - 1 tokens)."
        )
    return [
        f"def run(tokens: list[str]) {signature}:\n"
        f'    """{doc}\n\n'
        "    tokens: the sentence's raw tokens; each is normalised as in training and\n"
        '    read as UNK unless it is one of WORDS."""\n'
        f"    return {helper}(tokens)",
        "def run_batch(batch: list[list[str]]) -> list:\n"
        '    """`run` on each sentence of `batch`."""\n'
        "    return [run(tokens) for tokens in batch]",
    ]


def _header(program: Program) -> str:
    """The module docstring: provenance, vocabulary, lengths and usage. Every line is
    printable text (:func:`~tpc.errors.printable`: no line breaks, NULs or other control
    characters from the program's metadata or tokens), with backslashes and triple
    quotes escaped."""
    meta = provenance(program.meta)
    title = program_title(program)
    specials = describe_specials(program)
    content = [t for t in program.vocab if t not in (program.bos, program.eos)][:1]
    example = [t for t in (program.bos, *content, program.eos) if t is not None]
    out = program.output_node
    lines = [
        f"{title}: emitted by tpc's Python back end from the program's IR.",
        "",
        *([*meta, ""] if meta else []),
        f"Vocabulary ({len(program.vocab)}): {summarize_values(program.vocab, 12)}",
        f"Maximum length: {program.max_len}"
        + (f" (counting {specials}: include them in the input)" if specials else ""),
        f"Output: node `{program.output}` ({out.kind}, values {_type_summary(out.type)})",
        "",
        *_usage(program, example),
        "Needs only the standard library. Generated code: edit the IR, not this file.",
    ]
    text = "\n".join(map(printable, lines)).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'"""{text}\n"""'


def _usage(program: Program, example: list[str]) -> list[str]:
    """The docstring's usage lines: the program on its inputs, or for a text program
    (:mod:`tpc.ir.reading`) on a sentence's raw tokens first."""
    reading = reading_of(program)
    if reading is None:
        return [
            "Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.",
            f"    run({example!r})",
        ]
    what = "one tag per token" if reading.kind == "tagging" else "the class name"
    rules = [
        "lowercased" if reading.lowercase else "",
        "digit runs as @" if reading.replace_numbers else "",
    ]
    how = ", ".join(r for r in rules if r) or "as they are"
    return [
        f"Learned on the corpus {reading.corpus} ({reading.kind}). Usage: run(tokens) takes",
        f"a sentence's raw tokens and gives {what}; run_batch(sentences) maps run.",
        f"Tokens are read {how}; a word outside the vocabulary reads as {reading.unk}.",
        (
            f"Sentences longer than {program.max_len - 1} tokens are tagged in windows of"
            f" {program.max_len - 1}."
            if reading.kind == "tagging"
            else f"Only a sentence's first {program.max_len - 1} tokens are read."
        ),
        "run_program(inputs) runs the program itself on BOS + vocabulary words.",
    ]


def _type_summary(t: Type) -> str:
    values = value_set(t)
    return (
        "unbounded numbers" if values is None else "{" + summarize_values(values) + "}"
    )


def code_lines(source: str) -> int:
    """Lines of an emitted module that hold code: not blank, not only a comment, not in a
    docstring and not in the readout's weight tables (``*_BIAS``, ``*_WEIGHTS_*``), which
    the reference implementation keeps in a CSV file outside its programs. This is how
    ``programs/README.md`` compares program sizes with the paper's Table 4."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            doc = body[0].value
            if isinstance(doc, ast.Constant) and isinstance(doc.value, str):
                skipped.update(range(doc.lineno, doc.end_lineno + 1))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and (t.id.endswith("_BIAS") or "_WEIGHTS_" in t.id)
            for t in node.targets
        ):
            skipped.update(range(node.lineno, node.end_lineno + 1))
    code: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
        ):
            if tok.type not in (tokenize.DEDENT, tokenize.ENDMARKER):
                code.update(range(tok.start[0], tok.end[0] + 1))
    return len(code - skipped)
