"""Countries as people write them, to FtM country codes ("Russian Federation" → "ru").

Customer files and payment messages name a country every way there is: ISO 3166 alpha-2 or
alpha-3 codes, English official and common names ("United Kingdom of Great Britain and
Northern Ireland", "UK"), Indonesian and Russian names ("Rusia", "Россия"), demonyms
("Indonesian", "Russian") and former names ("Burma", "USSR"). rigour's territory data (codes,
names, aliases, demonyms, former and disputed territories) reads most of them; babel's CLDR
territory names in English, Indonesian and Russian read the rest, and ISO 3166's own
translations of the official names (the iso-codes data: "Французская Республика",
"Корейская Народно-Демократическая Республика"), read whole. Our own tables hold what
neither library has: `WNI`, the Indonesian customer file's "Indonesian citizen" (Warga Negara
Indonesia), and the official Indonesian names, whose state's form comes first ("Federasi
Rusia", "Kerajaan Arab Saudi"): it is read past, except where it tells two states apart
("Republik Demokratik Rakyat Korea" is North Korea, "Republik Korea" South Korea). ISO 3166's
numeric codes (`643`, `364`: payment systems and Russian banks' OKSM write them) are read from
the iso-codes data.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import logging
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from rigour.territories import (
    get_territory,
    lookup_by_identifier,
    lookup_territory,
    territories_intersect,
)
from rigour.territories.util import normalize_territory_name

#: CLDR locales whose territory names are read besides rigour's: the languages of the
#: customer files jalur screens (Indonesian, Russian) and English.
LOCALES = ("en", "id", "ru")
#: Citizenship words of customer files that no library knows (normalised form → FtM code).
CITIZENSHIP = {"wni": "id", "warga negara indonesia": "id", "nkri": "id"}
#: Words of a state's form that Indonesian official names put before the country's name
#: ("Federasi Rusia", "Kerajaan Arab Saudi", "Republik Demokratik Rakyat Laos"): read past,
#: one at a time, when the whole names no country.
STATE_FORM_WORDS = frozenset({
    "republik", "kerajaan", "federasi", "kesultanan", "keamiran", "negara", "kesatuan", "persatuan",
    "islam", "arab", "rakyat", "federal", "sosialis", "demokratik", "uni",
})  # fmt: skip
#: Names two states share once the form is read past (North and South Korea, the two Congos,
#: the People's Republic and the Republic of China): only their full official names are read.
DIVIDED_NAMES = frozenset({"korea", "kongo", "congo", "tiongkok", "cina", "china"})
#: Official names whose form tells two states apart, and Russian long forms neither library has.
OFFICIAL_NAMES = {
    "republik demokratik rakyat korea": "kp", "republik rakyat demokratik korea": "kp",
    "republik korea": "kr", "republik demokratik kongo": "cd", "republik kongo": "cg",
    "republik rakyat tiongkok": "cn", "republik rakyat cina": "cn", "republik tiongkok": "tw",
    "persatuan kerajaan britania raya dan irlandia utara": "gb",
    "исламская республика иран": "ir", "сирийская арабская республика": "sy",
    "кыргызская республика": "kg", "азербайджанская республика": "az", "республика ирак": "iq",
    "республика турция": "tr", "государство ливия": "ly", "кнр": "cn",
}  # fmt: skip
#: Where ISO 3166's official names and their translations are read from, first found first:
#: pycountry's copy of the iso-codes data where pycountry is installed, else the system's
#: (Debian's and Ubuntu's `iso-codes` package): (the JSON of ISO 3166-1, the folder of its
#: gettext catalogues, the catalogues' domain).
ISO_CODES_PLACES = (
    ("pycountry", "databases/iso3166-1.json", "locales", "iso3166-1"),
    ("/usr/share", "iso-codes/json/iso_3166-1.json", "locale", "iso_3166-1"),
)
#: FtM's code for "no particular country" (global, unknown): says nothing about a party.
_UNKNOWN = "zz"
_log = logging.getLogger(__name__)


def country_code(text: str | None) -> str | None:
    """The FtM country code of a code, name or demonym in any of those forms; None if none."""
    return _code(" ".join(text.split())) if text else None


@lru_cache(maxsize=16_384)
def _code(text: str) -> str | None:
    if not text:
        return None
    if len(text) == 3 and text.isascii() and text.isdigit():
        return _numeric_codes().get(text)
    key = normalize_territory_name(text)
    if key in CITIZENSHIP:
        return CITIZENSHIP[key]
    words = text.casefold().split()
    if (official := OFFICIAL_NAMES.get(" ".join(words))) is not None:
        return official
    code = _named(text)
    while code is None and len(words) > 1 and words[0] in STATE_FORM_WORDS:
        words = words[1:]
        if " ".join(words) not in DIVIDED_NAMES:
            code = _named(" ".join(words))
    return code


@cache
def _numeric_codes() -> dict[str, str]:
    """ISO 3166-1 numeric code → alpha-2 (`364` → `ir`), from the iso-codes data: payment
    systems and Russian banks' exports (OKSM) write a country as its number (`643`). Empty
    where there is no iso-codes data (a number then names no country, as before)."""
    source = official_names_source()
    if source is None:
        return {}
    try:
        entries = json.loads(source[0].read_text(encoding="utf-8"))["3166-1"]
    except (OSError, ValueError, KeyError) as error:
        _log.warning("iso-codes data at %s unreadable: %s", source[0], error)
        return {}
    return {e["numeric"]: e["alpha_2"].lower() for e in entries if "numeric" in e}


def _named(text: str) -> str | None:
    """The code of a country's name as rigour or CLDR knows it."""
    territory = lookup_territory(text)
    if territory is None and (code := _cldr_names().get(_key(text))) is not None:
        territory = lookup_by_identifier(code)
    code = territory.ftm_country if territory is not None else None
    return None if code == _UNKNOWN else code


