"""`jalur model train|score --engine spark` read the workspace's `[monitoring.spark]` table as
`jalur monitor run` does: they opened Spark with no settings (local defaults), whatever
jalur.toml said about the cluster. The engine is stubbed: only what it is given is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.clikit import EXIT_ERROR
from jalur.monitoring import EngineError
from jalur.risk import service

CONFIG = (
    '[monitoring.spark]\nmaster = "spark://cluster:7077"\n'
    'conf = { "spark.executor.memory" = "8g" }\n'
)


@pytest.mark.parametrize(
    "args",
    [
        ["model", "train", "--labels", "labels.csv", "--engine", "spark"],
        ["model", "score", "--out", "scores.csv", "--engine", "spark"],
    ],
)
def test_risk_commands_pass_the_spark_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "jalur.toml").write_text(CONFIG, encoding="utf-8")
    seen: list[Any] = []

    def stub(kind: str, store: Any, spark: Any = None, session: Any = None) -> Any:
        seen.append((kind, dict(spark or {})))
        raise EngineError("stub: no Spark here")

    monkeypatch.setattr(service, "open_engine", stub)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--home", str(home), *args])
    assert result.exit_code == EXIT_ERROR, result.output
    assert seen and seen[0][0] == "spark"
    assert seen[0][1]["master"] == "spark://cluster:7077"
    assert seen[0][1]["conf"] == {"spark.executor.memory": "8g"}
