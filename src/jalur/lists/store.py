"""List versions, their entities and the delta between consecutive versions, in the store.

Every loaded file is a list version (source, URL, retrieval time, sha256, counts). Versions are
numbered per list (un-sc 1, 2, 3…, whatever other lists did meanwhile); `version_id`, unique over
all lists, orders loads for re-screening. Entities are kept per version so the delta and the
history stay answerable; the "current" entities of a list are those of its newest version.
FATF R.6 needs the delta: a new designation triggers re-screening.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from jalur.model import entity_from_dict
from jalur.store import Store

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

DDL = [
    "CREATE SEQUENCE IF NOT EXISTS list_version_seq START 1",
    """CREATE TABLE IF NOT EXISTS list_versions (
        version_id BIGINT PRIMARY KEY,
        list_name VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        url VARCHAR,
        published VARCHAR,
        retrieved_at TIMESTAMPTZ NOT NULL,
        sha256 VARCHAR NOT NULL,
        entities BIGINT NOT NULL,
        added BIGINT NOT NULL,
        removed BIGINT NOT NULL,
        changed BIGINT NOT NULL,
        version BIGINT
    )""",
    # workspaces from before per-list numbers: add the column, number each list's versions
    "ALTER TABLE list_versions ADD COLUMN IF NOT EXISTS version BIGINT",
    """UPDATE list_versions SET version = numbered.n
       FROM (SELECT version_id, row_number() OVER (PARTITION BY list_name ORDER BY version_id) AS n
             FROM list_versions) AS numbered
       WHERE list_versions.version_id = numbered.version_id AND list_versions.version IS NULL""",
    """CREATE TABLE IF NOT EXISTS list_entities (
        version_id BIGINT NOT NULL,
        list_name VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        subject BOOLEAN NOT NULL,
        caption VARCHAR,
        source_id VARCHAR,
        topics VARCHAR[],
        content_hash VARCHAR NOT NULL,
        data JSON NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS list_deltas (
        version_id BIGINT NOT NULL,
        list_name VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        change VARCHAR NOT NULL
    )""",
]


def ensure_tables(store: Store) -> None:
    store.ensure("lists", DDL)


#: The columns of `ListVersion`, in its order (the table's order differs in old workspaces).
VERSION_COLUMNS = (
    "version_id, list_name, format, source, url, published, retrieved_at, sha256, entities, "
    "added, removed, changed, version"
)


@dataclass(frozen=True)
class ListVersion:
    """One loaded file of one list: `version` counts per list, `version_id` over all lists."""

    version_id: int
    list_name: str
    format: str
    source: str
    url: str | None
    published: str | None
    retrieved_at: str
    sha256: str
    entities: int
    added: int
    removed: int
    changed: int
    version: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def current_versions(store: Store) -> list[ListVersion]:
    """The newest version of every list, by list name."""
    ensure_tables(store)
    rows = store.execute(
        f"""SELECT {VERSION_COLUMNS} FROM list_versions v
           WHERE version_id = (SELECT max(version_id) FROM list_versions w
                               WHERE w.list_name = v.list_name)
           ORDER BY list_name"""
    ).fetchall()
    return [_version(row) for row in rows]


def current_version(store: Store, list_name: str) -> ListVersion | None:
    ensure_tables(store)
    row = store.execute(
        f"SELECT {VERSION_COLUMNS} FROM list_versions WHERE list_name = ? "
        "ORDER BY version_id DESC LIMIT 1",
        [list_name],
    ).fetchone()
    return _version(row) if row else None


def list_versions(store: Store, list_name: str) -> list[ListVersion]:
    """Every version of one list, oldest first."""
    ensure_tables(store)
    rows = store.execute(
        f"SELECT {VERSION_COLUMNS} FROM list_versions WHERE list_name = ? ORDER BY version_id",
        [list_name],
    ).fetchall()
    return [_version(row) for row in rows]


def _version(row: tuple[Any, ...]) -> ListVersion:
    values = list(row)
    values[6] = str(values[6])
    return ListVersion(*values)


def current_entities(
    store: Store, lists: list[str] | None = None, subjects_only: bool = False
) -> Iterator[EntityProxy]:
    """Every entity of the newest version of each list (optionally only some lists)."""
    ensure_tables(store)
    sql, params = _current_sql("data", lists, subjects_only)
    if store.in_transaction:  # read inside it (a partner's watchlist updated on import)
        for (data,) in store.execute(sql, params).fetchall():
            yield entity_from_dict(json.loads(data))
        return
    cursor = store.con.cursor()  # its own connection: the caller may query while we stream
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(2000):
        for (data,) in batch:
            yield entity_from_dict(json.loads(data))


def current_entity_data(store: Store, lists: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(list_name, entity JSON) of every current entity, streamed and not parsed: what
    `lists export` checks for a partner's provenance before anything is written."""
    ensure_tables(store)
    sql, params = _current_sql("list_name, data", lists, False)
    cursor = store.con.cursor()
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(2000):
        yield from batch


def current_entity_rows(
    store: Store, lists: list[str] | None = None, subjects_only: bool = True
) -> list[tuple[str, str, str, str | None, list[str], str]]:
    """(list_name, entity_id, schema, source_id, topics, data JSON) of current entities."""
    columns = "list_name, entity_id, schema, source_id, topics, data"
    ensure_tables(store)
    sql, params = _current_sql(columns, lists, subjects_only)
    return store.execute(sql, params).fetchall()


def _current_sql(
    columns: str, lists: list[str] | None, subjects_only: bool
) -> tuple[str, list[Any]]:
    sql = f"""SELECT {columns} FROM list_entities e
        WHERE version_id = (SELECT max(version_id) FROM list_versions v
                            WHERE v.list_name = e.list_name)"""
    params: list[Any] = []
    if lists:
        sql += " AND list_name IN (SELECT unnest(?))"
        params.append(lists)
    if subjects_only:
        sql += " AND subject"
    return sql + " ORDER BY list_name, entity_id", params


def last_delta(store: Store, list_name: str) -> dict[str, list[str]]:
    """Entity ids added, removed and changed by the newest version of a list."""
    version = current_version(store, list_name)
    delta: dict[str, list[str]] = {"added": [], "removed": [], "changed": []}
    if version is None:
        return delta
    rows = store.execute(
        "SELECT change, entity_id FROM list_deltas WHERE version_id = ? ORDER BY entity_id",
        [version.version_id],
    ).fetchall()
    for change, entity_id in rows:
        delta[change].append(entity_id)
    return delta


def deltas_since(store: Store, version_id: int) -> list[tuple[str, str, str]]:
    """(list_name, entity_id, change) of every delta recorded after `version_id`."""
    ensure_tables(store)
    return store.execute(
        """SELECT list_name, entity_id, change FROM list_deltas WHERE version_id > ?
           ORDER BY version_id, entity_id""",
        [version_id],
    ).fetchall()


def entity_entries(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Where a subject stands on the lists now: one entry per current list version holding it.

    Each entry gives the list, its version, the entity as listed (FtM JSON) and the entities of
    that version that point at it (Sanction, Identification, Address…): what a case cites.
    """
    ensure_tables(store)
    rows = store.execute(
        """SELECT e.list_name, e.version_id, v.version, v.published, v.retrieved_at, e.source_id,
                  e.schema, e.topics, e.data
           FROM list_entities e JOIN list_versions v USING (version_id)
           WHERE e.entity_id = ? AND e.version_id = (SELECT max(version_id) FROM list_versions w
                                                    WHERE w.list_name = e.list_name)
           ORDER BY e.list_name""",
        [entity_id],
    ).fetchall()
    return [
        {
            "list": name,
            "version_id": version,
            "version": number,
            "published": published,
            "retrieved_at": str(retrieved),
            "source_id": source_id,
            "schema": schema,
            "topics": list(topics or []),
            "entity": json.loads(data),
            "related": _pointing_at(store, version, entity_id),
        }
        for name, version, number, published, retrieved, source_id, schema, topics, data in rows
    ]


def _pointing_at(store: Store, version_id: int, entity_id: str) -> list[dict[str, Any]]:
    """Entities of one version whose entity-typed properties name `entity_id`."""
    from followthemoney.types import registry

    rows = store.execute(
        """SELECT data FROM list_entities WHERE version_id = ? AND entity_id <> ?
           AND contains(CAST(data AS VARCHAR), ?) ORDER BY entity_id""",
        [version_id, entity_id, entity_id],
    ).fetchall()
    found = []
    for (data,) in rows:
        entity = entity_from_dict(json.loads(data))
        if entity_id in entity.get_type_values(registry.entity):
            found.append(entity.to_dict())
    return found
