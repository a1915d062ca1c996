"""Loading a payment source into the canonical table: chunk by chunk, idempotent, nothing lost.

Each chunk is normalised in SQL and committed in its own store transaction together with its
quarantined records and the load log's running counts; the parties of the file are
refreshed from the committed rows when the load ends (a rerun after a crash does it too).
A load killed part way therefore leaves whole chunks behind; running it again counts those
as duplicates (the table is unique on `tx_id`) and adds the rest: nothing is duplicated and
nothing is lost.

Every payment keeps its load's id. On a connection narrowed to some loads (`scope`), a load
deduplicates against the payments that connection sees and writes the table itself: a payment
another agency holds under the same id is neither skipped nor counted as a duplicate, so the
counts tell the loader nothing about payments they cannot see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from jalur.scope import admit, table_of
from jalur.store import Store
from jalur.transactions.country_fields import MAX_NAMED, UnreadCountry, read_countries
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.lookups import lookup_table
from jalur.transactions.normalize import SEEN_DDL, SEEN_UPDATE, stage_sql
from jalur.transactions.options import LoadOptions
from jalur.transactions.parties import PARTIES_SQL
from jalur.transactions.rates import load_rates
from jalur.transactions.raw import Part, RawChunk, Rejected
from jalur.transactions.readers import open_source
from jalur.transactions.schema import COLUMNS, ensure_tables

log = logging.getLogger(__name__)


@dataclass
class LoadCounts:
    """What a load did; `read = accepted + rejected + duplicates` always holds. `footers`
    are the lines a mapped statement has besides its movements (balances, totals): no
    records, so not `read`, counted apart so that none goes unseen. `unread_countries`: good
    records loaded with a country field that names no country (kept as written, a warning
    each in `warnings`, the first `MAX_NAMED` of them named): the corridor checks miss them."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    load_id: int = 0
    footers: int = 0
    unread_countries: int = 0
    warnings: list[str] = field(default_factory=list)

    def add(self, other: LoadCounts) -> None:
        self.read += other.read
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.duplicates += other.duplicates
        self.footers += other.footers
        self.unread_countries += other.unread_countries
        self.warnings.extend(other.warnings[: MAX_NAMED - len(self.warnings)])

    def as_dict(self) -> dict[str, int]:
        """The `jalur tx load --json` contract (`footers` and `unread_countries` only where a
        file had some)."""
        counts: dict[str, int] = {
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
        }
        if self.footers:
            counts["footers"] = self.footers
        if self.unread_countries:
            counts["unread_countries"] = self.unread_countries
        return counts


ChunkHook = Callable[[LoadCounts], None]
#: Told the load's id before any payment is written (the service marks the load then).
StartHook = Callable[[int], None]


def load_transactions(
    store: Store,
    path: Path | str,
    format: str,
    mapping: Path | None = None,
    options: LoadOptions | None = None,
    on_chunk: ChunkHook | None = None,
    on_start: StartHook | None = None,
    agency: str | None = None,
    recorded_as: str | None = None,
) -> LoadCounts:
    """Read `path` as `format` into `transactions`; bad records go to `tx_quarantine`.

    Raises `TransactionLoadError` only when the source as a whole is unusable (before anything
    is written). `on_start` hears the load's id before its first payment is written (so its
    marking exists before any reader can meet its payments); `on_chunk` sees the running counts
    after each committed chunk. `agency`: the agency the load is for when it is not the
    installation's own (the service's other agencies; the command line leaves those out).
    `recorded_as`: the source's name in the payments, the quarantine and the load log in
    place of `path`, for a copy whose path is nobody's business (the service's spooled
    uploads, which another agency would otherwise read in a shared case's evidence).
    """
    # The full path is the provenance: a name as typed (`transaksi.csv`) cannot tell two
    # folders' files apart.
    path = Path(path).absolute()
    options = options or LoadOptions()
    if mapping is not None:
        options = LoadOptions(**{**options.__dict__, "mapping": mapping})
    if not path.exists():
        raise TransactionLoadError(str(path), "path", "no such file or folder")
    parts = open_source(format, path, options)
    if recorded_as is not None:
        parts = [_renamed(part, str(path), recorded_as) for part in parts]
    ensure_tables(store)
    store.con.register("tx_rates", (options.rates or load_rates()).as_arrow())
    store.con.register("tx_lookup", lookup_table())
    total = LoadCounts(load_id=_start_log(store, recorded_as or str(path), format, agency))
    admit(store, total.load_id)
    if on_start:
        on_start(total.load_id)
    try:
        for part in parts:
            store.execute(SEEN_DDL)
            for chunk in prefetched(part.chunks()):
                total.add(_load_chunk(store, total, part, chunk))
                if on_chunk:
                    on_chunk(total)
    except (duckdb.Error, OSError, TransactionLoadError, pa.ArrowException) as exc:
        _finish_log(store, total, "failed", str(exc))
        raise
    with store.transaction() as con:
        for part in parts:
            con.execute(
                PARTIES_SQL.format(table=table_of(store, "tx_parties")),
                [total.load_id, part.source_file],
            )
    _finish_log(store, total, "complete", None)
    log.info("loaded %s as %s: %s", path, format, total.as_dict())
    return total


