"""A name with its middle name left out is contained, part for part, in every listed name that
has one part more around it; which one was left out the name cannot say, so every such listed
name is shown as likely as the best (`compare.dropped_part`), and a name that contains the local
one is not hidden by one that only partly agrees (the contained margin class of `compare`).

The misses of the benchmark's dropped middle names (`bench_exchange.py`, tuning halves of seeds
1 and 3, three keys): `kim chol` against the listed Kim Yong Chol, Kim Song Chol, Kim Sok Chol,
outscored by Kim Hyok Chol (whose skeleton `kmkl` is that of `kim chol`: h and y are dropped);
`ali ibrahim hasan al tikriti` against Ali Barzan Ibrahim Hasan al-Tikriti, outscored by
Ibrahim Hassan Tali al-Asiri, who agrees in only some parts.
"""

from __future__ import annotations

from pprl_subjects import KEY, subject

from jalur.exchange.pprl import Encoder, compare
from jalur.exchange.subjects import SubjectKeys


def _kept(listed: list[SubjectKeys], query: str, dob: str | None = None) -> list[int]:
    encoder = Encoder(KEY)
    pairs = compare(encoder.encode(listed), encoder.encode([subject(0, query, dob=dob)]))
    return sorted(pairs.offer.tolist())


KIMS = [
    subject(0, "Kim Yong Chol"),
    subject(1, "Kim Song Chol"),
    subject(2, "Kim Tong Myong", "Kim Hyok Chol"),
]


def test_every_listed_name_a_two_part_name_is_contained_in_is_shown() -> None:
    # before: Kim Hyok Chol only (evidence 28.1 against 20.8 and 19.8, beyond the margin)
    assert _kept(KIMS, "Kim Chol") == [0, 1, 2]


def test_a_birth_date_still_decides_between_them() -> None:
    # the lift is of the name evidence: an agreeing full birth date puts Kim Yong Chol far
    # above the others, as before
    listed = [subject(0, "Kim Yong Chol", dob="1962-02-18"), *KIMS[1:]]
    assert _kept(listed, "Kim Chol", dob="1962-02-18") == [0]


def test_only_a_name_whose_every_part_agrees_exactly_is_lifted() -> None:
    # `chool` agrees with `chol` through its bigram filter only: a typo, not a dropped part
    listed = [subject(0, "Kim Yong Chool"), KIMS[2]]
    assert _kept(listed, "Kim Chol") == [1]


def test_a_one_part_name_is_not_lifted() -> None:
    # a single part contained in two-part names says too little: the model's order stands
    listed = [subject(0, "Kim Chol"), subject(1, "Ri Chol")]
    assert _kept(listed, "Chol") == [0]


def test_an_abjad_spelling_is_not_lifted() -> None:
    # its parts agree through skeletons, not exactly; `as_close_as_the_best` weighs those
    assert _kept(KIMS, "كيم تشول") == [2]


def test_a_contained_name_is_not_hidden_by_one_that_agrees_only_in_part() -> None:
    # before: Ibrahim Hassan Tali al-Asiri only (44.6, `tali` and `asiri` left over), Ali Barzan
    # Ibrahim Hasan al-Tikriti (29.3, every part of the local name agreeing) beyond the margin
    listed = [
        subject(0, "Ali Barzan Ibrahim Hasan al-Tikriti"),
        subject(1, "Ibrahim Hassan Tali al-Asiri"),
    ]
    assert _kept(listed, "Ali Ibrahim Hasan al-Tikriti") == [0, 1]
