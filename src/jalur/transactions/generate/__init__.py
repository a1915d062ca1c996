"""A synthetic, labelled economy for demos, tests and benchmarks: `jalur generate`.

Deterministic by seed. Writes to the output folder:
- transactions.parquet: the canonical payment table (`TRANSACTION_SCHEMA`), `label` true for
  payments of an injected pattern and `pattern_id` naming it;
- accounts.parquet: account, bank BIC, holder name and schema (Person/Company), country,
  currency, birth date, identifier, role, and `watchlist_entity_id` for holders deliberately
  resembling a listed entity (`related_entity_id` for a listed fighter's relatives);
- patterns.parquet: pattern_id, type, accounts, tx_ids, watchlist_entity_ids;
- drug_investigation_accounts.csv: accounts a narcotics investigation flags (the dealers of
  `drug_to_terror` patterns and as many dealers with no terror link);
- manifest.json: counts, seed and timing. `csv=True` also writes transactions.csv.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv
import pyarrow.parquet as pq

from jalur.cells import guard_cell
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store
from jalur.transactions.generate.activity import START, Flows, Groups, normal_activity
from jalur.transactions.generate.patterns import Builder, inject
from jalur.transactions.generate.watchlist import listed_parties
from jalur.transactions.generate.world import ROUNDING, Accounts, base_accounts
from jalur.transactions.rates import load_rates

__all__ = ["GeneratorConfig", "generate"]


@dataclass(frozen=True)
class GeneratorConfig:
    """Size and seed; one account per `tx_per_account` payments, one pattern per 2,500."""

    transactions: int
    seed: int = 1
    tx_per_account: int = 25
    tx_per_pattern: int = 2_500
    csv: bool = False


def generate(config: GeneratorConfig, out: Path, store: Store | None = None) -> dict[str, Any]:
    """Write the dataset to `out` and return its manifest."""
    began = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    accounts = base_accounts(rng, max(300, config.transactions // config.tx_per_account))
    groups = Groups(accounts, rng)
    listed, listed_source = listed_parties(store)
    builder = Builder(accounts, groups, rng, listed)
    wanted = max(min(11, config.transactions // 400), config.transactions // config.tx_per_pattern)
    inject(builder, wanted, max_rows=config.transactions // 2)
    patterned = builder.flows()
    normal = normal_activity(accounts, groups, rng, config.transactions - len(patterned.orig))
    flows = Flows.concat([normal, patterned])
    order = np.argsort(flows.time_us, kind="stable")
    table = _transactions(flows, order, accounts, config.seed)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out / "transactions.parquet", row_group_size=262_144)
    if config.csv:
        pv.write_csv(table, out / "transactions.csv")
    pq.write_table(_accounts(accounts), out / "accounts.parquet")
    pq.write_table(_patterns(builder, table, accounts, config.seed), out / "patterns.parquet")
    _drug_file(builder, accounts, out / "drug_investigation_accounts.csv")
    manifest = {
        "transactions": table.num_rows,
        "accounts": len(accounts),
        "patterns": len(builder.patterns),
        "laundering": int((flows.pattern >= 0).sum()),
        "watchlist_parties": sum(1 for e in accounts.entity_id if e),
        "watchlist_source": listed_source,
        "seed": config.seed,
        "seconds": round(time.perf_counter() - began, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _side(values: list[Any], index: np.ndarray) -> pa.Array:
    """`values[index]` with nulls where index is -1 (cash has no account)."""
    return pa.array(values, pa.string()).take(pa.array(index, mask=index < 0))


def _amounts(flows: Flows, order: np.ndarray, currency: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    rates = load_rates()
    codes = currency.to_numpy(zero_copy_only=False)
    usd = flows.usd[order]
    local, factor = np.empty_like(usd), np.empty_like(usd)
    for code in np.unique(codes):
        rows = codes == code
        unit = ROUNDING.get(str(code), 0.01)
        per_unit = rates.usd_per_unit[str(code)]
        local[rows] = np.maximum(np.round(usd[rows] / per_unit / unit) * unit, unit)
        factor[rows] = rates.factor(str(code)) or np.nan
    return local, np.round(local * factor, 4)


def _transactions(flows: Flows, order: np.ndarray, accounts: Accounts, seed: int) -> pa.Table:
    orig, bene = flows.orig[order], flows.bene[order]
    payer = np.where(orig >= 0, orig, bene)
    currency = _side(accounts.currency, payer)
    amount, reporting = _amounts(flows, order, currency)
    count = len(order)
    serial = pa.compute.utf8_lpad(pa.array(np.arange(count)).cast(pa.string()), 9, "0")
    pattern = flows.pattern[order]
    ids = [f"P{seed}-{n:05d}" for n in range(int(flows.pattern.max(initial=-1)) + 1)]
    columns: dict[str, Any] = {
        "tx_id": pa.compute.binary_join_element_wise(f"G{seed}", serial, "-"),
        "timestamp": pa.array(flows.time_us[order] + START.astype(np.int64)).cast(
            pa.timestamp("us", tz="UTC")
        ),
        "amount": amount,
        "currency": currency,
        "amount_reporting": reporting,
        "channel": pa.array(flows.channel[order], pa.string()),
        "purpose": pa.array(flows.purpose[order], pa.string()),
        "label": pattern >= 0,
        "pattern_id": pa.array(ids, pa.string()).take(pa.array(pattern, mask=pattern < 0)),
    }
    for prefix, index in (("orig", orig), ("bene", bene)):
        columns[f"{prefix}_account"] = _side(accounts.account, index)
        columns[f"{prefix}_bank"] = _side(accounts.bank, index)
        columns[f"{prefix}_name"] = _side(accounts.name, index)
        columns[f"{prefix}_country"] = _side(accounts.country, index)
        columns[f"{prefix}_identifier"] = _side(accounts.identifier, index)
    arrays = [columns.get(f.name, pa.nulls(count, f.type)) for f in TRANSACTION_SCHEMA]
    return pa.Table.from_arrays(
        [
            pa.array(a, f.type) if not isinstance(a, pa.Array | pa.ChunkedArray) else a.cast(f.type)
            for a, f in zip(arrays, TRANSACTION_SCHEMA, strict=True)
        ],
        schema=TRANSACTION_SCHEMA,
    )


def _accounts(accounts: Accounts) -> pa.Table:
    return pa.table(
        {
            "account": accounts.account,
            "bank": accounts.bank,
            "holder_name": accounts.name,
            "holder_schema": accounts.schema,
            "country": accounts.country,
            "currency": accounts.currency,
            "dob": accounts.dob,
            "identifier": accounts.identifier,
            "role": accounts.role,
            "watchlist_entity_id": pa.array(accounts.entity_id, pa.string()),
            "related_entity_id": pa.array(accounts.related_entity_id, pa.string()),
        }
    )


def _patterns(builder: Builder, table: pa.Table, accounts: Accounts, seed: int) -> pa.Table:
    labelled = table.filter(table.column("label")).select(["pattern_id", "tx_id"])
    grouped = labelled.group_by("pattern_id", use_threads=False).aggregate([("tx_id", "list")])
    tx_ids = dict(
        zip(
            grouped.column("pattern_id").to_pylist(),
            grouped.column("tx_id_list").to_pylist(),
            strict=True,
        )
    )
    rows = []
    for pattern in builder.patterns:
        pattern_id = f"P{seed}-{pattern.number:05d}"
        rows.append(
            {
                "pattern_id": pattern_id,
                "type": pattern.type,
                "accounts": sorted(accounts.account[i] for i in pattern.accounts),
                "tx_ids": tx_ids.get(pattern_id, []),
                "watchlist_entity_ids": sorted(pattern.entities),
            }
        )
    schema = pa.schema(
        [
            ("pattern_id", pa.string()),
            ("type", pa.string()),
            ("accounts", pa.list_(pa.string())),
            ("tx_ids", pa.list_(pa.string())),
            ("watchlist_entity_ids", pa.list_(pa.string())),
        ]
    )
    return pa.Table.from_pylist(rows, schema)


def _drug_file(builder: Builder, accounts: Accounts, path: Path) -> None:
    """The investigators' accounts as a CSV a person opens: text cells guarded for a
    spreadsheet (a holder's name can come from a loaded list); `accounts flag` reads it back."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "bank", "holder_name", "country", "reason"])
        for index in dict.fromkeys(builder.drug_accounts):
            row = [accounts.account[index], accounts.bank[index], accounts.name[index],
                   accounts.country[index], "narcotics investigation: cash proceeds"]  # fmt: skip
            writer.writerow([guard_cell(cell) if isinstance(cell, str) else cell for cell in row])