def _renamed(part: Part, path: str, name: str) -> Part:
    """`part` recorded under `name` (a folder's files keep their place below it)."""
    below = part.source_file[len(path) :] if part.source_file.startswith(path) else ""
    return replace(part, source_file=name + below)


def prefetched(chunks: Iterator[RawChunk]) -> Iterator[RawChunk]:
    """The same chunks, the next one parsed on a worker thread while the store writes this one
    (pyarrow and DuckDB release the GIL, so the two cores both work)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tx-read") as pool:
        upcoming = pool.submit(next, chunks, None)
        while (chunk := upcoming.result()) is not None:
            upcoming = pool.submit(next, chunks, None)
            yield chunk


#: DuckDB scans a registered Arrow table one record batch per thread: a chunk cut (zero-copy)
#: into batches of this many rows keeps both cores busy normalising and inserting.
SCAN_BATCH_ROWS = 32_768


def _in_batches(table: pa.Table) -> pa.Table:
    return pa.Table.from_batches(table.to_batches(max_chunksize=SCAN_BATCH_ROWS), table.schema)


def _load_chunk(store: Store, total: LoadCounts, part: Part, chunk: RawChunk) -> LoadCounts:
    stage, params = stage_sql(chunk.table.schema, part.field_map)
    params = {**params, "source_file": part.source_file}
    store.con.register("raw_chunk", _in_batches(chunk.table))
    try:
        # Normalise once: every later step (counts, quarantine, dedupe, insert) reads the
        # staged rows instead of re-running the normalising SQL (it was run twice per chunk).
        # Staged as Arrow: half the CPU of a temp table for the same rows (measured).
        staged = store.con.execute(stage, params).to_arrow_table(SCAN_BATCH_ROWS)
    finally:
        store.con.unregister("raw_chunk")
    staged, footers = _without_footers(staged)
    staged, unread = read_countries(staged)
    store.con.register("tx_stage", staged)
    try:
        with store.transaction() as con:
            counts = _write_stage(
                con, table_of(store), total.load_id, part.source_file, chunk.rejected
            )
            if "tx_id" not in part.field_map.fields:
                con.execute(SEEN_UPDATE)
            con.execute(
                """UPDATE tx_loads SET chunks = chunks + 1, read = read + ?,
                   accepted = accepted + ?, rejected = rejected + ?,
                   duplicates = duplicates + ?, footers = footers + ? WHERE load_id = ?""",
                [counts.read, counts.accepted, counts.rejected, counts.duplicates, footers,
                 total.load_id],
            )  # fmt: skip
    finally:
        store.con.unregister("tx_stage")
    warnings = _warned(part.source_file, unread[: MAX_NAMED - len(total.warnings)])
    unread_countries = sum(found.records for found in unread)
    return replace(counts, footers=footers, unread_countries=unread_countries, warnings=warnings)


def _warned(source_file: str, unread: list[UnreadCountry]) -> list[str]:
    """The chunk's unread country values as warnings, each logged (the load names at most
    `MAX_NAMED` of them; every record is counted)."""
    warnings = [f"{source_file}, {found.warning()}" for found in unread]
    for warning in warnings:
        log.warning("%s", warning)
    return warnings


def _without_footers(staged: pa.Table) -> tuple[pa.Table, int]:
    """The staged rows less a statement's balance and total lines, and how many those were."""
    footer = staged.column("_footer").fill_null(False)
    count = pc.sum(footer).as_py() or 0
    return (staged.filter(pc.invert(footer)) if count else staged), count


