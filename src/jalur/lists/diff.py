"""What changed on a list between two of its versions: who was added, removed or changed.

An analyst reads a delta by name ("ABU RUSDAN was removed"), not by entity id, and needs the
counts even when only a page of the names is shown. Any two versions of one list can be
compared (entities are kept per version), not only the newest against the one before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from jalur.lists.store import ListVersion, ensure_tables, list_versions
from jalur.store import Store

CHANGES = ("added", "removed", "changed")


class ListDiffError(LookupError):
    """A list or a version that is not in the workspace."""


@dataclass(frozen=True)
class Change:
    """One listed party that a version added, removed or changed."""

    entity_id: str
    caption: str | None
    schema: str
    source_id: str | None
    before: str | None = None  # the caption in the older version, when it differs
    fields: tuple[str, ...] = ()  # for a change: the properties whose values differ

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "source_id": self.source_id,
        }
        if self.before is not None:
            found["before"] = self.before
        if self.fields:
            found["fields"] = list(self.fields)
        return found


@dataclass
class ListDiff:
    """The delta between two versions; `entries` holds at most `limit` of each kind."""

    list_name: str
    older: ListVersion | None
    newer: ListVersion
    counts: dict[str, int]
    limit: int | None
    entries: dict[str, list[Change]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(len(self.entries[c]) == self.counts[c] for c in CHANGES)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_name,
            "from": self.older.version if self.older else None,
            "to": self.newer.version,
            "counts": self.counts,
            "limit": self.limit,
            "complete": self.complete,
            **{c: [e.as_dict() for e in self.entries[c]] for c in CHANGES},
        }


def diff_versions(
    store: Store,
    list_name: str,
    older: int | None = None,
    newer: int | None = None,
    limit: int | None = None,
) -> ListDiff:
    """The delta from version `older` to version `newer` of a list (version numbers per list).

    `newer` defaults to the newest version and `older` to the one before `newer` (none for a
    list's first version: everything in it was added).
    """
    ensure_tables(store)
    versions = {v.version: v for v in list_versions(store, list_name)}
    if not versions:
        raise ListDiffError(f"no list named {list_name!r} is loaded")
    to = _version(versions, list_name, newer if newer is not None else max(versions))
    before = to.version - 1 if older is None else older
    start = versions.get(before) if older is None else _version(versions, list_name, before)
    rows = _changes(store, start.version_id if start else -1, to.version_id)
    counts = {c: sum(1 for row in rows if row[0] == c) for c in CHANGES}
    entries = {c: [_change(row) for row in rows if row[0] == c][:limit] for c in CHANGES}
    return ListDiff(list_name, start, to, counts, limit, entries)


def _version(versions: dict[int, ListVersion], list_name: str, number: int) -> ListVersion:
    if number not in versions:
        known = ", ".join(map(str, sorted(versions)))
        raise ListDiffError(f"{list_name} has no version {number} (versions: {known})")
    return versions[number]


def _changes(store: Store, older_id: int, newer_id: int) -> list[tuple[Any, ...]]:
    """(change, id, caption, caption before, schema, source id, data before, data after)."""
    return store.execute(
        """WITH prev AS (SELECT * FROM list_entities WHERE subject AND version_id = ?),
                cur AS (SELECT * FROM list_entities WHERE subject AND version_id = ?)
           SELECT CASE WHEN prev.entity_id IS NULL THEN 'added'
                       WHEN cur.entity_id IS NULL THEN 'removed' ELSE 'changed' END,
                  coalesce(cur.entity_id, prev.entity_id),
                  coalesce(cur.caption, prev.caption), prev.caption,
                  coalesce(cur.schema, prev.schema), coalesce(cur.source_id, prev.source_id),
                  prev.data, cur.data
           FROM cur FULL OUTER JOIN prev ON cur.entity_id = prev.entity_id
           WHERE prev.entity_id IS NULL OR cur.entity_id IS NULL
              OR cur.content_hash <> prev.content_hash
           ORDER BY 3, 2""",
        [older_id, newer_id],
    ).fetchall()


def _change(row: tuple[Any, ...]) -> Change:
    change, entity_id, caption, before, schema, source_id, old, new = row
    if change != "changed":
        return Change(entity_id, caption, schema, source_id)
    return Change(
        entity_id,
        caption,
        schema,
        source_id,
        before=before if before != caption else None,
        fields=_changed_fields(json.loads(old), json.loads(new)),
    )


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """The properties (and the schema) whose values differ between two versions of an entity."""
    before, after = old.get("properties", {}), new.get("properties", {})
    names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return ("schema", *names) if old.get("schema") != new.get("schema") else tuple(names)
