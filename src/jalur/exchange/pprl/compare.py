"""Comparing two sets of encodings fast: Hamming LSH blocking, then vectorised popcount Dice.

All-pairs comparison of 100k × 100k subjects is 10^10 Dice coefficients; instead each filter
is cut into `bands` samples of `band_bits` bit positions (bit-sampling LSH, Indyk and Motwani
1998; for Bloom filters Durham 2012). Two filters become a candidate pair when all sampled bits
of some band agree; similar filters agree often, unrelated ones (half the bits differ) almost
never. Candidates are then scored exactly with popcounts over 64-bit words.

Name pairs also become candidates through a shared part token (`tokens`). Subject-level
score = named features with weights (so every hit explains itself):
  name        best name evidence over the two subjects' name variants: `NAME_LOGIT` over the
              filters' rescaled Dice and the part alignment (`name_features`)
  birth_date  `DATE_LOGIT`: a year agreeing with a year-only date, more for a full date,
              a conflict when both state dates and no year is shared, 0 when either has none
  identifier  a shared keyed identifier token lifts the score to at least its weight
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jalur.exchange.pprl import tokens
from jalur.exchange.pprl.encode import Bits, Encoded
from jalur.exchange.pprl.tokens import compiled, popcount

Index = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Blocking:
    """LSH parameters, chosen on the `bench_exchange` evaluation set (UN-variants-100k): 60×14
    loses under 1 point of recall against exhaustive comparison at the default threshold (format
    /3's tuning half: 40×16 lost 1 point of recall, 80×14 gained 0.2 for a third more pairs)."""

    bands: int = 60
    band_bits: int = 14
    seed: int = 20090901  # positions need not be secret: they only pick which bits to compare


#: Weights of the name evidence: a logistic model over `name_features` and their pairwise
#: products (`a*b`), fitted on the tuning half of `bench_exchange` (seed 1, even-numbered UN
#: persons, 100k × 100k, filler queries weighted 0.3, true pairs 100) and evaluated on the other
#: half with seed 2: see docs/exchange.md, "What matching reveals". Products let the model say
#: e.g. that a left-over part matters little when the whole names are nearly equal.
NAME_LOGIT = {
    "intercept": -31.524,
    "bigrams": 3.883,
    "skeletons": -16.382,
    "parts_dice": -14.253,
    "parts_containment": -10.209,
    "parts_matched": 8.759,
    "parts_unmatched": -1.764,
    "heaviest_unmatched": -12.750,
    "lighter_name": -0.336,
    "bigrams*bigrams": 20.281,
    "bigrams*skeletons": -17.655,
    "bigrams*parts_dice": 1.542,
    "bigrams*parts_containment": 3.324,
    "bigrams*parts_matched": -6.074,
    "bigrams*parts_unmatched": 16.845,
    "bigrams*heaviest_unmatched": -9.788,
    "bigrams*lighter_name": -0.952,
    "skeletons*skeletons": 8.102,
    "skeletons*parts_dice": -6.653,
    "skeletons*parts_containment": -10.062,
    "skeletons*parts_matched": 9.422,
    "skeletons*parts_unmatched": 6.985,
    "skeletons*heaviest_unmatched": -10.168,
    "skeletons*lighter_name": 13.677,
    "parts_dice*parts_dice": -6.687,
    "parts_dice*parts_containment": 0.608,
    "parts_dice*parts_matched": 6.139,
    "parts_dice*parts_unmatched": 6.339,
    "parts_dice*heaviest_unmatched": -2.862,
    "parts_dice*lighter_name": 3.440,
    "parts_containment*parts_containment": 8.143,
    "parts_containment*parts_matched": 19.973,
    "parts_containment*parts_unmatched": -5.440,
    "parts_containment*heaviest_unmatched": -2.766,
    "parts_containment*lighter_name": 14.019,
    "parts_matched*parts_matched": -3.482,
    "parts_matched*parts_unmatched": -5.875,
    "parts_matched*heaviest_unmatched": -3.772,
    "parts_matched*lighter_name": 0.571,
    "parts_unmatched*parts_unmatched": -2.466,
    "parts_unmatched*heaviest_unmatched": -0.933,
    "parts_unmatched*lighter_name": 8.633,
    "heaviest_unmatched*heaviest_unmatched": 38.932,
    "heaviest_unmatched*lighter_name": -4.095,
    "lighter_name*lighter_name": -6.805,
}
#: Birth dates, added to the name evidence: a full date agreeing weighs far more than a year
#: that agrees with a year-only date (62 birth years make chance agreements common); a
#: conflict all but rules a pair out.
DATE_LOGIT = {"agree": 9.151, "full_date": 15.597, "conflict": -35.181}
#: The other weights: skeleton filters count only where a name was written in an abjad;
#: a part that agrees only in its skeleton counts `part_skeleton`; a shared identifier lifts
#: the score to at least `identifier`.
WEIGHTS = {"skeleton": 0.85, "part_skeleton": 0.8, "identifier": 0.95}
#: A name part (or skeleton) shared by more name pairs than this is no blocking key alone.
PART_BLOCK_CAP = 4000
#: Whole-name filters below this rescaled Dice are not candidates through the filters.
FILTER_FLOOR = 0.3
#: A subject pair is a candidate hit when its score (the logistic of half its evidence)
#: reaches this, i.e. evidence 3, and is within `MARGIN` of the best evidence any offered
#: subject has for the same local subject: a listed person's namesake relative (`Hala` and
#: `Rana Saddam Hussein al-Tikriti`) is shown only when it is about as likely as the best.
THRESHOLD = 0.818
MARGIN = 1.0


@dataclass(frozen=True)
class Pairs:
    """Scored subject pairs (offer subject index, local subject index) with their features."""

    offer: Index
    local: Index
    evidence: npt.NDArray[np.float64]  # name evidence (log-odds scale) of the best name pair
    birth_date: npt.NDArray[np.int8]  # +1 agree, -1 conflict, 0 unknown
    identifier: npt.NDArray[np.bool_]
    full_date: npt.NDArray[np.bool_]  # the agreement is of a full date, not a year alone

    @property
    def name(self) -> npt.NDArray[np.float64]:
        """The name evidence alone on the score's 0..1 scale."""
        return _squash(self.evidence)

    @property
    def logit(self) -> npt.NDArray[np.float64]:
        date = (
            np.where(self.birth_date > 0, DATE_LOGIT["agree"], 0.0)
            + np.where(self.full_date, DATE_LOGIT["full_date"], 0.0)
            + np.where(self.birth_date < 0, DATE_LOGIT["conflict"], 0.0)
        )
        logit: npt.NDArray[np.float64] = self.evidence + date
        return logit

    @property
    def score(self) -> npt.NDArray[np.float64]:
        score = _squash(self.logit)
        lifted: npt.NDArray[np.float64] = np.where(
            self.identifier, np.maximum(score, WEIGHTS["identifier"]), score
        )
        return lifted

    def take(self, keep: npt.NDArray[np.bool_]) -> Pairs:
        return Pairs(
            self.offer[keep],
            self.local[keep],
            self.evidence[keep],
            self.birth_date[keep],
            self.identifier[keep],
            self.full_date[keep],
        )


def _squash(logit: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    squashed: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(logit, -60, 60) / 2.0))
    return squashed