#: Columns of a quarantined record, named: older workspaces gained the last two by migration.
_QUARANTINE_COLUMNS = (
    "load_id, source_file, source_position, reason, raw, quarantined_at, end_to_end_id, uetr"
)
#: Characters of a quarantined record's EndToEndId or UETR kept (ISO 20022: 35 and 36).
MAX_REFERENCE = 200


def _write_stage(
    con: duckdb.DuckDBPyConnection,
    table: str,
    load_id: int,
    source_file: str,
    rejected: list[Rejected],
) -> LoadCounts:
    """Quarantine the staged chunk's bad rows and insert its good rows not already loaded
    (into `table`, the payments table itself; `transactions` may be the connection's view).
    A record already quarantined is one of the same file name, place and text (the same file
    loaded again); a new file under an old name has its own records kept."""
    (read, bad, ids, low, high, uetrs) = con.execute(
        """SELECT count(*), count(_reason), count(DISTINCT tx_id) FILTER (_reason IS NULL),
                  min(tx_id) FILTER (_reason IS NULL), max(tx_id) FILTER (_reason IS NULL),
                  count(uetr) FILTER (_reason IS NULL)
           FROM tx_stage"""
    ).fetchone() or (0, 0, 0, None, None, 0)
    conflicts = _uetr_conflicts(con, source_file, low, high) if uetrs else []
    if bad:
        con.execute(
            f"""INSERT INTO tx_quarantine ({_QUARANTINE_COLUMNS})
               SELECT $load_id, $source_file, s.source_position, s._reason, s._rawtext, $now,
                      left(s._e2e::VARCHAR, {MAX_REFERENCE}), left(s.uetr::VARCHAR, {MAX_REFERENCE})
               FROM tx_stage s WHERE s._reason IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM tx_quarantine q WHERE q.source_file = $source_file
                   AND q.source_position = s.source_position
                   AND q.raw IS NOT DISTINCT FROM s._rawtext)""",
            {"load_id": load_id, "source_file": source_file, "now": datetime.now(UTC)},
        )
    for records in (rejected, conflicts):
        if records:
            _quarantine_rejected(con, load_id, source_file, records)
    columns = ", ".join(COLUMNS)
    # Repeats of an id inside the chunk are rare; only then pay for the window that keeps the
    # first occurrence. The id range lets DuckDB skip row groups whose ids cannot match.
    first_only = (
        ""
        if ids == read - bad
        else "QUALIFY row_number() OVER (PARTITION BY tx_id ORDER BY _ord) = 1"
    )
    (accepted,) = con.execute(
        f"""INSERT INTO {table} ({columns}, load_id)
            SELECT {columns}, $load_id FROM tx_stage s WHERE _reason IS NULL
              AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.tx_id = s.tx_id
                              AND t.tx_id BETWEEN $low AND $high)
            {first_only}""",
        {"low": low, "high": high, "load_id": load_id},
    ).fetchone() or (0,)
    rejected_count = bad + len(rejected) + len(conflicts)  # conflicts are staged rows
    read_count = read + len(rejected)
    if read_count - rejected_count - accepted:  # some were not inserted: seen before?
        reused = _id_conflicts(con, low, high)
        if reused:
            _quarantine_rejected(con, load_id, source_file, reused)
            rejected_count += len(reused)
    return LoadCounts(read_count, accepted, rejected_count, read_count - rejected_count - accepted)


