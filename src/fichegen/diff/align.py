"""Aligning two sequences: blocks of a document, rows of a table, words of a paragraph.

Pure sequence work, no XML: the callers give keys and a similarity.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from fichegen.diff.tokens import Link, Word

T = TypeVar("T")

Op = tuple[str, int, int]  # ("equal" | "pair" | "del" | "ins", old index, new index)

PAIRING_LIMIT = 40_000
"""Replaced blocks compared pairwise at most (old x new); beyond it, deleted then inserted."""

SIMILAR = 0.5
"""How alike two paragraphs must be (shared words) to be shown as one edited paragraph."""


Opcode = tuple[str, int, int, int, int]

_LCS_LIMIT = 250_000
"""Blocks compared exactly (old x new) at most; larger documents use difflib's heuristic."""


def block_opcodes(a: Sequence[object], b: Sequence[object]) -> list[Opcode]:
    """Opcodes that keep as many blocks as possible: the longest common subsequence.

    difflib keeps the longest contiguous run first, so a row moved down a
    table shows the rows it passed as deleted and inserted; the exact LCS
    shows the one moved row instead.
    """
    n, m = len(a), len(b)
    if n * m > _LCS_LIMIT:
        return list(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if a[i] == b[j] else max(below[j], row[j + 1])
    ops: list[Opcode] = []
    i = j = 0

    def add(tag: str, di: int, dj: int) -> None:
        if ops and ops[-1][0] == tag:
            t, i1, i2, j1, j2 = ops[-1]
            ops[-1] = (t, i1, i2 + di, j1, j2 + dj)
        else:
            ops.append((tag, i, i + di, j, j + dj))

    while i < n or j < m:
        if i < n and j < m and a[i] == b[j]:
            add("equal", 1, 1)
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i + 1][j] >= best[i][j + 1]):
            add("change", 1, 0)
            i += 1
        else:
            add("change", 0, 1)
            j += 1
    return ops


def _is_space(token: Word) -> bool:
    return token.kind == "text" and not token.text.strip()


def _space_aware_opcodes(before: Sequence[Word], after: Sequence[Word]) -> list[Opcode]:
    """Opcodes from matching the words alone; the spaces between them follow their words.

    Spaces are left out of the matching: as difflib junk they would keep every
    match one word long (a word recurring far away, "MAOC-N", could then tear
    a paragraph apart), and as ordinary elements they are so frequent that
    matching becomes slow. Within a stretch of matched words a space that
    differs (a line break for a space) is a change of its own.
    """
    a_words = [i for i, t in enumerate(before) if not _is_space(t)]
    b_words = [j for j, t in enumerate(after) if not _is_space(t)]
    numbers: dict[tuple[str, str, bytes, Link], int] = {}
    matcher = difflib.SequenceMatcher(
        None,
        [numbers.setdefault(before[i].key, len(numbers)) for i in a_words],
        [numbers.setdefault(after[j].key, len(numbers)) for j in b_words],
        autojunk=False,
    )
    ops: list[Opcode] = []

    def add(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if i1 == i2 and j1 == j2:
            return
        if tag != "equal":
            tag = "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")
        if ops and (ops[-1][0] == tag == "equal" or (ops[-1][0] != "equal" and tag != "equal")):
            last = ops[-1]
            merged = "equal" if tag == "equal" else "replace"
            if merged != "equal":
                merged = (
                    "replace"
                    if last[1] < i2 and last[3] < j2
                    else ("delete" if last[1] < i2 else "insert")
                )
            ops[-1] = (merged, last[1], i2, last[3], j2)
        else:
            ops.append((tag, i1, i2, j1, j2))

    def gap(i1: int, i2: int, j1: int, j2: int) -> None:
        """Tokens between matched words: common spaces at both ends kept, the rest changed."""
        while i1 < i2 and j1 < j2 and before[i1].key == after[j1].key:
            add("equal", i1, i1 + 1, j1, j1 + 1)
            i1, j1 = i1 + 1, j1 + 1
        tail: list[Opcode] = []
        while i1 < i2 and j1 < j2 and before[i2 - 1].key == after[j2 - 1].key:
            tail.append(("equal", i2 - 1, i2, j2 - 1, j2))
            i2, j2 = i2 - 1, j2 - 1
        add("change", i1, i2, j1, j2)
        for op in reversed(tail):
            add(*op)

    def matched(i1: int, i2: int, j1: int, j2: int) -> None:
        """Tokens of a stretch of matched words: words equal, spaces compared one by one."""
        i, j = i1, j1
        while i < i2 or j < j2:
            if i < i2 and j < j2 and before[i].key == after[j].key:
                add("equal", i, i + 1, j, j + 1)
                i, j = i + 1, j + 1
            elif i < i2 and j < j2 and _is_space(before[i]) and _is_space(after[j]):
                add("change", i, i + 1, j, j + 1)
                i, j = i + 1, j + 1
            elif i < i2 and _is_space(before[i]):
                add("change", i, i + 1, j, j)
                i += 1
            else:
                add("change", i, i, j, j + 1)
                j += 1

    i = j = 0  # token positions reached
    for block in matcher.get_matching_blocks():
        if block.size == 0:
            start_i, start_j = len(before), len(after)
        else:
            start_i, start_j = a_words[block.a], b_words[block.b]
        gap(i, start_i, j, start_j)
        if block.size == 0:
            break
        end_i = a_words[block.a + block.size - 1] + 1
        end_j = b_words[block.b + block.size - 1] + 1
        matched(start_i, end_i, start_j, end_j)
        i, j = end_i, end_j
    return ops


