"""Name-part comparison over keyed token hashes: which parts of two names agree, and how much
they weigh.

A whole-name Bloom filter sees a name as one bag of bigrams, so a dropped middle name or an
Arabic name written as one word less costs it as much as a different surname. Here each part
(`abu`, `bakar`, `baasyir`) is a keyed hash of itself and of its consonant skeleton; two names
are aligned part by part (greedy, one to one: exact part 1, same skeleton `skeleton` weight),
and every part weighs its inverse document frequency over both agencies' names, so `muhammad`
agreeing says little and `baasyir` agreeing says much. The comparing agency computes the
weights from the hashes it holds anyway; nothing about them travels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jalur.exchange.pprl.cores import compiled, in_threads
from jalur.exchange.pprl.encode import Encoded, Tokens

Index = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


#: Fewer names than this say little about how common a part is: counts are taken as if among
#: this many names, so in a small offer every part looks rare rather than common.
MIN_NAMES = 10_000


def weights(offer: Encoded, local: Encoded) -> tuple[Floats, Floats]:
    """Per slot: log(names / names with this part) / log(names), over both sides (so 1 for a
    part only one name has, whatever the number of names); 0 for empty slots."""
    both = np.concatenate([offer.tokens.ravel(), local.tokens.ravel()])
    values, counts = np.unique(both, return_counts=True)
    total = max(offer.tokens.shape[0] + local.tokens.shape[0], MIN_NAMES)
    idf = np.log(total / counts.astype(np.float64)) / np.log(total)  # 1: a part used once
    idf[values == 0] = 0.0

    def per_slot(tokens: Tokens) -> Floats:
        found: Floats = idf[np.searchsorted(values, tokens)]
        return found

    return per_slot(offer.tokens), per_slot(local.tokens)


def shared_part_pairs(offer: Encoded, local: Encoded, cap: int) -> tuple[Index, Index]:
    """Name pairs sharing a part or a part's skeleton, through keys with at most `cap` pairs.

    A key that `muhammad` (or its skeleton `md`) fills would pair thousands of names with
    thousands; those names are found through their other parts or the whole-name filters.
    """
    ka, na = _keys(offer)
    kb, nb = _keys(local)
    va, ca = np.unique(ka, return_counts=True)
    vb, cb = np.unique(kb, return_counts=True)
    common, ia_, ib_ = np.intersect1d(va, vb, assume_unique=True, return_indices=True)
    small = common[ca[ia_].astype(np.int64) * cb[ib_] <= cap]
    keep_a, keep_b = np.isin(ka, small), np.isin(kb, small)
    ka, na, kb, nb = ka[keep_a], na[keep_a], kb[keep_b], nb[keep_b]
    order = np.argsort(kb, kind="stable")
    kb, nb = kb[order], nb[order]
    lo = np.searchsorted(kb, ka, side="left")
    counts = np.searchsorted(kb, ka, side="right") - lo
    left = np.repeat(na, counts)
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    right = nb[starts + np.arange(int(counts.sum()), dtype=np.int64)]
    return left, right


def _keys(encoded: Encoded) -> tuple[Tokens, Index]:
    """(key, name) for each distinct non-empty part and skeleton of each name."""
    both = np.concatenate([encoded.tokens, encoded.token_skeletons], axis=1)
    rows = np.repeat(np.arange(both.shape[0], dtype=np.int64), both.shape[1])
    flat = both.ravel()
    pairs = np.unique(np.stack([flat, rows.astype(np.uint64)], axis=1)[flat != 0], axis=0)
    return pairs[:, 0], pairs[:, 1].astype(np.int64)


@dataclass(frozen=True)
class Alignment:
    """What aligning the parts of name pairs found, one value per pair."""

    matched: Floats  # weight of the parts that agree (same token, skeleton or filter ≥ floor)
    total_offer: Floats  # weight of all parts of each name
    total_local: Floats
    left: Floats  # weight of the heaviest part left unmatched on either side
    loose: Floats  # matched weight counting weakly similar parts too (two edits in a part)
    rarest: Floats  # weight of the rarest part that agrees
    short_left: Floats  # parts left unmatched in the name with fewer parts
    long_left: Floats  # parts left unmatched in the name with more parts


def align(
    offer: Encoded,
    local: Encoded,
    wa: Floats,
    wb: Floats,
    ia: Index,
    ib: Index,
    skeleton_weight: float,
) -> Alignment:
    """Aligns the parts of name pairs (ia, ib) one to one, greedily by similarity, and says
    how much agrees, how much is left over and how rare it is (a rare surname missing counts
    more than a missing `muhammad`)."""
    fa = np.ascontiguousarray(offer.part_filters).view(np.uint64)
    fb = np.ascontiguousarray(local.part_filters).view(np.uint64)

    def chunk(rows: slice) -> tuple[Floats, ...]:
        found: tuple[Floats, ...] = _align(  # type: ignore[no-untyped-call]
            offer.tokens,
            offer.token_skeletons,
            fa,
            wa,
            local.tokens,
            local.token_skeletons,
            fb,
            wb,
            ia[rows],
            ib[rows],
            skeleton_weight,
            PART_FLOOR,
            LOOSE_FLOOR,
        )
        return found

    parts = in_threads(chunk, len(ia))
    return Alignment(*(np.concatenate(column) for column in zip(*parts, strict=True)))


#: Rescaled Dice of two parts' filters below which they count as different parts.
PART_FLOOR = 0.45
#: ... and below which they do not count even as weakly similar (`loose`).
LOOSE_FLOOR = 0.15


@compiled
def popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)  # type: ignore[return-value]


@compiled
def _align(  # type: ignore[no-untyped-def]
    ta, sa, fa, wa, tb, sb, fb, wb, ia, ib, skw, floor, loose_floor
):
    n = ia.shape[0]
    width = ta.shape[1]
    words = fa.shape[2]
    matched = np.zeros(n)
    total_a = np.zeros(n)
    total_b = np.zeros(n)
    left = np.zeros(n)
    loose = np.zeros(n)
    rarest = np.zeros(n)
    short_left = np.zeros(n)
    long_left = np.zeros(n)
    sim = np.zeros((width, width))
    used_a = np.zeros(width, dtype=np.bool_)
    used_b = np.zeros(width, dtype=np.bool_)
    for p in range(n):
        used_a[:] = False
        used_b[:] = False
        x, y = ia[p], ib[p]
        count_a, count_b = 0, 0
        for i in range(width):
            total_a[p] += wa[x, i]
            total_b[p] += wb[y, i]
            count_a += ta[x, i] != 0
            count_b += tb[y, i] != 0
            for j in range(width):
                s = 0.0
                if ta[x, i] != 0 and ta[x, i] == tb[y, j]:
                    s = 1.0
                elif ta[x, i] != 0 and tb[y, j] != 0:
                    if sa[x, i] != 0 and sa[x, i] == sb[y, j]:
                        s = skw
                    common, count = 0, 0
                    for w in range(words):
                        common += popcount(fa[x, i, w] & fb[y, j, w])
                        count += popcount(fa[x, i, w]) + popcount(fb[y, j, w])
                    dice = 4.0 * common / max(count, 1) - 1.0
                    if dice >= loose_floor and dice > s:
                        s = dice
                sim[i, j] = s
        while True:
            best, bi, bj = 0.0, -1, -1
            for i in range(width):
                for j in range(width):
                    if sim[i, j] > best:
                        best, bi, bj = sim[i, j], i, j
            if bi < 0:
                break
            weight = 0.5 * (wa[x, bi] + wb[y, bj])
            loose[p] += best * weight
            if best >= floor:
                matched[p] += best * weight
                rarest[p] = max(rarest[p], weight)
                used_a[bi] = True
                used_b[bj] = True
            for k in range(width):
                sim[bi, k] = 0.0
                sim[k, bj] = 0.0
        left_a, left_b = 0, 0
        for i in range(width):
            if not used_a[i] and ta[x, i] != 0:
                left_a += 1
                left[p] = max(left[p], wa[x, i])
            if not used_b[i] and tb[y, i] != 0:
                left_b += 1
                left[p] = max(left[p], wb[y, i])
        short_left[p] = left_a if count_a <= count_b else left_b
        long_left[p] = left_b if count_a <= count_b else left_a
    return matched, total_a, total_b, left, loose, rarest, short_left, long_left
