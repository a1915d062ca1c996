"""`jalur alerts show|export --typology T`: an analyst working one typology (the cycles, the
terror exposure) got every alert of the pass and had to filter a CSV. An unknown typology is a
usage error (exit 2), not an empty list that looks like "none found"."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from test_alerts_show_once import _home, app, runner

from jalur.clikit import EXIT_USAGE


def test_show_and_export_only_the_typology_asked(tmp_path: Path) -> None:
    home = _home(tmp_path)
    shown = runner.invoke(
        app, ["--home", str(home), "alerts", "show", "--typology", "fan_in", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    assert [a["alert_id"] for a in json.loads(shown.stdout)] == ["ALR-FAN"]
    out = tmp_path / "cycles.csv"
    args = ["--home", str(home), "alerts", "export", "--out", str(out), "--typology", "cycle"]
    exported = runner.invoke(app, args)
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["alert_id"] for r in rows} == {"ALR-CYCLE"}
    assert sorted(r["account"] for r in rows) == ["A", "B", "C"]


def test_an_exposure_typology_is_known_and_a_wrong_one_is_a_usage_error(tmp_path: Path) -> None:
    home = _home(tmp_path)
    ok = runner.invoke(
        app, ["--home", str(home), "alerts", "show", "--typology", "terror_exposure"]
    )
    assert ok.exit_code == 0, ok.output
    for command in (["show"], ["export", "--out", str(tmp_path / "x.csv")]):
        bad = runner.invoke(app, ["--home", str(home), "alerts", *command, "--typology", "cycles"])
        assert bad.exit_code == EXIT_USAGE, bad.output
        assert "cycles" in bad.output
    assert not (tmp_path / "x.csv").exists()
