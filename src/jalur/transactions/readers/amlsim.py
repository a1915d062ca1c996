"""IBM AMLSim outputs, in the three layouts found in the wild; PATH is the output folder.

- current: `transactions.csv` (tran_id, orig_acct, bene_acct, tx_type, base_amt, tran_timestamp,
  is_sar, alert_id) with `accounts.csv` (names, bank, country) and `alert_transactions.csv`;
- graph samples: `transactions.csv` (sourceNodeId, targetNodeId, value, time) with `nodes.csv`
  (nodeid, isFraud, …);
- older tiny schema: `tx.csv` and `cash_tx.csv` with `accounts.csv` (ACCOUNT_ID, …, isFraud).
Integer time steps become timestamps: one step is one day from `LoadOptions.amlsim_epoch`
(default 2017-01-01, AMLSim's own base date). AMLSim amounts have no currency: `amlsim_currency`
(default USD). Where labels sit on accounts, a transaction is labelled when both its accounts
are fraudulent (the pattern's internal transfers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pv

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.lookups import lookup_sql
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, RawChunk, Source, Sql
from jalur.transactions.readers.csvfile import header_of, read_csv_chunks

#: A step count (text) to an ISO date string, one step per day from $epoch.
_STEP = "CASE WHEN regexp_full_match(trim({0}), '-?[0-9]+') THEN strftime($epoch::DATE + trim({0})::INTEGER, '%Y-%m-%d') ELSE trim({0}) END"  # noqa: E501
_NO_LABEL = Sql("NULL::BOOLEAN", "BOOLEAN")
_TRUE = "lower(trim(coalesce({0}, ''))) IN ('1', 'true', 'yes')"


def _both(left: str, right: str) -> Sql:
    return Sql(f"({_TRUE.format(left)}) AND ({_TRUE.format(right)})", "BOOLEAN")


def _side_table(path: Path, key: str, keep: list[str]) -> pa.Table | None:
    """A small per-account table (nodes.csv, accounts.csv) as text columns, or None."""
    if not path.exists():
        return None
    names = header_of(path)
    if key not in names:
        raise TransactionLoadError(str(path), "line 1", f"no {key!r} column")
    columns = [key, *[c for c in keep if c in names]]
    types = {**dict.fromkeys(columns, pa.string()), key: pa.binary()}
    try:
        return pv.read_csv(
            path,
            convert_options=pv.ConvertOptions(include_columns=columns, column_types=types),
        )
    except pa.ArrowInvalid as exc:
        raise TransactionLoadError(str(path), "file", f"unreadable account table: {exc}") from exc


def _attach(chunk: RawChunk, side: pa.Table | None, key: str, prefix: str) -> RawChunk:
    """Left-join the account table onto the chunk by `key`, side columns prefixed."""
    table = chunk.table
    if side is None:
        return chunk
    side = side.set_column(0, side.field(0).name, side.column(0).cast(table.schema.field(key).type))
    renamed = side.rename_columns([f"{prefix}{name}" for name in side.column_names])
    joined = table.join(
        renamed, keys=key, right_keys=f"{prefix}{side.column_names[0]}", join_type="left outer"
    )
    return RawChunk(joined, chunk.rejected)


def _chunks(
    path: Path, options: LoadOptions, sides: list[tuple[pa.Table | None, str, str]]
) -> Iterator[RawChunk]:
    names = header_of(path)
    for chunk in read_csv_chunks(path, names, ",", options.encoding, options.block_bytes):
        for side, key, prefix in sides:
            chunk = _attach(chunk, side, key, prefix)
        yield chunk


def _params(options: LoadOptions) -> dict[str, object]:
    return {"epoch": options.amlsim_epoch.isoformat(), "currency": options.amlsim_currency}


def _graph(folder: Path, tx: Path, options: LoadOptions) -> list[Part]:
    nodes = _side_table(folder / "nodes.csv", "nodeid", ["isFraud"])
    fields = FieldMap(
        {
            "timestamp": Sql(_STEP.format('"time"')),
            "orig_account": Col("sourceNodeId"),
            "bene_account": Col("targetNodeId"),
            "amount": Col("value"),
            "currency": Sql("$currency"),
            "channel": Sql("'wire'"),
            "label": _both('"s_isFraud"', '"t_isFraud"') if nodes is not None else _NO_LABEL,
        },
        id_prefix="amlsim",
        minor_units=False,  # AMLSim's amounts ignore the currency's minor units
        params=_params(options),
    )
    sides = [(nodes, "sourceNodeId", "s_"), (nodes, "targetNodeId", "t_")]
    return [Part(str(tx), fields, lambda: _chunks(tx, options, sides))]


def _party(prefix: str, side: str) -> dict[str, Sql]:
    name = f'coalesce(nullif(trim(concat_ws(\' \', "{side}first_name", "{side}last_name")), \'\'), "{side}dsply_nm")'  # noqa: E501
    return {
        f"{prefix}_name": Sql(name),
        f"{prefix}_bank": Sql(f'"{side}bank_id"'),
        f"{prefix}_country": Sql(f'"{side}country"'),
        f"{prefix}_identifier": Sql(f'"{side}ssn"'),
        f"{prefix}_address": Sql(
            f'nullif(concat_ws(\', \', "{side}street_addr", "{side}city", "{side}zip"), \'\')'
        ),
    }


_ACCOUNT_COLUMNS = [
    "first_name",
    "last_name",
    "dsply_nm",
    "bank_id",
    "country",
    "ssn",
    "street_addr",
    "city",
    "zip",
]


def _current(folder: Path, tx: Path, options: LoadOptions) -> list[Part]:
    accounts = _side_table(folder / "accounts.csv", "acct_id", _ACCOUNT_COLUMNS)
    if accounts is not None:
        accounts = _complete(accounts, _ACCOUNT_COLUMNS)
    fields = FieldMap(
        {
            "tx_id": Sql("'amlsim:' || trim(\"tran_id\")"),
            "timestamp": Sql(_STEP.format('"tran_timestamp"')),
            "orig_account": Col("orig_acct"),
            "bene_account": Col("bene_acct"),
            "amount": Col("base_amt"),
            "currency": Sql("$currency"),
            "channel": Sql(lookup_sql("channel", '"tx_type"')),
            "label": Col("is_sar"),
            "pattern_id": Sql(
                "CASE WHEN trim(\"alert_id\") NOT IN ('', '-1') THEN 'amlsim-alert-' || trim(\"alert_id\") END"  # noqa: E501
            ),
            **(_party("orig", "o_") | _party("bene", "b_") if accounts is not None else {}),
        },
        id_prefix="amlsim",
        minor_units=False,  # AMLSim's amounts ignore the currency's minor units
        params=_params(options),
    )
    sides = [(accounts, "orig_acct", "o_"), (accounts, "bene_acct", "b_")]
    return [Part(str(tx), fields, lambda: _chunks(tx, options, sides))]


def _complete(table: pa.Table, columns: list[str]) -> pa.Table:
    for name in columns:
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    return table


def _tiny(folder: Path, options: LoadOptions) -> list[Part]:
    accounts = _side_table(folder / "accounts.csv", "ACCOUNT_ID", ["isFraud", "country"])
    flag = accounts is not None
    base: dict[str, Source] = {
        "tx_id": Sql("'amlsim-tiny:' || trim(\"TXN_ID\")"),
        "orig_account": Col("ACCOUNT_ID"),
        "amount": Col("TXN_AMOUNT_ORIG"),
        "currency": Sql("$currency"),
        "channel": Sql(lookup_sql("channel", '"TXN_SOURCE_TYPE_CODE"')),
        "orig_country": Col("o_country"),
    }
    tx_fields = FieldMap(
        {
            **base,
            "timestamp": Sql(_STEP.format('"start"')),
            "bene_account": Col("COUNTER_PARTY_ACCOUNT_NUM"),
            "bene_country": Col("b_country"),
            "label": _both('"o_isFraud"', '"b_isFraud"') if flag else _NO_LABEL,
        },
        id_prefix="amlsim",
        minor_units=False,  # AMLSim's amounts ignore the currency's minor units
        params=_params(options),
    )
    cash_fields = FieldMap(
        {
            **base,
            "timestamp": Sql(_STEP.format('"RUN_DATE"')),
            "bene_name": Sql("'cash at branch ' || trim(\"BRANCH_ID\")"),
            "label": Sql("false", "BOOLEAN"),
        },
        id_prefix="amlsim",
        minor_units=False,  # AMLSim's amounts ignore the currency's minor units
        params=_params(options),
    )
    tx, cash = folder / "tx.csv", folder / "cash_tx.csv"
    parts = [
        Part(
            str(tx),
            tx_fields,
            lambda: _chunks(
                tx,
                options,
                [(accounts, "ACCOUNT_ID", "o_"), (accounts, "COUNTER_PARTY_ACCOUNT_NUM", "b_")],
            ),
        )
    ]
    if cash.exists():
        parts.append(
            Part(
                str(cash),
                cash_fields,
                lambda: _chunks(cash, options, [(accounts, "ACCOUNT_ID", "o_")]),
            )
        )
    return parts


def open_amlsim(path: Path, options: LoadOptions) -> list[Part]:
    folder = path if path.is_dir() else path.parent
    if (folder / "tx.csv").exists() and (path.is_dir() or path.name in ("tx.csv", "cash_tx.csv")):
        return _tiny(folder, options)
    tx = folder / "transactions.csv" if path.is_dir() else path
    if not tx.exists():
        raise TransactionLoadError(str(path), "folder", "no transactions.csv or tx.csv")
    header = header_of(tx)
    if "sourceNodeId" in header:
        return _graph(folder, tx, options)
    if "tran_id" in header:
        return _current(folder, tx, options)
    raise TransactionLoadError(str(tx), "line 1", f"not an AMLSim transactions header: {header}")
