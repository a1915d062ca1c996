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
