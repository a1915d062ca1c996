"""The card as text reads as numbers and words, the same after `train` as after `show`: it
was printed as Python dictionaries, and right after training as `np.float64(0.9843)`
(new-user trial, round 6)."""

from __future__ import annotations

from pathlib import Path

from risk_builders import economy, load
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

PLANTED = tuple(f"SMURF{i}" for i in range(8))


def test_card_text_has_no_python_reprs_and_train_equals_show(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        load(store, economy(planted=PLANTED))
    labels = tmp_path / "labels.csv"
    rows = [f"N{i},0" for i in range(60)] + [f"{p},1" for p in PLANTED]
    labels.write_text("account,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    trained = runner.invoke(app, ["--home", str(home), "model", "train", "--labels", str(labels)])
    shown = runner.invoke(app, ["--home", str(home), "model", "show"])
    assert trained.exit_code == 0 and shown.exit_code == 0, trained.output + shown.output
    head = trained.stdout.split("feature\tmeaning")[0]
    for repr_mark in ("np.float64", "{", "'"):
        assert repr_mark not in head, head
    assert "68 read, 68 accepted (8 positives, 60 negatives), 0 rejected, 0 duplicates" in head
    assert "cross-validation: ROC-AUC " in head and "precision at K " in head
    assert head == shown.stdout.split("feature\tmeaning")[0]
