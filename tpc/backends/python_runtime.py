"""The runtime of the Python back end's modules, as real code: the support functions an
emitted module may need (closest-match attention, means, lookups, the readout, and for a
program learned on a corpus the reading of raw text).

:mod:`tpc.backends.python` copies the source of each function a program uses into the
module it writes (:data:`HELPERS`, in this order), so that emitted modules stay
standalone and import nothing from tpc; the standard-library imports a helper needs are
:data:`IMPORTS`. Here they are linted and tested like the rest of tpc. They read the
emitted module's constants (``VOCAB``, ``MAX_LEN``, ...), which are placeholders here.
The text-reading helpers copy :func:`tpc.tasks.text.normalize` and
:func:`~tpc.tasks.text.window_starts` too, so an emitted program reads raw text by the
very rules its training run did.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from itertools import compress

from tpc.tasks.text import normalize, window_starts

#: Placeholders for the emitted module's own constants (``_IN_VOCAB`` is ``VOCAB`` as a
#: set; the rest are a text program's: :mod:`tpc.ir.reading`).
VOCAB: tuple[str, ...] = ()
_IN_VOCAB: frozenset[str] = frozenset()
MAX_LEN = 0
BOS = ""
UNK = ""
WORDS: frozenset[str] = frozenset()
LOWERCASE = False
REPLACE_NUMBERS = False


def run_program(tokens: list[str]) -> list:
    """Placeholder for a text program's ``run_program``."""
    return []


def _check_input(tokens):
    """Raise ValueError unless every token is in VOCAB and the input fits in MAX_LEN."""
    if len(tokens) > MAX_LEN:
        raise ValueError(f"{len(tokens)} tokens; the program takes at most {MAX_LEN}")
    if not _IN_VOCAB.issuperset(tokens):
        i, token = next((i, t) for i, t in enumerate(tokens) if t not in _IN_VOCAB)
        raise ValueError(f"unknown token {token!r} at position {i}: not in VOCAB")


def _word(token):
    """The word of the program's vocabulary that a raw token reads as: the token
    normalised as in training (LOWERCASE, REPLACE_NUMBERS), or UNK if that is not one of
    WORDS."""
    word = normalize(token, LOWERCASE, REPLACE_NUMBERS)
    return word if word in WORDS else UNK


def _tag_sentence(tokens):
    """One tag per raw token: the words are cut into windows of MAX_LEN - 1, each run as
    [BOS, *window], and the tags of all windows joined (none for no tokens)."""
    words = [_word(token) for token in tokens]
    width = MAX_LEN - 1
    tags = []
    for lo in window_starts(len(words), width):
        tags += run_program([BOS, *words[lo : lo + width]])[1:]
    return tags


def _classify_sentence(tokens):
    """The class of a sentence: run_program on [BOS, *first MAX_LEN - 1 words]; a pooled
    readout gives the class at every position, position 0's is read."""
    words = [_word(token) for token in tokens]
    return run_program([BOS, *words[: MAX_LEN - 1]])[0]


def _selects_by_query(keys, queries):
    """Decorator: tabulates predicate(key, query) as {query value: the key values it selects}."""
    return lambda predicate: {q: {k for k in keys if predicate(k, q)} for q in queries}


def _select(keys, queries, selects):
    """Selector rows: query i selects key j iff keys[j] is in selects[queries[i]]."""
    return [list(map(selects[query].__contains__, keys)) for query in queries]


def _causal(selector):
    """The selector with query i keeping only keys j <= i."""
    return [row[: i + 1] + [False] * (len(row) - i - 1) for i, row in enumerate(selector)]


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


def _check_members(values, allowed, node):
    """Raise ValueError unless every value is in `allowed`, the value set of the IR node
    `node` (a sum or mean can reach a value its declared value set leaves out)."""
    for v in values:
        if v not in allowed:
            raise ValueError(f"node {node!r} took the value {v!r}, outside its value set")


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


def _attend_closest(keys, queries, selects, values, causal=False):
    """Closest-match attention where query i selects key j iff keys[j] is in
    selects[queries[i]] (and j <= i if causal): query i reads the value at the selected
    key j != i nearest to i (the earlier one on ties), at i itself when only i is
    selected, and at position 0 (BOS) when nothing is."""
    out = []
    for query, order in zip(queries, _closest_orders(len(keys), causal)):
        chosen = selects[query]
        for j in order:
            if keys[j] in chosen:
                out.append(values[j])
                break
        else:
            out.append(values[0])
    return out


