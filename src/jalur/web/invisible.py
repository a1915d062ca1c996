"""Characters a page cannot show, named where they would pass unseen.

An account number is an identifier: "ACC-DRUG" and "ACC-DRUG" followed by a zero-width space
are two accounts, drawn alike. Such characters (Unicode's format and control characters: zero
width spaces and joiners, the byte-order mark, direction marks, tabs) come in with data pasted
from documents and with data made to mislead; the value is shown as the data has it, and this
names what it holds that the eye does not see, for the page to say so beside it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

#: Unicode categories drawn as nothing (or as a plain space): format and control characters.
_UNSEEN = frozenset({"Cf", "Cc"})


def invisible_characters(value: Any) -> list[str]:
    """The code points (`U+200B`) of `value`'s characters that cannot be seen, in order, each
    once; none for a value without them (or not text)."""
    if not isinstance(value, str) or value.isprintable():
        return []
    found = (f"U+{ord(c):04X}" for c in value if unicodedata.category(c) in _UNSEEN)
    return list(dict.fromkeys(found))