#: The fields that tell two payments under one id apart: the same record seen again (the file
#: loaded twice, a message sent again) has them all equal (where both give them).
_DISTINCT = (
    "timestamp",
    "orig_account",
    "orig_bank",
    "orig_name",
    "bene_account",
    "bene_bank",
    "bene_name",
    "amount",
    "currency",
)


#: Good staged payments not inserted because their id (a source's own, not a UETR: those are
#: `_UETR_CONFLICTS`) names a payment held that differs from them. Run after the insert, so a
#: repeat inside the chunk meets the first one, inserted, and a new payment meets itself.
def _staged(column: str) -> str:
    """SQL: a staged column as the table types it (a field no source gives is a typeless NULL)."""
    return f"s.{column}" if column in ("timestamp", "amount") else f"s.{column}::VARCHAR"


def _differs(column: str) -> str:
    """SQL: both records give the field and the values differ. A field one of them lacks is
    not a difference: a reader that learnt to read it (a bank, a name) would otherwise make
    every file loaded before it a conflict when loaded again."""
    return f"coalesce({_staged(column)} <> t.{column}, false)"


_ID_CONFLICTS = f"""
SELECT s.source_position, s._e2e, s.uetr,
       'id ' || s.tx_id || ' already names another payment (' || t.source_file || ', '
       || t.source_position || ': ' || coalesce(t.amount::VARCHAR, '?') || ' '
       || coalesce(t.currency, '?') || '); this one differs in '
       || concat_ws(', ', {", ".join(f"CASE WHEN {_differs(c)} THEN '{c}' END" for c in _DISTINCT)})
       || ': an id names one payment, so it is not counted as a duplicate of it' AS reason
FROM tx_stage s JOIN transactions t ON t.tx_id = s.tx_id AND t.tx_id BETWEEN $low AND $high
WHERE s._reason IS NULL AND (s.uetr IS NULL OR s.tx_id <> lower(s.uetr::VARCHAR))
  AND ({" OR ".join(_differs(c) for c in _DISTINCT)})
QUALIFY row_number() OVER (PARTITION BY s.source_position ORDER BY t.source_position) = 1
ORDER BY s._ord"""


def _id_conflicts(
    con: duckdb.DuckDBPyConnection, low: str | None, high: str | None
) -> list[Rejected]:
    """Records of the chunk whose own id another payment already has. A sender reusing an
    EndToEndId for each transfer of a salary batch, or an MT103 reference on another day,
    loaded the first payment and counted the rest as duplicates, silently: they are
    quarantined naming the payment that holds the id and the fields that differ."""
    found = con.execute(_ID_CONFLICTS, {"low": low, "high": high}).fetchall()
    return [
        Rejected(str(position), str(reason), None, e2e, uetr)
        for position, e2e, uetr, reason in found
    ]


#: Good staged payments whose UETR (their id) another payment already has, with a different
#: amount or currency: the earlier one loaded or first in the chunk, each named once.
_UETR_CONFLICTS = """
WITH good AS (
    SELECT tx_id, uetr, amount, currency, source_position, _ord, _e2e FROM tx_stage
    WHERE _reason IS NULL AND uetr IS NOT NULL AND tx_id = lower(uetr)
), first AS (
    SELECT * FROM good QUALIFY row_number() OVER (PARTITION BY tx_id ORDER BY _ord) = 1
), other AS (
    SELECT g.source_position AS position, g._ord, g._e2e, g.uetr, g.amount, g.currency,
           t.source_file AS o_file, t.source_position AS o_position,
           t.amount AS o_amount, t.currency AS o_currency, 1 AS rank
    FROM good g JOIN transactions t ON t.tx_id = g.tx_id AND t.tx_id BETWEEN $low AND $high
    UNION ALL
    SELECT g.source_position, g._ord, g._e2e, g.uetr, g.amount, g.currency,
           $source_file, f.source_position, f.amount, f.currency, 2
    FROM good g JOIN first f ON f.tx_id = g.tx_id AND f._ord < g._ord
)
SELECT position, _e2e, uetr,
       'UETR ' || uetr || ' already names another payment (' || o_file || ', '
       || o_position || ': ' || coalesce(o_amount::VARCHAR, '?') || ' '
       || coalesce(o_currency, '?') || '); this one is ' || coalesce(amount::VARCHAR, '?')
       || ' ' || coalesce(currency, '?') || ': a UETR names one payment, so one of the two '
       || 'is wrong' AS reason
FROM other WHERE (amount, currency) IS DISTINCT FROM (o_amount, o_currency)
QUALIFY row_number() OVER (PARTITION BY position ORDER BY rank) = 1
ORDER BY _ord"""


