"""A model whose file no longer matches its card, or whose card is broken, is refused when
scoring (exit 1, the file named); the scorecard stands in only where no model was trained.
Before: a tampered model.txt was scored by the scorecard without a word (exit 0), and a
broken card.json was a JSONDecodeError traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from risk_builders import economy, load
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_ERROR, EXIT_OK
from jalur.config import Settings
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))
runner = CliRunner()


@pytest.fixture
def trained(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, economy(planted=PLANTED))
    labels = tmp_path / "labels.csv"
    rows = [f"N{i},0" for i in range(60)] + [f"{p},1" for p in PLANTED]
    labels.write_text("account,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["--home", str(home), "model", "train", "--labels", str(labels)])
    assert result.exit_code == EXIT_OK, result.output
    return home


def score(home: Path):
    out = home.parent / "scores.csv"
    return runner.invoke(app, ["--home", str(home), "model", "score", "--out", str(out), "--json"])


def test_tampered_model_is_refused_not_replaced_by_the_scorecard(trained: Path) -> None:
    model = trained / "models" / "risk" / "model.txt"
    model.write_text(model.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = score(trained)
    assert result.exit_code == EXIT_ERROR
    assert "does not match its card's hash" in " ".join(result.output.split())


@pytest.mark.parametrize("text", ["{", "[]", '{"model": "x"}'])
def test_broken_card_is_an_error_line(trained: Path, text: str) -> None:
    (trained / "models" / "risk" / "card.json").write_text(text, encoding="utf-8")
    for args in (["model", "show"], ["model", "score", "--out", str(trained.parent / "s.csv")]):
        result = runner.invoke(app, ["--home", str(trained), *args])
        assert result.exit_code == EXIT_ERROR, result.output
        assert isinstance(result.exception, SystemExit)
        assert "card.json" in result.output


def test_no_model_still_uses_the_scorecard(trained: Path) -> None:
    for name in ("model.txt", "card.json"):
        (trained / "models" / "risk" / name).unlink()
    result = score(trained)
    assert result.exit_code == EXIT_OK, result.output
    assert json.loads(result.stdout)["scorer"] == "scorecard"
