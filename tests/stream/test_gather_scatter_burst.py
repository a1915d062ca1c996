"""A small or uneven gather-scatter (IBM AMLworld's: a few payers, then a few payees) is found
by the stream as by the batch: only as a burst of a quiet account."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
from small_lists import payment, small_decider

from jalur.model import TRANSACTION_SCHEMA
from jalur.monitoring import Seeds, detect, load_params
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.monitoring.seeds import HITS_SCHEMA
from jalur.store import Store
from jalur.stream import payment_from_row


def _at(day: int, hour: int) -> str:
    return f"2026-03-{day:02d}T{hour:02d}:00:00Z"


def _gather_scatter(hub: str) -> list[dict[str, object]]:
    """Four payers into `hub` on one day, then two payees out of it the next."""
    ins = [
        payment(f"{hub}-I{i}", orig_account=f"{hub}-P{i}", bene_account=hub, timestamp=_at(20, i))
        for i in range(4)
    ]
    outs = [
        payment(f"{hub}-O{i}", orig_account=hub, bene_account=f"{hub}-Q{i}", timestamp=_at(21, i))
        for i in range(2)
    ]
    return [*ins, *outs]


def _codes(rows: list[dict[str, object]], state: Path) -> list[str]:
    decider = small_decider(state)
    outcomes = decider.decide_many([payment_from_row(r) for r in rows])
    decider.close()
    return [str(r["code"]) for o in outcomes for r in o.decision["reasons"]]


def test_a_quiet_hub_gathering_from_four_and_paying_two_is_a_gather_scatter(
    tmp_path: Path,
) -> None:
    assert "gather_scatter" in _codes(_gather_scatter("QUIET"), tmp_path / "q.sqlite")


def test_a_busy_hub_doing_the_same_is_not(tmp_path: Path) -> None:
    everyday = [  # a payment a day from one customer: the burst is a small share of its trade
        payment(f"BUSY-D{d}", orig_account="BUSY-C", bene_account="BUSY", timestamp=_at(d, 9))
        for d in range(1, 20)
    ]
    assert "gather_scatter" not in _codes([*everyday, *_gather_scatter("BUSY")], tmp_path / "b")


def _paid_out_first(hub: str) -> list[dict[str, object]]:
    """One payer, then four payees, then three more payers a day later: the first payment in
    comes before the last out, but on average the money went out before it came in."""
    first = payment(f"{hub}-I0", orig_account=f"{hub}-P0", bene_account=hub, timestamp=_at(20, 0))
    outs = [
        payment(f"{hub}-O{i}", orig_account=hub, bene_account=f"{hub}-Q{i}", timestamp=_at(20, i))
        for i in range(1, 5)
    ]
    late = [
        payment(f"{hub}-I{i}", orig_account=f"{hub}-P{i}", bene_account=hub, timestamp=_at(21, i))
        for i in range(1, 4)
    ]
    return [first, *outs, *late]


def _batch_typologies(rows: list[dict[str, object]]) -> set[str]:
    """The batch pass's alert typologies on the same payments."""
    batch = [
        {
            **dict.fromkeys(TRANSACTION_SCHEMA.names),
            "tx_id": r["tx_id"],
            "timestamp": datetime.fromisoformat(str(r["timestamp"])),
            "orig_account": r["orig_account"],
            "bene_account": r["bene_account"],
            "amount": r["amount"],
            "currency": r["currency"],
            "amount_reporting": r["amount"],
            "channel": "wire",
        }
        for r in rows
    ]
    with Store(":memory:") as store:
        store.con.register("_rows", pa.Table.from_pylist(batch, schema=TRANSACTION_SCHEMA))
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM _rows")
        engine = DuckDBEngine(store)
        seeds = Seeds({"terror": frozenset(), "drug": frozenset()}, HITS_SCHEMA.empty_table())
        alerts = detect(engine, load_params(), seeds).alerts
        engine.close()
    return {a.typology for a in alerts}


def test_a_hub_that_paid_out_before_it_gathered_is_not_a_gather_scatter_in_either(
    tmp_path: Path,
) -> None:
    rows = _paid_out_first("EARLY")
    assert "gather_scatter" not in _batch_typologies(rows)
    assert "gather_scatter" not in _codes(rows, tmp_path / "e.sqlite")
    # the same payments with the late payers a day earlier instead are one in both
    gathered = [
        {**r, "timestamp": _at(19, 20 + int(str(r["tx_id"])[-1]))} if "-I" in str(r["tx_id"]) else r
        for r in _paid_out_first("ON-TIME")
    ]
    assert "gather_scatter" in _batch_typologies(gathered)
    assert "gather_scatter" in _codes(gathered, tmp_path / "o.sqlite")
