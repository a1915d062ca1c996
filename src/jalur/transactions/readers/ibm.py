"""IBM AMLworld CSV (Altman et al., NeurIPS 2023), e.g. HI-Small_Trans.csv.

Header: Timestamp, From Bank, Account, To Bank, Account, Amount Received, Receiving Currency,
Amount Paid, Payment Currency, Payment Format[, Is Laundering]. The second `Account` is the
beneficiary's (read as `Account_2`); bank ids stay zero-padded strings. The canonical amount is
the amount paid in the payment currency; the amount received and its currency are kept beside it
(a cross-currency payment is a signal) and checked the same way: a row whose received amount or
currency is invalid is rejected like one whose paid amount is. Currency names (`US Dollar`,
`Bitcoin`) become ISO codes or tickers. The file has no transaction id, so the id is a hash of
the record's content.

IBM's patterns file (HI-Small_Patterns.txt) is read as IBM writes it: rows without a header in
the column order above, each laundering attempt between `BEGIN LAUNDERING ATTEMPT - <SHAPE>:
<detail>` and `END LAUNDERING ATTEMPT` lines. Those lines are skipped (line numbers stay the
file's) and each payment's `pattern_id` names its attempt, `ibm-attempt-<n>:<SHAPE>` (n counts
the BEGIN lines, so the id is stable for the same file); a payment outside every attempt has
none. `pattern_id` is not part of the content hash, so a payment has the same id here as in
IBM's transactions file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.lookups import lookup_sql
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Col, FieldMap, Part, RawChunk, Sql
from jalur.transactions.readers.csvfile import (
    blocks,
    header_of,
    parse_block,
    read_csv_chunks,
    unique_names,
)

ATTEMPT = "Attempt"
_MARKER = re.compile(rb"^(BEGIN|END) LAUNDERING ATTEMPT(?: - ([^:\r\n]*))?[^\n]*", re.M)
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
    minor_units=False,  # IBM's generator writes `892031.21 Yen`
    timestamp_formats=("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"),
)
#: IBM's patterns file: the same columns, each payment's attempt in `Attempt`.
ATTEMPT_FIELDS = FieldMap(
    {**FIELDS.fields, "pattern_id": Col(ATTEMPT)},
    id_prefix="ibm",
    minor_units=False,  # IBM's generator writes `892031.21 Yen`
    timestamp_formats=("%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"),
)


def open_ibm(path: Path, options: LoadOptions) -> list[Part]:
    if _is_patterns(path):
        names = unique_names([*REQUIRED[:4], "Account", *REQUIRED[5:], "Is Laundering"])
        return [Part(str(path), ATTEMPT_FIELDS, lambda: _attempt_chunks(path, names, options))]
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


def _is_patterns(path: Path) -> bool:
    """IBM's patterns file opens with its first attempt's BEGIN line, not a header."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(1024)  # enough to tell; a file without lines is not read
    except OSError as exc:
        raise TransactionLoadError(str(path), "file", str(exc)) from exc
    return first.removeprefix(b"\xef\xbb\xbf").startswith(b"BEGIN LAUNDERING ATTEMPT")


def _attempt_chunks(path: Path, names: list[str], options: LoadOptions) -> Iterator[RawChunk]:
    """Header-less IBM rows with BEGIN/END lines blanked (so every row keeps its file line)
    and each row's attempt beside it; an attempt may span blocks."""
    current: str | None = None
    number = 0
    first_line = 1
    with path.open("rb") as handle:
        for block in blocks(handle, options.block_bytes):
            starts, labels = [first_line - 1], [current]
            for marker in _MARKER.finditer(block):
                starts.append(first_line + block.count(b"\n", 0, marker.start()))
                if marker.group(1) == b"BEGIN":
                    number += 1
                    shape = (marker.group(2) or b"").decode("ascii", "replace").strip()
                    current = f"ibm-attempt-{number}:{shape}"
                else:
                    current = None
                labels.append(current)
            chunk = parse_block(_MARKER.sub(b"", block), names, ",", options.encoding, first_line)
            lines = chunk.table.column("_line").to_numpy()
            at = np.searchsorted(np.asarray(starts, dtype=np.int64), lines, side="right") - 1
            attempts = pa.array([labels[i] for i in at], pa.string())
            chunk.table = chunk.table.append_column(ATTEMPT, attempts)
            yield chunk
            first_line += block.count(b"\n")
