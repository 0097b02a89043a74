"""The RASP standard library that every program sees, written in RASP.

These are the functions of the reference implementation's ``RASP_support/rasplib.rasp``
that compute on finite values, with the same semantics. ``tokens``, ``indices``,
``length``, ``full_s`` and ``selector_width`` are built into :mod:`tpc.frontends.rasp_to_ir`
instead (``selector_width`` as the IR's own node, not rasplib's BOS-free mean trick).
Left out: ``average`` (it reads an undefined name in the reference), and
``mark_first_instance`` / ``select_from_first``, which the reference defines with the
same ``>`` as their "last" twins and so silently mark the *last* instance: a program
calling them gets an "undefined name" error rather than either the reference's surprise
or a different answer.
"""

LIBRARY = """
# does each query select any key at all?
def has_focus(sel) {
    return aggregate(sel, 1, 0) > 0;
}

# how many positions of seq hold atom (the same number at every position)
def count(seq, atom) {
    return round(length * aggregate(full_s, indicator(seq == atom)));
}

# does any position of seq hold atom?
def contains(seq, atom) {
    return aggregate(full_s, indicator(seq == atom)) > 0;
}

def max(a, b) {
    return a if a > b else b;
}

def min(a, b) {
    return a if a < b else b;
}

# the value of seq at position location (0 if there is no such position)
def load_from_location(seq, location) {
    return aggregate(select(indices, location, ==), seq);
}

# position i reads seq at position i - n; filler where there is none
def shift(seq, n, filler) {
    return aggregate(select(indices + n, indices, ==), seq, filler);
}

# true at the last position holding val
def mark_last_instance(seq, val) {
    is_val = seq == val;
    later_val = select(seq, val, ==) and select(indices, indices, >);
    return is_val and not has_focus(later_val);
}

# every query selects the last position holding val
def select_from_last(seq, val) {
    return select(mark_last_instance(seq, val), True, ==);
}

# seq reordered by key (stable: ties keep their order)
def sort(seq, key) {
    goes_before = select(key, key, <) or (select(key, key, ==) and select(indices, indices, <));
    target = selector_width(goes_before);
    return aggregate(select(target, indices, ==), seq);
}

# each query selects the next position holding the same value
def select_next_identical(seq) {
    same = select(seq, seq, ==);
    same_before = selector_width(same and select(indices, indices, <));
    return same and select(same_before, same_before + 1, ==);
}
"""
