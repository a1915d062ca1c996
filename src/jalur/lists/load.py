"""Loading a list file as a new list version, all-or-nothing, and recording its delta.

The whole file is parsed before the store is touched, so a malformed, truncated or
mis-encoded file raises `ListLoadError` and leaves the store as it was. The write itself runs
in one transaction: version row, entities and delta commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from jalur.inputs import file_problem, path_text
from jalur.lists.errors import ListLoadError, Problems, check_file_list_name, check_list_name
from jalur.lists.formats import ParseOptions, detect_format, parser_for
from jalur.lists.formats.ofac_csv import files_of as ofac_csv_files
from jalur.lists.parsed import SOURCE_ID, ParsedList, is_subject
from jalur.lists.store import VERSION_COLUMNS, ListVersion, current_version, ensure_tables
from jalur.store import Store

log = logging.getLogger(__name__)


StageHook = Callable[[str], None]
#: The stages of a load that `on_stage` hears: read, compare, write, delta.
LOAD_STAGES = 4


def _quiet(_: str) -> None:
    """No one is listening for stages."""


@dataclass(frozen=True)
class LoadReport:
    """What one load did; `as_dict` is the `jalur lists load --json` contract."""

    list: str
    version: int
    format: str
    published: str | None
    sha256: str
    entities: int
    added: int
    removed: int
    changed: int
    read: int = 0  # listed parties in the file, before merging records that share an id
    duplicates: int = 0  # records merged into another of the same id (read = entities + this)
    unchanged: bool = False  # the file is the list's current version again: no new version

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "version": self.version,
            "format": self.format,
            "published": self.published,
            "sha256": self.sha256,
            "entities": self.entities,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "read": self.read,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
        }


def load_list(
    store: Store,
    path: Path,
    format: str | None = None,
    options: ParseOptions | None = None,
    url: str | None = None,
    retrieved_at: datetime | None = None,
    on_stage: StageHook | None = None,
    allow_removals: bool = False,
) -> LoadReport:
    """Parse `path` (format sniffed when not given) and store it as the list's newest version.

    `on_stage` hears each of the `LOAD_STAGES` stages as it begins (for a progress bar).
    A version removing more of the list than `removal_refusal` allows is refused unless
    `allow_removals`.
    """
    if not path.exists():
        raise ListLoadError(str(path), "path", "no such file or folder")
    if problem := file_problem(path, folder_ok=True):
        raise ListLoadError(str(path), "path", problem)
    stage = on_stage or _quiet
    options = options or ParseOptions()
    if options.list_name is not None:
        check_list_name(options.list_name, str(path))
    fmt = format or ("csv" if options.mapping else detect_format(path))
    stage(f"reading {path.name}")
    parsed = parser_for(fmt, path)(path, options)
    check_file_list_name(parsed.name, str(path))
    parsed.entities = list(parsed.entities)
    if not any(is_subject(entity) for entity in parsed.entities):
        raise ListLoadError(
            str(path),
            "file",
            "no listed party in it: as a new version it would remove every entry of the list"
            " (an empty export, or a file cut short?)",
        )
    return store_parsed(
        store,
        parsed,
        source=path_text(path),
        sha256=file_sha256(path, fmt),
        url=url,
        retrieved_at=retrieved_at,
        on_stage=stage,
        allow_removals=allow_removals,
    )


def load_entities(
    store: Store,
    list_name: str,
    entities: Iterable[EntityProxy],
    source: str,
    format: str = "ftm",
    url: str | None = None,
) -> LoadReport:
    """Store entities that did not come from a file (exchange imports, generated lists)."""
    parsed = ParsedList(name=list_name, format=format, published=None, entities=list(entities))
    return store_parsed(
        store, parsed, source=source, sha256=_entities_sha256(parsed, source), url=url
    )


def store_parsed(
    store: Store,
    parsed: ParsedList,
    source: str,
    sha256: str,
    url: str | None = None,
    retrieved_at: datetime | None = None,
    on_stage: StageHook | None = None,
    allow_removals: bool = False,
) -> LoadReport:
    """Write a parsed list as a new version and its delta against the previous one.

    The same file again (same bytes, same entities) is no new version: the report says
    `unchanged`, so a daily fetch of an unchanged list leaves no trail of empty versions.
    A version that would remove more than `removal_refusal` allows is refused before the
    store is written, unless `allow_removals`.
    """
    stage = on_stage or _quiet
    check_list_name(parsed.name, source)
    ensure_tables(store)
    parsed.entities = list(parsed.entities)  # read twice below; parsers may yield
    read = sum(1 for entity in parsed.entities if is_subject(entity))
    stage("comparing with the current version")
    rows = _entity_rows(parsed, source)
    same = _same_as_current(store, parsed.name, sha256, rows)
    if same is not None:
        return LoadReport(
            parsed.name,
            same.version,
            parsed.format,
            same.published,
            sha256,
            same.entities,
            0,
            0,
            0,
            read=read,
            duplicates=read - same.entities,
            unchanged=True,
        )
    if not allow_removals:
        _check_removals(store, parsed.name, source, rows)
    _warn_if_older(store, parsed, source)
    with store.transaction() as con:
        (version_id,) = con.execute("SELECT nextval('list_version_seq')").fetchone()  # type: ignore[misc]
        (number,) = con.execute(  # type: ignore[misc]
            "SELECT coalesce(max(version), 0) + 1 FROM list_versions WHERE list_name = ?",
            [parsed.name],
        ).fetchone()
        stage(f"writing {len(rows)} entities")
        table = pa.Table.from_pylist([{**row, "version_id": version_id} for row in rows], _ARROW)
        con.register("incoming_entities", table)
        con.execute(
            """INSERT INTO list_entities
               SELECT version_id, list_name, entity_id, schema, subject, caption, source_id,
                      topics, content_hash, data FROM incoming_entities"""
        )
        con.unregister("incoming_entities")
        stage("recording the delta")
        counts = _record_delta(con, parsed.name, version_id)
        subjects = sum(1 for row in rows if row["subject"])
        con.execute(
            f"INSERT INTO list_versions ({VERSION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                version_id,
                parsed.name,
                parsed.format,
                source,
                url,
                parsed.published,
                retrieved_at or datetime.now(UTC),
                sha256,
                subjects,
                *counts,
                number,
            ],
        )
    if read != subjects:
        _warn_merged(source, parsed.entities)
    return LoadReport(
        parsed.name,
        number,
        parsed.format,
        parsed.published,
        sha256,
        subjects,
        *counts,
        read=read,
        duplicates=read - subjects,
    )


#: A new version may remove up to this share of the list's current entries, or up to
#: `REMOVAL_FLOOR` entries, without `--allow-removals`. Real updates stay well under it: the UN
#: list's 2025 → 2026 update removed 10 of 877 (1%), and even 2020 → 2025, four years of
#: delistings at once, removed 187 of 1,018 (18%). A file cut short at an entry boundary removes
#: what was cut, anywhere up to all of it; a quarter leaves a real catch-up update room.
REMOVAL_SHARE = 0.25
#: Removals up to this many always pass, so a small national list may lose a few entries.
REMOVAL_FLOOR = 50


def removal_refusal(current: int, new: int, removed: int) -> str | None:
    """Why a version that removes `removed` of `current` entries (keeping `new`) is refused,
    or None when it may load.

    A list file cut exactly at an entry boundary (a CSV after a row, an XML export closed
    after an entry) cannot be told from a shorter list: loaded, the cut entries would be
    removed and no longer screened, the worst way for a screener to fail.
    """
    if removed <= REMOVAL_FLOOR or removed <= current * REMOVAL_SHARE:
        return None
    return (
        f"a new version would remove {removed} of its {current} current entries"
        f" ({removed / current:.0%}), leaving a list of {new} entries: more than a quarter"
        f" and more than {REMOVAL_FLOOR}, as a file cut short would (real updates remove a"
        " few); if the list really shrank so, load it with --allow-removals"
    )


def _check_removals(store: Store, list_name: str, source: str, rows: list[dict[str, Any]]) -> None:
    """Refuse the version when `removal_refusal` says so; a list's first version never is."""
    current = current_version(store, list_name)
    if current is None:
        return
    held = {
        entity_id
        for (entity_id,) in store.execute(
            "SELECT entity_id FROM list_entities WHERE subject AND version_id = ?",
            [current.version_id],
        ).fetchall()
    }
    incoming = {row["entity_id"] for row in rows if row["subject"]}
    why = removal_refusal(len(held), len(incoming), len(held - incoming))
    if why is not None:
        raise ListLoadError(source, list_name, why)


