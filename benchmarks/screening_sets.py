"""Labelled evaluation sets for screening, all built from third-party data in ../shared/data.

Every set is a list of `Case`s: a query (name, optional birth date / country / schema) against
one candidate (a listed entity or a single name), labelled match / non-match. Cases carry a
`split` ("tune" or "test", by a stable hash of the entity or row) so that defaults are chosen
on one half and reported on the other.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney.proxy import EntityProxy

from jalur.lists import PARSERS, ParseOptions, source_id_of
from jalur.model import make_entity
from jalur.screening import PartTag, normalise_name
from jalur.screening.text import is_abjad, tokens_of

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SUBJECTS = ("Person", "Organization", "Company", "LegalEntity")
NAME_PROPS = ("name", "alias")


@dataclass
class Case:
    query: str
    candidate: str  # key of the candidate entity in the set's `entities`
    match: bool
    kind: str  # alias, typo, dropped, swapped, translit, script, random, hard…
    split: str
    schema: str | None = None
    dob: str | None = None
    country: str | None = None
    #: Positives of the held-out set: whether the query shares any word (fold, consonant
    #: skeleton or rigour name symbol) with the entity's other names; None elsewhere.
    linked: bool | None = None


@dataclass
class EvalSet:
    name: str
    entities: dict[str, EntityProxy] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    note: str = ""


@dataclass
class ListQuery:
    """A query screened against a whole list: its owner's hit is a match, any other a non-match."""

    query: str
    owner: str  # key of the entity that records the name
    kind: str  # exact, exact-script, typo, dropped, swapped, translit
    split: str
    schema: str | None = None
    namesakes: frozenset[str] = frozenset()  # other entities recording the same name: left out


@dataclass
class ScreenedSet:
    """Queries each screened against every entity of a list (ranked hits, not fixed pairs)."""

    name: str
    entities: dict[str, EntityProxy] = field(default_factory=dict)
    queries: list[ListQuery] = field(default_factory=list)
    note: str = ""


def split_of(key: str) -> str:
    return "tune" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


# -- list-alias set -------------------------------------------------------------------------


def list_entities() -> dict[str, list[EntityProxy]]:
    """Subjects of the UN (2026) and OFAC SDN (2021) snapshots, via jalur's own parsers."""
    lists = {
        "un-sc": PARSERS["un"](DATA / "lists/un/consolidated_2026-02-27.xml", ParseOptions()),
        "ofac-sdn": PARSERS["ofac-csv"](DATA / "lists/ofac/sdn_2021", ParseOptions()),
    }
    return {
        name: [e for e in parsed.entities if e.schema.name in SUBJECTS]
        for name, parsed in lists.items()
    }


def _names(entity: EntityProxy) -> list[str]:
    """The entity's names, each once; the UN list records some aliases as `A; B; C`."""
    seen: dict[str, str] = {}
    for prop in NAME_PROPS:
        for value in entity.get(prop, quiet=True):
            for name in value.split(";"):
                if name.strip():
                    seen.setdefault(name.strip().casefold(), name.strip())
    return list(seen.values())


def _clone(entity: EntityProxy, key: str, names: list[str]) -> EntityProxy:
    """The entity under `key` with exactly these names (the first as `name`) and its evidence."""
    clone = make_entity(entity.schema.name, key)
    clone.context = dict(entity.context)
    for number, value in enumerate(names):
        clone.add("alias" if number else "name", value)
    for prop in ("birthDate", "nationality", "country", "topics", "weakAlias"):
        if prop in entity.schema.properties:
            clone.add(prop, entity.get(prop, quiet=True), quiet=True)
    return clone


def _without(entity: EntityProxy, held_out: str, key: str) -> EntityProxy:
    names = [n for n in _names(entity) if n.casefold() != held_out.casefold()]
    return _clone(entity, key, names)


#: Parts that do not make a link between two names on their own ("al", "bin", "Abu", "PT").
_NO_LINK_TAGS = frozenset({PartTag.HONORIFIC, PartTag.PARTICLE, PartTag.KUNYA, PartTag.LEGAL_FORM})


def _word_keys(name: str, schema: str | None) -> set[str]:
    keys: set[str] = set()
    for part in normalise_name(name, schema).parts:
        if part.tag in _NO_LINK_TAGS:
            continue
        keys.add("f:" + part.fold)
        if len(part.skeleton) >= 2:
            keys.add("s:" + part.skeleton)
        keys.update("y:" + symbol for symbol in part.symbols)
    return keys


def name_linked(query: str, names: list[str], schema: str | None) -> bool:
    """Whether any word of `query` has the same fold, skeleton or name symbol as one in `names`.

    A held-out alias without any such link (`Mike Arsalan` for Umar Patek) is another name
    altogether: no name matcher can find it from the entity's other names.
    """
    mine = _word_keys(query, schema)
    return any(mine & _word_keys(name, schema) for name in names)


