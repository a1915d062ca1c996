"""What FollowTheMoney cannot keep of a partner's entity is counted and named, never lost unseen.

FtM reads an entity by cleaning every value and dropping, without a word, a property its
schema does not have, a reverse property, a value that does not clean (`31/31/2020` as a
date) and any field beside `id`, `schema` and `properties`. The import keeps the entity (the
partner signed it whole) and reports each dropped value: a warning naming the record, the
property and the value, the counts in the summary and `--json`, the list on the entity.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from exchange_agencies import Agency
from hostile import hostile_package, parquet_bytes
from typer.testing import CliRunner

from jalur.cli import app
from jalur.exchange import import_package, read_log
from jalur.model import TRANSACTION_SCHEMA

runner = CliRunner()

ODD = {
    "id": "p1",
    "schema": "Person",
    "properties": {
        "name": ["Abu Rusdan"],
        "topics": ["crime.terror"],
        "birthDate": ["1960-05-12", "31/31/2020"],
        "favouriteColour": ["green"],
        "sanctions": ["s1"],
    },
    "datasets": ["their-list"],
}
CLEAN = {"id": "p2", "schema": "Person", "properties": {"name": ["Umar Patek"]}}
EXPECTED = {
    ("p1", "birthDate", "31/31/2020"),
    ("p1", "favouriteColour", "green"),
    ("p1", "sanctions", "s1"),
    ("p1", "datasets", '["their-list"]'),
}


def _package(sender: Agency, recipient: Agency, tmp_path: Path) -> Path:
    lines = "".join(json.dumps(e) + "\n" for e in (ODD, CLEAN)).encode()
    data = hostile_package(
        sender, recipient, parquet=parquet_bytes(TRANSACTION_SCHEMA.empty_table()), rows=0,
        lines=lines, entity_count=2,
    )  # fmt: skip
    path = tmp_path / "odd.jx"
    path.write_bytes(data)
    return path


def _triples(dropped: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(d["entity_id"], d["property"], d["value"]) for d in dropped}


def test_each_dropped_value_is_reported_with_its_record_property_and_reason(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> None:
    ppatk, rosfin, _ = agencies
    data = _package(ppatk, rosfin, tmp_path).read_bytes()
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")
    assert report.entities == 2  # kept: the partner signed the entity whole
    summary = report.as_dict()
    assert summary["dropped_values"] == 4
    assert _triples(summary["dropped"]) == EXPECTED
    by_property = {d["property"]: d for d in summary["dropped"]}
    assert by_property["birthDate"]["line"] == 1
    assert "not a valid date" in by_property["birthDate"]["reason"]
    assert "not a property of Person" in by_property["favouriteColour"]["reason"]
    assert "reverse" in by_property["sanctions"]["reason"]
    # the kept values are there, and the record itself says what of it was dropped
    (stored,) = rosfin.store.execute(
        "SELECT data FROM exchange_entities WHERE original_id = 'p1'"
    ).fetchone()
    entity = json.loads(stored)
    assert entity["properties"]["birthDate"] == ["1960-05-12"]
    assert _triples([{**d, "entity_id": "p1"} for d in entity["exchange"]["dropped"]]) == EXPECTED
    (clean,) = rosfin.store.execute(
        "SELECT data FROM exchange_entities WHERE original_id = 'p2'"
    ).fetchone()
    assert "dropped" not in json.loads(clean)["exchange"]
    assert read_log(rosfin.store)[-1].detail["dropped_values"] == 4


def test_the_import_command_warns_per_value_and_counts_them(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ppatk, rosfin, _ = agencies
    path = _package(ppatk, rosfin, tmp_path)
    rosfin.store.close()  # the command opens the workspace itself
    monkeypatch.setenv("JALUR_PASSPHRASE", rosfin.passphrase)
    result = runner.invoke(app, ["--home", str(rosfin.home), "exchange", "import", str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    err = " ".join(result.stderr.split())
    assert "entities.ftm.jsonl line 1: entity p1: birthDate '31/31/2020' dropped" in err
    assert "favouriteColour 'green' dropped" in err
    assert "4 property values dropped" in " ".join(result.stdout.split())


def test_the_json_summary_lists_the_dropped_values(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ppatk, rosfin, _ = agencies
    path = _package(ppatk, rosfin, tmp_path)
    rosfin.store.close()
    monkeypatch.setenv("JALUR_PASSPHRASE", rosfin.passphrase)
    result = runner.invoke(
        app, ["--home", str(rosfin.home), "exchange", "import", str(path), "--json"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["dropped_values"] == 4 and _triples(summary["dropped"]) == EXPECTED


def test_a_hostile_name_or_huge_value_is_shown_escaped_and_short() -> None:
    """The warning goes to the analyst's terminal: the partner's property name and value are
    data (an escape sequence once cleared the screen), and a megabyte value is cut."""
    from jalur.exchange.package import MAX_SHOWN_VALUE, dropped_values
    from jalur.model import entity_from_dict

    data = {
        "id": "p9",
        "schema": "Person",
        "properties": {"\x1b[2Jname\u202e": ["x"], "birthDate": ["y" * 1_000_000], "name": [{}]},
    }
    dropped = dropped_values(3, data, entity_from_dict(data))
    assert [d.property for d in dropped] == ["\x1b[2Jname\u202e", "birthDate", "name"]
    assert dropped[2].reason == "not text" and dropped[2].value == "{}"
    lines = [d.describe() for d in dropped]
    assert all(line.isprintable() for line in lines)
    assert len(dropped[1].value) == MAX_SHOWN_VALUE
