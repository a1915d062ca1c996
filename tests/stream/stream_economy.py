"""The generated economy's seeds and payments, as the stream tests read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pv
import pyarrow.parquet as pq

from jalur.monitoring import HITS_SCHEMA, Seeds


def economy_seeds(folder: Path) -> Seeds:
    """Seeds as screening and an agency would give them: the generator's terror-listed
    account holders as terror hits, the narcotics investigation's accounts as drug flags."""
    accounts = pq.read_table(folder / "accounts.parquet").to_pylist()
    hits = [
        {
            "account": a["account"],
            "party_name": a["holder_name"],
            "entity_id": a["watchlist_entity_id"],
            "list_name": "generated",
            "source_id": a["watchlist_entity_id"],
            "risk_class": "terror",
            "score": 0.95,
            "matched_alias": a["holder_name"],
        }
        for a in accounts
        if a["role"] == "terror_linked"
    ]
    as_text = pv.ConvertOptions(column_types={"account": pa.string()})
    flagged = pv.read_csv(folder / "drug_investigation_accounts.csv", convert_options=as_text)
    drug = flagged.column("account").to_pylist()
    terror = frozenset(h["account"] for h in hits)
    return Seeds(
        {"terror": terror, "drug": frozenset(str(a) for a in drug)},
        pa.Table.from_pylist(hits, schema=HITS_SCHEMA),
    )


def payments_in_time_order(folder: Path) -> list[dict[str, Any]]:
    rows = pq.read_table(folder / "transactions.parquet").to_pylist()
    return sorted(rows, key=lambda r: (r["timestamp"], r["tx_id"]))
