"""A list file whose name is not UTF-8 (a Latin-1 name from a Windows share, `Daftar\\xe9.json`)
loads and exports like any other: `lists load` ended in a RuntimeError traceback from the
database (the name was kept as the load's source), and `lists export --out` wrote the file and
then ended in a UnicodeEncodeError recording it. The name is kept with the bytes that are not
UTF-8 written out (`\\xe9`)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.audit import entries
from jalur.cli import app
from jalur.config import Settings
from jalur.sqlstore import open_database

pytestmark = pytest.mark.skipif(
    sys.platform == "darwin" or os.fsencode("\udce9") != b"\xe9",
    reason="needs a file system that takes any bytes in a name",
)


def _trail(home: Path) -> list[tuple[str, str | None, dict[str, object]]]:
    engine = open_database(Settings.resolve(home))
    with engine.connect() as con:
        found = [(e.action, e.object, e.details) for e in entries(con)]
    engine.dispose()
    return found


def test_a_list_file_named_in_latin1_loads_and_exports(tmp_path: Path) -> None:
    row = {"id": "p1", "schema": "Person", "properties": {"name": ["Abu Rusdan"]}}
    folder = os.fsencode(tmp_path)
    source = Path(os.fsdecode(folder + b"/Daftar\xe9.ftm.json"))
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    runner = CliRunner()
    loaded = runner.invoke(app, ["--home", str(home), "lists", "load", str(source),
                                 "--name", "dttot", "--json"])  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["entities"] == 1
    out = Path(os.fsdecode(folder + b"/keluar\xe9.json"))
    exported = runner.invoke(app, ["--home", str(home), "lists", "export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.read_text(encoding="utf-8").count("\n") == 1
    trail = _trail(home)
    loads = [str(d["file"]) for a, _, d in trail if a == "lists.load"]
    exports = [str(o) for a, o, _ in trail if a == "lists.export"]
    assert len(loads) == 1 and loads[0].endswith("Daftar\\xe9.ftm.json"), loads
    assert len(exports) == 1 and exports[0].endswith("keluar\\xe9.json"), exports
