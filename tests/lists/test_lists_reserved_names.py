"""A list loaded from a file cannot take the name of a partner's exchange watchlist.

`jalur lists load own.ftm.json --name exchange-ppatk` made a local list of that name: PPATK's
next package was merged into it (its entries then read as PPATK's), and `lists export` and
`exchange export` took PPATK's subjects for the agency's own. `exchange-<partner>` lists are
made only by `jalur exchange import`.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jalur.cli import app


def _file(path: Path) -> Path:
    row = {"id": "p1", "schema": "Person", "properties": {"name": ["Abu Rusdan"]}}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_a_partners_watchlist_name_is_refused_for_a_file(tmp_path: Path) -> None:
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    for args in (
        [str(_file(tmp_path / "own.ftm.json")), "--name", "exchange-ppatk"],
        [str(_file(tmp_path / "own.ftm.json")), "--name", "Exchange-PPATK"],
        [str(_file(tmp_path / "exchange-ppatk.ftm.json"))],  # the name taken from the file
    ):
        result = runner.invoke(app, [*home, "lists", "load", *args, "--format", "ftm"])
        assert result.exit_code == 1, result.output
        assert "reserved for partners' watchlists" in result.output, result.output
    shown = runner.invoke(app, [*home, "lists", "show", "--json"])
    assert json.loads(shown.stdout) == []
    loaded = runner.invoke(app, [*home, "lists", "load", str(tmp_path / "own.ftm.json"),
                                 "--name", "ppatk-exchange"])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
