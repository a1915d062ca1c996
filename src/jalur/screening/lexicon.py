"""rigour's name symbols of a query word, without building rigour's name tagger.

A word's name symbols (Wikidata ids of given names and surnames) come from rigour's person
tagger, an automaton over every spelling of every name it knows, which rigour builds at its
first call in each process: seconds, many more than the rest of a cold `screen name`.

A query word's symbols matter only through the listed words that share one
(`Vocabulary._add_symbols`): a symbol no listed word carries changes no expansion, so no score.
The lexicon therefore keeps, for the listed symbols only, every single-word spelling rigour
tags with one, and that spelling's listed symbols as rigour itself gave them when the index
was built. rigour tags a word when its name-normalised form is one of those spellings; the
lexicon normalises the query word the same way (with rigour, without the tagger) and looks
it up. Words rigour splits in two, where a part is such a spelling, are left to rigour.

The spellings are read from rigour's own data, compiled into its extension module; if that
cannot be read, or if the lexicon disagrees with rigour on any word the index was built from,
no lexicon is kept and every word goes to rigour as before.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from rigour.names import NameTypeTag, analyze_names

log = logging.getLogger(__name__)

#: A word longer than this has no symbols (`names._rigour_symbols`).
MAX_WORD = 40
#: Words whose answers a lexicon remembers at most (as `names.MAX_KNOWN_SYMBOLS`).
MAX_ANSWERS = 400_000
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class SymbolLexicon:
    """Listed name symbols by the single-word spellings rigour tags with them.

    Stored as one line per spelling (`spelling TAB symbol symbol…`) and read into a table at
    the first word that needs it: a query of listed words (their symbols are stored beside the
    index) never does, and unpickling one string costs nothing.
    """

    __slots__ = ("_answers", "_table", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._table: dict[str, frozenset[str]] | None = None
        #: Each word's answer, as a batch repeats its words (this index's only: never shared).
        self._answers: dict[str, frozenset[str] | None] = {}

    @classmethod
    def of(cls, spellings: Mapping[str, frozenset[str]]) -> SymbolLexicon:
        lines = (f"{form}\t{' '.join(sorted(symbols))}" for form, symbols in spellings.items())
        return cls("\n".join(sorted(lines)))

    def __reduce__(self) -> tuple[type[SymbolLexicon], tuple[str]]:
        return SymbolLexicon, (self.text,)

    @property
    def spellings(self) -> dict[str, frozenset[str]]:
        """rigour's normalised spelling -> its listed symbols (never empty)."""
        if self._table is None:
            rows = (line.split("\t") for line in self.text.splitlines())
            self._table = {form: frozenset(symbols.split()) for form, symbols in rows}
        return self._table

    def symbols(self, word: str) -> frozenset[str] | None:
        """The word's listed name symbols as rigour would tag them; None when only rigour can
        tell (a word rigour splits into parts, one of which is a listed spelling)."""
        if word in self._answers:
            return self._answers[word]
        found = self._symbols(word)
        if len(self._answers) < MAX_ANSWERS:
            self._answers[word] = found
        return found

    def _symbols(self, word: str) -> frozenset[str] | None:
        if len(word) > MAX_WORD:
            return frozenset()
        forms = _forms(word)
        if forms is None:
            return None
        spellings = self.spellings
        if len(forms) == 1:
            return spellings.get(forms[0], frozenset())
        return None if any(f in spellings for f in forms) else frozenset()


def _forms(word: str) -> tuple[str, ...] | None:
    """The words of rigour's normalised form of `word`, which its tagger searches (None when
    that form and rigour's parts do not line up one to one)."""
    names = analyze_names(
        NameTypeTag.PER, [word], symbols=False, phonetics=False, consolidate=False
    )
    forms: list[str] = []
    for name in names:
        words = name.norm_form.split()
        if len(words) != len(name.parts):
            return None
        forms += words
    return tuple(forms)


