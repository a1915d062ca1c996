"""Two bursts of one account months apart are two alerts in the stream as in the batch.

The stream keyed a fan's or a structuring burst's alert by the account alone: a second burst in
the summer was the spring's alert again (already raised, so not raised at all). Each burst is
now its own alert, with the id the batch gives it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
from small_lists import payment, small_decider, small_seeds

from jalur.model import TRANSACTION_SCHEMA
from jalur.monitoring import detect, load_params
from jalur.monitoring.engines.duckdb import DuckDBEngine
from jalur.store import Store
from jalur.stream import payment_from_row


def _at(month: int, day: int, hour: int) -> str:
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00Z"


def _bursts() -> list[dict[str, object]]:
    """A fan-in into POOL of six payers in March and of six others in August, and three cash
    deposits just under 10,000 USD by SMURF in each month."""
    rows = []
    for month, tag in ((3, "S"), (8, "U")):
        rows += [
            payment(f"{tag}F{i}", orig_account=f"{tag}-P{i}", bene_account="POOL",
                    timestamp=_at(month, 10, i), amount=900.0 + 40 * i + month)
            for i in range(6)
        ]  # fmt: skip
        rows += [
            payment(f"{tag}C{i}", orig_account="SMURF", bene_account=f"{tag}-B{i}",
                    timestamp=_at(month, 12, 2 * i), amount=9500.0 + 10 * i, channel="cash")
            for i in range(3)
        ]  # fmt: skip
    return rows


def _batch(rows: list[dict[str, object]]) -> dict[str, tuple[str, ...]]:
    batch = [
        {
            **dict.fromkeys(TRANSACTION_SCHEMA.names),
            **{k: r[k] for k in ("tx_id", "orig_account", "bene_account", "amount", "currency")},
            "timestamp": datetime.fromisoformat(str(r["timestamp"])),
            "amount_reporting": r["amount"],
            "channel": r["channel"],
        }
        for r in rows
    ]
    data = pa.Table.from_pylist(batch, schema=TRANSACTION_SCHEMA)
    with Store(":memory:") as store:
        store.con.register("given", data)
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM given")
        engine = DuckDBEngine(store)
        report = detect(engine, load_params(), small_seeds(), ["fan_in", "structuring"])
        engine.close()
    return {a.alert_id: (a.typology, a.account) for a in report.alerts}


def test_a_second_burst_months_later_is_a_new_alert_with_the_batch_id(tmp_path: Path) -> None:
    rows = _bursts()
    decider = small_decider(tmp_path / "state.sqlite")
    decider.decide_many([payment_from_row(r) for r in rows])
    streamed = {str(a["alert_id"]): (a["typology"], a["account"]) for a in decider.state.alerts()}
    decider.close()
    batch = _batch(rows)
    assert sorted(batch.values()) == [("fan_in", "POOL")] * 2 + [("structuring", "SMURF")] * 2
    assert set(batch) <= set(streamed)
    assert sorted(v for v in streamed.values() if v[1] in ("POOL", "SMURF")) == sorted(
        batch.values()
    )
