"""A task of your own for `tpc train`, defined outside tpc (issue 17).

    tpc train examples/user_task.py:PARITY --epochs 30 -o runs/parity
    tpc lower runs/parity -o parity.tpir.json
    tpc verify runs/parity parity.tpir.json --task examples/user_task.py:PARITY

`tpc.tasks.define_task` takes the content symbols, the longest content, a labelling
function (one label per content symbol) and every label it can give. Inputs are `<s>`
followed by 1..max_length symbols, as for the built-in tasks. Optional: `valid` (which
strings are inputs), `draw` (a sampler for one input of a given length), `causal`.

tpc runs this file only because you name it on the command line: a run directory records
the name, and `tpc verify` asks for `--task` again rather than running code a run
directory points to.
"""

from __future__ import annotations

from tpc.tasks import define_task


def running_parity(content: list[str]) -> list[str]:
    """At each position, whether an odd number of "1"s has been read so far."""
    out, odd = [], False
    for symbol in content:
        odd ^= symbol == "1"
        out.append("odd" if odd else "even")
    return out


PARITY = define_task(
    "parity",
    symbols=["0", "1"],
    max_length=7,
    label=running_parity,
    labels=["even", "odd"],
    description="running parity of the 1s read so far",
    causal=True,
)


def first_token(content: list[str]) -> list[str]:
    """Every position copies the first symbol (one attention head's worth)."""
    return [content[0]] * len(content)


FIRST = define_task(
    "first",
    symbols=["a", "b", "c"],
    max_length=6,
    label=first_token,
    labels=["a", "b", "c"],
    description="copy the first symbol everywhere",
)


def previous_symbol(content: list[str]) -> list[str]:
    """Every position copies the symbol before it (the first copies "-")."""
    return ["-", *content[:-1]]


PREVIOUS = define_task(
    "previous",
    symbols=["a", "b", "c", "d"],
    max_length=6,
    label=previous_symbol,
    labels=["-", "a", "b", "c", "d"],
    description="copy the previous symbol",
    # attention supervision (tpc train --supervise-weight C): layer 0's categorical head 0
    # should attend to the previous position (tokens include <s> at position 0)
    attention={(0, 0): lambda tokens, i, j: j == i - 1},
)