def build_lexicon(
    listed: Iterable[str], known: Mapping[str, frozenset[str]]
) -> SymbolLexicon | None:
    """The lexicon of the listed symbols; None when rigour's data cannot be read or the lexicon
    would give any `known` word (analysed by rigour: all listed words) other symbols."""
    start = time.perf_counter()
    wanted = frozenset(listed)
    try:
        aliases: dict[str, list[str]] = {}
        for symbol, forms in _name_aliases(wanted):
            aliases.setdefault(symbol, []).extend(forms)
    except (OSError, ValueError, KeyError) as why:
        log.info("no symbol lexicon: rigour's name data could not be read (%s)", why)
        return None
    lexicon = SymbolLexicon.of(_spellings(aliases, wanted))
    wrong = [w for w, s in known.items() if lexicon.symbols(w) not in (None, s & wanted)]
    if wrong or (not lexicon.spellings and wanted):
        log.info("no symbol lexicon: it disagrees with rigour on %d words", len(wrong))
        return None
    log.info(
        "symbol lexicon: %d spellings of %d listed symbols in %.1f s",
        len(lexicon.spellings), len(wanted), time.perf_counter() - start,
    )  # fmt: skip
    return lexicon


def _spellings(
    aliases: Mapping[str, list[str]], wanted: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Each single-word spelling of a wanted symbol, with the wanted symbols rigour gives it."""
    from rigour.text.normalize import Normalize, normalize

    flags = Normalize.CASEFOLD | Normalize.NAME  # how rigour's tagger normalises its aliases
    spellings = {
        form
        for forms in aliases.values()
        for alias in forms
        if (form := normalize(alias, flags)) and " " not in form
    }
    found: dict[str, frozenset[str]] = {}
    for form in spellings:
        symbols = _tagged(form) & wanted
        if symbols:
            found[form] = symbols
    return found


def _tagged(form: str) -> frozenset[str]:
    """rigour's name symbols of a normalised spelling (no prefix removal: it is one word)."""
    found: set[str] = set()
    names = analyze_names(
        NameTypeTag.PER, [form], phonetics=False, consolidate=False, rewrite=False
    )
    for name in names:
        for span in name.spans:
            if len(span.parts) == 1 and str(span.symbol.category).endswith("NAME"):
                found.add(str(span.symbol.id))
    return frozenset(found)


def _name_aliases(wanted: frozenset[str]) -> Iterator[tuple[str, list[str]]]:
    """(symbol, spellings) of rigour's person names and name parts, for the wanted symbols."""
    frames = list(_data_frames())
    people = [f for f in frames if b" => Q" in f[:4096]]
    parts = [f for f in frames if f.lstrip().startswith(b"{") and b'"person_name_parts"' in f]
    if len(people) != 1 or len(parts) != 1:
        raise ValueError(f"{len(people)} person-name and {len(parts)} name-part tables found")
    for line in people[0].decode("utf-8").splitlines():
        forms, arrow, symbol = line.strip().rpartition(" => ")
        if arrow and symbol in wanted:
            yield symbol, forms.split(", ")
    for key, forms in json.loads(parts[0])["person_name_parts"].items():
        if key.upper() in wanted:
            yield key.upper(), list(forms)


def _data_frames() -> Iterator[bytes]:
    """The zstd-compressed data files compiled into rigour's extension module."""
    import pyarrow as pa
    import rigour._core

    data = Path(rigour._core.__file__ or "").read_bytes()
    start = data.find(_ZSTD_MAGIC)
    while start >= 0:
        size = _frame_size(data, start)
        if size:
            frame = pa.BufferReader(data[start : start + size])
            with contextlib.suppress(OSError):  # the magic bytes by chance, not a frame
                yield pa.CompressedInputStream(frame, "zstd").read()
        start = data.find(_ZSTD_MAGIC, start + 1)


def _frame_size(data: bytes, start: int) -> int:
    """The length of the zstd frame at `start` (RFC 8878 §3.1.1), 0 if it is not one."""
    descriptor = data[start + 4]
    content_size = (0, 2, 4, 8)[descriptor >> 6]
    single_segment = descriptor >> 5 & 1
    if single_segment and not content_size:
        content_size = 1
    position = start + 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[descriptor & 3]
    position += content_size
    while position + 3 <= len(data):
        header = int.from_bytes(data[position : position + 3], "little")
        kind, size = header >> 1 & 3, header >> 3
        if kind == 3:  # reserved block type: not a frame
            return 0
        position += 3 + (1 if kind == 1 else size)
        if header & 1:  # the last block
            return position + (4 if descriptor >> 2 & 1 else 0) - start
    return 0
