"""Digit groups in an amount's text are read only where they are groups. Under
`decimal_comma: true` every dot was removed, so `100.50` (a dot-decimal amount in a
comma-decimal file) loaded as 10050, a hundred times the payment, with nothing said; without
it, `1,234,567.89` (the grouping English and Indonesian internet banking export) was not a
number. A group separator is now taken only between groups of three digits; anywhere else
the amount is not a number and the record is quarantined."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store

from .conftest import quarantined, rows

MAPPING = """columns:
  tx_id: Ref
  timestamp: Tanggal
  amount: Jumlah
constants:
  currency: {currency}
delimiter: ";"
"""


def _load(tmp_path: Path, load, amounts: list[str], extra: str, currency: str = "IDR"):  # type: ignore[no-untyped-def]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING.format(currency=currency) + extra, encoding="utf-8")
    source = tmp_path / "bank.csv"
    lines = [f"T{n};2026-12-07;{a}" for n, a in enumerate(amounts, start=1)]
    source.write_text("Ref;Tanggal;Jumlah\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return load(source, "csv", mapping=mapping)


@pytest.mark.parametrize(
    ("extra", "good", "bad"),
    [
        (
            "decimal_comma: true\n",
            {"1.234.567,89": 1234567.89, "1.234": 1234.0, "-1.500,00": -1500.0, "12,5": 12.5},
            ["100.50", "1.23.456,00", "1.2345,00", "1,234.56"],
        ),
        (
            "",
            {"1,234,567.89": 1234567.89, "1,500": 1500.0, "100.50": 100.5, "12": 12.0},
            ["1,5", "12,34,567.00", "1.234,56"],
        ),
    ],
)
def test_group_separators_are_read_only_between_groups_of_three(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
    extra: str,
    good: dict[str, float],
    bad: list[str],
) -> None:
    counts = _load(tmp_path, load, [*good, *bad], extra, currency="USD")
    loaded = {r["tx_id"]: r["amount"] for r in rows(store)}
    refs = {f"T{n}": a for n, a in enumerate([*good, *bad], start=1)}
    positive = {a: v for a, v in good.items() if v >= 0}
    assert {refs[t]: v for t, v in loaded.items()} == positive
    reasons = [reason for _, reason in quarantined(store)]
    assert sorted(reasons) == sorted(
        [f"amount is not a number: {a}" for a in bad]
        + [f"negative amount: {a}" for a, v in good.items() if v < 0]
    )
    assert counts.rejected == len(reasons)