def _key(name: str) -> str:
    """A name as the tables of names by language are keyed: rigour's normal form of it, with
    `ё` as `е` (most keyboards and registers write `Соединенное`) and no stress marks
    (`Респу́блика`, as dictionaries and ISO's Russian catalogue write it)."""
    plain = unicodedata.normalize("NFD", name).replace("\u0301", "")
    plain = unicodedata.normalize("NFC", plain).replace("ё", "е").replace("Ё", "Е")
    return normalize_territory_name(plain)


@cache
def _cldr_names() -> dict[str, str]:
    """Territory names by language → ISO alpha-2 code: CLDR's names, then ISO 3166's
    official names and their translations into `LOCALES` (each a whole name: a form that
    tells two states apart is never read past here)."""
    names: dict[str, str] = {}
    for locale in LOCALES:
        for code, name in Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_key(name), code.lower())
    for name, code in _official_names():
        names.setdefault(_key(name), code)
    return names


@cache
def official_names_source() -> tuple[Path, Path, str] | None:
    """The iso-codes data read for official names (its ISO 3166-1 JSON, the folder of its
    catalogues, their domain); None where none of `ISO_CODES_PLACES` has it."""
    for root, database, locales, domain in ISO_CODES_PLACES:
        base = _package_folder(root) if not root.startswith("/") else Path(root)
        if base is not None and (base / database).is_file() and (base / locales).is_dir():
            return base / database, base / locales, domain
    _log.info("no iso-codes data (pycountry or the system's): official names in CLDR only")
    return None


def _package_folder(name: str) -> Path | None:
    """The folder of an installed package, without importing it; None where it is not."""
    spec = importlib.util.find_spec(name)
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def _official_names() -> list[tuple[str, str]]:
    """(official name, alpha-2 code) in English and in each of `LOCALES` from the iso-codes
    data; [] where there is none or it cannot be read (CLDR's names still serve)."""
    source = official_names_source()
    if source is None:
        return []
    database, locales, domain = source
    try:
        entries = json.loads(database.read_text(encoding="utf-8"))["3166-1"]
    except (OSError, ValueError, KeyError) as error:
        _log.warning("iso-codes data at %s unreadable: %s", database, error)
        return []
    official = [(e["official_name"], e["alpha_2"].lower()) for e in entries if "official_name" in e]
    names = list(official)
    for locale in LOCALES:
        catalogue = gettext.translation(domain, str(locales), [locale], fallback=True)
        names.extend((catalogue.gettext(name), code) for name, code in official)
    return names


@lru_cache(maxsize=65_536)
def countries_related(code: str, others: frozenset[str]) -> bool | None:
    """Whether a country agrees with any of `others` though no code is the same.

    True where one lies within or is claimed as part of another (Scotland and the United
    Kingdom, Crimea and Ukraine); None where one is a former country the other succeeded
    (the USSR and Russia: a person born in one holds the other's papers, no evidence either
    way); False otherwise.
    """
    if territories_intersect([code], others):
        return True
    left = get_territory(code)
    for other in others:
        right = get_territory(other)
        if left is None or right is None:
            continue
        if right in left.successors or left in right.successors:
            return None
    return False