def _warn_if_older(store: Store, parsed: ParsedList, source: str) -> None:
    """Say so when the file was published before the list's current version.

    Loading last year's file after this year's rolls the list back (the designations made
    since then removed); an agency may mean it, so the load goes on, but not in silence.
    """
    current = current_version(store, parsed.name)
    if current is None or not current.published or not parsed.published:
        return
    if parsed.published[:10] < current.published[:10]:
        log.warning(
            "%s: published %s, before %s version %d (published %s): this version replaces"
            " a newer list",
            source,
            parsed.published,
            parsed.name,
            current.version,
            current.published,
        )


#: How many merged ids a warning names; the count is always complete.
_NAMED_MERGES = 10


def _warn_merged(source: str, entities: Iterable[EntityProxy]) -> None:
    """Name the ids under which several records were merged into one party.

    Two entries of one file under one id (a UN file giving two INDIVIDUALs one DATAID) make
    one party of what may be two people; the maintainer needs the ids to look them up.
    """
    seen = Counter(entity.id for entity in entities if is_subject(entity))
    repeated = sorted(str(key) for key, count in seen.items() if count > 1)
    merged = sum(count - 1 for count in seen.values())
    named = ", ".join(repeated[:_NAMED_MERGES])
    more = f" and {len(repeated) - _NAMED_MERGES} more" if len(repeated) > _NAMED_MERGES else ""
    what = "record merged into another" if merged == 1 else "records merged into others"
    log.warning("%s: %d %s with the same id: %s%s", source, merged, what, named, more)