def name_features(pairs: NamePairs) -> dict[str, npt.NDArray[np.float64]]:
    """What the comparisons of two name variants found, as the named inputs of `NAME_LOGIT`."""
    m, ta, tb = pairs.matched, pairs.total_offer, pairs.total_local
    return {
        "bigrams": pairs.bigrams,
        "skeletons": np.where(pairs.vowelless, pairs.skeletons, 0.0),
        "parts_dice": 2 * m / np.maximum(ta + tb, 1e-9),  # matched weight / mean of both
        "parts_containment": np.minimum(m / np.maximum(np.minimum(ta, tb), 1e-9), 1.0),
        "parts_matched": np.minimum(m, 3.0),
        "parts_unmatched": np.minimum(ta + tb - 2 * m, 3.0),  # on both sides
        "heaviest_unmatched": pairs.left,  # the rarest part without a partner
        "lighter_name": np.minimum(np.minimum(ta, tb), 3.0),  # how much the shorter name says
    }


def name_evidence(pairs: NamePairs) -> npt.NDArray[np.float64]:
    """Log-odds that two name variants name one person: `NAME_LOGIT` over the features."""
    features = name_features(pairs)
    evidence = np.full(len(pairs.offer), NAME_LOGIT["intercept"])
    for term, weight in NAME_LOGIT.items():
        if term != "intercept":
            left, _, right = term.partition("*")
            evidence += weight * (features[left] * features[right] if right else features[left])
    return evidence


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
    """Row pairs (as i·len(b)+j) sharing a band whose rescaled Dice reaches `floor`.

    One compiled pass per band: b's rows are bucketed by their band key (counting sort), and
    each row of a is scored against its bucket at once, so the hundreds of millions of
    chance collisions are never materialised as index arrays.
    """
    if a.shape[0] == 0 or b.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    ka, kb = band_keys(a, blocking), band_keys(b, blocking)
    wa, wb = Words(a), Words(b)

    def join(bands: slice) -> Index:
        found: Index = _band_join(  # type: ignore[no-untyped-call]
            ka[bands],
            kb[bands],
            wa.words,
            wb.words,
            wa.counts,
            wb.counts,
            1 << blocking.band_bits,
            floor,
        )
        return found

    return distinct(np.concatenate(tokens.in_threads(join, blocking.bands)))


