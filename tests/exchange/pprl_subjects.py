"""Subjects as the encoder takes them, for the privacy-preserving matching tests."""

from __future__ import annotations

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