def list_alias_set(
    entities: list[EntityProxy], label: str, seed: int = 7, limit: int | None = None
) -> EvalSet:
    """Aliases the list itself records, perturbations, and non-matches from the same list.

    Positives: an alias held out of its entity (the entity keeps its other names); the
    entity's primary name perturbed (typos, a dropped part, swapped order, another
    transliteration). Non-matches: the held-out alias against another entity of the same list
    sharing a word with it (same surname, different person) and against a random entity. Pairs
    whose names are identical after case folding are left out: no name matcher can tell them
    apart, and the lists do contain namesakes.
    """
    rng = random.Random(seed)
    note = f"{limit} sampled entities with aliases" if limit else "every entity with aliases"
    out = EvalSet(f"list-alias/{label}", note=note)
    by_word: dict[str, list[str]] = defaultdict(list)
    usable = [e for e in entities if len(_names(e)) >= 2]
    if limit is not None and len(usable) > limit:
        usable = rng.sample(usable, limit)
    for entity in entities:
        out.entities[str(entity.id)] = _clone(entity, str(entity.id), _names(entity))
        for name in _names(entity):
            for word in {w for w in tokens_of(name) if len(w) > 3}:
                by_word[word].append(str(entity.id))
    for entity in usable:
        names = _names(entity)
        held = rng.choice(names[1:])
        key = f"{entity.id}#held"
        out.entities[key] = _without(entity, held, key)
        split = split_of(str(entity.id))
        schema = entity.schema.name
        kind = "script" if is_abjad(held) or not held.isascii() else "alias"
        linked = name_linked(held, [n for n in names if n != held], schema)
        out.cases.append(Case(held, key, True, kind, split, schema, linked=linked))
        for perturbed, pkind in _perturbations(names[0], rng):
            out.cases.append(Case(perturbed, str(entity.id), True, pkind, split, schema))
        for other, nkind in _negatives(entity, held, by_word, entities, rng):
            if held.casefold() not in {n.casefold() for n in _names(other)}:
                out.cases.append(Case(held, str(other.id), False, nkind, split, schema))
    return out


def recorded_alias_set(
    entities: list[EntityProxy], label: str, seed: int = 7, limit: int | None = None
) -> ScreenedSet:
    """The issue's literal set: every recorded name, and perturbations of it, against the list.

    Every name an entity records (incl. original-script names; `A; B` split) is a query, as
    are its perturbations (a typo, a dropped part, swapped order, another transliteration).
    Each query is screened against the whole list (every name of every entity): a hit on the
    entity that records the name is a match, a hit on any other entity a non-match, except
    entities that record the very same name as the recorded name or as the query (as a name,
    alias or weak alias; case, punctuation and word order aside: namesakes no name matcher
    can separate). Unperturbed names are
    trivially in the index; they are kinds `exact` and `exact-script`, so that the set can be
    reported with and without them.
    """
    rng = random.Random(seed)
    note = f"names of {limit} sampled entities" if limit else "every name of every entity"
    out = ScreenedSet(f"recorded-alias/{label}", note=note)
    holders: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        out.entities[str(entity.id)] = _clone(entity, str(entity.id), _names(entity))
        for name in [*_names(entity), *entity.get("weakAlias", quiet=True)]:
            holders[_same_name_key(name)].add(str(entity.id))
    queried = entities
    if limit is not None and len(entities) > limit:
        queried = rng.sample(entities, limit)
    for entity in queried:
        key, schema = str(entity.id), entity.schema.name
        split = split_of(key)
        for name in _names(entity):
            namesakes = frozenset(holders[_same_name_key(name)] - {key})
            exact = "exact-script" if is_abjad(name) or not name.isascii() else "exact"
            out.queries.append(ListQuery(name, key, exact, split, schema, namesakes))
            for perturbed, kind in _perturbations(name, rng):
                # a perturbation can land on another entity's recorded name ("Ali Mohammed
                # Rage" with a part dropped is "Ali Mohammed"): that entity is a namesake too
                also = holders.get(_same_name_key(perturbed), set()) - {key}
                out.queries.append(ListQuery(perturbed, key, kind, split, schema, namesakes | also))
    return out


def _same_name_key(name: str) -> str:
    """A name's words, case-folded, without punctuation, in any order: "ABU-KHALIL" is
    "Abu Khalil", "AWEYES, Hassen Dahir" is "Hassen Dahir Aweyes"."""
    return " ".join(sorted(re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())))


def _negatives(
    entity: EntityProxy,
    held: str,
    by_word: dict[str, list[str]],
    entities: list[EntityProxy],
    rng: random.Random,
) -> Iterator[tuple[EntityProxy, str]]:
    lookup = {str(e.id): e for e in entities}
    sharing = sorted(
        {oid for w in tokens_of(held) if len(w) > 3 for oid in by_word[w]} - {str(entity.id)}
    )
    if sharing:
        yield lookup[rng.choice(sharing)], "hard"
    other = rng.choice(entities)
    if other.id != entity.id:
        yield other, "random"