@cache
def _closest_orders(n, causal=False):
    """For each query position i < n, the key positions by preference: by distance to i,
    then position; i itself last (only positions j <= i if causal)."""
    return [
        sorted(range(i + 1 if causal else n), key=lambda j: (j == i, abs(i - j), j))
        for i in range(n)
    ]


def _sum(selector, values):
    """The sum of the selected values for each query (0 where nothing is selected)."""
    return [sum([v for v, s in zip(values, row) if s]) for row in selector]


def _attend_sum(keys, queries, selects, values, causal=False):
    """For each query i, the sum of values[j] over the keys j with keys[j] in
    selects[queries[i]] (and j <= i if causal); 0 where there are none."""
    return [
        sum(compress(values, map(selects[q].__contains__, keys[: i + 1] if causal else keys)))
        for i, q in enumerate(queries)
    ]


def _count_selected(keys, queries, selects, causal=False):
    """For each query i, the number of keys j with keys[j] in selects[queries[i]] (and
    j <= i if causal)."""
    return [
        sum(map(selects[q].__contains__, keys[: i + 1] if causal else keys))
        for i, q in enumerate(queries)
    ]


def _mean(selector, values, default):
    """Numerical mean of the selected values; `default` where nothing is selected."""
    out = []
    for row in selector:
        chosen = [v for v, s in zip(values, row) if s]
        out.append(sum(chosen) / len(chosen) if chosen else default)
    return out


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


def _runs(starts):
    """{start: output} -> (starts, outputs), sorted by start, for `_in_run`."""
    return tuple(starts), tuple(starts.values())


def _in_run(runs, value):
    """The output of the last run in `runs` that starts at or before `value`."""
    starts, outputs = runs
    return outputs[bisect_right(starts, value) - 1]


def _argmax(scores, allowed):
    """The index in `allowed` with the highest score, the first one on ties."""
    return max(allowed, key=scores.__getitem__)


def _logits(bias, features, weights):
    """Per position, the bias plus the weight row of each feature's value. Every such sum
    is exact in float64 (checked when this module was written), so the order in which
    `sum` adds them cannot change the result."""
    return [
        [sum(column) for column in zip(bias, *map(dict.__getitem__, weights, values))]
        for values in zip(*features)
    ]


def _logits_in_order(bias, features, weights):
    """Per position, the bias plus each feature's contribution in order: the row of its
    value (a dict of rows) or its value times the weights (a tuple)."""
    out = []
    for values in zip(*features):
        row = list(bias)
        for v, w in zip(values, weights):
            add = w[v] if isinstance(w, dict) else [v * x for x in w]
            row = [a + b for a, b in zip(row, add)]
        out.append(row)
    return out


def _mean_over_positions(logits):
    """Each class's logit averaged over the positions (summed in position order)."""
    totals = logits[0]
    for row in logits[1:]:
        totals = [t + x for t, x in zip(totals, row)]
    return [t / len(logits) for t in totals]


#: Helper name (what the emitter asks for) → the functions it copies in, in this order.
HELPERS: dict[str, tuple[Callable, ...]] = {
    "_check_input": (_check_input,),
    "_selects_by_query": (_selects_by_query,),
    "_select": (_select,),
    "_causal": (_causal,),
    "_snap": (_snap,),
    "_check_members": (_check_members,),
    "_closest": (_closest,),
    "_attend_closest": (_attend_closest,),
    "_closest_orders": (_closest_orders,),
    "_sum": (_sum,),
    "_attend_sum": (_attend_sum,),
    "_count_selected": (_count_selected,),
    "_mean": (_mean,),
    "_mean_categorical": (_mean_categorical,),
    "_runs": (_runs, _in_run),
    "_argmax": (_argmax,),
    "_logits": (_logits,),
    "_logits_in_order": (_logits_in_order,),
    "_mean_over_positions": (_mean_over_positions,),
    "_word": (normalize, _word),
    "_tag_sentence": (window_starts, _tag_sentence),
    "_classify_sentence": (_classify_sentence,),
}

#: Standard-library imports a helper needs, emitted with it.
IMPORTS: dict[str, str] = {
    "_attend_sum": "from itertools import compress",
    "_closest_orders": "from functools import cache",
    "_runs": "from bisect import bisect_right",
    "_word": "import re",
}