#: What separates the countries of a field that names several (dual nationality: `RU; UA`,
#: `RU/UA`, `RU | UA`): each part is read on its own. `N/A` is no pair of countries.
_SEPARATORS = re.compile(r"\s*(?:[;|\\]|(?<!\bn)/(?!a\b))\s*", re.IGNORECASE)
#: Words that join the countries of a field (`Russia and Ukraine`, `Rusia dan Ukraina`,
#: `Россия и Украина`): between countries they name none (`and` was read as Andorra's AND).
JOINING_WORDS = frozenset({"and", "&", "or", "dan", "atau", "и", "или"})
#: What parts a field's words: spaces, and the hyphens, brackets and parentheses between a
#: core system's code and its name (`ID-INDONESIA`, `INDONESIA (ID)`, `[RU] Russia`).
_WORD_BREAKS = re.compile(r"[\s\-–()\[\]]+")
#: A field of more parts (or words) than this is no list of a customer's countries: it is read
#: whole, never split (a 1 MB cell split a million ways was a million lookups).
MAX_COUNTRY_PARTS = 16


def country_codes(text: str | None) -> tuple[str, ...]:
    """Every FtM country code a field names (`RU; UA`, `Russia, Ukraine`, `RU UA`), in its
    order and once each; () when it names none. A field that reads whole is one country
    (`Korea, Republic of`, `Bosnia and Herzegovina`)."""
    return _countries(" ".join(text.split()))[0] if text else ()


def unread_countries(text: str | None) -> tuple[str, ...]:
    """The parts of a field that name no country (`Atlantis` of `RU; Atlantis`); the whole
    field when it names none."""
    return _countries(" ".join(text.split()))[1] if text else ()


@lru_cache(maxsize=16_384)
def _countries(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the codes a field names, its parts that name none)."""
    if not text:
        return (), ()
    if (whole := _code(text)) is not None:
        return (whole,), ()
    parts = [part for part in _SEPARATORS.split(text) if part.strip(" ,")]
    if not 1 < len(parts) <= MAX_COUNTRY_PARTS:
        parts = [text]
    codes: list[str] = []
    unread: list[str] = []
    for part in parts:
        found = _part_codes(part.strip(" ,"))
        codes.extend(code for code in found if code not in codes)
        if not found:
            unread.append(part.strip(" ,"))
    return tuple(codes), tuple(unread)


def _part_codes(part: str) -> list[str]:
    """The codes of one part: the part whole, else each of its comma-separated pieces, else
    each run of its words (`RU UA`, `Arab Saudi Yaman`) — a split only where every piece
    names a country, so a piece of one name (`Korea` of `Korea, DPRK`, `Congo` of
    `Democratic Republic Congo`) is never read as a country of its own."""
    if (whole := _code(part)) is not None:
        return [whole]
    pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
    if 1 < len(pieces) <= MAX_COUNTRY_PARTS and not _divided(pieces):
        found = [_part_codes(piece) for piece in pieces]
        return [code for codes in found for code in codes] if all(found) else []
    if len(pieces) > 1:
        return []
    words = [word for word in _WORD_BREAKS.split(part) if word]
    if len(words) > 1 and (whole := _code(" ".join(words))) is not None:
        return [whole]  # `Korea-Selatan`
    return _word_runs([word for word in words if word.casefold() not in JOINING_WORDS])


def _divided(pieces: list[str]) -> bool:
    """Whether a piece is a name two states share (`Korea`, `Congo`): the pieces are then one
    name, never split (`Korea, DPRK` and `Korea DPR` are North Korea, not two countries)."""
    return any(piece.casefold() in DIVIDED_NAMES for piece in pieces)


def _word_runs(words: list[str]) -> list[str]:
    """The codes of a field's words read as runs, the longest first from the left; [] where
    a word belongs to no run naming a country."""
    if not 1 < len(words) <= MAX_COUNTRY_PARTS:
        return []
    codes: list[str] = []
    start = 0
    while start < len(words):
        for end in range(len(words), start, -1):
            run = words[start:end]
            text = " ".join(run)
            if end - start < len(words) and not _divided([text]) and (code := _code(text)):
                codes.append(code)
                start = end
                break
        else:
            return []
    return codes
