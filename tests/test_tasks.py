"""Tests for tpc.tasks against independent definitions written out here."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from tpc.tasks import (
    BOS,
    EOS,
    PAD,
    TASKS,
    UNK,
    Dataset,
    TaskError,
    decode,
    encode,
    get_task,
    make_dataset,
    split_sizes,
)

ALL = list(TASKS)
# small configurations where exhaustive checks are cheap
SMALL = {
    "reverse": (6, 6),
    "hist": (5, 6),
    "double_hist": (5, 6),
    "sort": (6, 6),
    "most_freq": (5, 6),
    "dyck1": (16, 8),
    "dyck2": (16, 6),
    "induction": (6, 8),
}


def content(tokens: list[str]) -> list[str]:
    end = len(tokens) - (tokens[-1] == EOS)
    return tokens[1:end]


# ---- independent reference definitions ---------------------------------------------


def dyck_ref(tokens: list[str]) -> list[str]:
    """P/T/F by reduction: cancel adjacent matched pairs until none are left."""
    out = [PAD]
    for i in range(1, len(tokens)):
        s = "".join(tokens[1 : i + 1])
        while "()" in s or "{}" in s:
            s = s.replace("()", "").replace("{}", "")
        out.append("T" if not s else "P" if set(s) <= {"(", "{"} else "F")
    return out


def induction_ref(tokens: list[str]) -> list[str]:
    out = []
    for i, tok in enumerate(tokens):
        if i == 0 or tok.isdigit():
            out.append(PAD)
            continue
        earlier = [j for j in range(1, i - 1) if tokens[j] == tok]
        out.append(tokens[earlier[-1] + 1] if earlier else UNK)
    return out


def induction_valid_ref(tokens: list[str], size: int) -> bool:
    """Alternating letters/numbers (either a leading number or a trailing letter) with a
    consistent letter -> number map."""
    letters = "abcdefghijklmnopqrstuvwxyz"[:size]
    numbers = [str(i) for i in range(size)]
    body = tokens[1:]
    if body and body[0] in numbers:
        lead, body = body[:1], body[1:]
    else:
        lead = []
    if not lead:
        if not body or body[-1] not in letters:
            return False
        body = body[:-1]
    if len(body) % 2:
        return False
    pairs = list(zip(body[::2], body[1::2]))
    seen: dict[str, str] = {}
    for letter, number in pairs:
        if letter not in letters or number not in numbers:
            return False
        if seen.setdefault(letter, number) != number:
            return False
    return True


# ---- hand-checked examples ---------------------------------------------------------

HAND = [
    ("reverse", [BOS, "1", "2", "3", EOS], [PAD, "3", "2", "1", PAD]),
    ("reverse", [BOS, "4", EOS], [PAD, "4", PAD]),
    ("sort", [BOS, "3", "1", "4", "1", EOS], [PAD, "1", "1", "3", "4", PAD]),
    ("hist", [BOS, "1", "2", "1"], [PAD, "2", "1", "2"]),
    ("hist", [BOS, "5", "5", "5", "0"], [PAD, "3", "3", "3", "1"]),
    ("double_hist", [BOS, "1", "1", "2", "3"], [PAD, "1", "1", "2", "2"]),
    ("double_hist", [BOS, "0", "1", "2"], [PAD, "3", "3", "3"]),
    ("most_freq", [BOS, "2", "1", "1", "3", "2", "1"], [PAD, "1", "2", "3", BOS, BOS, BOS]),
    ("most_freq", [BOS, "3", "0", "0", "3"], [PAD, "3", "0", BOS, BOS]),
    ("most_freq", [BOS, "4"], [PAD, "4"]),
    ("dyck1", [BOS, "(", ")", ")", "("], [PAD, "P", "T", "F", "F"]),
    ("dyck1", [BOS, "(", "(", ")", ")"], [PAD, "P", "P", "P", "T"]),
    ("dyck2", [BOS, "(", "{", "}", ")", "{", ")"], [PAD, "P", "P", "P", "T", "P", "F"]),
    (
        "induction",
        [BOS, "a", "1", "b", "2", "a", "1", "c", "3", "b"],
        [PAD, UNK, PAD, UNK, PAD, "1", PAD, UNK, PAD, "2"],
    ),
    (
        "induction",
        [BOS, "2", "a", "0", "a", "0", "b", "1", "b", "1"],
        [PAD, PAD, UNK, PAD, "0", PAD, UNK, PAD, "1", PAD],
    ),
]


@pytest.mark.parametrize("name,tokens,expected", HAND)
def test_hand_examples(name, tokens, expected):
    task = get_task(name)
    assert task.label(tokens) == expected
    # dyck inputs have a fixed length (n - 1 brackets); these short ones are not valid
    assert task.is_valid(tokens, task.default_k, task.default_n) == (not name.startswith("dyck"))


def test_vocabularies():
    assert get_task("sort").symbols(8) == ["0", "1", "2", "3", "4"]
    assert get_task("hist").symbols(8) == ["0", "1", "2", "3", "4", "5"]
    assert get_task("reverse").input_vocab(8) == [PAD, BOS, EOS, "0", "1", "2", "3", "4"]
    assert get_task("hist").output_vocab(8, 8) == [PAD, "1", "2", "3", "4", "5", "6", "7"]
    assert get_task("double_hist").output_vocab(8, 8) == [PAD, "1", "2", "3", "4", "5", "6"]
    assert get_task("most_freq").output_vocab(8, 8)[:2] == [PAD, BOS]
    assert get_task("dyck1").input_vocab(16) == [PAD, BOS, "(", ")"]
    assert get_task("dyck2").symbols(16) == ["(", ")", "{", "}"]
    assert set(get_task("dyck2").output_vocab(16, 16)) == {PAD, "P", "T", "F"}
    ind = get_task("induction")
    assert ind.input_vocab(10) == [PAD, BOS, "a", "b", "c", "d", "0", "1", "2", "3"]
    assert ind.output_vocab(10, 10) == [PAD, UNK, "0", "1", "2", "3"]
    for name in ALL:
        task = get_task(name)
        if not name.startswith("dyck"):
            assert len(task.input_vocab(task.default_k)) == task.default_k
        assert task.output_vocab(task.default_k, task.default_n)[0] == PAD
    assert [TASKS[n].causal for n in ALL] == [n.startswith("dyck") or n == "induction" for n in ALL]


# ---- properties on samples ---------------------------------------------------------


def samples(name: str, count: int = 400, seed: int = 1, **kw) -> list[list[str]]:
    task = get_task(name)
    return task.sample(np.random.default_rng(seed), count, task.default_k, task.default_n, **kw)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("length_dist", ["reference", "uniform"])
def test_samples_valid_and_labelled(name, length_dist):
    task = get_task(name)
    k, n = task.default_k, task.default_n
    out_vocab = set(task.output_vocab(k, n))
    xs = samples(name, length_dist=length_dist)
    assert len(xs) == 400
    for x in xs:
        assert task.is_valid(x, k, n), x
        y = task.label(x)
        assert len(y) == len(x) and y[0] == PAD
        assert set(y) <= out_vocab
        if task.eos:
            assert x[-1] == EOS and y[-1] == PAD


def test_sample_deterministic():
    for name in ALL:
        assert samples(name, seed=7) == samples(name, seed=7)
        assert samples(name, seed=7) != samples(name, seed=8)


def test_reverse_and_sort_properties():
    for x in samples("reverse"):
        y = get_task("reverse").label(x)
        assert y[1:-1] == content(x)[::-1]
        again = [BOS, *y[1:-1], EOS]
        assert get_task("reverse").label(again)[1:-1] == content(x)
    for x in samples("sort"):
        y = get_task("sort").label(x)[1:-1]
        assert y == sorted(y) and Counter(y) == Counter(content(x))


def test_hist_properties():
    for x in samples("hist"):
        c = content(x)
        assert content(get_task("hist").label(x)) == [str(c.count(t)) for t in c]
    for x in samples("double_hist"):
        c = content(x)
        expected = [str(sum(c.count(u) == c.count(t) for u in set(c))) for t in c]
        assert content(get_task("double_hist").label(x)) == expected


def test_most_freq_properties():
    for x in samples("most_freq"):
        c = content(x)
        y = content(get_task("most_freq").label(x))
        distinct = [t for t in y if t != BOS]
        assert sorted(distinct) == sorted(set(c))
        assert y == distinct + [BOS] * (len(c) - len(distinct))
        keys = [(-c.count(t), c.index(t)) for t in distinct]
        assert keys == sorted(keys)


@pytest.mark.parametrize("name", ["dyck1", "dyck2"])
def test_dyck_against_reduction(name):
    task = get_task(name)
    for x in samples(name):
        assert task.label(x) == dyck_ref(x)
    for x in task.enumerate(16, 7):
        assert task.label(x) == dyck_ref(x)


def test_dyck_mixture():
    """Half the reference inputs are balanced strings truncated to 15: never F, no T at the
    end; uniform random strings stay F-free only ~20% of the time."""
    xs = samples("dyck1", count=2000)
    assert all(len(x) == 16 for x in xs)
    no_f = np.mean(["F" not in get_task("dyck1").label(x) for x in xs])
    assert 0.52 < no_f < 0.68


def test_dyck_check_distributions_differ_as_documented():
    """tpc refine's samples of Dyck: walks never break (every prefix P or T, by reduction,
    with several T), random strings almost always do, the reference is the mixture."""
    task = get_task("dyck2")
    assert task.check_dists() == ("reference", "random", "walk")
    vocab = task.input_vocab(16)
    labels = {}
    for dist in task.check_dists():
        ids = task.sample_check_ids(np.random.default_rng(0), 1000, 16, 16, dist)
        xs = [[vocab[i] for i in row if i != 0] for row in ids]
        assert all(len(x) == 16 for x in xs)
        labels[dist] = [dyck_ref(x) for x in xs]
    assert all("F" not in y for y in labels["walk"])
    assert np.mean([y.count("T") for y in labels["walk"]]) > 1
    assert np.mean(["F" in y for y in labels["random"]]) > 0.95
    assert 0.4 < np.mean(["F" in y for y in labels["reference"]]) < 0.6
    with pytest.raises(TaskError, match="unknown check distribution"):
        task.sample_check_ids(np.random.default_rng(0), 1, 16, 16, "uniform")


def test_induction_properties():
    task = get_task("induction")
    xs = samples("induction", count=1000)
    for x in xs:
        assert task.label(x) == induction_ref(x)
        assert induction_valid_ref(x, 4)
    lead_number = np.mean([x[1].isdigit() for x in xs])
    assert 0.4 < lead_number < 0.6


def test_induction_validity_brute_force():
    task = get_task("induction")
    k, n = 6, 8
    symbols = task.symbols(k)
    brute = [
        [BOS, *body]
        for body in itertools.product(symbols, repeat=n - 1)
        if induction_valid_ref([BOS, *body], 2)
    ]
    assert list(task.enumerate(k, n)) == brute  # product order = vocabulary order
    assert all(task.is_valid(x, k, n) for x in brute)
    invalid = [BOS, "a", "0", "a", "1", "b", "0", "a"]
    assert not task.is_valid(invalid, k, n)
    assert task.count_inputs(10, 10) == 133760


# ---- enumeration and counting --------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_enumerate_matches_count_and_vocab(name):
    task = get_task(name)
    k, n = SMALL[name]
    xs = list(task.enumerate(k, n))
    assert len(xs) == task.count_inputs(k, n)
    assert len({tuple(x) for x in xs}) == len(xs)
    index = {tok: i for i, tok in enumerate(task.input_vocab(k))}
    keys = [(len(x), [index[t] for t in x]) for x in xs]
    assert keys == sorted(keys)
    assert all(task.is_valid(x, k, n) for x in xs)
    labels = {lab for x in xs for lab in task.label(x)}
    assert labels == set(task.output_vocab(k, n))
    shorter = n - 1
    assert len(list(task.enumerate(k, n, max_len=shorter))) == task.count_inputs(
        k, n, max_len=shorter
    )


def test_sort_count_matches_reference():
    sort = get_task("sort")
    assert sort.count_inputs(8, 8) == sum(5**length for length in range(1, 7)) == 19530
    assert len(list(sort.enumerate(8, 8))) == 19530
    first = next(sort.enumerate(8, 8))
    assert first == [BOS, "0", EOS]
    assert get_task("dyck2").count_inputs(16, 16) == 4**15


def test_is_valid_rejects():
    sort, hist = get_task("sort"), get_task("hist")
    assert not sort.is_valid([BOS, "1", "2"], 8, 8)  # no EOS
    assert not sort.is_valid([BOS, EOS], 8, 8)  # empty content
    assert not sort.is_valid([BOS, "5", EOS], 8, 8)  # "5" is not a sort symbol at k=8
    assert not sort.is_valid([BOS] + ["1"] * 7 + [EOS], 8, 8)  # too long
    assert hist.is_valid([BOS] + ["1"] * 7, 8, 8)
    assert not hist.is_valid(["1", "2"], 8, 8)
    assert not get_task("dyck1").is_valid([BOS, "(", ")"], 16, 16)  # dyck has fixed length
    assert not get_task("dyck1").is_valid([BOS] + ["{"] * 15, 16, 16)


# ---- datasets --------------------------------------------------------------------------


def lengths_of(seqs: list[list[str]]) -> np.ndarray:
    return np.array([len(s) for s in seqs])


def test_dataset_split_sizes_and_disjoint():
    d = make_dataset("hist", size=20000, seed=0)
    assert isinstance(d, Dataset) and (d.task, d.k, d.n, d.seed) == ("hist", 8, 8, 0)
    assert (len(d.train), len(d.val), len(d.test)) == (16200, 1800, 2000)
    every = [tuple(x) for x in d.train + d.val + d.test]
    assert len(set(every)) == len(every)
    assert split_sizes(10) == (8, 1, 1)


def test_dataset_deterministic():
    a = make_dataset("most_freq", size=3000, seed=3)
    b = make_dataset(get_task("most_freq"), 8, 8, size=3000, seed=3)
    assert (a.train, a.val, a.test) == (b.train, b.val, b.test)
    c = make_dataset("most_freq", size=3000, seed=4)
    assert a.train != c.train


def test_reference_dataset_runs_out_and_skews_long():
    d = make_dataset("sort", seed=0)
    total = len(d.train) + len(d.val) + len(d.test)
    assert 13000 < total < 15000  # ~14k distinct inputs within 100k draws
    every = d.train + d.val + d.test
    assert len({tuple(x) for x in every}) == total
    full = np.mean(lengths_of(every) == 8)
    assert 0.68 < full < 0.76
    assert abs(full - get_task("sort").length_probs(8, 8)[6]) < 0.02
    for x, y in zip(d.test, d.labels("test")):
        assert get_task("sort").label(x) == y


def test_uniform_dataset_balances_lengths():
    d = make_dataset("hist", size=6000, seed=0, length_dist="uniform")
    counts = Counter(lengths_of(d.train + d.val + d.test).tolist())
    # content lengths 1..4 have 6, 36, 216, 1296 inputs: all of them; 5..7 share the rest
    assert [counts[t] for t in (2, 3, 4, 5)] == [6, 36, 216, 1296]
    rest = [counts[t] for t in (6, 7, 8)]
    assert max(rest) - min(rest) <= 1 and sum(counts.values()) == 6000
    whole = make_dataset("sort", length_dist="uniform")
    assert len(whole.train) + len(whole.val) + len(whole.test) == 19530


def test_sample_length_distributions():
    ref = lengths_of(samples("sort", count=4000))
    assert np.mean(ref == 8) > 0.65  # most inputs full length
    uni = lengths_of(samples("sort", count=6000, length_dist="uniform"))
    shares = np.bincount(uni, minlength=9)[3:] / len(uni)
    assert np.all(np.abs(shares - 1 / 6) < 0.03)
    probs = get_task("hist").length_probs(8, 8, "reference")
    assert math.isclose(sum(probs.values()), 1.0) and probs[7] > probs[4] > probs[1]


# ---- encode / decode and errors --------------------------------------------------------


def test_encode_decode_roundtrip():
    task = get_task("reverse")
    vocab = task.input_vocab(8)
    seqs = [[BOS, "1", EOS], [BOS, "4", "3", "2", EOS]]
    ids, lengths = encode(seqs, vocab, n=8)
    assert ids.shape == (2, 8) and lengths.tolist() == [3, 5]
    assert ids[0].tolist() == [1, 4, 2, 0, 0, 0, 0, 0]
    assert decode(ids, vocab) == seqs == decode(ids, vocab, lengths)
    labels, _ = encode([task.label(s) for s in seqs], task.output_vocab(8, 8))
    assert labels.shape == (2, 5) and labels[0].tolist() == [0, 2, 0, 0, 0]


def test_errors():
    with pytest.raises(TaskError, match="unknown task 'nope'; choose from: reverse, hist"):
        get_task("nope")
    with pytest.raises(TaskError, match="unknown token"):
        encode([[BOS, "9"]], get_task("sort").input_vocab(8))
    with pytest.raises(TaskError, match="longer than"):
        encode([[BOS, "1", "1"]], get_task("hist").input_vocab(8), n=2)
    with pytest.raises(TaskError, match="length distribution"):
        samples("sort", length_dist="zipf")
    with pytest.raises(TaskError, match="length distribution"):
        make_dataset("sort", length_dist="zipf")
    with pytest.raises(TaskError, match="k=3"):
        get_task("sort").symbols(3)
    with pytest.raises(TaskError, match="n=2"):
        list(get_task("sort").enumerate(8, 2))
    with pytest.raises(TaskError, match="even"):
        get_task("induction").count_inputs(10, 9)
    with pytest.raises(TaskError, match="even"):
        get_task("induction").symbols(9)
    with pytest.raises(TaskError, match="must start with"):
        get_task("sort").label(["1", "2", EOS])
    with pytest.raises(TaskError, match="unexpected token"):
        get_task("dyck1").label([BOS, "{"])
    with pytest.raises(TaskError, match="size"):
        make_dataset("hist", size=0)
    with pytest.raises(TaskError, match="split"):
        make_dataset("hist", size=10).split("dev")
