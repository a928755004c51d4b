"""Label/value splitting for Chinese forms: ``户名:某公司 账号:123`` → (户名, 某公司), (账号, 123).

Labels are matched longest first and never overlap, so ``对方户名`` is not read as ``户名``; a value
runs to the next label. Callers compare without spaces (row text as printed, spaces removed).
"""

from __future__ import annotations


def split_labelled(text: str, labels: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(key, label, value) for each labelled piece of ``text``; ``labels`` are (label, key) pairs and a label
    with key ``""`` only ends the previous value. Values lose a leading colon and surrounding spaces."""
    low = text.lower()
    hits: list[tuple[int, int, str, str]] = []
    taken = [False] * len(text)
    for label, key in sorted(labels, key=lambda t: -len(t[0])):
        a = label.lower()
        if not a:
            continue
        start = low.find(a)
        while start >= 0:
            end = start + len(a)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                hits.append((start, end, key, label))
            start = low.find(a, end)
    hits.sort()
    out = []
    for i, (_start, end, key, label) in enumerate(hits):
        if not key:
            continue
        stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        value = text[end:stop].lstrip(":：;；").strip()  # OCR reads a label's colon as ";" too
        if value:
            out.append((key, label, value))
    return out


def starts_with_label(text: str, labels: list[tuple[str, str]]) -> bool:
    """``text`` begins with one of the labels (spaces ignored)."""
    compact = "".join(text.split()).lower()
    return any(label and compact.startswith(label.lower()) for label, _ in labels)
