"""`jalur alerts export` without `--run` names the run it wrote, in the text and as `run` in
`--json` (it printed `"run": null`: a script could not tell which pass the file holds, and
the audit trail said "latest") (new-user trial, round 6)."""

from __future__ import annotations

import json
from pathlib import Path

from test_alerts_show_once import _home, app, runner


def test_the_latest_run_is_named(tmp_path: Path) -> None:
    home = _home(tmp_path)
    out = tmp_path / "alerts.csv"
    args = ["--home", str(home), "alerts", "export", "--out", str(out)]
    as_json = runner.invoke(app, [*args, "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)["run"] == "RUN-1"
    text = runner.invoke(app, args)
    assert "rows of RUN-1 written to" in " ".join(text.stdout.split())
