"""Name normalisation: a raw name becomes tagged, transliterated parts ready to compare.

Each part keeps what it was written as, its Latin keys (see `jalur.screening.text`), a tag
(honorific, particle, patronymic, legal form, given, family, or plain name) and rigour's name
symbols (Wikidata ids of given names and surnames, which bridge scripts: محمد and Mohamed share
one). The tag sets how much the part counts when names are compared: "H." and "Haji" nothing,
"bin" and "Abu" a little, "Wiranto" fully.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from rigour.names import NameTypeTag, analyze_names, extract_org_types

from jalur.screening.lexicon import SymbolLexicon
from jalur.screening.text import fold, is_abjad, skeleton, to_latin, tokens_of, unmask

#: A single word rigour calls a legal form is tagged one only from this length ("Aktiengesell-
#: schaft", "Sociedad"); short ones ("EP", "AO") are often the name itself (`EP-IAB`), and the
#: common short forms are in data/nameparts.toml anyway.
LONG_LEGAL_FORM = 6
#: A name longer than this is cut: no real name has more parts, and queries stay bounded.
MAX_PARTS = 24

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset({"Organization", "Company", "PublicBody"})


class PartTag(StrEnum):
    """What a name part is."""

    NAME = "name"
    GIVEN = "given"
    FAMILY = "family"
    PATRONYMIC = "patronymic"
    HONORIFIC = "honorific"
    PARTICLE = "particle"
    KUNYA = "kunya"
    LEGAL_FORM = "legal_form"


class NameKind(StrEnum):
    """Whose name it is, as far as we know: it decides which part tags apply."""

    PERSON = "person"
    ORG = "org"
    ANY = "any"


def kind_of(schema: str | None) -> NameKind:
    if schema in PERSON_SCHEMATA:
        return NameKind.PERSON
    if schema in ORG_SCHEMATA:
        return NameKind.ORG
    return NameKind.ANY


#: The least part weight of a word that carries a name (name, given, family, kunya), as
#: opposed to honorifics, particles, patronymics and legal forms.
INFORMATIVE = 0.7

#: A query word's identity for caches: its key, its ASCII spelling and its name symbols.
WordLookup = tuple[str, str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class NamePart:
    """One word of a name with its comparison keys."""

    text: str
    latin: str
    fold: str
    skeleton: str
    abjad: bool
    tag: PartTag
    symbols: frozenset[str]

    @property
    def key(self) -> str:
        """The identity of the part in the index: its fold, or its skeleton for abjad script."""
        return "@" + self.skeleton if self.abjad else self.fold

    @property
    def lookup(self) -> WordLookup:
        """What a query word's expansion depends on: more than its `key`.

        Two words with one key (Arabic `إياد` and `عايد` share the skeleton) can differ in
        spelling and rigour symbols, and so in the listed words they stand for; caching
        expansions by `key` alone made a query's hits depend on the queries before it.
        """
        return (self.key, self.latin, self.symbols)


@dataclass(frozen=True, slots=True)
class Name:
    """A normalised name: the text as given and its parts in order."""

    text: str
    kind: NameKind
    parts: tuple[NamePart, ...]
    #: The disguises undone before the name was split (`text.unmask`): "removed 2 invisible
    #: characters", "3 Cyrillic look-alike letters read as Latin"…; empty for most names.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartRules:
    """The declarative name-part lists (data/nameparts.toml)."""

    weights: dict[PartTag, float]
    honorifics: frozenset[str]
    particles: frozenset[str]
    kunyas: frozenset[str]
    legal_forms: frozenset[str]
    patronymic_suffixes: tuple[str, ...]


@lru_cache(maxsize=1)
def part_rules() -> PartRules:
    raw = tomllib.loads(
        resources.files("jalur.screening").joinpath("data/nameparts.toml").read_text("utf-8")
    )
    weights = dict.fromkeys(PartTag, 1.0)
    for tag in (
        PartTag.HONORIFIC,
        PartTag.PARTICLE,
        PartTag.KUNYA,
        PartTag.PATRONYMIC,
        PartTag.LEGAL_FORM,
    ):
        weights[tag] = float(raw[tag.value]["weight"])
    return PartRules(
        weights=weights,
        honorifics=frozenset(raw["honorific"]["tokens"]),
        particles=frozenset(raw["particle"]["tokens"]),
        kunyas=frozenset(raw["kunya"]["tokens"]),
        legal_forms=frozenset(raw["legal_form"]["tokens"]),
        patronymic_suffixes=tuple(raw["patronymic"]["suffixes"]),
    )


def part_weight(tag: PartTag) -> float:
    return part_rules().weights[tag]


def normalise_name(
    text: str,
    schema: str | None = None,
    given: tuple[str, ...] = (),
    family: tuple[str, ...] = (),
) -> Name:
    """Split, transliterate and tag a name; `given`/`family` are known parts (FtM firstName…).

    The name is first `unmask`ed (invisible characters, look-alike letters…), on the list's
    side as on the query's, and what that undid is kept in `Name.notes`.
    """
    kind = kind_of(schema)
    unmasked = unmask(text)
    tokens = tokens_of(unmasked.text)[:MAX_PARTS]
    legal = (
        _legal_form_words(unmasked.text)
        if kind is not NameKind.PERSON and len(tokens) > 1
        else set()
    )
    given_keys = {fold(to_latin(t)) for g in given for t in tokens_of(unmask(g).text)}
    family_keys = {fold(to_latin(t)) for f in family for t in tokens_of(unmask(f).text)}
    parts = []
    for position, token in enumerate(tokens):
        part = _part(token, kind, position, len(tokens))
        if part.tag is PartTag.NAME and token in legal:
            part = _retag(part, PartTag.LEGAL_FORM)
        elif part.tag is PartTag.NAME and part.fold in family_keys:
            part = _retag(part, PartTag.FAMILY)
        elif part.tag is PartTag.NAME and part.fold in given_keys:
            part = _retag(part, PartTag.GIVEN)
        if part.latin or part.symbols:
            parts.append(part)
    if parts and all(p.tag in _NOT_THE_NAME for p in parts):
        # "Haji Sahib", "Shaykh Sahib": a name made of forms of address is the name itself
        parts = [_retag(p, PartTag.NAME) if p.tag is PartTag.HONORIFIC else p for p in parts]
    return Name(text=text, kind=kind, parts=tuple(parts), notes=unmasked.notes)


#: Tags of parts that say how someone is addressed or related, not who they are.
_NOT_THE_NAME = frozenset({PartTag.HONORIFIC, PartTag.PARTICLE, PartTag.KUNYA})


def _legal_form_words(text: str) -> set[str]:
    """Words of the legal forms rigour finds written out: "Aktiengesellschaft", "Limited
    Liability Company", "общество с ограниченной ответственностью", "Sociedad Anonima".

    They are tagged (so they weigh little and drop out of the joined form), not replaced by
    rigour's short form: a misspelt legal form ("Limited Liablity Company") is not found, and
    a replacement on one side only would leave its words unmatched.
    """
    if len(text) > 1000:  # not a name; rigour's automaton is linear, but no need
        return set()
    words: set[str] = set()
    for phrase, _ in extract_org_types(text.casefold()):
        tokens = tokens_of(phrase)
        if len(tokens) > 1 or (tokens and len(tokens[0]) >= LONG_LEGAL_FORM):
            words.update(tokens)
    return words


def _retag(part: NamePart, tag: PartTag) -> NamePart:
    return NamePart(part.text, part.latin, part.fold, part.skeleton, part.abjad, tag, part.symbols)


def _part(token: str, kind: NameKind, position: int, count: int) -> NamePart:
    base = _base_part(token)
    tag = _tag(base.latin, kind, position, count)
    return base if tag is PartTag.NAME else _retag(base, tag)


def _base_part(token: str) -> NamePart:
    lexicon = _QUERY_LEXICON.get()
    if lexicon is not None and token not in _KNOWN_SYMBOLS:
        listed = lexicon.symbols(token)
        if listed is not None:  # not remembered: other indexes list other symbols
            latin, folded, skeletal, abjad = _spelling(token)
            return NamePart(token, latin, folded, skeletal, abjad, PartTag.NAME, listed)
    return _analysed_part(token)


@lru_cache(maxsize=200_000)
def _analysed_part(token: str) -> NamePart:
    latin, folded, skeletal, abjad = _spelling(token)
    return NamePart(token, latin, folded, skeletal, abjad, PartTag.NAME, _symbols(token))


@lru_cache(maxsize=200_000)
def _spelling(token: str) -> tuple[str, str, str, bool]:
    latin = to_latin(token)
    return latin, fold(latin), skeleton(latin), is_abjad(token)


def _tag(latin: str, kind: NameKind, position: int, count: int) -> PartTag:
    rules = part_rules()
    if kind is not NameKind.ORG and count > 1 and latin in rules.honorifics:
        return PartTag.HONORIFIC
    if kind is not NameKind.PERSON and count > 1 and latin in rules.legal_forms:
        return PartTag.LEGAL_FORM
    if count > 1 and latin in rules.particles:
        return PartTag.PARTICLE
    if count > 1 and latin in rules.kunyas:
        return PartTag.KUNYA
    if kind is not NameKind.ORG and latin.endswith(rules.patronymic_suffixes):
        return PartTag.PATRONYMIC
    return PartTag.NAME


#: Words whose rigour symbols are known: every word analysed in this process, and those a
#: stored screening index brings (`remember_symbols`). rigour builds its name tagger on its
#: first call (seconds); a process that screens listed words from a stored index never needs it.
_KNOWN_SYMBOLS: dict[str, frozenset[str]] = {}
#: Words remembered at most (a customer file of millions of rows brings many one-off words).
MAX_KNOWN_SYMBOLS = 400_000


#: The lexicon of the index a query is screened against (`query_symbols`), if it has one.
_QUERY_LEXICON: ContextVar[SymbolLexicon | None] = ContextVar("query_lexicon", default=None)


@contextmanager
def query_symbols(lexicon: SymbolLexicon | None) -> Iterator[None]:
    """Names normalised meanwhile are queries against the index `lexicon` was built for.

    A word whose symbols are not known then takes them from the lexicon, only those some
    listed word carries (which are all that a query word's symbols act through), without
    building rigour's tagger. Listed names are never normalised so: their symbols are kept.
    """
    reset = _QUERY_LEXICON.set(lexicon)
    try:
        yield
    finally:
        _QUERY_LEXICON.reset(reset)


def known_symbols() -> dict[str, frozenset[str]]:
    """The symbols of every word analysed so far (for storing beside a screening index)."""
    return dict(_KNOWN_SYMBOLS)


def remember_symbols(symbols: dict[str, frozenset[str]]) -> None:
    """Take the symbols of words analysed by another process (a stored screening index)."""
    _KNOWN_SYMBOLS.update(symbols)


def _symbols(token: str) -> frozenset[str]:
    """rigour's NAME symbols (Wikidata given-name / family-name ids) for a single word."""
    found = _KNOWN_SYMBOLS.get(token)
    if found is None:
        found = _rigour_symbols(token)
        if len(_KNOWN_SYMBOLS) < MAX_KNOWN_SYMBOLS:
            _KNOWN_SYMBOLS[token] = found
    return found


def _rigour_symbols(token: str) -> frozenset[str]:
    if len(token) > 40:
        return frozenset()
    found: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [token], phonetics=False, consolidate=False):
        for span in name.spans:
            if len(span.parts) == 1 and str(span.symbol.category).endswith("NAME"):
                found.add(str(span.symbol.id))
    return frozenset(found)
