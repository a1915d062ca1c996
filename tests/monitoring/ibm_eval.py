"""IBM AMLworld laundering attempts (HI-Small_Patterns.txt) loaded on their own, and how many
of each shape a monitoring pass alerts with the typology of that shape.

The file holds IBM's planted attempts, each opened by `BEGIN LAUNDERING ATTEMPT - <SHAPE>` and
followed by payments in IBM's CSV layout without a header. They are written to one CSV with
IBM's header and read by jalur's own IBM reader (so received amounts and currencies go through
the same validation as a bank's file); each payment's line tells its attempt.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jalur.monitoring import Alert
from jalur.store import Store
from jalur.transactions import load_transactions

HEADER = (
    "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
    "Amount Paid,Payment Currency,Payment Format,Is Laundering"
)

#: IBM's shape → the jalur typology that must recognise it.
SHAPES = {
    "FAN-OUT": "fan_out",
    "FAN-IN": "fan_in",
    "CYCLE": "cycle",
    "SCATTER-GATHER": "scatter_gather",
    "GATHER-SCATTER": "gather_scatter",
    "STACK": "stack",
    "BIPARTITE": "bipartite",
    "RANDOM": "chain",
}

_BEGIN = re.compile(r"BEGIN LAUNDERING ATTEMPT - ([A-Z-]+)")


@dataclass(frozen=True)
class Attempt:
    """One planted attempt: its shape, IBM's detail line and its payments' file lines."""

    number: int
    shape: str
    detail: str
    lines: tuple[int, ...]


def write_attempts(patterns: Path, out: Path) -> list[Attempt]:
    """IBM's patterns file as one headed IBM CSV at `out`; the attempts with their lines."""
    attempts: list[Attempt] = []
    body = [HEADER]
    shape, detail, lines = "", "", []
    for text in patterns.read_text(encoding="utf-8").splitlines():
        begin = _BEGIN.match(text)
        if begin:
            shape, detail, lines = begin.group(1), text.partition(":")[2].strip(), []
        elif text.startswith("END LAUNDERING ATTEMPT"):
            attempts.append(Attempt(len(attempts), shape, detail, tuple(lines)))
        elif text.strip():
            body.append(text)
            lines.append(len(body))  # 1-based line in the written file
    out.write_text("\n".join(body) + "\n", encoding="utf-8")
    return attempts


def load_attempts(store: Store, patterns: Path, scratch: Path) -> tuple[list[Attempt], dict]:
    """Load every attempt into `store`; returns the attempts and each tx_id's attempt."""
    path = scratch / "ibm_attempts.csv"
    attempts = write_attempts(patterns, path)
    load_transactions(store, path, "ibm")
    by_line = {line: a.number for a in attempts for line in a.lines}
    tx_attempt = {
        tx: by_line[int(str(pos).split()[-1])]
        for tx, pos in store.con.execute(
            "SELECT tx_id, source_position FROM transactions"
        ).fetchall()
    }
    return attempts, tx_attempt


def recognised(
    attempts: Iterable[Attempt], tx_attempt: dict, alerts: Iterable[Alert]
) -> dict[str, tuple[int, int]]:
    """Per shape: (attempts alerted by the shape's typology, attempts). An attempt counts when
    an alert of that typology holds at least one of its payments."""
    hit: dict[str, set[int]] = defaultdict(set)
    for alert in alerts:
        for tx in alert.tx_ids:
            if tx in tx_attempt:
                hit[alert.typology].add(tx_attempt[tx])
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for attempt in attempts:
        totals[attempt.shape][1] += 1
        if attempt.number in hit[SHAPES[attempt.shape]]:
            totals[attempt.shape][0] += 1
    return {shape: (found, n) for shape, (found, n) in sorted(totals.items())}


def _monitor(
    patterns: Path, scratch: Path, overrides: dict | None
) -> tuple[list[Attempt], dict, list[Alert]]:
    """One monitoring pass (defaults on DuckDB, with `overrides`) over IBM's attempts alone."""
    from monitoring_builders import no_seeds

    from jalur.monitoring import detect, load_params
    from jalur.monitoring.engines.duckdb import DuckDBEngine

    with Store(":memory:") as store:
        attempts, tx_attempt = load_attempts(store, patterns, scratch)
        engine = DuckDBEngine(store)
        alerts = detect(engine, load_params(overrides or {}), no_seeds()).alerts
        engine.close()
    return attempts, tx_attempt, alerts


def recognition(
    patterns: Path, scratch: Path, overrides: dict | None = None
) -> dict[str, tuple[int, int]]:
    """Per shape, the attempts a pass over all of IBM's attempts recognises."""
    return recognised(*_monitor(patterns, scratch, overrides))


def recognition_by_half(
    patterns: Path, scratch: Path, overrides: dict | None = None
) -> dict[str, dict[str, tuple[int, int]]]:
    """`recognition` for the even-numbered attempts (the half parameters were tuned on), the
    odd-numbered ones (held out) and all, from one pass over all of them."""
    attempts, tx_attempt, alerts = _monitor(patterns, scratch, overrides)
    return {
        "even": recognised([a for a in attempts if a.number % 2 == 0], tx_attempt, alerts),
        "odd": recognised([a for a in attempts if a.number % 2 == 1], tx_attempt, alerts),
        "all": recognised(attempts, tx_attempt, alerts),
    }
