"""Control characters in a payment's identifiers are refused, not stored.

A `tx_id` or account number with ESC (`\\x1b[2J` clears an analyst's terminal), another C0/C1
control or a bidi override (U+202E shows `…fdp.exe` as `…exe.pdf`) was loaded as it came and
reached terminals, reports and goAML files; one that prints as nothing (a zero-width space, a
byte-order mark) made another account that looks like the real one everywhere. Such a record
is now quarantined with a reason naming the field and its value escaped; the records around
it load and the counts balance, whatever the format.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.store import Store

from .conftest import quarantined, rows

HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"
#: (tx_id, orig_account, bene_account) → the reason's expected text
HOSTILE = {
    ("T\x1b[2J", "A1", "B1"): "control character in tx_id: T\\x1b[2J",
    ("T3", "A\x85", "B1"): "control character in orig_account: A\\x85",
    ("T4", "A1", "\u202etxt.exe"): "control character in bene_account: \\u202etxt.exe",
    ("T5\u2066", "A1", "B1"): "control character in tx_id: T5\\u2066",
    ("T6", "A\x00\x7f", "B1"): "control character in orig_account: A\\x00\\x7f",
    # characters that print as nothing: another account that looks like A1 everywhere
    ("T7", "A1\u200b", "B1"): "control character in orig_account: A1\\u200b",
    ("T8", "A1", "\ufeffB1"): "control character in bene_account: \\ufeffB1",
    ("T9", "A\xad1", "B1"): "control character in orig_account: A\\xad1",
    ("T10", "A1", "B\u20601"): "control character in bene_account: B\\u20601",
}
GOOD = [("T1", "A1", "B1"), ("T2", "A\u00e9", "B2\u00f1")]  # accents are not controls


def _records() -> list[tuple[str, str, str]]:
    hostile = list(HOSTILE)
    return [GOOD[0], *hostile[:2], GOOD[1], *hostile[2:]]


def _check(store: Store, counts) -> None:  # type: ignore[no-untyped-def]
    assert (counts.accepted, counts.rejected) == (2, len(HOSTILE))
    assert [r["tx_id"] for r in rows(store)] == ["T1", "T2"]
    reasons = sorted(reason for _, reason in quarantined(store))
    assert reasons == sorted(HOSTILE.values())


def test_a_csv_with_control_characters_in_identifiers(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "payments.csv"
    lines = [f'"{t}",2024-01-01T00:00:00Z,"{o}","{b}",5,USD\n' for t, o, b in _records()]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    _check(store, load(path, "csv"))
    assert dict(quarantined(store))["line 3"] == HOSTILE[_records()[1]]


def test_a_parquet_file_with_control_characters_in_identifiers(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    records = _records()
    table = pa.table(
        {
            "tx_id": [t for t, _, _ in records],
            "timestamp": ["2024-01-01T00:00:00Z"] * len(records),
            "orig_account": [o for _, o, _ in records],
            "bene_account": [b for _, _, b in records],
            "amount": [5.0] * len(records),
            "currency": ["USD"] * len(records),
        }
    )
    path = tmp_path / "payments.parquet"
    pq.write_table(table, path)
    _check(store, load(path, "parquet"))


PACS = (
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>'
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>\n{body}\n"
    "</FIToFICstmrCdtTrf></Document>\n"
)
TX = (
    "<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId></PmtId>"
    '<IntrBkSttlmAmt Ccy="IDR">1000000</IntrBkSttlmAmt>'
    "<Dbtr><Nm>Ahmad Yani</Nm></Dbtr><DbtrAcct><Id><Othr><Id>{account}</Id></Othr></Id></DbtrAcct>"
    "<Cdtr><Nm>Budi Santoso</Nm></Cdtr></CdtTrfTxInf>"
)


@pytest.mark.parametrize(
    ("account", "shown"),
    # (ESC itself is not a character XML 1.0 allows: the parser already refuses it)
    [("\u202e1234", "\\u202e1234"), ("12&#x9f;34", "12\\x9f34")],
)
def test_an_iso20022_account_with_a_control_character(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
    account: str,
    shown: str,
) -> None:
    body = "\n".join(
        TX.format(ref=ref, account=acc) for ref, acc in [("E1", "111"), ("E2", account)]
    )
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(body=body), encoding="utf-8")
    counts = load(path, "pacs008")
    assert (counts.accepted, counts.rejected) == (1, 1)
    (reason,) = [r for _, r in quarantined(store)]
    assert reason == f"control character in orig_account: {shown}"