def distinct(values: Index) -> Index:
    """Sorted distinct values: `np.unique` by sorting (numpy 2.4's plain `np.unique` of a few
    million integers takes seconds, a sort a few hundredths)."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=np.bool_)
    keep[1:] = ordered[1:] != ordered[:-1]
    result: Index = ordered[keep]
    return result


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


@dataclass(frozen=True)
class NamePairs:
    """Candidate name-variant pairs with what each comparison found."""

    offer: Index
    local: Index
    bigrams: npt.NDArray[np.float64]  # whole-name filters' rescaled Dice
    skeletons: npt.NDArray[np.float64]  # skeleton filters' rescaled Dice
    vowelless: npt.NDArray[np.bool_]  # one of the two written in an abjad
    matched: npt.NDArray[np.float64]  # weight of the parts that agree
    total_offer: npt.NDArray[np.float64]  # weight of all parts of each name
    total_local: npt.NDArray[np.float64]
    left: npt.NDArray[np.float64]  # weight of the heaviest part left unmatched


def name_pairs(offer: Encoded, local: Encoded, blocking: Blocking, floor: float) -> NamePairs:
    """Name-variant pairs found by either filter or a shared part, with their comparisons."""
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
    pa, pb = tokens.shared_part_pairs(offer, local, PART_BLOCK_CAP)
    found.append(pa * n + pb)
    pair = distinct(np.concatenate(found))
    ia, ib = pair // n, pair % n
    wa, wb = tokens.weights(offer, local)
    matched, ta, tb, left = tokens.align(offer, local, wa, wb, ia, ib, WEIGHTS["part_skeleton"])
    return NamePairs(
        ia,
        ib,
        rescaled_dice(offer.names, local.names, ia, ib),
        rescaled_dice(offer.skeletons, local.skeletons, ia, ib),
        offer.vowelless[ia] | local.vowelless[ib],
        matched,
        ta,
        tb,
        left,
    )


def compare(
    offer: Encoded,
    local: Encoded,
    blocking: Blocking | None = None,
    threshold: float = THRESHOLD,
    margin: float = MARGIN,
) -> Pairs:
    """Score every subject pair that some name pair or identifier brings together; keep those
    at or above `threshold` and within `margin` (evidence) of the local subject's best."""
    found = name_pairs(offer, local, blocking or Blocking(), FILTER_FLOOR)
    evidence = name_evidence(found)
    # a name pair that even an agreeing full birth date cannot lift to the threshold is out
    needed = 2.0 * np.log(threshold / (1.0 - threshold)) if 0 < threshold < 1 else -np.inf
    bonus = max(DATE_LOGIT["agree"] + DATE_LOGIT["full_date"], DATE_LOGIT["agree"], 0.0)
    near = evidence >= needed - bonus
    id_o, id_l = _identifier_pairs(offer, local)
    n_local = max(local.subjects, 1)
    by_name = (
        offer.name_owner[found.offer[near]].astype(np.int64) * n_local
        + local.name_owner[found.local[near]]
    )
    by_id = id_o * n_local + id_l
    keys = np.concatenate([by_name, by_id])
    if len(keys) == 0:
        empty, no = np.empty(0, dtype=np.int64), np.empty(0, np.bool_)
        return Pairs(empty, empty, np.empty(0), np.empty(0, np.int8), no, no)
    unique, inverse = np.unique(keys, return_inverse=True)
    best = np.full(len(unique), -60.0)
    np.maximum.at(best, inverse, np.concatenate([evidence[near], np.full(len(by_id), -60.0)]))
    po, pl = unique // n_local, unique % n_local
    agree, full = _dates(offer, local, po, pl)
    pairs = Pairs(po, pl, best, agree, np.isin(unique, by_id), full)
    logit = np.where(pairs.identifier, np.inf, pairs.logit)
    top = np.full(n_local, -np.inf)
    np.maximum.at(top, pl, logit)
    return pairs.take((pairs.score >= threshold) & (logit >= top[pl] - margin))


