"""Edit operations between a truth string and a read one, for the position-matched CER of
:mod:`idp.evaluation.read_align`: unscored truth characters cost nothing to drop or to read as anything."""

from __future__ import annotations

import numpy as np


def weighted_ops(truth: str, scored: list[bool], read: str) -> list[tuple[str, int, int]]:
    """Edit operations turning ``truth`` into ``read`` where unscored truth characters cost nothing to drop
    or to read as anything. Returns the costly ones (``substitute``, ``delete``, ``insert``) plus ``free``
    for read characters taken by unscored truth."""
    m, n = len(truth), len(read)
    weight = np.array(scored, np.int64)
    cum = np.concatenate(([0], np.cumsum(weight)))
    tt = np.array([ord(c) for c in truth], np.int64)
    table = np.empty((n + 1, m + 1), np.int64)
    table[0] = cum
    for i in range(1, n + 1):
        sub = table[i - 1, :-1] + ((tt != ord(read[i - 1])) & (weight == 1))
        step = np.empty(m + 1, np.int64)
        step[0] = table[i - 1, 0] + 1
        step[1:] = np.minimum(sub, table[i - 1, 1:] + 1)
        table[i] = np.minimum.accumulate(step - cum) + cum
    ops: list[tuple[str, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            cost = int(truth[j - 1] != read[i - 1]) * int(weight[j - 1])
            if table[i, j] == table[i - 1, j - 1] + cost:
                if truth[j - 1] != read[i - 1]:
                    ops.append(("substitute" if weight[j - 1] else "free", j - 1, i - 1))
                i, j = i - 1, j - 1
                continue
        if j > 0 and table[i, j] == table[i, j - 1] + weight[j - 1]:
            if weight[j - 1]:
                ops.append(("delete", j - 1, -1))
            j -= 1
            continue
        ops.append(("insert", -1, i - 1))
        i -= 1
    return ops[::-1]


def edit(a: str, b: str) -> int:
    from idp.synth.measure import edit_distance

    return edit_distance(a, b)