def word_opcodes(before: Sequence[Word], after: Sequence[Word]) -> list[Opcode]:
    """difflib's opcodes over words, with small coincidences inside a rewrite absorbed.

    An unchanged stretch between two changes that is no longer than the
    changes on either side of it (a space, "de", a word that happens to recur)
    becomes part of one change, as diff-match-patch's semantic clean-up does:
    "[-a b c-]{+x y z+}" reads better than "[-a-]{+x+} [-b-]{+y+} [-c-]{+z+}".
    """
    ops = _space_aware_opcodes(before, after)

    def size(tokens: Sequence[Word]) -> int:
        return sum(len(t.text) if t.kind == "text" else 1 for t in tokens)

    def edit_size(op: Opcode) -> int:
        return max(size(before[op[1] : op[2]]), size(after[op[3] : op[4]]))

    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            if ops[k][0] != "equal" or ops[k - 1][0] == "equal" or ops[k + 1][0] == "equal":
                continue
            length = size(before[ops[k][1] : ops[k][2]])
            if length <= edit_size(ops[k - 1]) and length <= edit_size(ops[k + 1]):
                first, last = ops[k - 1], ops[k + 1]
                ops[k - 1 : k + 2] = [("replace", first[1], last[2], first[3], last[4])]
                changed = True
                break
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _, a1, _, b1, _ = merged[-1]
            merged[-1] = ("replace", a1, i2, b1, j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


# -- pairing edited blocks ------------------------------------------------------------------


def pair_blocks(
    old: Sequence[T],
    new: Sequence[T],
    i0: int,
    j0: int,
    similarity: Callable[[T, T], float | None],
) -> Iterator[Op]:
    """Replaced blocks as pairs (one block edited) and deletions and insertions, in order.

    A weighted longest common subsequence: the pairing that keeps the order and
    makes the paired blocks most alike; unpaired blocks between two pairs are
    deleted first, then inserted, as Word shows them.
    """
    n, m = len(old), len(new)
    scores: dict[tuple[int, int], float] = {}
    if n * m <= PAIRING_LIMIT:
        for i in range(n):
            for j in range(m):
                score = similarity(old[i], new[j])
                if score is not None and (score >= SIMILAR or n == m == 1):
                    scores[i, j] = score + 1.0  # any pair beats none
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if (i, j) in scores:
                options.append(best[i + 1][j + 1] + scores[i, j])
            best[i][j] = max(options)
    i = j = 0
    deleted: list[Op] = []
    inserted: list[Op] = []
    while i < n or j < m:
        if (
            i < n
            and j < m
            and (i, j) in scores
            and (best[i][j] == best[i + 1][j + 1] + scores[i, j])
        ):
            yield from deleted
            yield from inserted
            deleted, inserted = [], []
            yield ("pair", i0 + i, j0 + j)
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            deleted.append(("del", i0 + i, -1))
            i += 1
        else:
            inserted.append(("ins", -1, j0 + j))
            j += 1
    yield from deleted
    yield from inserted
