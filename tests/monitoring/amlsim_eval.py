"""AMLSim samples as payments, and account-level precision/recall/F1 of alerted accounts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from jalur.model import TRANSACTION_SCHEMA

#: AMLSim's time is a step number (one per day in its default configuration).
START = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())


def amlsim_payments(folder: Path) -> pa.Table:
    """`sourceNodeId,targetNodeId,value,time` as TRANSACTION_SCHEMA rows."""
    raw = pcsv.read_csv(folder / "transactions.csv")
    n = raw.num_rows
    seconds = pc.add(pc.multiply(pc.cast(raw["time"], pa.int64()), 86_400), START)
    columns = {
        "tx_id": pa.array([f"{folder.name}-{i}" for i in range(n)], pa.string()),
        "timestamp": pc.cast(pc.multiply(seconds, 1_000_000), pa.timestamp("us", tz="UTC")),
        "orig_account": pc.cast(raw["sourceNodeId"], pa.string()),
        "bene_account": pc.cast(raw["targetNodeId"], pa.string()),
        "amount": pc.cast(raw["value"], pa.float64()),
        "currency": pa.array(["USD"] * n, pa.string()),
        "amount_reporting": pc.cast(raw["value"], pa.float64()),
        "source_file": pa.array([f"{folder.name}/transactions.csv"] * n, pa.string()),
    }
    return pa.table(
        [columns.get(f.name, pa.nulls(n, f.type)) for f in TRANSACTION_SCHEMA],
        schema=TRANSACTION_SCHEMA,
    )


def fraud_accounts(folder: Path) -> set[str]:
    nodes = pcsv.read_csv(folder / "nodes.csv")
    flagged = nodes.filter(pc.equal(nodes["isFraud"], 1))
    return {str(v) for v in flagged["nodeid"].to_pylist()}


def prf(alerted: set[str], truth: set[str]) -> dict[str, float]:
    tp = len(alerted & truth)
    precision = tp / len(alerted) if alerted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "alerted": len(alerted),
    }
