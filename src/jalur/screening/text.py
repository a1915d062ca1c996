"""Script detection and transliteration of name tokens into comparable Latin keys.

Listed names arrive in Latin, Cyrillic and Arabic script and in many romanisations of each
(Syromolotov / Сыромолотов, Yuri / Iouri / Jurij, -ov / -off, Mohamed / Muhammad / محمد).
Every token is reduced to three keys:

- `latin`: the token in ASCII (rigour's transliteration for Cyrillic, Greek…, a letter table for
  Arabic-script letters, ICU via normality for the rest);
- `fold`: `latin` with the spelling variants of the usual romanisation schemes folded together,
  so that one edit-distance measure covers them;
- `skeleton`: consonants only, for scripts written without short vowels (Arabic, Hebrew), where
  the only fair comparison with a Latin spelling is on the consonants both write.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.text.scripts import text_scripts
from rigour.text.translit import ascii_text

#: Scripts written without short vowels: compare them on consonant skeletons only.
ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})

#: Arabic-script letters (Arabic, Persian, Urdu) to the consonants a romanisation writes for them;
#: long vowels and weak letters (ا و ي ى) map to nothing here because skeletons drop vowels anyway,
#: and `ع`/`ء` are written as nothing or an apostrophe in most romanisations.
ARABIC_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "", "و": "w", "ي": "y", "ى": "a", "پ": "p", "چ": "ch", "ژ": "zh",
    "گ": "g", "ک": "k", "ی": "y", "ڤ": "v", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n",
    "ھ": "h", "ہ": "h", "ۃ": "", "ے": "y", "ۓ": "y",
}  # fmt: skip

#: Spelling variants of the common romanisation schemes (BGN/PCGN, ISO 9, GOST, French and
#: German renderings of Russian; Dutch-era Indonesian spelling; English spellings of Arabic).
#: Applied in order to a lower-case ASCII token.
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"sch", "sh"), (r"tch", "ch"), (r"dzh", "j"), (r"dj", "j"), (r"tj", "c"), (r"zh", "j"),
    (r"kh", "h"), (r"gh", "g"), (r"ph", "f"), (r"ck", "k"), (r"q", "k"), (r"x", "ks"),
    (r"w", "v"), (r"oe", "u"), (r"ou", "u"), (r"oo", "u"), (r"ee", "i"),
    (r"sy(?=[aeiou])", "sh"), (r"[ij](?=[aeou])", "y"),
    (r"(?<=[a-z])(?:ij|iy|yi|ii|yy)$", "i"), (r"(?<=[a-z])ff$", "v"), (r"(?<=[aeiou])h$", ""),
    (r"y(?![aeiou])", "i"), (r"dh", "d"), (r"th", "t"), (r"(.)\1+", r"\1"),
)  # fmt: skip
_FOLD_RES = tuple((re.compile(pattern), repl) for pattern, repl in _FOLDS)

_SKELETON_DIGRAPHS = (
    ("kh", "h"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ch", "c"),
    ("dj", "j"), ("q", "k"), ("ck", "k"), ("ou", "u"),
)  # fmt: skip
_VOWELS_RE = re.compile(r"[aeiouyw'`]")
_REPEATS_RE = re.compile(r"(.)\1+")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_JOINERS_RE = re.compile(r"[\u0027\u2019\u02bc\u02bb\u0060\u00b4]")  # apostrophes inside names
#: Single letters joined by dots: "G.m.b.H.", "L.L.C.", "A.B.C." are one word ("gmbh", "abc").
_DOTTED_RE = re.compile(r"(?<![\w.])(?:\w\.)+\w(?!\w)\.?")


def scripts_of(text: str) -> set[str]:
    """The writing systems a text uses (Latin, Cyrillic, Arabic…), ignoring digits and marks."""
    return set(text_scripts(text))


def is_abjad(token: str) -> bool:
    """Whether the token is in a script that omits short vowels."""
    return bool(scripts_of(token) & ABJAD_SCRIPTS)


def clean(text: str) -> str:
    """NFKC, drop control and format characters, join apostrophes, case-fold."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n ")
    return _JOINERS_RE.sub("", text).casefold()


def tokens_of(text: str) -> list[str]:
    """The name's words, in order: letters and digits only, `_` is a separator too.

    Dotted abbreviations are one word: "G.m.b.H." is "gmbh", as the same form written "GmbH".
    """
    cleaned = _DOTTED_RE.sub(lambda m: m.group().replace(".", "") + " ", clean(text))
    return [token for token in _TOKEN_RE.findall(cleaned.replace("_", " ")) if token]


@lru_cache(maxsize=200_000)
def to_latin(token: str) -> str:
    """The token in lower-case ASCII letters and digits (empty when nothing survives)."""
    if token.isascii():
        latin = token
    elif any(ch in ARABIC_LETTERS for ch in token):
        latin = "".join(ARABIC_LETTERS.get(ch, ch) for ch in _arabic_core(token))
        latin = ascii_text(latin) if not latin.isascii() else latin
    else:
        latin = ascii_text(token)
    return "".join(ch for ch in latin.lower() if ch.isalnum() and ch.isascii())


def _arabic_core(token: str) -> str:
    """The Arabic-script word as romanisations write it: without an attached article, and
    with a word-initial `ع` written as the vowel it sounds like (`عمر` Omar, `علي` Ali).

    Romanisations write the article apart ("Al-Tikriti" for `التكريتي`); `الله` stays.
    """
    if token.startswith("ال") and len(token) > 4 and token != "الله":
        token = token[2:]
    if token.startswith("ع"):
        token = "ا" + token[1:]
    return token


@lru_cache(maxsize=200_000)
def fold(latin: str) -> str:
    """Fold romanisation variants: Yuri/Iouri/Jurij → iuri-like, -off → -ov, kh → h…"""
    out = latin
    for pattern, repl in _FOLD_RES:
        out = pattern.sub(repl, out)
    return out


@lru_cache(maxsize=200_000)
def skeleton(latin: str) -> str:
    """Consonants only, digraphs reduced: Muhammad, Mohamed and محمد all give `mhmd`;
    Ahmad, Ahmed and أحمد `'hmd`."""
    out = latin
    for digraph, repl in _SKELETON_DIGRAPHS:
        out = out.replace(digraph, repl)
    # A word-initial vowel is a letter in abjad script (alif, ain: أحمد Ahmad, احسان Ihsan),
    # kept as `'` so that Ahmad (`'hmd`) is not Hamid (`hmd`), nor Ihsan Hasan.
    lead = "'" if out[:1] in ("a", "e", "i", "o", "u") else ""
    out = lead + _VOWELS_RE.sub("", out)
    return _REPEATS_RE.sub(r"\1", out)
