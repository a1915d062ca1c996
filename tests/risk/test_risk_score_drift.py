"""Scoring a workspace whose payments changed since training says so (stderr, and `caution`
in the JSON); before, the model scored the new population without a word although its card's
threshold and metrics were measured on the old one. The caution compares which payments, not
how many: a workspace whose payments were replaced by as many others scored without a word."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from risk_builders import at, economy, load, pay
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_OK
from jalur.config import Settings
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))
runner = CliRunner()


def _trained(tmp_path: Path) -> tuple[Path, list[Any], list[str]]:
    """A workspace of the planted economy with a model trained on it: its home, its
    payments and the `model score --json` command line."""
    home = tmp_path / "home"
    payments = economy(planted=PLANTED)
    with Store.open(Settings.resolve(home)) as store:
        load(store, payments)
    labels = tmp_path / "labels.csv"
    rows = [f"N{i},0" for i in range(60)] + [f"{p},1" for p in PLANTED]
    labels.write_text("account,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    trained = runner.invoke(app, ["--home", str(home), "model", "train", "--labels", str(labels)])
    assert trained.exit_code == EXIT_OK, trained.output
    score = ["--home", str(home), "model", "score", "--out", str(tmp_path / "s.csv"), "--json"]
    return home, payments, score


def test_score_after_new_payments_cautions(tmp_path: Path) -> None:
    home, payments, score = _trained(tmp_path)

    same = runner.invoke(app, score)
    assert same.exit_code == EXIT_OK and json.loads(same.stdout)["caution"] is None

    with Store.open(Settings.resolve(home)) as store:
        load(store, [*payments, pay("new-1", "N1", "N2", at(40), 321.0)])
    changed = runner.invoke(app, score)
    assert changed.exit_code == EXIT_OK, changed.output
    caution = json.loads(changed.stdout)["caution"]
    assert f"trained on {len(payments)} payments" in caution
    assert f"now has {len(payments) + 1}" in caution
    assert "trained on" in " ".join(changed.stderr.split())


def test_as_many_payments_but_other_ones_caution(tmp_path: Path) -> None:
    home, payments, score = _trained(tmp_path)
    assert json.loads(runner.invoke(app, score).stdout)["caution"] is None

    with Store.open(Settings.resolve(home)) as store:  # the same payments, in another order
        load(store, list(reversed(payments)))
    assert json.loads(runner.invoke(app, score).stdout)["caution"] is None

    with Store.open(Settings.resolve(home)) as store:  # one payment replaced by another
        load(store, [*payments[1:], pay("new-1", "N1", "N2", at(40), 321.0)])
    changed = runner.invoke(app, score)
    assert changed.exit_code == EXIT_OK, changed.output
    caution = json.loads(changed.stdout)["caution"]
    assert f"trained on {len(payments)} payments, the workspace now has as many, other" in caution


def test_the_card_says_when_the_payments_changed_since_training(tmp_path: Path) -> None:
    """`model show` printed the card's threshold and metrics as the model's, after payments
    were loaded that they were never measured on: only `model score` said so."""
    home, payments, _ = _trained(tmp_path)
    show = ["--home", str(home), "model", "show"]
    same = runner.invoke(app, [*show, "--json"])
    assert same.exit_code == EXIT_OK and json.loads(same.stdout)["caution"] is None

    with Store.open(Settings.resolve(home)) as store:
        load(store, [*payments, pay("new-1", "N1", "N2", at(40), 321.0)])
    changed = runner.invoke(app, [*show, "--json"])
    assert changed.exit_code == EXIT_OK, changed.output
    caution = json.loads(changed.stdout)["caution"]
    assert f"trained on {len(payments)} payments" in caution
    assert f"now has {len(payments) + 1}" in caution
    text = runner.invoke(app, show)
    assert text.exit_code == EXIT_OK
    assert f"now has {len(payments) + 1}" in " ".join(text.stderr.split())


def test_the_audit_trail_keeps_the_caution_of_a_scoring(tmp_path: Path) -> None:
    """The trail said which model scored and how many were flagged, not that it scored
    payments its threshold was never measured on: a reviewer could not tell."""
    from jalur.audit import entries
    from jalur.sqlstore import open_database

    home, payments, score = _trained(tmp_path)
    with Store.open(Settings.resolve(home)) as store:
        load(store, [*payments, pay("new-1", "N1", "N2", at(40), 321.0)])
    assert runner.invoke(app, score).exit_code == EXIT_OK
    engine = open_database(Settings.resolve(home))
    try:
        with engine.connect() as con:
            (scored,) = list(entries(con, str(tmp_path / "s.csv")))
    finally:
        engine.dispose()
    assert scored.action == "model.score"
    assert f"now has {len(payments) + 1}" in scored.details["caution"]
