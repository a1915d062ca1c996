"""A currency as banks' exports write it is read to its ISO code: `Rp`, `rupiah`, `Rupiah
Indonesia`, `€`, `руб.`, `US$` (CLDR's names and symbols in English, Indonesian and Russian,
and the abbreviations CLDR lacks). These were quarantined as `unknown currency: RP`. A symbol
several currencies write (`$`, `¥`, `£`) is never guessed: still an unknown currency, named."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency\n"


def test_currency_names_and_symbols_are_read_to_codes(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    spelt = ["Rp", "rupiah", "Rupiah Indonesia", " idr ", "€", "руб.", "US$", "₽", "$", "¥"]
    path = tmp_path / "bank.csv"
    path.write_text(
        HEADER + "".join(f"T{i},2026-12-07,A,B,10,{c}\n" for i, c in enumerate(spelt)),
        encoding="utf-8",
    )
    counts = load(path, "csv")
    assert (counts.accepted, counts.rejected) == (8, 2)
    assert [r["currency"] for r in rows(store)] == [
        "IDR", "IDR", "IDR", "IDR", "EUR", "RUB", "USD", "RUB",
    ]  # fmt: skip
    assert quarantined(store) == [
        ("line 10", "unknown currency: $"),
        ("line 11", "unknown currency: ¥"),
    ]
    assert all(r["amount_reporting"] for r in rows(store))
