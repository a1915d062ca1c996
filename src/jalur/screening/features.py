"""Named feature functions: each says one thing about how a query and a listed entry compare.

Name features compare the query with one alias (`NameEvidence` gathers what they need); the
evidence features compare what else the query says (birth date, country, identifier, type)
with the entity. Each returns a value in [-1, 1]; `scoring` weighs them, so the explanation of a
hit is simply the list of features with their values and contributions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from jalur.countries import countries_related, country_codes
from jalur.dates import usable_dates
from jalur.screening.entities import ListedEntity, clean_identifier
from jalur.screening.names import Name, NameKind, PartTag


@dataclass(frozen=True, slots=True)
class Query:
    """What a screening request says about a party, as it was given.

    The birth date and country are kept as written ("1963-1964", "10 Agustus 1972",
    "Russian Federation", "RUS", "RU; UA"); `birth_dates` and `country_codes` are what matching
    reads from them (see `jalur.dates` and `jalur.countries`), `fields.read_query` what a caller
    uses to learn which values could not be read.
    """

    name: str
    birth_date: str | None = None  # 1965, 1965-03-12, 16.07.1965, 1963-1964, "… or …"
    country: str | None = None  # ISO code, name or demonym: RU, RUS, Russia; several: RU; UA
    identifier: str | None = None  # passport, NIK, INN, registration number…
    schema: str | None = None  # Person, Organization, Company, LegalEntity

    @property
    def birth_dates(self) -> tuple[str, ...]:
        """Every birth date the query states, as partial ISO dates (its precision kept)."""
        return usable_dates(self.birth_date)

    @property
    def country_codes(self) -> tuple[str, ...]:
        """Every FtM country code the query's country field names (dual nationality: `RU; UA`),
        () when it names none."""
        return country_codes(self.country)

    @property
    def country_code(self) -> str | None:
        """The first country the query names, None when it names none (`country_codes` holds
        them all)."""
        codes = self.country_codes
        return codes[0] if codes else None


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """How the query's words align with one alias's words (computed once per pair)."""

    query_coverage: float  # share of the query's weight that found a counterpart
    alias_coverage: float  # share of the alias's weight that found a counterpart
    information: float  # summed rarity of the matched query words, capped at 1
    string: float  # whole-name string similarity (word order and spacing ignored)
    weak: bool  # the list calls this alias weak
    pairs: tuple[tuple[str, str, float], ...]  # (query word, alias word, similarity)
    conflict: float = 0.0  # weight left unmatched on BOTH sides (the smaller share)
    common: bool = False  # the match rests on one given name common among customers
    typo: float = 0.0  # share of the name matched only through likely typos (one edit)
    lineage: float = 0.0  # one side's leading given name unmatched, the next one matched


def name_query_coverage(ev: NameEvidence) -> float:
    """How much of the query name (by part weight) the alias accounts for."""
    return ev.query_coverage


def name_alias_coverage(ev: NameEvidence) -> float:
    """How much of the listed alias (by part weight) the query accounts for."""
    return ev.alias_coverage


def name_information(ev: NameEvidence) -> float:
    """How distinctive the matched words are: "Muhammad" alone little, "Hambali" much."""
    return ev.information


def name_string(ev: NameEvidence) -> float:
    """rapidfuzz similarity of the whole names, sorted and concatenated (order, spacing free)."""
    return ev.string


def name_conflict(ev: NameEvidence) -> float:
    """Words left over on both sides: a different given name or patronymic, not a dropped one.

    "Murad Khasanovich Margoshvili" / "Murad Iraklievich Margoshvili" each keep a word the
    other lacks (another person); "Hafiz Muhammad" / "Hafiz Muhammad Saeed" only one side
    does (a shorter spelling of the same name). The smaller of the two unmatched shares.
    """
    return ev.conflict


def name_common(ev: NameEvidence) -> float:
    """The match rests on one word that is a common given name among the people screened.

    "Rahmat" against "Qari RAHMAT" or "Nur" against "NOOR": rare on the lists, so the
    coverage features call it a full match, but one of the most frequent names among
    customers (data/common_names.toml); its weight makes such a hit need a birth date, a
    country or an identifier as well.
    """
    return 1.0 if ev.common else 0.0


def name_typo(ev: NameEvidence) -> float:
    """Share of the name (mean of query and alias sides) matched only by a likely typo.

    "KMI SOK CHOL" / "KIM SOK CHOL", "ISAM ALu MOHAMED ALOUCHE": a word one keystroke from
    its counterpart, too short for the spelling match to see it. Weaker than a spelling match,
    and stronger than a word left over (which `name_conflict` counts against).
    """
    return ev.typo


def name_lineage(ev: NameEvidence) -> float:
    """One name's leading given name has no counterpart while the name after it has one.

    "Saddam Hussein al-Tikriti" against "Uday Saddam Hussein al-Tikriti": in patronymic
    naming (Arabic nasab chains and the like) that is the listed person's father, not the
    listed person; "Uday Saddam Hussein" against "Saddam Hussein" the listed person's son.
    Only for people; a dropped middle or last name does not trigger it.
    """
    return ev.lineage


def weak_alias(ev: NameEvidence) -> float:
    """The list marks the alias as weak (low quality): less trust in a match on it."""
    return 1.0 if ev.weak else 0.0


NAME_FEATURES: dict[str, Callable[[NameEvidence], float]] = {
    "name_query_coverage": name_query_coverage,
    "name_alias_coverage": name_alias_coverage,
    "name_information": name_information,
    "name_string": name_string,
    "name_conflict": name_conflict,
    "name_common": name_common,
    "name_typo": name_typo,
    "name_lineage": name_lineage,
    "weak_alias": weak_alias,
}


def birth_date(query: Query, entity: ListedEntity) -> float:
    """Same day 1.0, same month 0.7, same year 0.5; years more than one apart −1.

    Both sides may state several dates ("1963-1964" is the set of its years, "1972-08-10 or
    1972-08-11" the two alternatives): the best-agreeing pair counts, so one overlap is
    agreement and a conflict needs every pair to conflict.
    """
    dates = query.birth_dates
    if not dates or not entity.birth_dates:
        return 0.0
    return max(_date_agreement(asked, listed) for asked in dates for listed in entity.birth_dates)


def _date_agreement(left: str, right: str) -> float:
    common = min(len(left), len(right))
    if common >= 10 and left[:10] == right[:10]:
        return 1.0
    if common >= 7 and left[:7] == right[:7]:
        return 0.7
    if left[:4] == right[:4]:
        return 0.5
    if left[:4].isdigit() and right[:4].isdigit() and abs(int(left[:4]) - int(right[:4])) <= 1:
        return 0.0  # a year apart: often a data-entry slip, no evidence either way
    return -1.0


def country(query: Query, entity: ListedEntity) -> float:
    """Query country among the entity's nationalities/countries 1.0, none of them −1.

    Within one of them or claimed as part of one (Scotland, Crimea) counts as among them; a
    former country and its successor (USSR, Russia) as neither agreement nor conflict. A
    customer of several nationalities (`RU; UA`) is compared by the best-agreeing one, as
    birth dates are: one agreement is agreement, a conflict needs every one to conflict.
    """
    codes = query.country_codes
    if not codes or not entity.countries:
        return 0.0
    if len(codes) == 1:  # nearly every customer: no generator per listed candidate
        return _country_agreement(codes[0], entity.countries)
    return max(_country_agreement(code, entity.countries) for code in codes)


def _country_agreement(code: str, countries: frozenset[str]) -> float:
    if code in countries:
        return 1.0
    related = countries_related(code, countries)
    return 0.0 if related is None else 1.0 if related else -1.0


def identifier(query: Query, entity: ListedEntity) -> float:
    """The same passport/NIK/INN… 1.0 (strong); the entity lists others and not this one −1."""
    if not query.identifier or not entity.identifiers:
        return 0.0
    cleaned = clean_identifier(query.identifier)
    if len(cleaned) < 4:
        return 0.0
    return 1.0 if cleaned in entity.identifiers else -1.0


#: Listed things that are neither a person nor an organisation: a customer or a payment party
#: who is a person or a company is not one of them (the vessel BELLA is not Ms Bella).
ASSET_SCHEMATA = frozenset({"Vessel", "Airplane", "Vehicle", "Asset", "Security"})


def entity_type(query: Query, entity: ListedEntity) -> float:
    """A person's query against an organisation's or a vessel's entry (and the like) −1."""
    if query.schema is None:
        return 0.0
    asked = _kind(query.schema)
    if asked is NameKind.ANY:
        return 0.0
    if entity.schema in ASSET_SCHEMATA:
        return -1.0
    if entity.kind is NameKind.ANY or asked is entity.kind:
        return 0.0
    return -1.0


def _kind(schema: str) -> NameKind:
    if schema == "Person":
        return NameKind.PERSON
    if schema in ("Organization", "Company", "PublicBody"):
        return NameKind.ORG
    return NameKind.ANY


EVIDENCE_FEATURES: dict[str, Callable[[Query, ListedEntity], float]] = {
    "birth_date": birth_date,
    "country": country,
    "identifier": identifier,
    "entity_type": entity_type,
}


#: Parts often left out of one spelling of a name: not part of the whole-string comparison
#: (the coverage features still count them at their part weight).
_UNSTRUNG = frozenset({PartTag.HONORIFIC, PartTag.PARTICLE, PartTag.PATRONYMIC, PartTag.LEGAL_FORM})


def string_similarity(query: Name, alias: Name) -> float:
    """Whole-name similarity on folded (or, across abjad script, skeleton) keys, 0–1."""
    abjad = any(p.abjad for p in query.parts) or any(p.abjad for p in alias.parts)
    left = [p.skeleton if abjad else p.fold for p in query.parts if p.tag not in _UNSTRUNG]
    right = [p.skeleton if abjad else p.fold for p in alias.parts if p.tag not in _UNSTRUNG]
    if not left or not right:
        return 0.0
    joined = fuzz.ratio("".join(left), "".join(right))
    ordered = fuzz.ratio("".join(sorted(left)), "".join(sorted(right)))
    return max(joined, ordered) / 100.0
