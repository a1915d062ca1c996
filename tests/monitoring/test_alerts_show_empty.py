"""`jalur alerts show` on a workspace with no alerts says so and what to run first.

It printed an empty table and exited 0, so a new user could not tell a quiet workspace from
one where nothing had run. The exit stays 0 (README's exit codes: nothing referenced is
missing, the list is only empty) and `--json` stays `[]` for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

import jalur.monitoring as monitoring
from jalur.config import Settings
from jalur.monitoring.persist import ensure
from jalur.store import Store

runner = CliRunner()
app = typer.Typer()


@app.callback()
def _root(ctx: typer.Context, home: str = typer.Option(...)) -> None:
    ctx.obj = Settings.resolve(home)


monitoring.register_cli(app)


def _show(home: Path, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(home), "alerts", "show", *args])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_an_empty_workspace_names_the_commands_to_run_first(tmp_path: Path) -> None:
    text = _show(tmp_path)
    assert text.startswith("No alerts:"), text
    assert "jalur tx load" in text and "jalur monitor run" in text
    assert (
        json.loads(runner.invoke(app, ["--home", str(tmp_path), "alerts", "show", "--json"]).stdout)
        == []
    )


def test_a_pass_that_found_nothing_says_so(tmp_path: Path) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        ensure(store)
        store.execute(
            "INSERT INTO monitoring_runs VALUES ('RUN-1', now(), now(), 'duckdb', 10, 0, '{}')"
        )
    text = _show(tmp_path)
    assert text.startswith("No alerts in the latest monitoring pass (RUN-1)"), text
    assert "No cycle alerts in the latest monitoring pass (RUN-1)" in _show(
        tmp_path, "--typology", "cycle"
    )


def test_top_0_lists_none_but_does_not_say_there_are_none(tmp_path: Path) -> None:
    """`alerts show --top 0` (list none, as `monitor run --top 0`) said "No alerts in the
    latest monitoring pass … run `jalur monitor run` again" over a pass that had found some."""
    from test_alerts_show_once import _home

    home = _home(tmp_path)
    said = runner.invoke(app, ["--home", str(home), "alerts", "show", "--top", "0"])
    assert said.exit_code == 0, said.output
    assert "No alerts" not in said.stdout
    assert said.stdout.startswith("alert\tscore")
