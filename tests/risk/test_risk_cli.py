"""`jalur model train|show|score` through the CLI: round trip, bad labels, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from risk_builders import economy, load
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from jalur.config import Settings
from jalur.monitoring import alert_rows
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))
runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    with Store.open(Settings.resolve(tmp_path / "home")) as store:
        load(store, economy(planted=PLANTED))
    return tmp_path / "home"


def jalur(home: Path, *args: str):
    return runner.invoke(app, ["--home", str(home), *args])


def labels(home: Path, extra: str = "") -> Path:
    path = home.parent / "labels.csv"
    rows = [f"N{i},0" for i in range(60)] + [f"{p},1" for p in PLANTED]
    path.write_text("account,label\n" + "\n".join(rows) + "\n" + extra, encoding="utf-8")
    return path


def test_train_show_score_round_trip(home):
    trained = jalur(home, "model", "train", "--labels", str(labels(home)), "--json")
    assert trained.exit_code == EXIT_OK, trained.output
    card = json.loads(trained.stdout)
    assert card["data"]["positives"] == 8 and card["data"]["negatives"] == 60
    assert {"roc_auc", "average_precision", "f1", "precision_at_k"} <= set(card["cross_validation"])
    shown = jalur(home, "model", "show", "--json")
    assert shown.exit_code == EXIT_OK and json.loads(shown.stdout)["hash"] == card["hash"]
    out = home.parent / "scores.csv"
    scored = jalur(home, "model", "score", "--out", str(out), "--json")
    assert scored.exit_code == EXIT_OK, scored.output
    assert json.loads(scored.stdout)["scorer"] == f"model {card['hash'][:12]}"
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["account", "score", "flag", "explanation"]
    assert len(rows) == 68 and {r["account"] for r in rows[:8]} == set(PLANTED)
    assert "=" in rows[0]["explanation"]  # feature=value (contribution)


def test_bad_labels_train_nothing_unless_skipped(home):
    bad = labels(home, "GHOST,1\nN1,maybe\n")
    refused = jalur(home, "model", "train", "--labels", str(bad))
    assert refused.exit_code == EXIT_ERROR
    said = " ".join(refused.output.split())  # the console wraps long lines
    assert "line 70: account 'GHOST' has no loaded payment" in said
    assert "line 71: label 'maybe' for account 'N1' is not 0 or 1" in said
    assert jalur(home, "model", "show").exit_code == EXIT_ERROR  # nothing was trained
    skipped = jalur(home, "model", "train", "--labels", str(bad), "--skip-bad")
    assert skipped.exit_code == EXIT_PARTIAL, skipped.output
    assert jalur(home, "model", "show").exit_code == EXIT_OK


def test_one_class_and_usage_errors(home):
    one = home.parent / "one.csv"
    one.write_text("account,label\nN1,1\nN2,1\n", encoding="utf-8")
    result = jalur(home, "model", "train", "--labels", str(one))
    assert result.exit_code == EXIT_ERROR and "needs both 1 and 0" in result.output
    assert jalur(home, "model", "train").exit_code == EXIT_USAGE
    missing = jalur(home, "model", "train", "--labels", str(home.parent / "none.csv"))
    assert missing.exit_code == EXIT_ERROR and "cannot read labels" in missing.output


def test_score_without_model_uses_the_scorecard_and_orders_alerts(home):
    out = home.parent / "scores.csv"
    result = jalur(home, "model", "score", "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    assert json.loads(result.stdout)["scorer"] == "scorecard"
    rows = list(csv.DictReader(out.open()))
    # the smurfs and the payees they split to, seen from both sides, lead the ranking
    assert {r["account"] for r in rows[:16]} == {*PLANTED, *(f"N{i}" for i in range(8))}
    assert rows[0]["flag"] == "true"
    assert jalur(home, "monitor", "run", "--json").exit_code == EXIT_OK
    with Store.open(Settings.resolve(home)) as store:
        found = alert_rows(store)
    risks = [r[7] for r in found]
    assert risks == sorted(risks, key=lambda r: -1.0 if r is None else -float(r))


def test_contributions_for_flagged_and_highest_scores_unless_all_are_asked(home):
    from jalur.risk import Labels, score_accounts, train
    from jalur.risk.service import workspace_features

    with Store.open(Settings.resolve(home)) as store:
        features, _ = workspace_features(store, "duckdb")
    by_account = {f"N{i}": 0 for i in range(60)} | dict.fromkeys(PLANTED, 1)
    model = train(features, Labels(source="test", by_account=by_account), payments=0)
    lean = score_accounts(model, features, explain=2)
    full = score_accounts(model, features, explain=None)
    explained = [i for i, e in enumerate(lean.explanations) if not e.startswith("not explained")]
    highest = sorted(range(len(lean.score)), key=lambda i: -lean.score[i])[:2]
    flagged = [i for i, f in enumerate(lean.flag) if f]
    assert set(explained) == set(flagged) | set(highest)
    assert len(explained) < len(features.accounts)  # some were left out ...
    assert all("=" in e for e in full.explanations)  # ... and explain=None explains every one
    for i in explained:  # the explained ones are the same exact contributions
        assert lean.explanations[i] == full.explanations[i]


def test_skip_bad_with_every_row_bad_exits_4(home):
    """README's table: 4 when every input row was rejected and nothing went in (it exited 1,
    as for a refusal, though --skip-bad had asked to go on past bad rows)."""
    from jalur.clikit import EXIT_NOTHING_ACCEPTED

    bad = home.parent / "bad.csv"
    bad.write_text("account,label\nGHOST,1\nN1,maybe\n", encoding="utf-8")
    result = jalur(home, "model", "train", "--labels", str(bad), "--skip-bad")
    assert result.exit_code == EXIT_NOTHING_ACCEPTED, result.output
    assert "no accepted label rows" in " ".join(result.output.split())
    assert jalur(home, "model", "show").exit_code == EXIT_ERROR  # nothing was trained
