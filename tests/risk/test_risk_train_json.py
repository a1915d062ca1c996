"""`jalur model train --skip-bad --json` prints only the card on stdout: the rejected rows
are named on stderr (they were printed on stdout before the JSON, which no script could
parse)."""

from __future__ import annotations

import json
from pathlib import Path

from risk_builders import economy, load
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_PARTIAL
from jalur.config import Settings
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))


def test_skip_bad_json_is_parseable_and_rows_named_on_stderr(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, economy(planted=PLANTED))
    labels = tmp_path / "labels.csv"
    rows = [f"N{i},0" for i in range(60)] + [f"{p},1" for p in PLANTED] + ["GHOST,1"]
    labels.write_text("account,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["--home", str(home), "model", "train", "--labels", str(labels), "--skip-bad", "--json"],
    )
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert json.loads(result.stdout)["data"]["rejected"] == 1
    assert "line 70: account 'GHOST' has no loaded payment" in " ".join(result.stderr.split())
