"""One alias field that holds several names: `Qasim Soleimani; Qasem Sulaimani; …`.

The UN list packs alternative spellings into one ALIAS_NAME, in three shapes seen in the
snapshots: a plain list (`A; B; C`), a list broken by an enumeration label left over from the
printed list (`A; B b) C; D`), and a name followed by its other spellings in brackets
(`حسن غول (Hassan Ghul; Hassan Gul)`). Each name there is a name of its own. A `;` inside
brackets that do not close the value, and brackets without a `;` (`Al-Qaida in Yemen (AQY)`,
`El Harrachi (الحراشي)`), are left as written: they are one name with a gloss, not a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What separates names at bracket depth 0: `;` or an enumeration label such as ` b) `.
_SEPARATOR = re.compile(r";|\s+[a-z]\)\s+")
_LEADING_LABEL = re.compile(r"^[a-z]\)\s+")
#: `هيئة تحرير الشام (original script)`: a marker saying the name before it is the original.
_SCRIPT_MARKER = re.compile(r"\(\s*original script\s*\)", re.I)


def split_alias_list(text: str) -> list[str]:
    """The names in one alias value, in order, each once; a value with one name is kept."""
    names: list[str] = []
    for piece in _top_level(text):
        for name in _with_spellings(piece):
            cleaned = _clean(name)
            if cleaned and cleaned not in names:
                names.append(cleaned)
    return names


def _top_level(text: str) -> list[str]:
    """Pieces between separators that stand outside any brackets."""
    depths = _depths(text)
    pieces: list[str] = []
    start = 0
    for match in _SEPARATOR.finditer(text):
        if depths[match.start()] == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _depths(text: str) -> list[int]:
    """Bracket depth before each character; a stray `)` (an enumeration label) is ignored."""
    depth = 0
    found: list[int] = []
    for char in text:
        found.append(depth)
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
    return found


def _with_spellings(piece: str) -> list[str]:
    """`name (spelling; spelling)` → the name and each spelling; anything else as it is."""
    piece = piece.strip()
    opened = _closing_bracket_opens_at(piece)
    if opened is None:
        return [piece]
    inner = _top_level(piece[opened + 1 : -1])
    if len(inner) < 2:
        return [piece]
    return [piece[:opened], *(name for part in inner for name in _with_spellings(part))]


def _closing_bracket_opens_at(piece: str) -> int | None:
    """Where the bracket that closes `piece` opens, when `piece` ends with one."""
    if not piece.endswith(")"):
        return None
    depth = 0
    for index in range(len(piece) - 1, -1, -1):
        if piece[index] == ")":
            depth += 1
        elif piece[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return None


def _clean(name: str) -> str:
    name = _LEADING_LABEL.sub("", name.strip())
    return " ".join(_SCRIPT_MARKER.sub("", name).split()).strip(" ;,")


# --- names written in an alias NOTE ---------------------------------------------------------
#
# A UN alias NOTE sometimes names the alias again: in another script (`In Arabic: سيف العدل`,
# `original script: Абу Банат`), as a list of other spellings (`Yunis al-Mauritani; Younis
# al-Mauritani`), or as such a list in brackets inside a remark (`born in 1971 in Samarra, Iraq
# (Ibrahim ‘Awad Ibrahim al-Badri al-Samarrai; …)`). Only those shapes are read as names, and
# only pieces that look like a name: a note is more often a fact (a passport, a birth date).

#: A label that says the text after it, up to a bracket, is the alias written again.
_LABELLED = re.compile(
    r"\(?\b(?:original script|in arabic(?: script)?|transliterations)\s*:\s*([^()]+)\)?", re.I
)
#: `A, B, C (transliterations of original script name)`: a list with a gloss saying what it is.
_GLOSSED = re.compile(r"^([^()]+)\(\s*transliterations of [^()]*\)$", re.I)
#: What a name never holds: digits, a label's colon, the words of a fact about a person.
_NOT_A_NAME = re.compile(
    r"[\d:/]|\b(?:born|passport|d?pob|dob|listed|nationality|issued|expire[sd]|known|"
    r"nom de guerre|name|address|translation|call sign)\b",
    re.I,
)
_MOST_WORDS_IN_A_NAME = 8


@dataclass(frozen=True)
class NoteNames:
    """The names an alias NOTE gives; `complete` when the note says nothing else."""

    names: list[str]
    complete: bool


def names_in_note(note: str) -> NoteNames:
    """The names written in one alias NOTE, in order, each once."""
    text = " ".join(note.split())
    names: list[str] = []
    taken: list[tuple[int, int]] = []
    for start, end, found in (*_labelled(text), *_glossed(text), *_listed(text)):
        if any(start < stop and begin < end for begin, stop in taken):
            continue
        taken.append((start, end))
        names.extend(n for n in found if n not in names)
    rest = "".join(c for i, c in enumerate(text) if not any(a <= i < b for a, b in taken))
    return NoteNames(names, complete=bool(taken) and not re.search(r"\w", rest))


def _labelled(text: str) -> list[tuple[int, int, list[str]]]:
    spans = [(m.start(), m.end(), split_alias_list(m.group(1))) for m in _LABELLED.finditer(text)]
    return [span for span in spans if _all_names(span[2], least=1)]


def _glossed(text: str) -> list[tuple[int, int, list[str]]]:
    match = _GLOSSED.match(text)
    if match is None:
        return []
    found = split_alias_list(match.group(1).replace(",", ";"))
    return [(0, len(text), found)] if _all_names(found, least=2) else []


def _listed(text: str) -> list[tuple[int, int, list[str]]]:
    """The whole note, or a bracketed part of it, as a `;` list of names."""
    groups = [(0, len(text), text)] + [(a, b + 1, text[a + 1 : b]) for a, b in _brackets(text)]
    spans = [(start, end, split_alias_list(inner)) for start, end, inner in groups]
    return [span for span in spans if _all_names(span[2], least=2)]


def _brackets(text: str) -> list[tuple[int, int]]:
    """Where each outermost closed bracket opens and closes."""
    depths = _depths(text)
    opened = [i for i, c in enumerate(text) if c == "(" and depths[i] == 0]
    closes = [i for i, c in enumerate(text) if c == ")" and depths[i] == 1]
    return [(a, min(b for b in closes if b > a)) for a in opened if any(b > a for b in closes)]


def _all_names(pieces: list[str], least: int) -> bool:
    return len(pieces) >= least and all(_is_name(piece) for piece in pieces)


def _is_name(piece: str) -> bool:
    return len(piece.split()) <= _MOST_WORDS_IN_A_NAME and not _NOT_A_NAME.search(piece)
