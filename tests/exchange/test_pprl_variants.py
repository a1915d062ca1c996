"""Each variant kind that `benchmarks/bench_exchange.py` plants is found, among namesakes that
share parts with the listed names, and a clearly different person is not.

Names are real entries of the UN consolidated list (as in the benchmark); the variants are the
ones the benchmark generated and format /3's first comparison missed on 100k × 100k (without
the thousands of other names around them, rarity weights see every part as rare here, so
only the variants that defeat the encodings themselves are missed in this small setting:
noted below).
"""

from __future__ import annotations

import pytest
from pprl_subjects import KEY, subject

from jalur.exchange.pprl import Encoded, Encoder, compare

LISTED = [
    subject(0, "Ali Kony", "Ali Lalobo", dob="1994"),
    subject(1, "Yar Mohammad Rahimi", dob="1953"),
    subject(2, "Mohammad Qannadi", dob="1952-10-13"),
    subject(3, "Zafar Iqbal", "Zaffer Iqbal", dob="1953-10-04"),
    subject(4, "Mounir el Motassadeq", dob="1974-04-03"),
    subject(5, "Yusuf al Madani", dob="1977"),
    subject(6, "Fazl Mohammad Mazloom"),
    subject(7, "Djamel Lounici", "Jamal Lounici", dob="1962-02-01"),
    subject(8, "Qasem Soleimani", dob="1957-03-11"),
    subject(9, "Renel Destina", dob="1982-06-11"),
    subject(10, "Thomas Lubanga"),
    # namesakes sharing parts with the listed persons
    subject(11, "Mohammad Hassan", dob="1971-02-03"),
    subject(12, "Ali Hamzah"),
    subject(13, "Thomas Smith"),
    subject(14, "Yusuf Rahimi"),
    subject(15, "Jamal Hassan"),
]

VARIANTS = [
    # original script: the Arabic `ts` of المتصدق is two letters, which the part skeletons fold
    # as Cyrillic ц (missed by /3; the whole-name evidence now carries it)
    ("original_script", "منير المتصدق", 4),
    ("original_script", "يوسف المدني", 5),
    ("arabic_tokens", "فضل محمد مظلوم", 6),
    # Cyrillic: Дж → `dzh`, ц → `ts` against Latin `dj`, `c` (missed by /3)
    ("cyrillic", "Джамель Луниси", 7),
    ("alias", "Ali Lalobo", 0),
    ("word_order", "Rahimi Yar Mohammad", 1),
    ("typo1", "Mohammad Qanadi", 2),
    # two edits in every part: no part agrees, the whole-name filters are far apart, only the
    # one-word skeletons are close (missed by /3: never a candidate)
    ("typo2", "Renelt Destnia", 9),
    ("typo2", "Qaseq Sleimani", 8),
    ("typo2", "Ali Okny", 0),
    ("typo2", "Thomas Subanga", 10),
    ("dropped_token", "Yar Rahimi", 1),
    ("dropped_token", "Fazl Mazloom", 6),
]


@pytest.fixture(scope="module")
def offered() -> tuple[Encoder, Encoded]:
    encoder = Encoder(KEY)
    return encoder, encoder.encode(LISTED)


def _hits(encoder: Encoder, offer: Encoded, name: str) -> set[int]:
    pairs = compare(offer, encoder.encode([subject(0, name)]))
    return {int(o) for o in pairs.offer}


def test_a_variant_of_each_kind_is_found_and_only_its_person(
    offered: tuple[Encoder, Encoded],
) -> None:
    encoder, offer = offered
    missed = {
        (kind, name): found
        for kind, name, listed in VARIANTS
        if (found := _hits(encoder, offer, name)) != {listed}
    }
    assert not missed, missed
    kinds = {kind for kind, _, _ in VARIANTS}
    assert len(kinds) == 8  # every kind the benchmark plants


@pytest.mark.parametrize(
    "name", ["Jennifer Johansson", "Ali Bongo", "Thomas Jefferson", "Maria Lopez Garcia"]
)
def test_a_clearly_different_person_is_not_found(
    offered: tuple[Encoder, Encoded], name: str
) -> None:
    encoder, offer = offered
    assert _hits(encoder, offer, name) == set()


# Variants that the model fitted before 2026-12-07 gave to a namesake sharing fewer parts: its
# squared terms grew with the parts left over, so a pair with more left over could outscore the
# true one (benchmark, tuning half: `choa ssong il` got 10 for its person, 20 for Jang Song
# Chol). The refit standardises the features and fits on the pairs near the threshold.
RIVALS = [
    subject(0, "Choe Song Il"),
    subject(1, "Jang Song Chol", dob="1967-03-12"),
    subject(2, "Rana Saddam Hussein al-Tikriti", dob="1969"),
    subject(3, "Hala Saddam Hussein al-Tikriti", dob="1972"),
    subject(4, "Tariq Aziz", dob="1936-07-01"),
    subject(5, "Tara Kas", dob="1980-01-22"),
]


@pytest.mark.parametrize(
    ("name", "listed"),
    [("Choa Ssong Il", 0), ("Rana Sakddam Hussein Altikriti", 2), ("طارق عزيز", 4)],
)
def test_a_variant_goes_to_its_person_not_to_a_namesake_with_more_left_over(
    name: str, listed: int
) -> None:
    encoder = Encoder(KEY)
    pairs = compare(encoder.encode(RIVALS), encoder.encode([subject(0, name)]))
    logit = {int(o): float(v) for o, v in zip(pairs.offer, pairs.logit, strict=True)}
    assert listed in logit, logit
    assert max(logit, key=logit.__getitem__) == listed, logit