def _dates(
    offer: Encoded, local: Encoded, po: Index, pl: Index
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """+1 when some full date (or year, against a year-only date) agrees, -1 when no year does;
    and whether a full date agrees (two year-only dates of one year agree far more by chance)."""
    a = offer.dates[po].view(np.uint64)  # (n, slots, 2): year token, full-date token
    b = local.dates[pl].view(np.uint64)
    year = a[:, :, None, 0] == b[:, None, :, 0]
    year_only_a = (a[:, :, 1] == a[:, :, 0])[:, :, None]
    year_only_b = (b[:, :, 1] == b[:, :, 0])[:, None, :]
    full = (a[:, :, None, 1] == b[:, None, :, 1]) & ~year_only_a & ~year_only_b
    agree = (full | (year & (year_only_a | year_only_b))).any(axis=(1, 2))
    both = (offer.date_count[po] > 0) & (local.date_count[pl] > 0)
    conflict = both & ~year.any(axis=(1, 2))
    result: npt.NDArray[np.int8] = agree.astype(np.int8) - conflict.astype(np.int8)
    return result, full.any(axis=(1, 2))


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


@compiled
def _band_join(ka, kb, wa, wb, ca, cb, buckets, floor):  # type: ignore[no-untyped-def]
    """Pairs i·len(b)+j with equal keys in some band and rescaled Dice ≥ floor (may repeat)."""
    nb = kb.shape[1]
    words = wa.shape[1]
    out = np.empty(1 << 16, dtype=np.int64)
    n = 0
    per_key = np.zeros(buckets + 1, dtype=np.int64)
    order = np.empty(nb, dtype=np.int64)
    for band in range(ka.shape[0]):
        per_key[:] = 0
        for j in range(nb):
            per_key[kb[band, j] + 1] += 1
        for k in range(buckets):
            per_key[k + 1] += per_key[k]
        fill = per_key[:-1].copy()
        for j in range(nb):
            key = kb[band, j]
            order[fill[key]] = j
            fill[key] += 1
        for i in range(ka.shape[1]):
            key = ka[band, i]
            for slot in range(per_key[key], per_key[key + 1]):
                j = order[slot]
                common = 0
                for w in range(words):
                    common += popcount(wa[i, w] & wb[j, w])
                if 4.0 * common / max(ca[i] + cb[j], 1) - 1.0 >= floor:
                    if n == out.shape[0]:
                        grown = np.empty(2 * n, dtype=np.int64)
                        grown[:n] = out
                        out = grown
                    out[n] = i * nb + j
                    n += 1
    return out[:n]
