"""Subjects as the encoder takes them, for the privacy-preserving matching tests."""

from __future__ import annotations

import numpy as np

from jalur.exchange.pprl import Encoder
from jalur.exchange.pprl.compare import FILTER_FLOOR, Blocking, name_features, name_pairs
from jalur.exchange.subjects import SubjectKeys, is_vowelless, name_tokens

KEY = b"agreed between two agencies 32b!"


def subject(i: int, *names: str, dob: str | None = None) -> SubjectKeys:
    return SubjectKeys(
        f"s{i}",
        tuple(name_tokens(n) for n in names),
        (dob,) if dob else (),
        (),
        tuple(is_vowelless(n) for n in names),
    )


def pair_features(one: str, other: str) -> dict[str, np.ndarray]:
    """The name features of every pair of the two names' encodings (their readings included)."""
    encoder = Encoder(KEY)
    found = name_pairs(
        encoder.encode([subject(0, one)]), encoder.encode([subject(0, other)]), Blocking(),
        FILTER_FLOOR,
    )  # fmt: skip
    return name_features(found)
