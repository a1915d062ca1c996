"""Which name words are common among the people screened, not only among listed names.

Word rarity (`vocab`) is measured on the lists: "Rahmat" or "Nur" is rare there, so a listed
one-word alias ("Qari RAHMAT", "NOOR") counts as a full, rare name. Among an Indonesian bank's
customers they are among the most frequent given names, so a hit that rests on one such word
alone is weak evidence (`features.name_common`). The shipped table (data/common_names.toml)
is compared on folded keys, so every romanisation of a listed spelling is covered.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from jalur.screening.text import fold


@lru_cache(maxsize=1)
def common_folds() -> frozenset[str]:
    """The folded keys of the given names common in the screened population."""
    raw = tomllib.loads(
        resources.files("jalur.screening").joinpath("data/common_names.toml").read_text("utf-8")
    )
    return frozenset(fold(name) for name in raw["given"]["names"])


def is_common(folded: str) -> bool:
    """A folded word is one of the population's common given names."""
    return folded in common_folds()
