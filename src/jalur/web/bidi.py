"""Text from partners and lists shown in a page without its direction controls leaking out.

A name may carry Unicode's explicit direction controls: a right-to-left override (U+202E) in a
payer's name, left open, turned the rest of its line around as well — in a case's evidence the
arrow, the payee and the amount after it ("… → Roti Enak · 85,000,000" read backwards). Every
value a template writes is closed here: the embeddings, overrides and isolates it opens are
closed at its end, so each value is shown as its data says and nothing after it is touched.
Nothing is removed (a list's name is shown as published); a value without such controls is
untouched.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

#: Opens an embedding or override (closed by PDF, U+202C): LRE, RLE, LRO, RLO.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
#: Opens an isolate (closed by PDI, U+2069): LRI, RLI, FSI.
_ISOLATES = frozenset("\u2066\u2067\u2068")
_PDF, _PDI = "\u202c", "\u2069"
_CONTROLS = _EMBEDDINGS | _ISOLATES | {_PDF, _PDI}


def closed(value: Any) -> Any:
    """`value` with every direction control it opens closed at its end (Jinja's `finalize`:
    every `{{ … }}` of every page). Markup (a macro's output) is made of values closed already."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    if not _CONTROLS.intersection(value):
        return value
    return value + _closers(value)


def _closers(text: str) -> str:
    """What closes the embeddings and isolates still open at the end of `text`, innermost first
    (as the Unicode bidirectional algorithm pairs them: a PDI closes its isolate and every
    embedding opened inside it; a PDF closes an embedding, never across an isolate)."""
    open_: list[str] = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            open_.append(char)
        elif char == _PDF and open_ and open_[-1] in _EMBEDDINGS:
            open_.pop()
        elif char == _PDI and any(c in _ISOLATES for c in open_):
            while open_.pop() not in _ISOLATES:
                pass
    return "".join(_PDI if c in _ISOLATES else _PDF for c in reversed(open_))
