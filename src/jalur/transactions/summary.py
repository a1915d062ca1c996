"""What is in the workspace's payment tables, for `jalur tx show` and `jalur tx quarantine`."""

from __future__ import annotations

from typing import Any

from jalur.store import Store
from jalur.transactions.schema import ensure_tables


def summary(store: Store) -> dict[str, Any]:
    ensure_tables(store)
    cursor = store.execute(
        """SELECT source_file, count(*) AS payments, count_if(label) AS labelled,
                  min(timestamp)::VARCHAR AS first, max(timestamp)::VARCHAR AS last
           FROM transactions GROUP BY source_file ORDER BY source_file"""
    )
    names = [d[0] for d in cursor.description]
    sources = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    count = store.execute(
        """SELECT (SELECT count(*) FROM transactions), (SELECT count(*) FROM tx_parties),
                  (SELECT count(*) FROM tx_quarantine)"""
    ).fetchone() or (0, 0, 0)
    return {"payments": count[0], "parties": count[1], "quarantined": count[2], "sources": sources}


def quarantine_rows(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    """The latest quarantined records, in file order ("line 3" before "line 10": the
    position's number, not its text)."""
    ensure_tables(store)
    cursor = store.execute(
        """SELECT load_id, source_file, source_position, end_to_end_id, uetr, reason, raw
           FROM tx_quarantine
           ORDER BY quarantined_at DESC, source_file,
                    TRY_CAST(regexp_extract(source_position, '[0-9]+') AS BIGINT) NULLS LAST,
                    source_position
           LIMIT ?""",
        [limit],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


#: What a mapping changes to read records quarantined for a reason (the reason's words
#: before its colon): a bank's export in a local layout is most often wholly rejected for one.
ADVICE = {
    "bad timestamp": 'a mapping\'s timestamp_format reads other layouts ("%d/%m/%Y %H:%M")',
    "amount is not a number": "a mapping's decimal_comma: true reads 1.234.567,89",
    "unknown currency": "a mapping's constants: currency: names a file's one currency",
}


def quarantine_reasons(store: Store, load_id: int, top: int = 3) -> list[tuple[str, int]]:
    """The commonest kinds of reason (the words before the colon) of one load's quarantined
    records, with how many records each, most first."""
    ensure_tables(store)
    found = store.execute(
        """SELECT regexp_extract(reason, '^[^:(]*') AS kind, count(*) AS n FROM tx_quarantine
           WHERE load_id = ? GROUP BY kind ORDER BY n DESC, kind LIMIT ?""",
        [load_id, top],
    ).fetchall()
    return [(str(kind).strip(), int(n)) for kind, n in found]


def transactions_table(store: Store) -> str:
    """The name of the canonical table (created if absent) for other capabilities' SQL."""
    ensure_tables(store)
    return "transactions"