_TRANSLIT = [
    ("ov", "off"), ("ev", "eff"), ("yu", "iu"), ("ya", "ia"), ("kh", "h"), ("ou", "u"),
    ("u", "ou"), ("ee", "i"), ("sh", "sch"), ("j", "dj"), ("y", "j"), ("ii", "y"), ("q", "k"),
    ("oe", "u"), ("mohammed", "muhammad"), ("abdul", "abd al"), ("al-", "el "),
]  # fmt: skip


def _perturbations(name: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    words = name.split()
    if len(name) >= 6 and name.isascii():
        pos = rng.randrange(1, len(name) - 1)
        edits = [
            name[:pos] + name[pos + 1 :],
            name[:pos] + name[pos + 1] + name[pos] + name[pos + 2 :],
            name[:pos] + rng.choice("aeiounrst") + name[pos + 1 :],
        ]
        yield rng.choice(edits), "typo"
    if len(words) >= 3:
        drop = rng.randrange(1, len(words))
        yield " ".join(words[:drop] + words[drop + 1 :]), "dropped"
    if len(words) >= 2:
        yield " ".join(words[1:] + words[:1]), "swapped"
    lowered = name.lower()
    options = [(a, b) for a, b in _TRANSLIT if a in lowered]
    if options and name.isascii():
        a, b = rng.choice(options)
        yield lowered.replace(a, b, 1), "translit"


# -- public labelled sets ------------------------------------------------------------------


def _named(schema: str, name: str, key: str) -> EntityProxy:
    entity = make_entity(schema if schema in SUBJECTS or schema == "Vessel" else "LegalEntity", key)
    entity.add("name", name)
    return entity


def name_bench() -> EvalSet:
    """nomenklatura's 826 labelled name pairs (name1 queried against name2)."""
    out = EvalSet("nomenklatura-name-bench")
    path = DATA / "names/nomenklatura/name_bench_cases.csv"
    with path.open(encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle)):
            key = f"nb{row_no}"
            out.entities[key] = _named(row["schema"], row["name2"], key)
            out.cases.append(
                Case(row["name1"], key, row["is_match"] == "true", row["case_group"],
                     split_of(key), row["schema"])
            )  # fmt: skip
    return out


def cross_script() -> EvalSet:
    """watchman's 22 cross-script pairs; each query against the other pairs' names = non-match."""
    out = EvalSet("watchman-cross-script", note="negatives: every other pair's Latin name")
    rows = []
    with (DATA / "names/watchman/cross_script_pairs.csv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                query, expected, *_ = line.split(",")
                rows.append((query.strip(), expected.strip()))
    for i, (_, expected) in enumerate(rows):
        out.entities[f"ws{i}"] = _named("Person", expected, f"ws{i}")
    for i, (query, _) in enumerate(rows):
        for j in range(len(rows)):
            out.cases.append(Case(query, f"ws{j}", i == j, "script", split_of(f"ws{i}"), "Person"))
    return out


def transliteration(sample: int = 1500, seed: int = 11) -> EvalSet:
    """Wikidata Latin↔Cyrillic/Arabic name words and Google Arabic→Latin pairs (sampled).

    Negatives pair each native-script word with another row's Latin word (a random shuffle).
    """
    rng = random.Random(seed)
    out = EvalSet("transliteration", note=f"{sample} pairs per file + as many shuffled negatives")
    files = {
        "wd_russian": (DATA / "names/transliteration/wd_russian_20.tsv", "\t", True),
        "wd_arabic": (DATA / "names/transliteration/wd_arabic_20.tsv", "\t", True),
        "google_ar2en": (DATA / "names/transliteration/google_ar2en.txt", "\t", False),
    }
    for label, (path, sep, latin_first) in files.items():
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split(sep)
            if len(cols) >= 2:
                latin, native = (cols[0], cols[1]) if latin_first else (cols[1], cols[0])
                native = native.replace(" ", "") if latin_first else native
                if len(latin.strip(".' ")) >= 3:
                    pairs.append((latin, native))
        chosen = rng.sample(pairs, min(sample, len(pairs)))
        for i, (latin, native) in enumerate(chosen):
            key = f"{label}{i}"
            out.entities[key] = _named("Person", latin, key)
            out.cases.append(Case(native, key, True, label, split_of(key), "Person"))
        for i, (_, native) in enumerate(chosen):
            j = rng.randrange(len(chosen))
            if chosen[j][0] != chosen[i][0]:
                key = f"{label}{j}"
                out.cases.append(Case(native, key, False, label, split_of(f"{key}n{i}"), "Person"))
    return out


def yente_queries() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """yente's UN positives (683 persons) and 50,000 negatives (persons on no list)."""

    def read(name: str) -> list[dict[str, str]]:
        with (DATA / "names/yente" / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return read("positives_un_untreated.csv"), read("negatives_us.csv")


def un_source_id(entity: EntityProxy) -> str | None:
    return source_id_of(entity)