def _uetr_conflicts(
    con: duckdb.DuckDBPyConnection, source_file: str, low: str | None, high: str | None
) -> list[Rejected]:
    """Payments of the chunk that reuse the UETR of a different payment (SWIFT: a UETR is
    unique per payment). The same UETR with the same amount and currency is the same payment
    seen again (as MT103 and as pacs.008, or the file loaded twice): a duplicate. With another
    amount or currency it was counted as a duplicate and dropped without a word; now it is
    quarantined naming both. Neither is inserted twice: the later one is not inserted at all."""
    found = con.execute(
        _UETR_CONFLICTS, {"low": low, "high": high, "source_file": source_file}
    ).fetchall()
    return [
        Rejected(str(position), str(reason), None, e2e, uetr)
        for position, e2e, uetr, reason in found
    ]


def _quarantine_rejected(
    con: duckdb.DuckDBPyConnection, load_id: int, source_file: str, rejected: list[Rejected]
) -> None:
    """Records the reader could not cut into columns (ragged rows, broken XML)."""
    extra = pa.table(
        {
            "source_position": pa.array([r.position for r in rejected], pa.string()),
            "reason": pa.array([r.reason for r in rejected], pa.string()),
            "raw": pa.array([r.raw for r in rejected], pa.string()),
            "end_to_end_id": pa.array([r.end_to_end_id for r in rejected], pa.string()),
            "uetr": pa.array([r.uetr for r in rejected], pa.string()),
        }
    )
    con.register("tx_rejected", extra)
    try:
        con.execute(
            f"""INSERT INTO tx_quarantine ({_QUARANTINE_COLUMNS})
               SELECT ?, ?, r.source_position, r.reason, r.raw, ?,
                      left(r.end_to_end_id, {MAX_REFERENCE}), left(r.uetr, {MAX_REFERENCE})
               FROM tx_rejected r
               WHERE NOT EXISTS (SELECT 1 FROM tx_quarantine q WHERE q.source_file = ?
                                 AND q.source_position = r.source_position
                                 AND q.raw IS NOT DISTINCT FROM r.raw)""",
            [load_id, source_file, datetime.now(UTC), source_file],
        )
    finally:
        con.unregister("tx_rejected")


def _start_log(store: Store, source: str, format: str, agency: str | None) -> int:
    with store.transaction() as con:
        (load_id,) = con.execute("SELECT nextval('tx_load_seq')").fetchone() or (0,)
        con.execute(
            """INSERT INTO tx_loads (load_id, source_file, format, started_at, status, agency)
               VALUES (?, ?, ?, ?, 'running', ?)""",
            [load_id, source, format, datetime.now(UTC), agency],
        )
    return int(load_id)


def _finish_log(store: Store, total: LoadCounts, status: str, error: str | None) -> None:
    store.execute(
        "UPDATE tx_loads SET status = ?, finished_at = ?, error = ? WHERE load_id = ?",
        [status, datetime.now(UTC), error, total.load_id],
    )


def load_log(store: Store, limit: int = 20) -> list[dict[str, object]]:
    """The most recent loads, newest first (an interrupted one stays `running`)."""
    ensure_tables(store)
    cursor = store.execute("SELECT * FROM tx_loads ORDER BY load_id DESC LIMIT ?", [limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
