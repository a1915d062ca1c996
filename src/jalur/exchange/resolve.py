"""Linking imported subjects to this agency's own: the same person, recorded twice, stays twice.

Imported data never overwrites or merges into local entries (the partner's caveats must stay
attached to the partner's statements), so a match becomes a link row an analyst can follow.
The rules are deliberately strict, in order of strength: the same entity id (both loaded the
same public list), a shared identifier (passport, national id, tax number), or the same name
tokens together with the same birth date. Fuzzy candidates belong to screening, not here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from followthemoney.proxy import EntityProxy

from jalur.exchange.subjects import subject_keys
from jalur.lists import current_entity_rows
from jalur.model import entity_from_dict
from jalur.store import Store

EXCHANGE_LIST_PREFIX = "exchange-"
Local = tuple[str, str]  # (list name, entity id)


@dataclass(frozen=True)
class Link:
    entity_id: str  # the imported (namespaced) id
    local_list: str
    local_entity_id: str
    reason: str


@dataclass
class LocalIndex:
    """This agency's own current subjects, indexed by the keys the link rules use."""

    by_id: dict[str, list[Local]]
    by_identifier: dict[str, list[Local]]
    by_name_date: dict[tuple[str, str], list[Local]]

    @classmethod
    def build(cls, store: Store) -> LocalIndex:
        index = cls(defaultdict(list), defaultdict(list), defaultdict(list))
        for row in current_entity_rows(store, subjects_only=True):
            if row[0].startswith(EXCHANGE_LIST_PREFIX):
                continue
            local = (row[0], row[1])
            index.by_id[row[1]].append(local)
            keys = subject_keys(entity_from_dict(json.loads(row[5])))
            for identifier in keys.identifiers:
                index.by_identifier[identifier].append(local)
            for tokens in keys.names:
                for date in keys.birth_dates:
                    index.by_name_date[(" ".join(sorted(tokens)), date)].append(local)
        return index


def link_subject(index: LocalIndex, entity: EntityProxy, original_id: str) -> list[Link]:
    """Every local subject the imported one resolves to, with the first rule that fired."""
    found: dict[Local, str] = {}
    for local in index.by_id.get(original_id, []):
        found.setdefault(local, "same entity id")
    keys = subject_keys(entity)
    for identifier in keys.identifiers:
        for local in index.by_identifier.get(identifier, []):
            found.setdefault(local, f"same identifier {identifier}")
    for tokens in keys.names:
        for date in keys.birth_dates:
            for local in index.by_name_date.get((" ".join(sorted(tokens)), date), []):
                found.setdefault(local, "same name and birth date")
    return [Link(str(entity.id), lst, eid, reason) for (lst, eid), reason in sorted(found.items())]
