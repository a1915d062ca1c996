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

Before any of that, `unmask` undoes the ways a name is disguised so that it reads as its plain
form and still hits: invisible characters (zero-width, soft hyphens, bidirectional controls)
are removed, compatibility forms (full-width, ligatures, circled and mathematical letters)
folded by NFKC, combining marks left on Latin, Cyrillic or Greek letters removed, and inside
a word mixing Latin, Cyrillic and Greek letters the look-alikes of the word's script read as
that script's letters (ICU's confusables: Cyrillic `а` in "Bаkar" is Latin `a`). What it
undid is reported with the hit.

Consonants alone are too loose across scripts (Mahmoud and `محمد` Muhammad share `mhmd`) and too
strict (Qusay / `قصي` has two). Arabic script does write long vowels (ا و ي ى), so an
Arabic-script word is also compiled into a pattern over Latin spellings (`script_fit`): each
long-vowel letter must line up with a Latin vowel of its quality, and Latin may write only short
vowels where Arabic writes nothing. Words meet on a `coarse_skeleton` first, then the pattern
decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import icu
from rigour.text.scripts import codepoint_script, text_scripts
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
    # the superscript (dagger) alif writes a long a as the alif does (`طٰهر` Taher, `إسحٰق` Ishaq)
    "\u0670": "a",
}  # fmt: skip

#: The tatweel (kashida): stretches the stroke joining two Arabic-script letters, writes none.
TATWEEL = "\u0640"

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
#: Combining marks (Unicode category M) as a regular-expression class: `\w` leaves them out, so
#: a vowel sign or a stress mark split a word in two ("مُحَمَّد" came out as four letters).
_MARKS = "".join(f"\\U{ord(a):08x}-\\U{ord(b):08x}" for a, b in icu.UnicodeSet("[:M:]").ranges())
_MARKED_TOKEN_RE = re.compile(rf"\w[\w{_MARKS}]*")
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
    words = _TOKEN_RE if cleaned.isascii() else _MARKED_TOKEN_RE
    return _join_allah([token for token in words.findall(cleaned.replace("_", " ")) if token])


def _join_allah(tokens: list[str]) -> list[str]:
    """`عبد الله`, `نجيب الله` as one word, `عبدالله`, `نجيبالله`: romanisations write these
    names as one word (Abdullah, Najibullah: ten times more often than "Najib Ullah" on the UN
    and OFAC lists), and Arabic script writes them either way."""
    if "الله" not in tokens[1:]:
        return tokens
    out: list[str] = []
    for token in tokens:
        if token == "الله" and out and out[-1][-1] in ARABIC_LETTERS:
            out[-1] += token
        else:
            out.append(token)
    return out


# -- disguises: invisible characters, compatibility forms, stacked marks, look-alike letters --

#: Scripts whose letters stand in for one another's look-alikes (ICU confusables) inside a word.
LOOKALIKE_SCRIPTS = ("Latin", "Cyrillic", "Greek")
#: The letters a look-alike is read as: each script's modern alphabet (Latin: ASCII, see
#: `lookalike_in`), not the Komi `Ԍ` or the archaic `Ϝ` that ICU also finds like `G` and `F`.
_ALPHABETS = {"Cyrillic": ("\u0400", "\u045f"), "Greek": ("\u0386", "\u03ce")}
_CHUNK_RE = re.compile(r"(\s+)")
_SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "


@dataclass(frozen=True, slots=True)
class Unmasked:
    """A name with its disguises undone, and what was undone (for the analyst)."""

    text: str
    notes: tuple[str, ...] = ()


def unmask(text: str) -> Unmasked:
    """The name as it reads on screen, each disguise that made it differ undone and noted.

    A listed name written with zero-width characters, soft hyphens or bidirectional controls,
    in full-width or mathematical letters, with marks stacked on its letters or with Cyrillic
    or Greek look-alikes among its Latin letters looks like the listed name to a person and
    must hit like it. Pure ASCII (most names) has nothing to undo and returns at once.

    Invisible characters are deleted, not read as word breaks: inside a word ("Ba\u200bkar")
    that restores the word, and between words ("Abu\u200bBakar") it gives the words run
    together, as the name is displayed, which retrieval already splits or matches joined.
    Look-alike letters are read only in a name that mixes scripts: a name written wholly in
    Cyrillic or Greek ("Абу Бакар Башир") is that script and transliterated as such.
    """
    if text.isascii() and not _ASCII_CONTROL_RE.search(text):
        return Unmasked(text)
    return _unmask(text)


