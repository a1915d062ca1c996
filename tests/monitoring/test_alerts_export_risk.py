"""`jalur alerts export` ranks and labels alerts by their riskiest subject, as `alerts show`
does (docs/monitoring.md: alerts are ordered "by their subject's risk score"). It took the
risk of the alert's first account only: on AMLSim 20K_cycle200 with IBM's HI-Small attempts,
396 of 3,212 alerts differed between the two commands, a chain whose subject had risk 0.9999
exported as 0.145 and far down the file."""

from __future__ import annotations

import csv
from pathlib import Path

from test_alerts_show_once import _home, _show

from jalur.config import Settings
from jalur.monitoring.export import export_alerts
from jalur.store import Store


def test_export_ranks_by_the_riskiest_subject_as_show_does(tmp_path: Path) -> None:
    home = _home(tmp_path)
    out = tmp_path / "alerts.csv"
    with Store.open(Settings.resolve(home)) as store:
        store.execute("CREATE TABLE account_risk (account VARCHAR, score DOUBLE)")
        # C is the cycle's riskiest subject; P1 is only a fan-in's payer (context, not alerted).
        store.execute(
            "INSERT INTO account_risk VALUES ('C', 0.4), ('A', 0.2), ('PAYER', 0.3), ('P1', 0.9)"
        )
        export_alerts(store, out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    order = list(dict.fromkeys(r["alert_id"] for r in rows))
    risk = {r["alert_id"]: r["risk_score"] for r in rows}
    assert order == [a["alert_id"] for a in _show(home)] == ["ALR-CYCLE", "ALR-SPLIT", "ALR-FAN"]
    assert risk == {"ALR-CYCLE": "0.4", "ALR-SPLIT": "0.3", "ALR-FAN": ""}
