"""A monitoring pass through the CLI: flags, run, alerts in the store, export, trace, params."""

from __future__ import annotations

import csv
import json

import pytest
import typer
from monitoring_builders import load
from monitoring_scenario import hits, scenario
from typer.testing import CliRunner

import jalur.monitoring as monitoring
from jalur.config import ConfigError, Settings
from jalur.monitoring import flag_accounts, flagged, load_params
from jalur.store import Store

runner = CliRunner()

# The monitoring commands on a root app like jalur.cli's (which also loads the other
# capabilities, built concurrently); `--home` sets the workspace the same way.
app = typer.Typer()


@app.callback()
def _root(ctx: typer.Context, home: str = typer.Option(...)) -> None:
    ctx.obj = Settings.resolve(home)


monitoring.register_cli(app)


@pytest.fixture
def home(tmp_path, monkeypatch):
    # Screening is another capability: its hits come in through this one seam.
    monkeypatch.setattr("jalur.monitoring.seeds.screening_hits", lambda store: hits())
    with Store.open(Settings.resolve(tmp_path)) as store:
        load(store, scenario())
    return tmp_path


def jalur(home, *args):
    return runner.invoke(app, ["--home", str(home), *args])


def test_public_api_is_pinned():
    assert sorted(monitoring.__all__) == sorted(
        n
        for n in dir(monitoring)
        if not n.startswith("_")
        and n not in {"annotations"}
        and not isinstance(getattr(monitoring, n), type(monitoring))
    )


def test_flag_file_every_line_accounted_for(store, tmp_path):
    path = tmp_path / "narcotics.csv"
    path.write_text("account,note\nDRUGLORD,seized phone\n,blank\nSHELL,x\nDRUGLORD,again\nA B,x\n")
    report = flag_accounts(store, path, "drug", "BNN case 12/2025")
    assert (report.read, report.accepted, report.duplicates) == (5, 2, 1)
    assert len(report.rejected) == 2 and f"{path}:3: empty account number" in report.rejected
    assert report.read == report.accepted + len(report.rejected) + report.duplicates
    assert flagged(store, "drug") == {"DRUGLORD", "SHELL"}
    again = flag_accounts(store, path, "drug", "BNN case 12/2025")
    assert again.accepted == 0 and again.duplicates == 3
    with pytest.raises(ValueError, match="topic"):
        flag_accounts(store, path, "fraud", "x")


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_flag_file_with_another_separator_is_read_by_its_account_column(store, tmp_path, delimiter):
    """A spreadsheet saved in a comma-decimal locale separates with ';': the header says so."""
    path = tmp_path / "narcotics.csv"
    rows = ["Account;Bank", "DRUGLORD;BNI", "SHELL;BRI"]
    path.write_bytes(("\ufeff" + "\r\n".join(rows).replace(";", delimiter) + "\r\n").encode())
    report = flag_accounts(store, path, "drug", "BNN case 12/2025")
    assert (report.read, report.accepted, report.rejected) == (2, 2, [])
    assert flagged(store, "drug") == {"DRUGLORD", "SHELL"}


def test_monitor_run_export_and_trace(home, tmp_path):
    (tmp_path / "drug.txt").write_text("DRUGLORD\n")
    flagged_out = jalur(
        home,
        "accounts",
        "flag",
        str(tmp_path / "drug.txt"),
        "--topic",
        "drug",
        "--reason",
        "BNN investigation",
        "--json",
    )
    assert json.loads(flagged_out.stdout)["accepted"] == 1
    result = jalur(home, "monitor", "run", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["by_typology"]["cycle"] == 2  # R0-R3 in time order, RING0-2 out of it
    assert summary["by_typology"]["drug_exposure"] == 3  # SHELL, COURIER, CELL downstream
    assert summary["by_typology"]["listed_counterparty"] == 1  # COURIER paid CELL
    out = tmp_path / "alerts.csv"
    assert jalur(home, "alerts", "export", "--out", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open()))
    assert {"alert_id", "typology", "account", "score", "explanation"} <= set(rows[0])
    assert len({r["alert_id"] for r in rows}) == summary["alerts"]
    cycle = [r for r in rows if r["typology"] == "cycle"]
    assert sorted(r["account"] for r in cycle) == [
        *["R0", "R1", "R2", "R3"],
        *["RING0", "RING1", "RING2"],
    ]
    graph = tmp_path / "channel.graphml"
    traced = jalur(home, "trace", "--from", "drug", "--to", "CELL", "--graph", str(graph), "--json")
    assert traced.exit_code == 0, traced.output
    channels = json.loads(traced.stdout)["channels"]
    assert channels[0]["path"] == ["DRUGLORD", "SHELL", "COURIER", "CELL"]
    assert channels[0]["amount"] == pytest.approx(30_000.0)
    assert graph.exists()
    rerun = json.loads(jalur(home, "monitor", "run", "--json").stdout)
    assert rerun["alerts"] == summary["alerts"]  # same alerts again, same ids


def test_trace_without_seeds_fails_clearly(home):
    result = jalur(home, "trace", "--from", "drug", "--to", "NOBODY")
    assert result.exit_code == 1
    assert "no accounts for --from" in result.stderr


def test_params_overrides_and_errors():
    params = load_params({"fan_in": {"min_counterparties": 8, "weights": {"burst": 0.5}}})
    assert params.of("fan_in")["min_counterparties"] == 8
    assert params.weights("fan_in")["burst"] == 0.5
    assert params.weights("fan_in")["counterparties"] == 0.6
    with pytest.raises(ConfigError, match="no setting 'min_counterparty'"):
        load_params({"fan_in": {"min_counterparty": 8}})
    with pytest.raises(ConfigError, match="must be a whole number"):
        load_params({"fan_in": {"min_counterparties": "eight"}})
    with pytest.raises(ConfigError, match="unknown nonsense"):
        load_params({"run": {"typologies": ["nonsense"]}})


def test_every_default_weight_names_a_feature(params):
    from jalur.monitoring.detectors import TYPOLOGIES
    from jalur.monitoring.exposure_typology import EXPOSURE

    for typology in [*TYPOLOGIES.values(), EXPOSURE]:
        names = {f.name for f in typology.features}
        assert set(params.weights(typology.name)) == names, typology.name
        assert sum(params.weights(typology.name).values()) == pytest.approx(1.0)


def test_run_line_says_which_payments_it_counts(home, tmp_path):
    """`tx show` counts every loaded payment; the run's line said "payments: N" of only those
    between two known, different accounts (the graph). It says both now, and what the
    smaller one is."""
    with Store.open(Settings.resolve(home)) as store:
        ((loaded, graph),) = store.execute(
            "SELECT count(*), count(*) FILTER (WHERE orig_account IS NOT NULL"
            " AND bene_account IS NOT NULL AND orig_account <> bene_account) FROM transactions"
        ).fetchall()
    assert loaded != graph  # cash and own-account payments in the scenario
    page = tmp_path / "run.html"
    text = jalur(home, "monitor", "run", "--typology", "fan_in", "--report", str(page)).stdout
    assert f"{loaded} payments ({graph} between two known accounts)" in page.read_text()
    assert f"{loaded} payments, {graph} of them between two known accounts" in " ".join(
        text.split()
    )
    summary = json.loads(jalur(home, "monitor", "run", "--typology", "fan_in", "--json").stdout)
    assert (summary["payments_loaded"], summary["payments"]) == (loaded, graph)