#: ASCII control characters `clean` drops (all but tab and line feed, which are spacing): a
#: BEL or an ESC inside a name is as invisible as a zero-width space, and named like one.
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


#: Terminal escape sequences (ECMA-48): a control sequence (`ESC [` or the one-character CSI,
#: parameters, a final letter: colours, cursor moves, `ESC [2J`), an operating-system command
#: (`ESC ]` … BEL or `ESC \\`; one never ended keeps its text: it must not eat the name), or
#: `ESC` and one letter. On screen a sequence is not there at all, so it goes whole: removing
#: only its ESC left `[2J` in the name, which then missed.
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
)


@lru_cache(maxsize=65_536)
def _unmask(text: str) -> Unmasked:
    text, escapes = _ESCAPE_RE.subn("", text)
    visible = "".join(
        ch for ch in text if not (_ASCII_CONTROL_RE.match(ch) if ch.isascii() else _invisible(ch))
    )
    invisible = len(text) - len(visible)
    composed = unicodedata.normalize("NFC", visible)
    folded = unicodedata.normalize("NFKC", composed)
    compat = sum(map(_compatibility_form, composed)) if folded != composed else 0
    read, lookalikes = _read_lookalikes(unicodedata.normalize("NFD", folded))
    plain, marks = _drop_stacked_marks(unicodedata.normalize("NFC", read))
    notes = []
    if escapes:
        notes.append(f"removed {_count(escapes, 'terminal escape sequence')}")
    if invisible:
        notes.append(f"removed {_count(invisible, 'invisible character')}")
    for (source, target), count in sorted(lookalikes.items()):
        notes.append(f"{_count(count, f'{source} look-alike letter')} read as {target}")
    if compat:
        notes.append(f"{_count(compat, 'compatibility form')} folded")
    if marks:
        notes.append(f"removed {_count(marks, 'combining mark')}")
    if small := sum(map(_small_capital, plain)):
        # kept in the text (transliteration reads each as its letter): named only
        notes.append(f"{_count(small, 'small capital')} read as letters")
    if tatweel := plain.count(TATWEEL):
        # kept in the text (transliteration and `abjad_form` read past it): named only, so
        # that the analyst sees why `محـــمد` is `محمد`
        notes.append(
            f"{tatweel} tatweel (kashida) {'character' if tatweel == 1 else 'characters'} read past"
        )
    return Unmasked(plain, tuple(notes))


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _invisible(ch: str) -> bool:
    """Format and control characters and whatever Unicode says to render as nothing (asked of
    non-ASCII characters only: an ASCII tab or newline is a space, `clean` drops the rest)."""
    if unicodedata.category(ch) in ("Cf", "Cc"):
        return True
    return bool(icu.Char.hasBinaryProperty(ch, icu.UProperty.DEFAULT_IGNORABLE_CODE_POINT))


def _compatibility_form(ch: str) -> bool:
    """A letter or digit NFKC writes otherwise (Ｂ, ﬁ, Ⓑ, 𝐁); not a space or a quote variant."""
    if ch.isascii():
        return False
    plain = unicodedata.normalize("NFKC", ch)
    return plain != ch and any(c.isalnum() for c in plain)


def _drop_stacked_marks(text: str) -> tuple[str, int]:
    """Combining marks left on a Latin, Cyrillic or Greek letter after NFC composed what it
    could: names in these alphabets are spelt with composed letters (é, ễ, й), so a mark left
    over (a stress accent, a stacked or enclosing mark) only makes a name unlike its listed
    spelling. Arabic vowel signs and the like are part of the word and stay."""
    out: list[str] = []
    dropped = 0
    alphabetic = False
    for ch in text:
        mark = unicodedata.category(ch)[0] == "M"  # enclosing marks (⃝) have no combining class
        if mark and alphabetic:
            dropped += 1
            continue
        if not mark:
            alphabetic = ch.isalpha() and (ch.isascii() or _script(ch) in LOOKALIKE_SCRIPTS)
        out.append(ch)
    return "".join(out), dropped


