"""Realistic spelling variants of listed names, the way they reach a bank's records.

A listed name rarely arrives as printed on the list: Cyrillic becomes one of several Latin
transliterations, Indonesian names keep or drop the pre-1972 spelling (oe/u, dj/j, tj/c), Arabic
articles and `Abdul` vary, tokens swap places and clerks make typos. Each variant applies one
or two such rules, chosen by the generator's seeded random source.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
#: An older, looser scheme (French/German-influenced) for the second transliteration.
_CYR_ALT = {**_CYR, "х": "h", "ю": "iu", "я": "ia", "й": "i", "ы": "i", "е": "ie", "ж": "j"}


def transliterate(name: str, scheme: dict[str, str] = _CYR) -> str:
    out = []
    for char in name:
        latin = scheme.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


_SPELLING = [
    ("u", "oe"),
    ("j", "dj"),
    ("c", "tj"),
    ("y", "j"),
    ("kh", "h"),
    ("sy", "sj"),
    ("Muhammad", "Mohammad"),
    ("Muhammad", "Muhamad"),
    ("Abdul", "Abdel"),
    ("Abdul", "Abd al-"),
    ("al-", "el-"),
    ("Al-", "Al "),
    ("ov", "off"),
    ("yev", "ev"),
    ("iy", "y"),
    ("ks", "x"),
    ("ee", "i"),
    ("ou", "u"),
]


def _respell(name: str, rng: np.random.Generator) -> str:
    options = [(a, b) for a, b in _SPELLING if a in name] + [
        (b, a) for a, b in _SPELLING if b in name
    ]
    if not options:
        return _typo(name, rng)
    old, new = options[int(rng.integers(len(options)))]
    return name.replace(old, new, 1)


def _swap(name: str, rng: np.random.Generator) -> str:
    tokens = name.split()
    if len(tokens) < 2:
        return _respell(name, rng)
    return " ".join([tokens[-1], *tokens[:-1]])


def _drop_middle(name: str, rng: np.random.Generator) -> str:
    tokens = name.split()
    if len(tokens) < 3:
        return _respell(name, rng)
    del tokens[1 + int(rng.integers(len(tokens) - 2))]
    return " ".join(tokens)


def _typo(name: str, rng: np.random.Generator) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name
    i = letters[1 + int(rng.integers(len(letters) - 2))]
    if rng.random() < 0.5:
        return name[:i] + name[i] + name[i:]  # doubled letter
    return name[:i] + name[i + 1 :]  # dropped letter


def _script(name: str, rng: np.random.Generator) -> str:
    if re.search("[а-яё]", name, re.IGNORECASE):
        return transliterate(name, _CYR if rng.random() < 0.6 else _CYR_ALT)
    return _respell(name, rng)


_RULES: list[Callable[[str, np.random.Generator], str]] = [
    _script,
    _respell,
    _swap,
    _drop_middle,
    _typo,
]


def spelling_variant(name: str, rng: np.random.Generator) -> str:
    """`name` as another record might spell it (Cyrillic is always transliterated)."""
    variant = _script(name, rng) if re.search("[а-яё]", name, re.IGNORECASE) else name
    for _ in range(1 + int(rng.random() < 0.4)):
        variant = _RULES[1 + int(rng.integers(len(_RULES) - 1))](variant, rng)
    return re.sub(r"\s+", " ", variant).strip() or name
