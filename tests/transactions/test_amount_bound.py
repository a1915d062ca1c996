"""An amount above `MAX_AMOUNT` (paid or received, as given or in the reporting currency) is
quarantined with the field, the value and the bound: a finite `1.7e308 GBP` is `inf` USD, and
one such payment made every sum and risk feature after it inf or NaN."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store
from jalur.transactions import MAX_AMOUNT

from .conftest import quarantined, rows
from .test_ibm_and_quarantine import HEADER

_CSV = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"


def _csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "plain.csv"
    path.write_text(_CSV + "".join(lines), encoding="utf-8")
    return path


def test_the_bound_is_above_any_payment_and_below_float_precision() -> None:
    assert 1e11 < MAX_AMOUNT < 2**53


def test_an_amount_above_the_bound_is_quarantined_naming_field_value_and_bound(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = _csv(
        tmp_path,
        [
            "T1,2022-09-01T10:00:00Z,A,B,1.7e308,GBP\n",  # finite, inf in USD
            "T2,2022-09-01T10:00:00Z,A,B,1e308,USD\n",
            "T3,2022-09-01T10:00:00Z,A,B,9e14,KWD\n",  # below the bound, 2.9e15 USD
            "T4,2022-09-01T10:00:00Z,A,B,1e15,USD\n",  # at the bound: a payment
            "T5,2022-09-01T10:00:00Z,A,B,9e14,IDR\n",  # a lot of rupiah, 5.6e10 USD
        ],
    )
    counts = load(path, "csv")
    assert (counts.accepted, counts.rejected) == (2, 3)
    assert [r["tx_id"] for r in rows(store)] == ["T4", "T5"]
    assert all(r["amount_reporting"] <= MAX_AMOUNT for r in rows(store))
    found = dict(quarantined(store))
    bound = f"{MAX_AMOUNT:.0e}"
    for line, value in (("line 2", "1.7e308"), ("line 3", "1e308")):
        assert found[line].startswith("amount above "), found[line]
        assert value in found[line] and bound in found[line]
    assert found["line 4"].startswith("amount in the reporting currency above ")
    assert "9e14 KWD" in found["line 4"] and bound in found["line 4"]


def test_a_received_amount_above_the_bound_is_quarantined(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "HI-Small_Trans.csv"
    lines = [
        "2022/09/01 11:00,1,A,2,B,1.7e308,UK Pound,5.00,US Dollar,Wire,0\n",
        "2022/09/01 11:01,1,A,2,B,1e308,US Dollar,5.00,US Dollar,Wire,0\n",
        "2022/09/01 11:02,1,A,2,B,1e11,Bitcoin,5.00,US Dollar,Wire,0\n",  # 9.4e15 USD
        "2022/09/01 11:03,1,A,2,B,4.60,Euro,5.00,US Dollar,Wire,0\n",
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    counts = load(path, "ibm")
    assert (counts.accepted, counts.rejected) == (1, 3)
    assert rows(store)[0]["amount_received"] == 4.6
    found = dict(quarantined(store))
    bound = f"{MAX_AMOUNT:.0e}"
    for line, value in (("line 2", "1.7e308"), ("line 3", "1e308")):
        assert found[line].startswith("received amount above "), found[line]
        assert value in found[line] and bound in found[line]
    assert found["line 4"].startswith("received amount in the reporting currency above ")
    assert "1e11 BTC" in found["line 4"] and bound in found["line 4"]
