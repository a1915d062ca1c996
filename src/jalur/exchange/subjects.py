"""What identifies a subject across agencies: names (all scripts, all aliases), birth dates and
identifiers, reduced to comparable keys.

Two FIUs write the same person differently: Cyrillic or Latin, Arabic without vowels, given
name first or last, with or without a passport number. These keys feed linking of imported
entities, the choice of related payments, and the privacy-preserving encodings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from rigour.text.scripts import text_scripts
from rigour.text.translit import ascii_text

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Name properties used for matching; `weakAlias` (nicknames like "Abu Bakar") is left out
#: because it links unrelated people far more often than it finds the same one.
NAME_PROPS = ("name", "alias", "previousName", "firstName", "lastName")
#: Identifier properties that name a programme or a database record, not the subject.
_NOT_SUBJECT_IDS = frozenset({"programId", "sayariId", "candidateSimilars"})


#: The schemata that are parties themselves (as `jalur.lists` counts entries).
SUBJECT_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "PublicBody"}
)


def is_subject(entity: EntityProxy) -> bool:
    return entity.schema.name in SUBJECT_SCHEMATA


@dataclass(frozen=True)
class SubjectKeys:
    """The comparable keys of one subject."""

    entity_id: str
    names: tuple[tuple[str, ...], ...]  # each name as normalised tokens
    birth_dates: tuple[str, ...]  # ISO prefixes as given: 1960, 1960-05, 1960-05-12
    identifiers: tuple[str, ...]  # upper-case letters and digits only
    vowelless: tuple[bool, ...] = ()  # per name: written in a script without short vowels


#: Scripts that do not write short vowels (abjads): their transliterations drop them.
ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana", "Nko"})


def is_vowelless(text: str) -> bool:
    return bool(text_scripts(text) & ABJADS)


def name_tokens(text: str) -> tuple[str, ...]:
    """`Абу Русдан` → ('abu', 'rusdan'): transliterated (rigour), lower case, letters/digits.

    Arabic tā' marbūṭa (ة) is read as the `a`/`ah` that Latin spellings write (`Usama`,
    `Hamzah`), not as the `t` a letter-by-letter transliteration gives. Ḍād (ض) and ẓāʾ (ظ)
    are written `dh` as ذ is, not the plain `d` of د or the `z` of ز: Arabic spellings read
    them `d`/`dh` (`Fadl`, `Fadhl`, `Hafidh`), Persian, Pashto and Urdu ones `z` (`Fazl`,
    `Hafiz`, `Zawahiri`), so the encoder must know the letter was one of these to read it both
    ways (`encode.readings`). ʿAyn (ع), which the transliteration drops or turns into a word
    break (`ly`, `s yd`), is read as the vowel Latin spellings write for it (`aly` ~ `Ali`,
    `amran` ~ `Imran`, `sayd` ~ `Said`), as alif is.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ة", "ه").replace("ض", "ذ").replace("ظ", "ذ").replace("ع", "ا")
    latin = ascii_text(text).lower()
    return tuple(t for t in _NON_ALNUM.split(latin) if t)


def name_key(text: str) -> str:
    """Order-free key of a name for exact comparison: sorted tokens joined by spaces."""
    return " ".join(sorted(name_tokens(text)))


def identifier_key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", ascii_text(text).upper())


def subject_keys(entity: EntityProxy) -> SubjectKeys:
    names: list[tuple[str, ...]] = []
    vowelless: list[bool] = []
    for prop in NAME_PROPS:
        for value in entity.get(prop, quiet=True):
            tokens = name_tokens(value)
            if tokens and tokens not in names:
                names.append(tokens)
                vowelless.append(is_vowelless(value))
    if entity.schema.is_a("Person"):
        first, last = entity.get("firstName", quiet=True), entity.get("lastName", quiet=True)
        for given in first:
            for family in last:
                full = name_tokens(f"{given} {family}")
                if full and full not in names:
                    names.append(full)
                    vowelless.append(is_vowelless(given + family))
    dates = tuple(sorted({d[:10] for d in entity.get("birthDate", quiet=True) if d}))
    identifiers = tuple(
        sorted(
            {
                key
                for prop in entity.schema.properties.values()
                if prop.type == registry.identifier and prop.name not in _NOT_SUBJECT_IDS
                for value in entity.get(prop, quiet=True)
                if len(key := identifier_key(value)) >= 4
            }
        )
    )
    return SubjectKeys(str(entity.id), tuple(names), dates, identifiers, tuple(vowelless))