def _script(ch: str) -> str | None:
    return codepoint_script(ord(ch))


def _read_lookalikes(text: str) -> tuple[str, Counter[tuple[str, str]]]:
    """In a name that mixes Latin, Cyrillic and Greek letters, letters of another script read
    as their look-alikes in the script of their word (`text` is in NFD, so marks are apart
    from their letters). Returns the text and the count per (from, to) script.

    A word that mixes scripts is read in the script `_word_script` finds. A word wholly in one
    script stays that script, except when only look-alikes are written in it, in a name
    surely written in another: "Usama ΒΙΝ Laden" (Greek `ΒΙΝ`) is BIN, where "Nikolai Серов",
    the same shape, loses Serov (`Серов` has no letter only Cyrillic writes).
    """
    read: Counter[tuple[str, str]] = Counter()
    letters = [(ch, s) for ch in text if ch.isalpha() and (s := _script(ch)) in LOOKALIKE_SCRIPTS]
    present = {s for _, s in letters}
    if len(present) < 2:
        return text, read
    evidence = _script_evidence(letters, present)
    main = max(present, key=lambda script: (*evidence[script], script == "Latin"))
    chunks = _CHUNK_RE.split(text)
    for at, chunk in enumerate(chunks):
        scripts = [_script(ch) if ch.isalpha() else None for ch in chunk]
        in_word = Counter(s for s in scripts if s in LOOKALIKE_SCRIPTS)
        if len(in_word) > 1:
            target = _word_script(chunk, scripts, in_word, evidence)
        elif in_word and _disguised_word(chunk, scripts, main, evidence):
            target = main
        else:
            continue
        out = list(chunk)
        for i, (ch, script) in enumerate(zip(chunk, scripts, strict=True)):
            if script is None or script == target or script not in LOOKALIKE_SCRIPTS:
                continue
            lookalike = lookalike_in(ch, target)
            if lookalike:
                out[i] = lookalike
                read[script, target] += 1
        chunks[at] = "".join(out)
    return "".join(chunks), read


def _disguised_word(
    chunk: str, scripts: list[str | None], main: str, evidence: dict[str, tuple[int, int]]
) -> bool:
    """A word wholly in another script than the name's `main` one, every letter a look-alike
    of `main`'s, in a name where `main` writes a letter no other script does and the word's
    script none — and `main` is Latin. A whole Latin word in a Cyrillic or Greek name ("Сергей
    Ali") is a Latin spelling, not a disguise: read as Cyrillic, Ali became "аӏі"."""
    script = next(s for s in scripts if s in LOOKALIKE_SCRIPTS)
    return (
        main == "Latin"
        and script != main
        and evidence[main][0] > 0
        and evidence[script][0] == 0
        and all(lookalike_in(ch, main) for ch, s in zip(chunk, scripts, strict=True) if s)
    )


def _script_evidence(
    letters: list[tuple[str, str]], present: set[str]
) -> dict[str, tuple[int, int]]:
    """How surely the name is written in each script: its letters that look like no letter of
    the other scripts (`u`, `m`, `П`, `ш`: only that script writes them), then all its letters.

    Look-alikes say nothing of the script meant; the other letters do. "Аbu Вакаr Ва'аsyir"
    has more Cyrillic letters than Latin ones, but each of them could be Latin and `u` cannot
    be Cyrillic; "Пaтpушeв" has Latin `a`, `p`, `e`, and `П`, `ш` only Cyrillic writes.
    """
    distinct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for ch, script in letters:
        total[script] += 1
        if not any(lookalike_in(ch, other) for other in present if other != script):
            distinct[script] += 1
    return {script: (distinct[script], total[script]) for script in present}


