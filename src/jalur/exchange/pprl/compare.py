"""Comparing two sets of encodings fast: Hamming LSH blocking, then vectorised popcount Dice.

All-pairs comparison of 100k × 100k subjects is 10^10 Dice coefficients; instead each filter
is cut into `bands` samples of `band_bits` bit positions (bit-sampling LSH, Indyk and Motwani
1998; for Bloom filters Durham 2012). Two filters become a candidate pair when all sampled bits
of some band agree; similar filters agree often, unrelated ones (half the bits differ) almost
never. Candidates are then scored exactly with popcounts over 64-bit words.

Subject-level score = named features with weights (so every hit explains itself):
  name        best similarity over the two subjects' name variants: the bigram filters'
              rescaled Dice, or the consonant-skeleton filters' times `skeleton` weight
  birth_date  +weight when a birth date of each agrees (full date; or year where one side
              states only the year), −`date_conflict` when both state dates and no year is
              shared, 0 when either has none
  identifier  a shared keyed identifier token lifts the score to at least its weight
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jalur.exchange.pprl.encode import Bits, Encoded

Index = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Blocking:
    """LSH parameters, chosen on the `bench_exchange` evaluation set (UN-variants-100k): 60×14
    loses under 1 point of recall against exhaustive comparison at the default threshold and
    keeps 100k × 100k well inside the 60 s floor (40×16 was faster but lost more at 0.6)."""

    bands: int = 60
    band_bits: int = 14
    seed: int = 20090901  # positions need not be secret: they only pick which bits to compare


#: Feature weights and cut-offs of the subject score, chosen on the `bench_exchange`
#: evaluation set (UN-variants-100k; see benchmarks/results/exchange.json for the sweep).
WEIGHTS = {
    "name": 1.0,
    "skeleton": 0.85,
    "birth_date": 0.08,
    "date_conflict": 0.15,
    "identifier": 0.95,
}
#: A subject pair at or above this is a candidate hit. On UN-variants-100k (3,500 queries)
#: 0.65 gave recall 0.81 at 110 false hits per 1,000 queries, 0.7 gave 0.76 at 75, 0.6 gave
#: 0.85 at 172: candidates lead only to a normal request, so recall is worth some false hits.
THRESHOLD = 0.65


@dataclass(frozen=True)
class Pairs:
    """Scored subject pairs (offer subject index, local subject index) with their features."""

    offer: Index
    local: Index
    name: npt.NDArray[np.float64]
    birth_date: npt.NDArray[np.int8]  # +1 agree, -1 conflict, 0 unknown
    identifier: npt.NDArray[np.bool_]

    @property
    def score(self) -> npt.NDArray[np.float64]:
        date = np.where(self.birth_date > 0, WEIGHTS["birth_date"], 0.0) - np.where(
            self.birth_date < 0, WEIGHTS["date_conflict"], 0.0
        )
        score = WEIGHTS["name"] * self.name + date
        score = np.where(self.identifier, np.maximum(score, WEIGHTS["identifier"]), score)
        clipped: npt.NDArray[np.float64] = np.clip(score, 0.0, 1.0)
        return clipped

    def take(self, keep: npt.NDArray[np.bool_]) -> Pairs:
        return Pairs(
            self.offer[keep],
            self.local[keep],
            self.name[keep],
            self.birth_date[keep],
            self.identifier[keep],
        )


class Words:
    """Filters as 64-bit words with their popcounts, computed once per comparison."""

    def __init__(self, bits: Bits) -> None:
        self.words = np.ascontiguousarray(bits).view(np.uint64)
        self.counts = np.bitwise_count(self.words).sum(axis=1)


def rescaled_dice(
    a: Bits | Words, b: Bits | Words, ia: Index, ib: Index, chunk: int = 1 << 18
) -> npt.NDArray[np.float64]:
    """2·Dice − 1 for row pairs (ia, ib), clipped at 0: about 0 for unrelated hardened filters."""
    wa = a if isinstance(a, Words) else Words(a)
    wb = b if isinstance(b, Words) else Words(b)
    a64, b64, ca, cb = wa.words, wb.words, wa.counts, wb.counts
    out = np.empty(len(ia), dtype=np.float64)
    for s in range(0, len(ia), chunk):
        x, y = ia[s : s + chunk], ib[s : s + chunk]
        common = np.bitwise_count(a64[x] & b64[y]).sum(axis=1)
        out[s : s + chunk] = 2.0 * (2.0 * common / np.maximum(ca[x] + cb[y], 1)) - 1.0
    return np.clip(out, 0.0, 1.0)


def band_keys(bits: Bits, blocking: Blocking) -> npt.NDArray[np.uint64]:
    """(bands, n) keys: the sampled bits of each band packed into one integer."""
    m = bits.shape[1] * 8
    rng = np.random.default_rng(blocking.seed)
    weights = np.left_shift(np.uint64(1), np.arange(blocking.band_bits, dtype=np.uint64))
    keys = np.zeros((blocking.bands, bits.shape[0]), dtype=np.uint64)
    for band in range(blocking.bands):
        positions = rng.choice(m, size=blocking.band_bits, replace=False)
        sampled = (bits[:, positions >> 3] >> (7 - (positions & 7)).astype(np.uint8)) & 1
        keys[band] = sampled.astype(np.uint64) @ weights
    return keys


def candidates(a: Bits, b: Bits, blocking: Blocking, floor: float) -> Index:
    """Row pairs (as i·len(b)+j) sharing a band whose rescaled Dice reaches `floor`."""
    ka, kb = band_keys(a, blocking), band_keys(b, blocking)
    wa, wb = Words(a), Words(b)
    found: list[Index] = [np.empty(0, dtype=np.int64)]
    for band in range(blocking.bands):
        ia, ib = _equal_keys(ka[band], kb[band], blocking.band_bits)
        if len(ia):
            keep = rescaled_dice(wa, wb, ia, ib) >= floor
            found.append(np.unique(ia[keep] * b.shape[0] + ib[keep]))
    return np.unique(np.concatenate(found))


def _equal_keys(
    ka: npt.NDArray[np.uint64], kb: npt.NDArray[np.uint64], key_bits: int = 64
) -> tuple[Index, Index]:
    """All (i, j) with ka[i] == kb[j], by sorting b once and expanding the runs.

    Band keys are small (2^band_bits values), so the runs are found by counting (one
    bincount and a radix sort) instead of binary search.
    """
    if key_bits <= 24:
        order = np.argsort(kb.astype(np.uint32), kind="stable")
        per_key = np.bincount(kb.astype(np.int64), minlength=1 << key_bits)
        first = np.concatenate([[0], np.cumsum(per_key)[:-1]])
        lo, counts = first[ka.astype(np.int64)], per_key[ka.astype(np.int64)].astype(np.int64)
    else:
        order = np.argsort(kb, kind="stable")
        sorted_b = kb[order]
        lo = np.searchsorted(sorted_b, ka, side="left")
        counts = (np.searchsorted(sorted_b, ka, side="right") - lo).astype(np.int64)
    total = int(counts.sum())
    ia = np.repeat(np.arange(len(ka), dtype=np.int64), counts)
    starts = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return ia, order[starts + np.arange(total, dtype=np.int64)].astype(np.int64)


def name_pairs(
    offer: Encoded, local: Encoded, blocking: Blocking, floor: float
) -> tuple[Index, Index, npt.NDArray[np.float64]]:
    """Name-variant pairs found by either filter, with their name similarity."""
    n = max(local.names.shape[0], 1)
    w = WEIGHTS["skeleton"]
    found = [candidates(offer.names, local.names, blocking, floor)]
    # skeletons only where one side was written without short vowels
    for rows_o, rows_l in (
        (np.nonzero(offer.vowelless)[0], np.arange(local.names.shape[0])),
        (np.arange(offer.names.shape[0]), np.nonzero(local.vowelless)[0]),
    ):
        if len(rows_o) and len(rows_l):
            sub = candidates(offer.skeletons[rows_o], local.skeletons[rows_l], blocking, floor / w)
            m = len(rows_l)
            found.append(rows_o[sub // m] * n + rows_l[sub % m])
    pair = np.unique(np.concatenate(found))
    ia, ib = pair // n, pair % n
    plain = rescaled_dice(offer.names, local.names, ia, ib)
    skel = rescaled_dice(offer.skeletons, local.skeletons, ia, ib)
    either = offer.vowelless[ia] | local.vowelless[ib]
    return ia, ib, np.where(either, np.maximum(plain, w * skel), plain)


def compare(
    offer: Encoded,
    local: Encoded,
    blocking: Blocking | None = None,
    threshold: float = THRESHOLD,
) -> Pairs:
    """Score every subject pair that some name pair or identifier brings together."""
    floor = threshold - WEIGHTS["birth_date"]
    ia, ib, sim = name_pairs(offer, local, blocking or Blocking(), floor)
    id_o, id_l = _identifier_pairs(offer, local)
    n_local = max(local.subjects, 1)
    by_name = offer.name_owner[ia].astype(np.int64) * n_local + local.name_owner[ib]
    by_id = id_o * n_local + id_l
    keys = np.concatenate([by_name, by_id])
    if len(keys) == 0:
        empty = np.empty(0, dtype=np.int64)
        return Pairs(empty, empty, np.empty(0), np.empty(0, np.int8), np.empty(0, np.bool_))
    unique, inverse = np.unique(keys, return_inverse=True)
    best = np.zeros(len(unique))
    np.maximum.at(best, inverse, np.concatenate([sim, np.zeros(len(by_id))]))
    po, pl = unique // n_local, unique % n_local
    pairs = Pairs(po, pl, best, _dates(offer, local, po, pl), np.isin(unique, by_id))
    return pairs.take(pairs.score >= threshold)


def _dates(offer: Encoded, local: Encoded, po: Index, pl: Index) -> npt.NDArray[np.int8]:
    """+1 when some full date (or year, against a year-only date) agrees, -1 when no year does."""
    a = offer.dates[po].view(np.uint64)  # (n, slots, 2): year token, full-date token
    b = local.dates[pl].view(np.uint64)
    year = a[:, :, None, 0] == b[:, None, :, 0]
    full = a[:, :, None, 1] == b[:, None, :, 1]
    year_only_a = (a[:, :, 1] == a[:, :, 0])[:, :, None]
    year_only_b = (b[:, :, 1] == b[:, :, 0])[:, None, :]
    agree = (full | (year & (year_only_a | year_only_b))).any(axis=(1, 2))
    both = (offer.date_count[po] > 0) & (local.date_count[pl] > 0)
    conflict = both & ~year.any(axis=(1, 2))
    result: npt.NDArray[np.int8] = agree.astype(np.int8) - conflict.astype(np.int8)
    return result


def _identifier_pairs(offer: Encoded, local: Encoded) -> tuple[Index, Index]:
    """Subject pairs sharing a keyed identifier token (exact equality of all 16 bytes)."""
    empty = np.empty(0, dtype=np.int64)
    if len(offer.ids) == 0 or len(local.ids) == 0:
        return empty, empty
    ko = np.frombuffer(offer.ids.tobytes(), dtype=np.uint64).reshape(-1, 2)
    kl = np.frombuffer(local.ids.tobytes(), dtype=np.uint64).reshape(-1, 2)
    ia, ib = _equal_keys(ko[:, 0].copy(), kl[:, 0].copy())
    same = ko[ia, 1] == kl[ib, 1]
    return (offer.id_owner[ia[same]].astype(np.int64), local.id_owner[ib[same]].astype(np.int64))
