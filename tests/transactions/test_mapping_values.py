"""A mapping's settings are checked before anything is read, and a wrong one is a mapping
error naming the key. A delimiter of two characters (`";;"`) or a number ended the load in a
Python traceback (`TypeError: "delimiter" must be a 1-character string`); a constant given
as a list or left empty was pasted into every record as its Python text (`['RUB']`, `None`:
each payment's channel became "None")."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.store import Store
from jalur.transactions import TransactionLoadError

MAPPING = "columns:\n  timestamp: Date\n  amount: Amount\nconstants:\n  currency: RUB\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('delimiter: ";;"\n', "delimiter: ';;' is not one character"),
        ("delimiter: 59\n", "delimiter: 59 is not one character"),
        ("encoding: [cp1251]\n", r"encoding: \['cp1251'\] is not a codec name"),
        ("constants:\n  currency: [RUB]\n", r"constants.currency: \['RUB'\] is not one value"),
        ("constants:\n  currency: RUB\n  channel:\n", "constants.channel: None is not one value"),
    ],
)
def test_a_wrong_setting_is_a_mapping_error_naming_it(
    store: Store, tmp_path: Path, load, extra: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    text = MAPPING.split("constants:")[0] + extra if "constants" in extra else MAPPING + extra
    mapping = tmp_path / "map.yaml"
    mapping.write_text(text, encoding="utf-8")
    source = tmp_path / "bank.csv"
    source.write_text("Date,Amount\n2026-12-07,5\n", encoding="utf-8")
    with pytest.raises(TransactionLoadError, match=message):
        load(source, "csv", mapping=mapping)
