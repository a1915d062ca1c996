"""An amount with more decimals than its currency has (`100.123 USD`, `5.5 JPY`, `1.0001 IDR`)
is no amount a payment system sends: MT103's 32A (network rule C03) and ISO 20022's
CurrencyAmount rule refuse it. It used to load silently, its fraction of a cent or of a yen
kept. Such a record is quarantined naming the amount, the currency and its digits (ISO 4217
minor units, from CLDR through babel). Trailing zeros (`100.00 JPY`) are no extra decimals.
IBM AMLworld and AMLSim are research sets whose generators ignore minor units (`892031.21
Yen`): they load as written, and so does a mapped file whose mapping says `minor_units: false`."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError, minor_units

from .conftest import quarantined, rows

MAPPING = "columns:\n  tx_id: Ref\n  timestamp: Date\n  amount: Amount\n  currency: Ccy\n"
ROWS = {
    "U1": ("100.12", "USD", None),
    "U2": ("100.123", "USD", "amount has more decimals than USD has (2): 100.123"),
    "J1": ("5", "JPY", None),
    "J2": ("100.00", "JPY", None),  # trailing zeros: 100 yen
    "J3": ("5.5", "JPY", "amount has more decimals than JPY has (0): 5.5"),
    "I1": ("1.01", "IDR", None),
    "I2": ("1.0001", "IDR", "amount has more decimals than IDR has (2): 1.0001"),
    "K1": ("1.005", "KWD", None),
    "K2": ("1.0005", "KWD", "amount has more decimals than KWD has (3): 1.0005"),
    "Q1": ("1500.125", "IQD", None),  # ISO 4217 gives the dinar 3 (CLDR rounds it to 0)
    "B1": ("0.00012345", "BTC", None),  # crypto-assets: no ISO minor unit, not judged
    "X1": ("1.123456", "XAU", None),  # gold (troy ounces): ISO 4217 has no minor unit
    "L1": ("12345678.91", "USD", None),
    "L2": ("0.1", "USD", None),
}


def _bank_file(tmp_path: Path, mapping: str = MAPPING) -> tuple[Path, Path]:
    data = tmp_path / "bank.csv"
    lines = [f"{ref},2026-12-07,{a},{c}" for ref, (a, c, _) in ROWS.items()]
    data.write_text("Ref,Date,Amount,Ccy\n" + "\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "bank.yaml"
    path.write_text(mapping, encoding="utf-8")
    return data, path


def test_an_amount_finer_than_its_currency_is_quarantined_naming_it(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _bank_file(tmp_path)
    counts = load(data, "csv", mapping=mapping)
    wrong = {ref: reason for ref, (_, _, reason) in ROWS.items() if reason}
    assert (counts.read, counts.rejected) == (len(ROWS), len(wrong))
    lines = {f"line {n}": ref for n, ref in enumerate(ROWS, start=2)}
    assert {lines[position]: reason for position, reason in quarantined(store)} == wrong
    assert {r["tx_id"] for r in rows(store)} == set(ROWS) - set(wrong)


def test_a_mapping_may_take_a_research_sets_amounts_as_written(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _bank_file(tmp_path, MAPPING + "minor_units: false\n")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (len(ROWS), 0)


def test_decimal_comma_amounts_are_judged_by_their_value(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "bank.csv"
    data.write_text(
        "Ref;Date;Amount;Ccy\nR1;2026-12-07;1.234.567,89;RUB\nR2;2026-12-07;1.234.567,891;RUB\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(MAPPING + "decimal_comma: true\ndelimiter: ';'\n", encoding="utf-8")
    counts = load(data, "csv", mapping=mapping)
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert quarantined(store) == [
        ("line 3", "amount has more decimals than RUB has (2): 1.234.567,891")
    ]


def test_a_pacs008_amount_finer_than_its_currency_is_quarantined(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "pacs.xml"
    path.write_text(
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">'
        "<FIToFICstmrCdtTrf><GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-15T10:30:00Z</CreDtTm>"
        "</GrpHdr><CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId>"
        '<IntrBkSttlmAmt Ccy="USD">100.123</IntrBkSttlmAmt><Dbtr><Nm>A</Nm></Dbtr>'
        "<Cdtr><Nm>B</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>",
        encoding="utf-8",
    )
    counts = load(path, "pacs008")
    assert counts.rejected == 1
    assert quarantined(store)[0][1] == "amount has more decimals than USD has (2): 100.123"


def test_ibm_research_amounts_load_as_written(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "HI-Small_Trans.csv"
    path.write_text(
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,"
        "Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
        "2022/09/01 00:20,010,8000EBD30,011,8000EBD31,892031.21,Yen,892031.21,Yen,ACH,0\n",
        encoding="utf-8",
    )
    counts = load(path, "ibm")
    assert (counts.accepted, counts.rejected) == (1, 0)


@pytest.mark.parametrize(
    ("code", "digits"),
    [("USD", 2), ("JPY", 0), ("IDR", 2), ("KWD", 3), ("IQD", 3), ("CLF", 4), ("XOF", 0)],
)
def test_minor_units_follow_iso_4217(code: str, digits: int) -> None:
    assert minor_units(code) == digits


@pytest.mark.parametrize("code", ["BTC", "USDT", "XAU", "XDR", "ZZZ"])
def test_a_currency_without_a_minor_unit_has_none(code: str) -> None:
    assert minor_units(code) is None


def test_a_switch_that_is_not_true_or_false_is_a_mapping_error(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    data, mapping = _bank_file(tmp_path, MAPPING + "minor_units: 'false'\n")
    with pytest.raises(TransactionLoadError, match="minor_units: 'false' is not true or false"):
        load(data, "csv", mapping=mapping)


def test_a_parquet_float32_amount_is_the_number_it_was_written_as(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    # float32 holds 100.12 as 100.12000274658203: read as that, it had 5 decimals too many
    # (and loaded as 100.12000274658203)
    path = tmp_path / "float32.parquet"
    pq.write_table(
        pa.table(
            {
                "tx_id": ["F1", "F2"],
                "timestamp": ["2026-12-07", "2026-12-07"],
                "amount": pa.array([100.12, 5.5], pa.float32()),
                "currency": ["USD", "JPY"],
            }
        ),
        path,
    )
    counts = load(path, "parquet")
    assert (counts.accepted, counts.rejected) == (1, 1)
    assert [(r["tx_id"], r["amount"]) for r in rows(store)] == [("F1", 100.12)]
    assert quarantined(store) == [("row 2", "amount has more decimals than JPY has (0): 5.5")]