def _word_script(
    chunk: str,
    scripts: list[str | None],
    in_word: Counter[str],
    evidence: dict[str, tuple[int, int]],
) -> str:
    """The script a mixed word is written in: one whose look-alikes stand for all the word's
    other letters, the one the name is most surely written in first (`_script_evidence`);
    when none does, the script most of its letters are in."""

    def rank(script: str) -> tuple[int, int, int, bool]:
        return *evidence[script], in_word[script], script == "Latin"

    absorbing = [
        target
        for target in in_word
        if all(
            lookalike_in(ch, target)
            for ch, script in zip(chunk, scripts, strict=True)
            if script in in_word and script != target
        )
    ]
    if absorbing:
        return max(absorbing, key=rank)
    return max(in_word, key=lambda script: (in_word[script], *evidence[script]))


@lru_cache(maxsize=1)
def _spoof_checker() -> icu.SpoofChecker:
    return icu.SpoofChecker()


@lru_cache(maxsize=len(LOOKALIKE_SCRIPTS))
def _letters_by_skeleton(script: str) -> dict[str, list[str]]:
    """The script's letters (without marks) by their ICU confusable skeleton."""
    checker = _spoof_checker()
    found: dict[str, list[str]] = {}
    for ch in icu.UnicodeSet(f"[[:Script={script}:]&[:L:]]"):
        if unicodedata.normalize("NFD", ch) == ch and unicodedata.normalize("NFKC", ch) == ch:
            found.setdefault(checker.getSkeleton(0, ch), []).append(ch)
    return found


@lru_cache(maxsize=4096)
def lookalike_in(ch: str, script: str) -> str:
    """The letter of `script` that `ch` looks like (ICU confusables), or "" for none.

    For Latin only a plain ASCII letter counts, or a small capital read as its letter
    (Cyrillic `н` looks like `ʜ`, H): a Cyrillic `и` looks like a reversed `ᴎ`, which no name
    writes, and is left to transliteration. Case is kept where the skeleton merges it
    (Greek `Ι` is `I`, not `l`).
    """
    candidates = _letters_by_skeleton(script).get(_spoof_checker().getSkeleton(0, ch), [])
    if script == "Latin":
        candidates = [_plain_latin(c) for c in candidates if c.isascii() or _small_capital(c)]
    elif script in _ALPHABETS:
        first, last = _ALPHABETS[script]
        candidates = [c for c in candidates if first <= c <= last]
    ranked = sorted(candidates, key=lambda c: (c.isupper() != ch.isupper(), ord(c)))
    return ranked[0] if ranked else ""


def _small_capital(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(_SMALL_CAPITAL) and len(name) == len(_SMALL_CAPITAL) + 1


def _plain_latin(ch: str) -> str:
    """An ASCII letter as it is, a small capital as its capital letter."""
    return ch if ch.isascii() else unicodedata.name(ch)[-1]


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


# -- Arabic-script words against Latin spellings ------------------------------------------------

#: How well a Latin spelling fits an Arabic-script word (`script_fit`).
NO_FIT, NEAR_FIT, FIT = 0, 1, 2

_HAMZA_SEATS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ی": "ي", "ک": "ك", "ھ": "ه", "ہ": "ه", "ۃ": "ة"}
)
_HARAKAT_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

