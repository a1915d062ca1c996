"""A payment file whose header is not UTF-8 (a Russian bank's export in Windows Cyrillic) was
refused with Python's decoding error alone ("'utf-8' codec can't decode byte 0xc4 in
position 0"): nothing said which encoding to give, or how. The refusal names the likely one
and both ways to give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError, load_transactions

MAPPING = """columns:
  timestamp: Дата
  amount: Сумма
  orig_name: Плательщик
  bene_name: Получатель
constants:
  currency: RUB
delimiter: ";"
"""


@pytest.mark.parametrize(("codec", "named"), [("cp1251", "Windows Cyrillic")])
def test_the_header_names_the_encoding_to_give(
    store: Store, tmp_path: Path, codec: str, named: str
) -> None:
    data, mapping = tmp_path / "платежи.csv", tmp_path / "платежи.yaml"
    text = "Дата;Сумма;Плательщик;Получатель\n2026-12-01;100;Иванов;Петров\n"
    data.write_bytes(text.encode(codec))
    mapping.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(TransactionLoadError) as caught:
        load_transactions(store, data, "csv", mapping=mapping)
    told = str(caught.value)
    assert "header is not readable text" in told
    assert f"--encoding {codec} ({named})" in told and f"encoding: {codec}" in told
