"""Python back end: a program as one standalone, black-formatted module (DESIGN §5).

The module needs only the standard library and exposes ``run(tokens)``, ``run_batch``,
``VOCAB``, ``MAX_LEN``, ``BOS`` and ``EOS``. ``run`` computes one variable per node that
the output depends on, in the program's order: a sequence is a list of values, a selector
a list of boolean rows (``sel[i][j]``: query i selects key j). Tables, predicates and
readout weights are module-level literals; named comparisons are written inline
(``key < query``), table predicates as grouped ``if query in {...}: return key == v``
chains, tabulated once at import into ``NAME_SELECTS[query]`` = the key values selected.
The module agrees with :mod:`tpc.ir.interp` on every input the interpreter accepts;
where the interpreter raises ``EvalError`` the module raises ``ValueError``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable

import black

from tpc.backends.common import (
    Namer,
    describe_predicate,
    describe_specials,
    dict_literal,
    group_table,
    live_nodes,
    membership,
    render_set,
    render_value,
    summarize_values,
)
from tpc.errors import TpcError
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
from tpc.ir.types import Categorical, Numerical, Type, Value, value_key, value_set

#: Support functions of the emitted module, emitted only when used, in this order.
_HELPERS: dict[str, str] = {
    "_check_input": '''
def _check_input(tokens):
    """Raise ValueError unless every token is in VOCAB and the input fits in MAX_LEN."""
    if len(tokens) > MAX_LEN:
        raise ValueError(
            f"the input has {len(tokens)} tokens; the program takes at most {MAX_LEN}"
        )
    if not _VOCAB_SET.issuperset(tokens):
        i, token = next((i, t) for i, t in enumerate(tokens) if t not in _VOCAB_SET)
        shown = ", ".join(VOCAB[:20]) + (", ..." if len(VOCAB) > 20 else "")
        raise ValueError(f"unknown token {token!r} at position {i}; vocabulary: {shown}")


_VOCAB_SET = frozenset(VOCAB)
''',
    "_selects_by_query": '''
def _selects_by_query(predicate, keys, queries):
    """Tabulate predicate(key, query): each query value -> the set of key values it selects."""
    return {query: {key for key in keys if predicate(key, query)} for query in queries}
''',
    "_select": '''
def _select(keys, queries, selects):
    """Selector rows: query i selects key j iff keys[j] is in selects[queries[i]]."""
    return [list(map(selects[query].__contains__, keys)) for query in queries]
''',
    "_causal": '''
def _causal(selector):
    """The selector with query i keeping only keys j <= i."""
    return [row[: i + 1] + [False] * (len(row) - i - 1) for i, row in enumerate(selector)]
''',
    "_snap": '''
def _snap(values, allowed):
    """Numerical values as members of their value set `allowed`: float sums and means can
    miss the exact member by rounding (tolerance 1e-9, as tpc's interpreter)."""
    out = []
    for v in values:
        if v not in allowed:
            nearest = min(allowed, key=lambda a: abs(a - v))
            if abs(nearest - v) > 1e-9 * (1 + abs(v)):
                raise ValueError(f"the value {v!r} is outside its node's value set")
            v = nearest
        out.append(v)
    return out
''',
    "_closest": '''
def _closest(selector, values):
    """Closest-match attention: query i reads the value at the selected key j != i nearest
    to i (the earlier one on ties), at i itself when only i is selected, and at position 0
    (BOS) when nothing is."""
    out = []
    for row, order in zip(selector, _closest_orders(len(values))):
        for j in order:
            if row[j]:
                out.append(values[j])
                break
        else:
            out.append(values[0])
    return out


_CLOSEST_ORDERS = {}


def _closest_orders(n):
    """For each query position i < n, the key positions by preference: by distance to i,
    then position; i itself last."""
    if n not in _CLOSEST_ORDERS:
        _CLOSEST_ORDERS[n] = [
            sorted(range(n), key=lambda j: (j == i, abs(i - j), j)) for i in range(n)
        ]
    return _CLOSEST_ORDERS[n]
''',
    "_mean": '''
def _mean(selector, values, default):
    """Numerical mean of the selected values; `default` where nothing is selected."""
    out = []
    for row in selector:
        chosen = [v for v, s in zip(values, row) if s]
        out.append(sum(chosen) / len(chosen) if chosen else default)
    return out
''',
    "_mean_categorical": '''
def _mean_categorical(selector, values, default, node):
    """Mean over categorical values: the value of the one selected key, `default` where
    nothing is selected; undefined (ValueError) for several keys, or none without default."""
    out = []
    for i, row in enumerate(selector):
        chosen = [v for v, s in zip(values, row) if s]
        if len(chosen) == 1:
            out.append(chosen[0])
        elif not chosen and default is not None:
            out.append(default)
        else:
            raise ValueError(
                f"node {node!r}: a categorical mean selected {len(chosen)} keys at query "
                f"position {i}; it is defined for one (or none, with a default)"
            )
    return out
''',
    "_argmax": '''
def _argmax(scores, allowed):
    """The index in `allowed` with the highest score, the first one on ties."""
    return max(allowed, key=scores.__getitem__)
''',
    "_mean_over_positions": '''
def _mean_over_positions(logits):
    """Each class's logit averaged over the positions (summed in position order)."""
    totals = logits[0]
    for row in logits[1:]:
        totals = [t + x for t, x in zip(totals, row)]
    return [t / len(logits) for t in totals]
''',
}

#: Names in ``run``'s scope besides node variables: helpers, API, comprehension variables.
_FIXED_NAMES = (
    *_HELPERS,
    "_VOCAB_SET",
    "_CLOSEST_ORDERS",
    "_closest_orders",
    "run",
    "run_batch",
    "VOCAB",
    "MAX_LEN",
    "BOS",
    "EOS",
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
    for placeholder, table in emitter.tables.items():
        source = source.replace(placeholder, table, 1)
    return source


class _Emitter:
    """Collects the module's definitions and ``run``'s statements, node by node."""

    def __init__(self, program: Program):
        self.program = program
        self.nodes = live_nodes(program)
        width = max((len(n.features) for n in self.nodes if isinstance(n, Readout)), default=0)
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
        self.lookup_var = dict(self.var)  # the variable lookups read (snapped numerical values)
        self.value_sets: dict[str, str] = {"tokens": "VOCAB", "indices": "range(MAX_LEN)"}
        self.defs: list[str] = []
        self.body: list[str] = []
        self.helpers: set[str] = {"_check_input"}
        self.uses_n = False
        self.tables: dict[str, str] = {}  # placeholder line -> data table text

    # ---- module -----------------------------------------------------------------------------

    def _data(self, comment: str | None, literal: str) -> str:
        """A data table kept compact between ``# fmt: off/on``; the module holds a placeholder
        line until it has been formatted (see :func:`emit_python`)."""
        placeholder = f"_TPC_TABLE_{len(self.tables)} = None"
        self.tables[placeholder] = f"# fmt: off\n{literal}\n# fmt: on"
        return f"{comment}\n{placeholder}" if comment else placeholder

    def module(self) -> str:
        inexact = self._inexact_lookup_operands()
        for node in self.nodes:
            handler = getattr(self, "_emit_" + node.kind, None)
            if handler is None:
                raise TpcError(
                    f"python back end: node '{node.name}' is a {node.kind}, which it cannot emit"
                )
            handler(node)
            if node.name in inexact:
                self._snap(node)
        prog = self.program
        out = self.var[prog.output]
        run_body = ["_check_input(tokens)", "if not tokens:\n    return []"]
        run_body += ["n = len(tokens)"] if self.uses_n else []
        run_body += [*self.body, f"return {'list(tokens)' if out == 'tokens' else out}"]
        run_doc = (
            f'"""The value of node `{prog.output}` at each position of `tokens`.\n\n'
            'tokens: a list of VOCAB tokens, at most MAX_LEN of them.\n"""'
        )
        run_src = "def run(tokens: list[str]) -> list:\n" + _indent([run_doc, *run_body])
        batch_src = (
            "def run_batch(batch: list[list[str]]) -> list[list]:\n"
            '    """`run` on each input of `batch`."""\n'
            "    return [run(tokens) for tokens in batch]"
        )
        constants = (
            f"VOCAB = {_tuple(render_value(t) for t in prog.vocab)}\n"
            f"MAX_LEN = {prog.max_len}\nBOS = {render_value(prog.bos)}\n"
            f"EOS = {render_value(prog.eos)}"
        )
        helpers = [_HELPERS[h].strip() for h in _HELPERS if h in self.helpers]
        parts = [_header(prog), constants, *helpers, *self.defs, run_src, batch_src]
        return "\n\n\n".join(parts) + "\n"

    def _inexact_lookup_operands(self) -> set[str]:
        """Numerical nodes read by lookups whose computed values may miss their value set
        by rounding (non-integer values: sums and means of fractions)."""
        names: set[str] = set()
        for node in self.nodes:
            if isinstance(node, (Map, SequenceMap)):
                names.update(node.inputs)
            elif isinstance(node, Select) and self._finite(node.keys, node.queries):
                names.update(node.inputs)
        return {
            name
            for name in names
            if isinstance(self.program[name].type, Numerical)
            and not all(float(v).is_integer() for v in self.program[name].type.values)
        }

    def _finite(self, *names: str) -> bool:
        return all(value_set(self.program[name].type) is not None for name in names)

    def _global(self, node: Node, suffix: str) -> str:
        return self.namer.name(f"{self.var[node.name].upper()}_{suffix}")

    def _values_constant(self, name: str) -> str:
        """A module constant holding node ``name``'s value set (a set literal)."""
        if name not in self.value_sets:
            node = self.program[name]
            const = self._global(node, "VALUES")
            self.defs.append(f"{const} = {render_set(value_set(node.type))}")
            self.value_sets[name] = const
        return self.value_sets[name]

    def _assign(self, node: Node, expr: str, comment: str | None = None) -> None:
        """``var = expr`` in ``run``, after the comment and a note if the node was renamed."""
        var = self.var[node.name]
        notes = [f"# {var} is the IR node '{node.name}'"] * (var != node.name)
        notes += [f"# {comment}"] * (comment is not None)
        self.body.append("\n".join([*notes, f"{var} = {expr}"]))

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
        self.uses_n = True
        self._assign(node, f"[{self._literal(node)(node.value)}] * n")

    def _emit_map(self, node: Map) -> None:
        table = self._global(node, "TABLE")
        entries = sorted(node.table.items(), key=lambda e: value_key(e[0]))
        literal = self._literal(node)
        body = dict_literal(table, (f"{render_value(k)}: {literal(v)}" for k, v in entries))
        form = f", i.e. {node.form}" if node.form else ""
        self.defs.append(
            self._data(f"# {self.var[node.name]} = {table}[{self.var[node.x]}]{form}", body)
        )
        self._assign(node, f"[{table}[x] for x in {self.lookup_var[node.x]}]")

    def _emit_sequence_map(self, node: SequenceMap) -> None:
        table = self._global(node, "TABLE")
        entries = sorted(node.table.items(), key=lambda e: (value_key(e[0][0]), value_key(e[0][1])))
        literal = self._literal(node)
        body = dict_literal(
            table,
            (f"({render_value(x)}, {render_value(y)}): {literal(v)}" for (x, y), v in entries),
        )
        form = f", i.e. {node.form}" if node.form else ""
        operands = f"{self.var[node.x]}, {self.var[node.y]}"
        self.defs.append(self._data(f"# {self.var[node.name]} = {table}[{operands}]{form}", body))
        x, y = self.lookup_var[node.x], self.lookup_var[node.y]
        self._assign(node, f"[{table}[x, y] for x, y in zip({x}, {y})]")

    def _emit_select(self, node: Select) -> None:
        pred = self._faithful_predicate(node)
        keys, queries = self.lookup_var[node.keys], self.lookup_var[node.queries]
        if isinstance(pred, Comparison):
            expr = f"[[{describe_predicate(pred)} for key in {keys}] for query in {queries}]"
            reading = describe_predicate(pred, f"{keys}[j]", f"{queries}[i]")
        else:
            self.helpers.add("_select")
            selects, func = self._table_predicate(node, pred)
            expr = f"_select({keys}, {queries}, {selects})"
            reading = f"{func}({keys}[j], {queries}[i])"
        if node.causal:
            self.helpers.add("_causal")
            expr, reading = f"_causal({expr})", f"{reading} and j <= i"
        self._assign(node, expr, f"{self.var[node.name]}[i][j] = {reading}")

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
        return TablePredicate(frozenset((q, k) for q in queries for k in keys if pred(k, q)))

    def _table_predicate(self, node: Select, pred: TablePredicate) -> tuple[str, str]:
        """Define the grouped predicate function and its tabulation; return both names."""
        self.helpers.add("_selects_by_query")
        func = self.namer.name(f"{self.var[node.name]}_predicate")
        selects = self._global(node, "SELECTS")
        types = [_annotation(self.program[name].type) for name in (node.keys, node.queries)]
        lines = [
            f"def {func}(key: {types[0]}, query: {types[1]}) -> bool:",
            f'    """Query i of {self.var[node.name]} selects key j iff '
            f'{func}({self.var[node.keys]}[j], {self.var[node.queries]}[i])."""',
        ]
        for qs, ks in group_table(pred):
            lines += [
                f"    if {membership('query', qs)}:",
                f"        return {membership('key', ks)}",
            ]
        lines.append("    return False")
        key_values = self._values_constant(node.keys)
        query_values = self._values_constant(node.queries)
        self.defs.append(
            "\n".join(lines)
            + f"\n\n\n{selects} = _selects_by_query({func}, {key_values}, {query_values})"
        )
        return selects, func

    def _emit_selector_op(self, node: SelectorOp) -> None:
        a = self.var[node.sels[0]]
        if node.op == "not":
            expr = f"[[not s for s in row] for row in {a}]"
        else:
            b = self.var[node.sels[1]]
            expr = f"[[x {node.op} y for x, y in zip(a, b)] for a, b in zip({a}, {b})]"
        self._assign(node, expr)

    def _emit_selector_width(self, node: SelectorWidth) -> None:
        self._assign(node, f"[sum(row) for row in {self.var[node.sel]}]")

    def _emit_aggregate(self, node: Aggregate) -> None:
        sel, values = self.var[node.sel], self.var[node.values]
        if node.reduce == "closest":
            self.helpers.add("_closest")
            expr = f"_closest({sel}, {values})"
        elif node.reduce == "sum":
            expr = f"[sum([v for v, s in zip({values}, row) if s]) for row in {sel}]"
        elif isinstance(node.type, Categorical):
            self.helpers.add("_mean_categorical")
            default = "None" if node.default is None else self._literal(node)(node.default)
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
        defs = [
            f"# {self.var[node.name]}: logits = {bias} + the weight row of each categorical feature's value"
            "\n# + each numerical feature times its weights; the prediction is the allowed class"
            f"\n# with the highest logit{pooled} (the first one on ties)",
            f"{classes} = {_tuple(render_value(c) for c in node.classes)}",
            f"{allowed} = {_tuple(str(c) for c, ok in enumerate(node.mask) if ok)}",
            f"{bias} = {_floats(node.bias)}",
        ]
        terms, zipped = ["b"], [bias]
        for k, (feature, w) in enumerate(zip(node.features, node.weights)):
            const = self._global(node, f"WEIGHTS_{self.var[feature].upper()}")
            if isinstance(w, dict):  # a row of logits per value
                rows = sorted(w.items(), key=lambda e: value_key(e[0]))
                body = dict_literal(const, (f"{render_value(v)}: {_floats(r)}" for v, r in rows))
                defs.append(self._data(None, body))
                terms.append(f"w{k}")
                zipped.append(f"{const}[f{k}]")
            else:  # logits per unit of the value
                defs.append(f"{const} = {_floats(w)}")
                terms.append(f"f{k} * w{k}")
                zipped.append(const)
        self.defs.append("\n".join(defs))
        # per position, per class: bias + the features' terms, added in feature order
        weights = ", ".join(["b", *(f"w{k}" for k in range(len(node.features)))])
        per_class = f"[{' + '.join(terms)} for {weights} in zip({', '.join(zipped)})]"
        features = [self.var[f] for f in node.features]
        if len(features) > 1:
            values = ", ".join(f"f{k}" for k in range(len(features)))
            logits = f"[{per_class} for {values} in zip({', '.join(features)})]"
        elif features:
            logits = f"[{per_class} for f0 in {features[0]}]"
        else:
            logits = f"[list({bias})] * n"
        if node.pooled:
            self.helpers.add("_mean_over_positions")
            expr = f"[{classes}[_argmax(_mean_over_positions({logits}), {allowed})]] * n"
        else:
            expr = f"[{classes}[_argmax(logits, {allowed})] for logits in {logits}]"
        self._assign(node, expr)


def _annotation(t: Type) -> str:
    """The Python type of a node's values, for signatures."""
    values = value_set(t)
    if isinstance(t, Numerical):
        return "float"
    kinds = {type(v) for v in values}
    if len(kinds) == 1:
        return next(iter(kinds)).__name__
    return "float" if kinds <= {int, float} else "object"


def _floats(row: Iterable[float]) -> str:
    return _tuple(render_value(float(x)) for x in row)


def _tuple(items: Iterable[str]) -> str:
    """A tuple literal of rendered items (no trailing comma unless it has one item)."""
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _indent(statements: list[str]) -> str:
    return "\n".join("    " + line if line else line for s in statements for line in s.split("\n"))


def _header(program: Program) -> str:
    """The module docstring: provenance, vocabulary, lengths and usage."""
    meta = _flatten(program.meta)
    title = str(program.meta.get("name") or program.meta.get("task") or "program")
    specials = describe_specials(program)
    content = [t for t in program.vocab if t not in (program.bos, program.eos)][:1]
    example = [t for t in (program.bos, *content, program.eos) if t is not None]
    out = program.output_node
    lines = [
        f"{title}: emitted by tpc's Python back end from the program's IR.",
        "",
        *(["Provenance:", *(f"    {k}: {v}" for k, v in meta), ""] if meta else []),
        f"Vocabulary ({len(program.vocab)}): {summarize_values(program.vocab, 12)}",
        f"Maximum length: {program.max_len}"
        + (f" (counting {specials}: include them in the input)" if specials else ""),
        f"Output: node `{program.output}` ({out.kind}, values {_type_summary(out.type)})",
        "",
        "Usage: run(tokens) gives one output per position; run_batch(inputs) maps run.",
        f"    run({example!r})",
        "Needs only the standard library. Generated code: edit the IR, not this file.",
    ]
    text = "\n".join(lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'"""{text}\n"""'


def _type_summary(t: Type) -> str:
    values = value_set(t)
    return "unbounded numbers" if values is None else "{" + summarize_values(values) + "}"


def _flatten(meta: dict, prefix: str = "") -> list[tuple[str, str]]:
    """``meta`` as sorted ``dotted.key: value`` lines; absolute paths reduced to their last part."""
    lines: list[tuple[str, str]] = []
    for key in sorted(meta, key=str):
        value = meta[key]
        if isinstance(value, dict) and value:
            lines += _flatten(value, f"{prefix}{key}.")
            continue
        if isinstance(value, str) and (os.path.isabs(value) or value.startswith("~")):
            value = "…/" + os.path.basename(value.rstrip("/\\"))
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        lines.append((f"{prefix}{key}", " ".join(str(shown).split())))
    return lines