#: The Latin spellings of each Arabic-script consonant (a romanisation may double any of them:
#: the shadda is not written).
_CONSONANTS = {
    "ب": "b|p", "ت": "t", "ث": "th|s|t", "ج": "j|g|dj|dzh|zh", "ح": "h|kh", "خ": "kh|h|x|k|ch",
    "د": "d", "ذ": "dh|z|d|th", "ر": "r", "ز": "z|s", "س": "s|c|z", "ش": "sh|ch|sch|sj|s",
    "ص": "s|c", "ض": "d|dh|z|th", "ط": "t|th", "ظ": "z|dh|th|d", "غ": "gh|g|r|kh",
    "ف": "f|ph|v", "ق": "q|k|g|c|ck|kk", "ك": "k|c|ck|q|ch|g", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ھ": "h", "ہ": "h", "پ": "p|b", "چ": "ch|tch|c|j", "ژ": "zh|j|z", "گ": "g|k",
    "ڤ": "v|f", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n",
}  # fmt: skip
#: Letters that write a long vowel (or w/y) inside a word, strict spelling first, then the near
#: one (any Latin vowel): Mahmoud fits `محمود`, Muhammad only nearly.
_LONG_VOWELS = {
    "ا": ("(?:a{1,2}|e)", "[aeiouy]{1,2}"),
    "و": ("(?:[ouw]{1,2}|v)", "(?:[aeiouwv]{1,2})"),
    # a short vowel before ي makes a diphthong with i/y (Zaid, Sayed), not with e/ee: Saeed is
    # `سعيد`, not `سيد` (the gap before ي is part of its unit)
    "ي": ("(?:[aeiou]?(?:[iy]{1,2}|j)|ee|e|ie|ei|ey)", "[aeiouyj]{1,2}"),
    "ى": ("(?:[aeiy]{1,2}h?)", "[aeiouy]{1,2}h?"),
}
#: Letter pairs one Latin letter (or cluster) writes: `تش` ch/tch/č, `كس` x.
_PAIRS = {"تش": "(?:tch|tsch|tsh|ch|cz|cs|c)", "كس": "(?:x|ks|cks|cs|kz)"}
#: A word-initial alif before و or ي only carries the vowel they write: `أوتو` Otto, `إيفالدو`
#: Edvaldo (or starts a diphthong: `أيمن` Ayman, `أويس` Uways).
_INITIAL_PAIRS = {
    "او": "[aeiou]?(?:[ouw]{1,2}|v)",
    "اي": "[aeiou]?(?:[iy]{1,2}|ee|e|ie|ei|ey|j)",
}
#: Letters a romanisation writes as a vowel, an apostrophe (dropped) or nothing: ع ء ئ ؤ, and
#: the final ة (Usama, Usamah, Hamzat).
_OPTIONAL = {
    "ع": "[aeiou]{0,2}", "ء": "[aeiou]{0,2}", "ئ": "[aeiouy]{0,2}", "ؤ": "[aeiouw]{0,2}",
    "ة": "(?:[aeiou]{1,2}[ht]?)?", "ۃ": "(?:[aeiou]{1,2}[ht]?)?",
}  # fmt: skip
#: Words that start with `عبد`, `ابو`, `نور`… and an attached article: `عبدالرحمن` is
#: Abdurrahman, Abdelrahman or Abdalrahman — the article's alif any short vowel, its lam
#: assimilated or not.
_ARTICLE_FROM = 3


_COARSE = str.maketrans("cqvpgz", "kkfbjs")


_SOFT_C_RE = re.compile(r"c(?=[eiy])")


@lru_cache(maxsize=200_000)
def coarse_skeleton(latin: str) -> str:
    """A word's consonant skeleton with the letters one script writes for another's merged:
    where Latin and Arabic-script words may meet before `script_fit` decides (Medvedeva
    `ميدفيديفا`: v/ف, Pagnol: p/ب, Michiko `ميتشيكو`: ch/تش, Saxon `ساكسون`: x/كس, Gauci
    `غاوسي`: soft c/س; a final h is dropped: Satoh `ساتو`, Flake `فلاكه`)."""
    out = skeleton(_SOFT_C_RE.sub("s", latin))
    out = out.replace("tc", "c").replace("ts", "c").replace("x", "ks").translate(_COARSE)
    out = _REPEATS_RE.sub(r"\1", out)
    return out[:-1] if out.endswith("h") and len(out) > 1 else out


@lru_cache(maxsize=200_000)
def abjad_form(token: str) -> str:
    """An Arabic-script word without vowel marks, tatweel and article, hamza seats unified:
    the form two spellings of one word share (`أحمد`, `احمد`; `التكريتي`, `تكريتي`)."""
    token = _HARAKAT_RE.sub("", token).translate(_HAMZA_SEATS)
    return _arabic_core(token) if token else token


