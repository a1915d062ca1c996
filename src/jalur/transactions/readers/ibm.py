"""IBM AMLworld CSV (Altman et al., NeurIPS 2023), e.g. HI-Small_Trans.csv.

Header: Timestamp, From Bank, Account, To Bank, Account, Amount Received, Receiving Currency,
Amount Paid, Payment Currency, Payment Format[, Is Laundering]. The second `Account` is the
beneficiary's (read as `Account_2`); bank ids stay zero-padded strings. The canonical amount is
the amount paid in the payment currency; the amount received and its currency are kept beside it
(a cross-currency payment is a signal) and checked the same way: a row whose received amount or
currency is invalid is rejected like one whose paid amount is. Currency names (`US Dollar`,
`Bitcoin`) become ISO codes or tickers. The file has no transaction id, so the id is a hash of
the record's content.
"""

from __future__ import annotations

from pathlib import Path

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.lookups import lookup_sql
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, Sql
from jalur.transactions.readers.csvfile import header_of, read_csv_chunks

REQUIRED = [
    "Timestamp",
    "From Bank",
    "Account",
    "To Bank",
    "Account_2",
    "Amount Received",
    "Receiving Currency",
    "Amount Paid",
    "Payment Currency",
    "Payment Format",
]

FIELDS = FieldMap(
    {
        "timestamp": Col("Timestamp"),
        "orig_bank": Col("From Bank"),
        "orig_account": Col("Account"),
        "bene_bank": Col("To Bank"),
        "bene_account": Col("Account_2"),
        "amount": Col("Amount Paid"),
        "currency": Sql(lookup_sql("currency", '"Payment Currency"')),
        "amount_received": Col("Amount Received"),
        "currency_received": Sql(lookup_sql("currency", '"Receiving Currency"')),
        "channel": Sql(lookup_sql("channel", '"Payment Format"')),
        "label": Col("Is Laundering"),
    },
    id_prefix="ibm",
    timestamp_formats=("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"),
)


def open_ibm(path: Path, options: LoadOptions) -> list[Part]:
    names = header_of(path, ",", options.encoding)
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise TransactionLoadError(
            str(path), "line 1", f"not an IBM AMLworld header: missing {missing} (got {names})"
        )
    return [
        Part(
            str(path),
            FIELDS,
            lambda: read_csv_chunks(path, names, ",", options.encoding, options.block_bytes),
        )
    ]
