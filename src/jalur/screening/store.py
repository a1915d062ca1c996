"""Screening's tables in the workspace store: hits, the parties screened, rescreen state.

`screening_hits` keeps every hit with the list version it was found against, so an analyst can
tell when a party first hit an entry; `screening_parties` remembers the customers screened in
batch so a new list version re-screens them; `screening_state` remembers the newest list version
already re-screened; `screening_decisions` keeps every cleared false positive (`decisions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from jalur.store import Store

DDL = [
    """CREATE TABLE IF NOT EXISTS screening_hits (
        party_source VARCHAR NOT NULL,   -- 'transactions' (payment parties) or 'customers'
        party_id VARCHAR NOT NULL,       -- account number, or the customer's id
        party_name VARCHAR,
        entity_id VARCHAR NOT NULL,
        list_name VARCHAR NOT NULL,
        source_id VARCHAR,
        risk_class VARCHAR NOT NULL,
        score DOUBLE NOT NULL,
        matched_alias VARCHAR,
        explanation VARCHAR,
        list_version BIGINT,
        screened_at TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS screening_parties (
        party_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        birth_date VARCHAR,
        country VARCHAR,
        identifier VARCHAR,
        schema VARCHAR,
        first_screened TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS screening_state (
        key VARCHAR PRIMARY KEY,
        value BIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS screening_decisions (
        customer_id VARCHAR NOT NULL,    -- the customer's id, or a payment party's account
        list_name VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        decision VARCHAR NOT NULL,       -- 'cleared': the customer is not this entry
        reason VARCHAR NOT NULL,
        decided_by VARCHAR NOT NULL,
        user_source VARCHAR NOT NULL,    -- 'signed in', '--user', 'JALUR_USER' or 'os login'
        decided_at TIMESTAMPTZ NOT NULL,
        customer_fingerprint VARCHAR NOT NULL,  -- sha256 of the customer as screened
        entity_fingerprint VARCHAR NOT NULL     -- 'v2:' sha256 of what screening reads of
                                                -- the entry; no prefix (v1): every property
    )""",
]

HIT_COLUMNS = (
    "party_source", "party_id", "party_name", "entity_id", "list_name", "source_id",
    "risk_class", "score", "matched_alias", "explanation", "list_version", "screened_at",
)  # fmt: skip

_HITS_ARROW = pa.schema(
    [
        ("party_source", pa.string()), ("party_id", pa.string()), ("party_name", pa.string()),
        ("entity_id", pa.string()), ("list_name", pa.string()), ("source_id", pa.string()),
        ("risk_class", pa.string()), ("score", pa.float64()), ("matched_alias", pa.string()),
        ("explanation", pa.string()), ("list_version", pa.int64()),
        ("screened_at", pa.timestamp("us", tz="UTC")),
    ]
)  # fmt: skip


def ensure_tables(store: Store) -> None:
    store.ensure("screening", DDL)


def has_table(store: Store, name: str) -> bool:
    row = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def write_hits(store: Store, rows: Sequence[dict[str, Any]], replace_source: str | None) -> int:
    """Insert hit rows (optionally replacing all earlier hits of one party source)."""
    ensure_tables(store)
    now = datetime.now(UTC)
    table = pa.Table.from_pylist([{**row, "screened_at": now} for row in rows], _HITS_ARROW)
    with store.transaction() as con:
        if replace_source is not None:
            con.execute("DELETE FROM screening_hits WHERE party_source = ?", [replace_source])
        con.register("incoming_hits", table)
        con.execute(
            f"INSERT INTO screening_hits SELECT {', '.join(HIT_COLUMNS)} FROM incoming_hits"
        )
        con.unregister("incoming_hits")
    return int(table.num_rows)


def remember_customers(store: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Keep batch-screened customers so that `rescreen` covers them after a list update."""
    if not rows:
        return
    ensure_tables(store)
    table = pa.Table.from_pylist(
        [{**row, "first_screened": datetime.now(UTC)} for row in rows],
        pa.schema(
            [(c, pa.string()) for c in ("party_id", "name", "birth_date", "country")]
            + [("identifier", pa.string()), ("schema", pa.string())]
            + [("first_screened", pa.timestamp("us", tz="UTC"))]
        ),
    )
    with store.transaction() as con:
        con.register("incoming_parties", table)
        con.execute(
            """INSERT INTO screening_parties SELECT * FROM incoming_parties
               ON CONFLICT (party_id) DO UPDATE SET name = excluded.name,
               birth_date = excluded.birth_date, country = excluded.country,
               identifier = excluded.identifier, schema = excluded.schema"""
        )
        con.unregister("incoming_parties")


def state(store: Store, key: str) -> int | None:
    ensure_tables(store)
    row = store.execute("SELECT value FROM screening_state WHERE key = ?", [key]).fetchone()
    return None if row is None else int(row[0])


def set_state(store: Store, key: str, value: int) -> None:
    ensure_tables(store)
    store.execute(
        "INSERT INTO screening_state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
        [key, value, value],
    )


def hit(store: Store, party_id: str, entity_id: str) -> dict[str, Any] | None:
    """The best-scoring stored hit of one party on one listed entity (None when none)."""
    found = _hits(store, "party_id = ? AND entity_id = ?", [party_id, entity_id], 1)
    return found[0] if found else None


def entity_hits(store: Store, entity_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """Stored hits on one listed entity, best first: why parties were matched to it."""
    return _hits(store, "entity_id = ?", [entity_id], limit)


def party_hits(store: Store, party_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """Stored hits of one party (a payment account or a customer id), best first."""
    return _hits(store, "party_id = ?", [party_id], limit)


def _hits(store: Store, where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    ensure_tables(store)
    cursor = store.execute(
        f"""SELECT {", ".join(HIT_COLUMNS)} FROM screening_hits WHERE {where}
            ORDER BY score DESC, screened_at DESC, entity_id, party_id LIMIT ?""",
        [*params, limit],
    )
    return [
        {n: v if v is None or isinstance(v, (str, int, float)) else str(v)
         for n, v in zip(HIT_COLUMNS, row, strict=True)}
        for row in cursor.fetchall()
    ]  # fmt: skip