def _same_as_current(
    store: Store, list_name: str, sha256: str, rows: list[dict[str, Any]]
) -> ListVersion | None:
    """The list's current version when it holds the same file and the same entities.

    Both must agree: the same bytes read through a corrected mapping give other entities,
    and that is a new version.
    """
    current = current_version(store, list_name)
    if current is None or current.sha256 != sha256:
        return None
    held = store.execute(
        "SELECT entity_id, content_hash FROM list_entities WHERE version_id = ?",
        [current.version_id],
    ).fetchall()
    incoming = {(row["entity_id"], row["content_hash"]) for row in rows}
    return current if set(held) == incoming and len(held) == len(rows) else None


def _record_delta(con: Any, list_name: str, version_id: int) -> tuple[int, int, int]:
    """Compare subjects with the previous version of the same list; store and count the changes."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE delta AS
        WITH prev AS (
            SELECT entity_id, content_hash FROM list_entities
            WHERE subject AND version_id = (SELECT max(version_id) FROM list_versions
                                            WHERE list_name = ?)),
        cur AS (SELECT entity_id, content_hash FROM list_entities
                WHERE subject AND version_id = ?)
        SELECT coalesce(cur.entity_id, prev.entity_id) AS entity_id,
               CASE WHEN prev.entity_id IS NULL THEN 'added'
                    WHEN cur.entity_id IS NULL THEN 'removed'
                    ELSE 'changed' END AS change
        FROM cur FULL OUTER JOIN prev ON cur.entity_id = prev.entity_id
        WHERE prev.entity_id IS NULL OR cur.entity_id IS NULL
           OR cur.content_hash <> prev.content_hash""",
        [list_name, version_id],
    )
    con.execute(
        "INSERT INTO list_deltas SELECT ?, ?, entity_id, change FROM delta", [version_id, list_name]
    )
    rows = con.execute("SELECT change, count(*) FROM delta GROUP BY change").fetchall()
    con.execute("DROP TABLE delta")
    found = dict(rows)
    return found.get("added", 0), found.get("removed", 0), found.get("changed", 0)


_ARROW = pa.schema(
    [
        ("version_id", pa.int64()),
        ("list_name", pa.string()),
        ("entity_id", pa.string()),
        ("schema", pa.string()),
        ("subject", pa.bool_()),
        ("caption", pa.string()),
        ("source_id", pa.string()),
        ("topics", pa.list_(pa.string())),
        ("content_hash", pa.string()),
        ("data", pa.string()),
    ]
)


def _entity_rows(parsed: ParsedList, source: str) -> list[dict[str, Any]]:
    """One row per entity id; two records with one id are merged, as FtM does.

    Records FtM cannot merge (a Person and a Company) refuse the file, naming the id: a list
    file or a partner's package must not end the load in a traceback.
    """
    merged: dict[str, EntityProxy] = {}
    problems = Problems(source)
    for entity in parsed.entities:
        try:
            if entity.id is None:
                raise ListLoadError(source, repr(entity.caption), "entity without an id")
            if entity.id in merged:
                _merge(merged[entity.id], entity, source)
            else:
                merged[entity.id] = entity
        except ListLoadError as exc:
            problems.add(exc)
    problems.check()
    return [_row(parsed.name, entity) for entity in merged.values()]


def _merge(kept: EntityProxy, entity: EntityProxy, source: str) -> None:
    try:
        kept.merge(entity)
    except InvalidData:
        raise ListLoadError(
            source,
            f"entity {entity.id}",
            f"two records share this id but cannot be one entity ({kept.schema.name} and"
            f" {entity.schema.name}): give each its own id",
        ) from None


def _row(list_name: str, entity: EntityProxy) -> dict[str, Any]:
    data = entity.to_dict()
    body = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return {
        "list_name": list_name,
        "entity_id": entity.id,
        "schema": entity.schema.name,
        "subject": is_subject(entity),
        "caption": entity.caption,
        "source_id": source_id_of(entity),
        "topics": sorted(entity.get("topics", quiet=True)),
        "content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "data": body,
    }


def source_id_of(entity: EntityProxy) -> str | None:
    """The list's own identifier of an entry, which parsers keep in the entity's context."""
    value = entity.context.get(SOURCE_ID)
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def file_sha256(path: Path, format: str | None = None) -> str:
    """The sha256 of what a load reads: the file, or an OFAC CSV set's files.

    An OFAC CSV set is the same whether named by its folder or by sdn.csv, and whatever else
    its folder holds (a README); hashing the path's whole folder made each of those a new,
    empty version instead of "unchanged".
    """
    digest = hashlib.sha256()
    if format in ("ofac", "ofac-csv") and (path.is_dir() or path.suffix.lower() == ".csv"):
        files = sorted(p for p in ofac_csv_files(path) if p is not None)
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
    else:
        files = [path]
    for file in files:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _entities_sha256(parsed: ParsedList, source: str) -> str:
    digest = hashlib.sha256()
    for row in sorted(_entity_rows(parsed, source), key=lambda r: r["entity_id"]):
        digest.update(row["content_hash"].encode())
    return digest.hexdigest()
