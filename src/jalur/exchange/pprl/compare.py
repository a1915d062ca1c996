"""Comparing two sets of encodings fast: Hamming LSH blocking, then vectorised popcount Dice.

All-pairs comparison of 100k × 100k subjects is 10^10 Dice coefficients; instead each filter
is cut into `bands` samples of `band_bits` bit positions (bit-sampling LSH, Indyk and Motwani
1998; for Bloom filters Durham 2012). Two filters become a candidate pair when all sampled bits
of some band agree; similar filters agree often, unrelated ones (half the bits differ) almost
never. Candidates are then scored exactly with popcounts over 64-bit words.

Name pairs also become candidates through a shared part token (`tokens`), through nearly
equal one-word skeleton filters (two edits that move a word break leave no part and few
bigrams in common, but the consonants in order), and, for two subjects that share a full birth
date, every pair of their names (`_same_date_names`). Subject-level
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
from jalur.exchange.pprl.cores import compiled, in_threads
from jalur.exchange.pprl.encode import Bits, Encoded
from jalur.exchange.pprl.tokens import popcount

Index = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Blocking:
    """LSH parameters, chosen on the `bench_exchange` evaluation set (UN-variants-100k): 120×14
    (2026-12-07) finds name pairs at rescaled Dice 0.3–0.6 (two typos, a dropped part) that
    60×14 missed about one time in six: on the tuning half recall 0.975 against 0.972, for
    twice the chance collisions to score; 60×12 gave 0.977 (two typos 0.951 against 0.945)
    for four times, which cost about 8 processor seconds on 100k × 100k. Format /3's first
    tuning: 40×16 lost 1 point of recall against 60×14."""

    bands: int = 120
    band_bits: int = 14
    seed: int = 20090901  # positions need not be secret: they only pick which bits to compare


#: Weights of the name evidence: a logistic model over `name_features` and their pairwise
#: products (`a*b`), fitted on the tuning half of `bench_exchange` (seed 1, even-numbered UN
#: persons, 100k × 100k, filler queries weighted 0.3, true pairs 100; `--fit`) and evaluated on
#: the other half with seed 2: see docs/exchange.md, "Privacy-preserving matching". Products
#: let the model say e.g. that a left-over part matters little when the whole names are nearly
#: equal, or that a dropped part counts less when every part of the shorter name agrees.
#: Mean and spread of each feature on the fitting pairs: the model sees (value − mean) / spread.
NAME_SCALE = {
    "bigrams": (0.2422, 0.1599),
    "skeletons": (0.0907, 0.2073),
    "latin_skeletons": (0.3580, 0.2857),
    "parts_dice": (0.4223, 0.1970),
    "parts_containment": (0.4719, 0.2232),
    "parts_matched": (0.6129, 0.3104),
    "parts_unmatched": (1.6733, 0.6315),
    "heaviest_unmatched": (0.7079, 0.2015),
    "lighter_name": (1.3049, 0.2552),
    "loose_containment": (0.5086, 0.2103),
    "rarest_matched": (0.5818, 0.2195),
    "short_left": (1.0441, 0.5378),
    "long_left": (1.3281, 0.6668),
}
NAME_LOGIT = {
    "intercept": -28.149,
    "bigrams": 4.926,
    "skeletons": 9.225,
    "latin_skeletons": 4.726,
    "parts_dice": -1.619,
    "parts_containment": -1.103,
    "parts_matched": 2.288,
    "parts_unmatched": -1.697,
    "heaviest_unmatched": 9.211,
    "lighter_name": 1.199,
    "loose_containment": 5.138,
    "rarest_matched": 4.766,
    "short_left": -2.630,
    "long_left": -3.585,
    "bigrams*bigrams": -0.043,
    "bigrams*skeletons": -0.190,
    "bigrams*latin_skeletons": 0.530,
    "bigrams*parts_dice": -0.367,
    "bigrams*parts_containment": -2.051,
    "bigrams*parts_matched": -0.388,
    "bigrams*parts_unmatched": 1.119,
    "bigrams*heaviest_unmatched": -1.073,
    "bigrams*lighter_name": 1.154,
    "bigrams*loose_containment": 0.585,
    "bigrams*rarest_matched": 0.020,
    "bigrams*short_left": -1.949,
    "bigrams*long_left": 1.140,
    "skeletons*skeletons": -0.383,
    "skeletons*latin_skeletons": 1.780,
    "skeletons*parts_dice": -0.894,
    "skeletons*parts_containment": 0.861,
    "skeletons*parts_matched": -0.053,
    "skeletons*parts_unmatched": 0.609,
    "skeletons*heaviest_unmatched": -1.471,
    "skeletons*lighter_name": 0.557,
    "skeletons*loose_containment": -1.700,
    "skeletons*rarest_matched": 0.876,
    "skeletons*short_left": 1.167,
    "skeletons*long_left": 0.912,
    "latin_skeletons*latin_skeletons": 0.453,
    "latin_skeletons*parts_dice": -0.746,
    "latin_skeletons*parts_containment": -2.140,
    "latin_skeletons*parts_matched": 1.164,
    "latin_skeletons*parts_unmatched": -2.637,
    "latin_skeletons*heaviest_unmatched": 0.687,
    "latin_skeletons*lighter_name": -0.542,
    "latin_skeletons*loose_containment": 0.378,
    "latin_skeletons*rarest_matched": 2.140,
    "latin_skeletons*short_left": 2.291,
    "latin_skeletons*long_left": 1.322,
    "parts_dice*parts_dice": 1.307,
    "parts_dice*parts_containment": 3.372,
    "parts_dice*parts_matched": -3.083,
    "parts_dice*parts_unmatched": -2.784,
    "parts_dice*heaviest_unmatched": 2.879,
    "parts_dice*lighter_name": -4.969,
    "parts_dice*loose_containment": 1.014,
    "parts_dice*rarest_matched": -1.595,
    "parts_dice*short_left": 1.933,
    "parts_dice*long_left": 0.506,
    "parts_containment*parts_containment": 1.661,
    "parts_containment*parts_matched": 0.144,
    "parts_containment*parts_unmatched": -5.347,
    "parts_containment*heaviest_unmatched": -3.870,
    "parts_containment*lighter_name": 1.032,
    "parts_containment*loose_containment": -0.812,
    "parts_containment*rarest_matched": 0.938,
    "parts_containment*short_left": 2.221,
    "parts_containment*long_left": 1.260,
    "parts_matched*parts_matched": 0.696,
    "parts_matched*parts_unmatched": 1.055,
    "parts_matched*heaviest_unmatched": -3.776,
    "parts_matched*lighter_name": -0.595,
    "parts_matched*loose_containment": -1.697,
    "parts_matched*rarest_matched": 0.698,
    "parts_matched*short_left": -1.111,
    "parts_matched*long_left": 1.681,
    "parts_unmatched*parts_unmatched": -1.373,
    "parts_unmatched*heaviest_unmatched": -3.497,
    "parts_unmatched*lighter_name": -0.363,
    "parts_unmatched*loose_containment": -2.488,
    "parts_unmatched*rarest_matched": 2.821,
    "parts_unmatched*short_left": 0.490,
    "parts_unmatched*long_left": -1.059,
    "heaviest_unmatched*heaviest_unmatched": 2.526,
    "heaviest_unmatched*lighter_name": 1.711,
    "heaviest_unmatched*loose_containment": 3.771,
    "heaviest_unmatched*rarest_matched": -0.953,
    "heaviest_unmatched*short_left": 0.155,
    "heaviest_unmatched*long_left": 0.539,
    "lighter_name*lighter_name": 0.340,
    "lighter_name*loose_containment": 3.635,
    "lighter_name*rarest_matched": 0.749,
    "lighter_name*short_left": 0.375,
    "lighter_name*long_left": -2.559,
    "loose_containment*loose_containment": 0.067,
    "loose_containment*rarest_matched": 0.005,
    "loose_containment*short_left": 5.066,
    "loose_containment*long_left": -0.518,
    "rarest_matched*rarest_matched": 1.433,
    "rarest_matched*short_left": -1.769,
    "rarest_matched*long_left": 0.468,
    "short_left*short_left": 1.692,
    "short_left*long_left": -1.114,
    "long_left*long_left": 1.699,
}
#: Birth dates, added to the name evidence: a full date agreeing weighs about twice a year that
#: agrees with a year-only date (62 birth years make chance agreements common); a conflict
#: all but rules a pair out (see `NAME_CAP`).
DATE_LOGIT = {"agree": 9.262, "full_date": 7.995, "conflict": -18.409}
#: Against a conflicting birth date, name evidence counts at most this much (score 0.9975), so
#: a name alone never outweighs the conflict.
NAME_CAP = 12.0
#: The other weights: skeleton filters count only where a name was written in an abjad;
#: a part that agrees only in its skeleton counts `part_skeleton`; a shared identifier lifts
#: the score to at least `identifier`.
WEIGHTS = {"skeleton": 0.85, "part_skeleton": 0.8, "identifier": 0.95}
#: A name part (or skeleton) shared by more name pairs than this is no blocking key alone.
PART_BLOCK_CAP = 4000
#: Whole-name filters below this rescaled Dice are not candidates through the filters.
FILTER_FLOOR = 0.3
#: Skeleton filters of any two names are candidates when nearly equal: fewer bands and a higher
#: floor than the name filters', as Latin skeletons collide often. On the tuning half's folds
#: two-typo recall went from about 0.91 without this route to 0.92 at 30 × 16 bits and floor
#: 0.6 and 0.94 at 40 × 14 and 0.5, for 4.6, 5.2 and 6.6 million name pairs to compare. 50
#: bands (format /7, 2026-12-07) found one two-typo variant more on the tuning half (347 of
#: 365 against 346; 60 found no more, 80 two more for twice the processor time of 40), for
#: about 0.7 processor seconds more on 100k × 100k.
SKELETON_BLOCKING = Blocking(bands=50, band_bits=14)
SKELETON_FLOOR = 0.5
#: A subject pair is a candidate hit when its score (the logistic of half its evidence)
#: reaches this, i.e. evidence 1.69, and is within `MARGIN` of the best evidence any offered
#: subject has for the same local subject: a listed person's namesake relative (`Hala` and
#: `Rana Saddam Hussein al-Tikriti`) is shown only when it is about as likely as the best.
#: Threshold 0.7 was chosen on the tuning half with the current model (0.6 had 23.7 false
#: candidates per 1,000 over all local subjects, 0.7 18.4; 0.731 loses Arabic-script names
#: split otherwise, `حمد الله نعماني` / `Hamdullah Nomani`, a unit test). The margin was 1.0
#: until format /4; on the tuning half (2026-12-07) 0.5 gives 11.6 false candidates per 1,000
#: queries on the sample instead of 12.8 (18.3 and 18.6 over all local subjects) for one
#: dropped middle name less of about 250; 0.75 with 0.5 would give 11.4 and 15.7 but loses
#: the split Arabic name above, two Cyrillic and one two-typo variant.
#: Since format /7 a candidate whose name agrees with the local one part for part (every part
#: of both names has its partner) is also kept when it is within the margin of the best such
#: candidate (`_kept`): one that only looks alike as a whole (`Umm Layth` ~ `ملا طه`, the
#: same consonants in one word, no part agreeing) no longer hides it (`Mullah Taha`).
#: Where such a candidate is of an abjad spelling and at least as close as the best candidate,
#: it also gets the best one's evidence first (`as_close_as_the_best`), so the threshold does
#: not drop it either.
THRESHOLD = 0.7
MARGIN = 0.5


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
        # the fitted model extrapolates far beyond `NAME_CAP` for identical names
        name = np.where(self.birth_date < 0, np.minimum(self.evidence, NAME_CAP), self.evidence)
        logit: npt.NDArray[np.float64] = name + date
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
    """What the comparisons of two name variants found, as the named inputs of `NAME_LOGIT`.

    Part weights are rarities (0..1 per part, see `tokens.weights`), so `parts_matched` is
    about "how many rare parts agree". A skeleton filter says much between an abjad and a
    Latin spelling and less between two Latin ones (`mariah aasen` ~ `suzanne meyer`), so the
    two cases are two features; between Latin names it bridges edits that move a word break
    (`zafa riqbaql` / `zafar iqbal`).
    """
    p = pairs.parts
    m, ta, tb = p.matched, p.total_offer, p.total_local
    shorter = np.maximum(np.minimum(ta, tb), 1e-9)
    return {
        "bigrams": pairs.bigrams,
        "skeletons": np.where(pairs.vowelless, pairs.skeletons, 0.0),
        "latin_skeletons": np.where(pairs.vowelless, 0.0, pairs.skeletons),
        "parts_dice": 2 * m / np.maximum(ta + tb, 1e-9),  # matched weight / mean of both
        "parts_containment": np.minimum(m / shorter, 1.0),
        "parts_matched": np.minimum(m, 3.0),
        "parts_unmatched": np.minimum(ta + tb - 2 * m, 3.0),  # on both sides
        "heaviest_unmatched": p.left,  # the rarest part without a partner
        "lighter_name": np.minimum(np.minimum(ta, tb), 3.0),  # how much the shorter name says
        "loose_containment": np.minimum(p.loose / shorter, 1.0),  # weakly similar parts too
        "rarest_matched": p.rarest,  # the rarest part that agrees
        "short_left": np.minimum(p.short_left, 3.0),  # parts of the shorter name left over
        "long_left": np.minimum(p.long_left, 3.0),  # … of the longer (a dropped middle name)
    }


def name_evidence(pairs: NamePairs) -> npt.NDArray[np.float64]:
    """Log-odds that two name variants name one person: `NAME_LOGIT` over the features
    standardised by `NAME_SCALE`. Millions of pairs times about a hundred terms: one compiled
    pass per pair (the terms added in `NAME_LOGIT`'s order, as the formula reads), in threads,
    instead of three array passes per term."""
    features = name_features(pairs)
    names = list(NAME_SCALE)
    columns = tuple(np.ascontiguousarray(features[name], dtype=np.float64) for name in names)
    center = np.array([NAME_SCALE[name][0] for name in names])
    scale = np.array([NAME_SCALE[name][1] for name in names])
    terms = [name for name in NAME_LOGIT if name != "intercept"]
    left = np.array([names.index(t.partition("*")[0]) for t in terms], dtype=np.int64)
    right = np.array(
        [names.index(t.partition("*")[2]) if "*" in t else -1 for t in terms], dtype=np.int64
    )
    weight = np.array([NAME_LOGIT[t] for t in terms])
    evidence = np.empty(len(pairs.offer))

    def work(rows: slice) -> None:
        intercept = NAME_LOGIT["intercept"]
        _evidence(columns, center, scale, left, right, weight, intercept, rows, evidence)  # type: ignore[no-untyped-call]

    in_threads(work, len(evidence))
    return evidence


class Words:
    """Filters as 64-bit words with their popcounts, computed once per comparison."""

    def __init__(self, bits: Bits) -> None:
        self.words = np.ascontiguousarray(bits).view(np.uint64)
        self.counts = np.bitwise_count(self.words).sum(axis=1)


def rescaled_dice(
    a: Bits | Words, b: Bits | Words, ia: Index, ib: Index
) -> npt.NDArray[np.float64]:
    """2·Dice − 1 for row pairs (ia, ib), clipped at 0: about 0 for unrelated hardened filters.
    Compiled and in threads: it runs over every candidate name pair, millions of them."""
    wa = a if isinstance(a, Words) else Words(a)
    wb = b if isinstance(b, Words) else Words(b)
    out = np.empty(len(ia), dtype=np.float64)
    x, y = np.ascontiguousarray(ia, dtype=np.int64), np.ascontiguousarray(ib, dtype=np.int64)

    def work(rows: slice) -> None:
        _dice(wa.words, wb.words, wa.counts, wb.counts, x, y, rows.start, rows.stop, out)  # type: ignore[no-untyped-call]

    in_threads(work, len(out))
    return out


def band_keys(bits: Bits, blocking: Blocking) -> npt.NDArray[np.uint64]:
    """(bands, n) keys: the sampled bits of each band packed into one integer (bit k of a key
    is the band's k-th sampled position, bits counted from each byte's high end)."""
    m = bits.shape[1] * 8
    rng = np.random.default_rng(blocking.seed)
    positions = np.stack(
        [rng.choice(m, size=blocking.band_bits, replace=False) for _ in range(blocking.bands)]
    ).astype(np.int64)
    keys = np.empty((blocking.bands, bits.shape[0]), dtype=np.uint64)
    _band_keys(np.ascontiguousarray(bits), positions, keys)  # type: ignore[no-untyped-call]
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

    return distinct(np.concatenate(in_threads(join, blocking.bands)))


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
    parts: tokens.Alignment  # how the two names' parts align

    @property
    def matched(self) -> npt.NDArray[np.float64]:
        return self.parts.matched

    @property
    def total_offer(self) -> npt.NDArray[np.float64]:
        return self.parts.total_offer

    @property
    def total_local(self) -> npt.NDArray[np.float64]:
        return self.parts.total_local

    @property
    def left(self) -> npt.NDArray[np.float64]:
        return self.parts.left


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
    # nearly equal one-word skeletons whatever the script: edits that move a word break
    # (`zafa riqbaql` / `zafar iqbal`) or change every part a little (`renelt destnia`)
    found.append(candidates(offer.skeletons, local.skeletons, SKELETON_BLOCKING, SKELETON_FLOOR))
    pa, pb = tokens.shared_part_pairs(offer, local, PART_BLOCK_CAP)
    found.append(pa * n + pb)
    da, db = _same_date_names(offer, local)
    found.append(da * n + db)
    pair = distinct(np.concatenate(found))
    ia, ib = pair // n, pair % n
    wa, wb = tokens.weights(offer, local)
    return NamePairs(
        ia,
        ib,
        rescaled_dice(offer.names, local.names, ia, ib),
        rescaled_dice(offer.skeletons, local.skeletons, ia, ib),
        offer.vowelless[ia] | local.vowelless[ib],
        tokens.align(offer, local, wa, wb, ia, ib, WEIGHTS["part_skeleton"]),
    )


def _same_date_names(offer: Encoded, local: Encoded) -> tuple[Index, Index]:
    """Every name pair of two subjects that share a full birth date: a second chance, with
    no name blocking at all, for the variants no name route finds (two edits in short parts,
    `rlenel detsina` / `renel destina`; a Cyrillic spelling far from the Latin one). A full
    date agrees between two persons about once in 20,000 pairs (birth dates over 60 years), so
    these pairs are few.
    """
    so, ko = _full_dates(offer)
    sl, kl = _full_dates(local)
    if len(ko) == 0 or len(kl) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    io, il = _equal_keys(ko, kl)
    subjects = distinct(so[io] * max(local.subjects, 1) + sl[il])
    return _name_rows(
        offer, local, subjects // max(local.subjects, 1), subjects % max(local.subjects, 1)
    )


def _full_dates(encoded: Encoded) -> tuple[Index, npt.NDArray[np.uint64]]:
    """(subject, full-date token) for each full date (not a year alone) of each subject."""
    tokens_ = encoded.dates.view(np.uint64)  # (n, slots, 2): year token, full-date token
    slots = np.arange(tokens_.shape[1])[None, :]
    real = (slots < encoded.date_count[:, None]) & (tokens_[:, :, 1] != tokens_[:, :, 0])
    subject, slot = np.nonzero(real)
    return subject.astype(np.int64), tokens_[subject, slot, 1].copy()


def _name_rows(offer: Encoded, local: Encoded, po: Index, pl: Index) -> tuple[Index, Index]:
    """All (offer name row, local name row) pairs of the subject pairs (po, pl)."""
    rows_o, first_o, count_o = _rows_of(offer, po)
    rows_l, first_l, count_l = _rows_of(local, pl)
    per_pair = count_o * count_l
    pair = np.repeat(np.arange(len(po)), per_pair)
    k = np.arange(int(per_pair.sum())) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    return (
        rows_o[first_o[pair] + k // count_l[pair]].astype(np.int64),
        rows_l[first_l[pair] + k % count_l[pair]].astype(np.int64),
    )


def _rows_of(encoded: Encoded, subjects: Index) -> tuple[Index, Index, Index]:
    """Name rows ordered by subject, and where each given subject's rows start and how many
    there are (an offer read from a file need not list a subject's names together)."""
    order = np.argsort(encoded.name_owner, kind="stable")
    owners = encoded.name_owner[order]
    first = np.searchsorted(owners, subjects)
    count = np.searchsorted(owners, subjects, side="right") - first
    return order.astype(np.int64), first.astype(np.int64), count.astype(np.int64)


def compare(
    offer: Encoded,
    local: Encoded,
    blocking: Blocking | None = None,
    threshold: float = THRESHOLD,
    margin: float = MARGIN,
) -> Pairs:
    """Score every subject pair that some name pair or identifier brings together; keep those
    at or above `threshold` and within `margin` (evidence) of the local subject's best, or of
    its best among the name pairs that agree part for part (see `MARGIN`)."""
    found = name_pairs(offer, local, blocking or Blocking(), FILTER_FLOOR)
    evidence = partly_agreeing(found, as_close_as_the_best(found, name_evidence(found), local))
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
    whole = found.parts.short_left[near] + found.parts.long_left[near] == 0
    best, best_whole = (np.full(len(unique), -60.0) for _ in range(2))
    no_id = np.full(len(by_id), -60.0)
    np.maximum.at(best, inverse, np.concatenate([evidence[near], no_id]))
    np.maximum.at(
        best_whole, inverse, np.concatenate([np.where(whole, evidence[near], -60), no_id])
    )
    po, pl = unique // n_local, unique % n_local
    agree, full = _dates(offer, local, po, pl)
    ids = np.isin(unique, by_id)
    pairs = Pairs(po, pl, best, agree, ids, full)
    part_for_part = Pairs(po, pl, best_whole, agree, ids, full)
    kept = _kept(pairs, threshold, margin, n_local) | _kept(
        part_for_part, threshold, margin, n_local
    )
    return pairs.take(kept)


#: Two names' bigram filters count as at least as similar as another pair's within this much
#: rescaled Dice: the hardened filters' estimates scatter by a few hundredths under a given key,
#: and an abjad spelling shares few bigrams with a Latin one, so two names exactly as similar
#: (`ibrahim` and `br hym i` to `abrahym`) were told apart by the key. On both tuning halves
#: under the benchmark's key 0, 0.05 and 0.1 each found three Arabic-per-word variants more
#: (61 of 63); under another key 0 found one more (58, from 57), 0.05 three, 0.1 four (61),
#: for 0.6–0.7 false candidates per 1,000 local subjects more than 0 (either key).
AS_CLOSE_NOISE = 0.1


def as_close_as_the_best(
    found: NamePairs, evidence: npt.NDArray[np.float64], local: Encoded
) -> npt.NDArray[np.float64]:
    """Evidence lifted, for a name pair of an abjad spelling and another that agrees part for
    part, to that of the local subject's best name pair when it is at least as close as that
    one: its whole-name filters at least as similar, every part of both names with a partner.

    The model weighs how rare the agreeing parts are, and an abjad spelling agrees with a Latin
    one only through skeletons and part filters, so a rarer name that is no closer outscored the
    listed name itself, often by more than the margin and the threshold allow: `أبو أحمد` met
    Abu Emad (`ahmd` and `emad` share the skeleton `.md`) at 4.7 and Abu Ahmad at −3.2;
    `عبدول الرحمن` met the one-word `Abdelrahmman` (no part agreeing, the same consonants) at
    7.7 and Abdul Rahman at 1.3; `دكتور إبراهيم`, `ibrahim` once the title goes, met a generated
    `br hym i` at 12.4 and `Dr Ibrahim` at −12.2. An analyst shown the look-alike should be
    shown the name at least as close too (`MARGIN`). Between two Latin spellings, where parts
    agree exactly, the same rule cost 2.5 false candidates more per 1,000 local subjects on
    both tuning halves (over the floor) for one Cyrillic variant found, so it is kept to the
    pairs it was measured to help (docs/exchange.md, "as close as the best"). Bigram filters
    count as at least as similar within `AS_CLOSE_NOISE`.
    """
    owner = local.name_owner[found.local]
    closer = found.vowelless & (found.parts.short_left + found.parts.long_left == 0)
    if not closer.any():
        return evidence
    involved = np.zeros(max(local.subjects, 1), dtype=np.bool_)
    involved[owner[closer]] = True
    rows = np.nonzero(involved[owner])[0]
    order = rows[np.lexsort((-evidence[rows], owner[rows]))]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = owner[order[1:]] != owner[order[:-1]]
    best = np.zeros(len(involved), dtype=np.int64)
    best[owner[order[first]]] = order[first]
    x = np.nonzero(closer)[0]
    y = best[owner[x]]
    as_close = (found.bigrams[x] >= found.bigrams[y] - AS_CLOSE_NOISE) & (
        found.skeletons[x] >= found.skeletons[y]
    )
    x, y = x[as_close], y[as_close]
    lifted = evidence.copy()
    lifted[x] = np.maximum(evidence[x], evidence[y])
    return lifted


#: Evidence taken off a name pair of two Latin spellings whose parts do not all find a partner
#: (`Maria Salas` ~ `Emigdio Maria Salas`, `Remy Raynaud` ~ `Reimar Raynaud`). See
#: `partly_agreeing`.
PARTLY_AGREEING = 1.0


def partly_agreeing(found: NamePairs, evidence: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Evidence less `PARTLY_AGREEING` for a name pair of two Latin spellings with a part left
    over on either side: such a pair must clear the threshold by that much more.

    Most false candidates of the benchmark (tuning halves, seeds 1 and 3, three keys) are
    generated persons whose two-part name is part of another's three-part name or differs from
    it in one part, at evidence 1.7–3, just over the threshold: a fresh key moves their filters'
    Dice estimates by a few hundredths and so the count by 1.2–1.5 per 1,000 local subjects,
    over the floor of 20. True variants of that shape (a dropped middle name, two typos in one
    part) mostly score higher: on seed 3's tuning half under another key the 1.0 cost 2 of 253
    dropped middle names and 1 of 365 two-typo variants for 2.7 false candidates per 1,000
    fewer (docs/exchange.md, "parts left over"). Pairs that agree part for part and pairs with
    an abjad spelling (parts agree only through skeletons there) keep their evidence: the
    first are fewer among the false candidates, the second were tuned by
    `as_close_as_the_best`."""
    partly = ~found.vowelless & (found.parts.short_left + found.parts.long_left > 0)
    lowered: npt.NDArray[np.float64] = np.where(partly, evidence - PARTLY_AGREEING, evidence)
    return lowered


def _kept(pairs: Pairs, threshold: float, margin: float, n_local: int) -> npt.NDArray[np.bool_]:
    """Pairs at or above `threshold` and within `margin` (evidence) of the best pair of their
    local subject; a shared identifier is the best there is."""
    logit = np.where(pairs.identifier, np.inf, pairs.logit)
    top = np.full(n_local, -np.inf)
    np.maximum.at(top, pairs.local, logit)
    kept: npt.NDArray[np.bool_] = (pairs.score >= threshold) & (logit >= top[pairs.local] - margin)
    return kept


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


@compiled
def _band_keys(bits, positions, keys):  # type: ignore[no-untyped-def]
    """keys[band, row] = Σ_k bit(row, positions[band, k]) << k, a block of rows at a time so
    the block's filters stay in cache while each band's keys are written in a run."""
    block = 512
    for first in range(0, bits.shape[0], block):
        last = min(first + block, bits.shape[0])
        for band in range(positions.shape[0]):
            for row in range(first, last):
                key = np.uint64(0)
                for k in range(positions.shape[1]):
                    p = positions[band, k]
                    bit = (bits[row, p >> 3] >> (7 - (p & 7))) & 1
                    key |= np.uint64(bit) << np.uint64(k)
                keys[band, row] = key


@compiled
def _dice(wa, wb, ca, cb, ia, ib, start, stop, out):  # type: ignore[no-untyped-def]
    """out[r] = clip(2·(2·common / (ca + cb)) − 1, 0, 1) for rows r in [start, stop)."""
    for r in range(start, stop):
        i, j = ia[r], ib[r]
        common = 0
        for w in range(wa.shape[1]):
            common += popcount(wa[i, w] & wb[j, w])
        value = 2.0 * (2.0 * common / max(ca[i] + cb[j], 1)) - 1.0
        out[r] = min(max(value, 0.0), 1.0)


@compiled
def _evidence(columns, center, scale, left, right, weight, intercept, rows, out):  # type: ignore[no-untyped-def]
    """out[r] = intercept + Σ_t weight[t]·z[left[t]]·z[right[t]] (z[left[t]] alone where
    right[t] < 0), terms added in order, z[f] = (columns[f][r] − center[f]) / scale[f]: the
    features standardised as `NAME_SCALE` says, a pair at a time (no (features × pairs)
    matrix: hundreds of megabytes for millions of pairs)."""
    values = np.empty(len(columns))
    for r in range(rows.start, rows.stop):
        for f in range(len(columns)):
            values[f] = (columns[f][r] - center[f]) / scale[f]
        total = intercept
        for t in range(weight.shape[0]):
            if right[t] >= 0:
                total += values[left[t]] * values[right[t]] * weight[t]
            else:
                total += values[left[t]] * weight[t]
        out[r] = total
