"""Which entities go into a package: the `--entities` query.

Each `--entities` term narrows the selection (terms are ANDed); a comma inside a term means
"any of" (ORed):

    id:ID[,ID…]      entity ids                 list:NAME[,NAME…]  current entries of lists
    topic:T[,T…]     FtM topics (crime.terror)  name:TEXT          one of the subject's names
                                                                   holds every word of TEXT as
                                                                   a whole word (any script)
    ref:R[,R…]         subjects behind the references of this agency's own match offers
    hits:FILE          this agency's subjects found by `jalur exchange match --out FILE`

Subjects come from the current versions of the workspace's lists; the entities that describe
them (Sanction, Identification, Address, …, anything that points at a selected subject) come
along. Entities that arrived from a partner carry that partner's caveats: the export refuses
them unless the sender records the partner's consent (Egmont: no onward dissemination).

A selection can only narrow: a `name:` term that normalises to nothing (`name:-`, `name:%`)
is an error rather than a match of every subject, and words match whole (`name:ali` is not
every Alimov and Khalil). How large an export may be without an explicit `--confirm N` is the
exporter's business (`export.py`); the terms travel in the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from jalur import cases, transactions
from jalur.exchange.errors import ExchangeError
from jalur.exchange.subjects import name_tokens
from jalur.exchange.tables import ensure_tables
from jalur.inputs import file_problem
from jalur.lists import current_entity_rows
from jalur.model import entity_from_dict
from jalur.store import Store

Row = tuple[str, str, str, str | None, list[str], str]
_KINDS = ("id", "list", "topic", "name", "ref", "hits")


@dataclass(frozen=True)
class Selection:
    subjects: list[EntityProxy]
    related: list[EntityProxy]
    lists: dict[str, str]  # entity id → list it came from
    terms: tuple[str, ...] = ()  # the --entities terms that chose them

    @property
    def entities(self) -> list[EntityProxy]:
        return [*self.subjects, *self.related]


def parse_terms(terms: Iterable[str]) -> list[tuple[str, list[str]]]:
    parsed: list[tuple[str, list[str]]] = []
    for term in terms:
        kind, sep, value = term.partition(":")
        if not sep or kind not in _KINDS or not value.strip():
            raise ExchangeError(
                f"--entities {term!r}: expected KIND:VALUE with KIND one of {', '.join(_KINDS)}"
            )
        values = (
            [value.strip()]
            if kind in ("name", "hits")
            else [v.strip() for v in value.split(",") if v.strip()]
        )
        if not values:
            raise ExchangeError(f"--entities {term!r}: no value to select by")
        if kind == "name" and not name_tokens(values[0]):
            raise ExchangeError(
                f"--entities {term!r}: the name has no letters or digits once normalised, so it "
                "would select every subject; give a name"
            )
        parsed.append((kind, values))
    if not parsed:
        raise ExchangeError("select entities with --entities (e.g. topic:crime.terror)")
    return parsed


def select_entities(store: Store, terms: Iterable[str]) -> Selection:
    terms = tuple(terms)
    parsed = parse_terms(terms)
    rows = current_entity_rows(store, subjects_only=True)
    tests = [_test(store, kind, values) for kind, values in parsed]
    chosen = [row for row in rows if all(test(row) for test in tests)]
    if not chosen:
        raise ExchangeError(f"no current list subject matches {' AND '.join(terms)}")
    subjects: dict[str, EntityProxy] = {}
    lists: dict[str, str] = {}
    for row in chosen:
        entity = entity_from_dict(json.loads(row[5]))
        if row[1] in subjects:
            subjects[row[1]].merge(entity)
        else:
            subjects[row[1]], lists[row[1]] = entity, row[0]
    related = _related(store, sorted({r[0] for r in chosen}), set(subjects), lists)
    return Selection(list(subjects.values()), related, lists, terms)


def _test(store: Store, kind: str, values: list[str]) -> Callable[[Row], bool]:
    if kind == "id":
        ids = set(values)
        return lambda row: row[1] in ids
    if kind == "list":
        names = set(values)
        return lambda row: row[0] in names
    if kind == "topic":
        topics = set(values)
        return lambda row: bool(topics & set(row[4] or []))
    if kind == "name":
        wanted = frozenset(name_tokens(values[0]))
        return lambda row: any(wanted <= words for words in _names_of(row))
    pairs = _ref_pairs(store, values) if kind == "ref" else _hit_pairs(Path(values[0]))
    return lambda row: (row[0], row[1]) in pairs


def _names_of(row: Row) -> list[frozenset[str]]:
    """The words of each of the subject's names, one set per name."""
    data = json.loads(row[5])
    props = data.get("properties", {})
    return [
        frozenset(name_tokens(v))
        for p in ("name", "alias", "previousName")
        for v in props.get(p, [])
    ]


def _ref_pairs(store: Store, refs: list[str]) -> set[tuple[str, str]]:
    ensure_tables(store)
    found = store.execute(
        "SELECT ref, list_name, entity_id FROM exchange_offer_refs WHERE ref IN (SELECT unnest(?))",
        [refs],
    ).fetchall()
    missing = set(refs) - {r[0] for r in found}
    if missing:
        raise ExchangeError(f"unknown offer references: {', '.join(sorted(missing))}")
    return {(r[1], r[2]) for r in found}


def _hit_pairs(path: Path) -> set[tuple[str, str]]:
    problem = file_problem(path)
    if problem:  # a FIFO or a device never ends
        raise ExchangeError(f"{path}: not a match result file: {problem}")
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return {(h["local_list"], h["local_entity_id"]) for h in data["hits"]}
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ExchangeError(f"{path}: not a match result file: {exc}") from exc


def _related(
    store: Store, list_names: list[str], ids: set[str], lists: dict[str, str]
) -> list[EntityProxy]:
    """Non-subject entities of the same lists that point at a selected subject, once each
    (one in two lists is merged, as subjects are: a package holds each id once)."""
    related: dict[str, EntityProxy] = {}
    for row in current_entity_rows(store, lists=list_names, subjects_only=False):
        if row[1] in ids or not any(f'"{i}"' in row[5] for i in ids):
            continue
        entity = entity_from_dict(json.loads(row[5]))
        if set(entity.get_type_values(registry.entity)) & ids:
            if row[1] in related:
                related[row[1]].merge(entity)
            else:
                related[row[1]], lists[row[1]] = entity, row[0]
    return list(related.values())


def exchange_provenance(entity: EntityProxy) -> dict[str, Any] | None:
    """The provenance an imported entity carries (None for the agency's own data)."""
    value = entity.context.get("exchange")
    return value if isinstance(value, dict) else None


def case_selection(
    store: Store, case_id: str, details: dict[str, Any]
) -> tuple[Selection, pa.Table]:
    """A case's subjects (with the entities describing them) and its payments: what
    exporting the case sends (`jalur exchange export --case`, `POST /v1/exchange/packages`).
    `details` is the case as `cases.case_details` gives it, read by whoever checked the
    caller may disclose it."""
    found: dict[str, Any] = cases.disclosable(details)
    if found["missing"]:
        raise ExchangeError(
            f"{case_id}: subject(s) {', '.join(found['missing'])} have no entity in the case "
            "(they had left the lists when added); remove them from the case first"
        )
    if not found["subjects"]:
        raise ExchangeError(f"{case_id} holds no subjects to export (add one first)")
    selection = Selection(
        [entity_from_dict(e) for e in found["subjects"]],
        [entity_from_dict(e) for e in found["related"]],
        found["lists"],
        (f"case:{case_id}",),
    )
    return selection, transactions.payments_table(store, found["payments"])