#: Compiled patterns are ~13 kB a word: the listed Arabic-script words (632 on the UN and OFAC
#: lists) stay cached, a batch's own Arabic-script words come and go.
@lru_cache(maxsize=4096)
def form_patterns(form: str) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Regular expressions over Latin spellings that fit an Arabic-script word's `abjad_form`,
    strictly and nearly; None for a word with letters the table does not know (Hebrew…).

    Arabic writes consonants and long vowels (ا و ي ى) and leaves short vowels out: a Latin
    spelling fits when each long-vowel letter lines up with a Latin vowel of its quality, each
    consonant with one of its romanisations, and Latin writes at most a short vowel where Arabic
    writes nothing. A word-initial Latin vowel needs an alif (or ain) and a word-final one a
    letter (ا ى ي و ة ه), except a silent `e`. Nearly: any vowel for a long-vowel letter, and
    unwritten vowels anywhere.
    """
    if not form or any(
        ch not in _CONSONANTS and ch not in _LONG_VOWELS and ch not in _OPTIONAL for ch in form
    ):
        return None
    strict: list[str] = []
    near: list[str] = []
    at = 0
    bare = True  # Latin writes no short vowel after an alif or ain: `سعد` is not Saeed
    while at < len(form):
        ch, step = form[at], 1
        gap = "" if bare or ch in _OPTIONAL else "[aeiou]?"
        bare = at > 0 and (ch == "ا" or ch in _OPTIONAL)
        near_gap = "[aeiouy]{0,3}"
        if at == 0 and form[:2] in _INITIAL_PAIRS:
            unit = near_unit = _INITIAL_PAIRS[form[:2]]
            step = 2
        elif at == 0 and ch == "ا":
            unit, near_unit = "[aeiou]{1,2}", "[aeiou]{0,2}"
        elif at == 0 and ch == "و":
            unit = near_unit = "(?:w|v|ou|o|u)"
        elif at == 0 and ch == "ي":
            unit = near_unit = "(?:y|j|i)"
        elif form[at : at + 2] in _PAIRS:
            unit = near_unit = _PAIRS[form[at : at + 2]]
            step = 2
        elif ch == "ا" and form[at + 1 : at + 2] == "ل" and _ARTICLE_FROM <= at < len(form) - 3:
            unit = near_unit = "[aeiou]?"
        elif ch == "ل" and form[at - 1 : at] == "ا" and _ARTICLE_FROM < at < len(form) - 2:
            unit = near_unit = "l?"
        elif ch == "ي":
            unit, near_unit = _LONG_VOWELS[ch]
            gap = ""
        elif ch in _LONG_VOWELS:
            unit, near_unit = _LONG_VOWELS[ch]
        elif ch in _OPTIONAL:
            unit = near_unit = _OPTIONAL[ch]
        elif ch == "ه" and at == len(form) - 1:
            unit = near_unit = "h?"
        else:
            alternatives = _CONSONANTS[ch]
            unit = near_unit = f"(?:{alternatives})(?:{alternatives})?"
        strict.append(gap + unit)
        near.append(near_gap + near_unit)
        at += step
    strict.append("e?h?")
    near.append("[aeiouy]{0,2}h?")
    return re.compile("".join(strict)), re.compile("".join(near))


def script_fit(token: str, latin: str) -> int:
    """`FIT` when the Latin spelling fits the Arabic-script word strictly, `NEAR_FIT` when only
    its consonants and vowel positions do, `NO_FIT` otherwise (or when it cannot be told)."""
    return form_fit(abjad_form(token), latin)


def form_fit(form: str, latin: str) -> int:
    """`script_fit` for a word already in its `abjad_form` (the vocabulary keeps those)."""
    patterns = form_patterns(form)
    if patterns is None:
        return NO_FIT
    if patterns[0].fullmatch(latin):
        return FIT
    return NEAR_FIT if patterns[1].fullmatch(latin) else NO_FIT


@lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """A name's words as screening normalises them (`normalise_name`'s steps: unmasked, split,
    transliterated, folded), in no order: how a payment party's name is compared with a case
    subject's names (`SAEED Hafiz Muhammad` / `Hafiz Muhammad Saeed`). The steps, not
    `normalise_name` itself: its part symbols load rigour's name tagger (half a minute on a busy
    machine), which a comparison of words does not use."""
    words = (fold(to_latin(token)) for token in tokens_of(unmask(name).text))
    return tuple(sorted(word for word in words if word))
