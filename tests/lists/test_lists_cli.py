"""`jalur lists …` commands: the --json contract, format detection, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lists_cli import lists_app
from typer.testing import CliRunner

from jalur.lists import ListLoadError, detect_format, load_list
from jalur.store import Store

runner = CliRunner()


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(lists_app(), ["--home", str(home), "lists", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("un_sample.xml", "un"),
        ("ofac_sdn_sample.xml", "ofac"),
        ("eu_fsf_sample.xml", "eu"),
        ("uk_conlist_sample.csv", "uk"),
        ("uk_conlist_sample.xml", "uk"),
    ],
)
def test_detect_format(fixtures: Path, name: str, expected: str) -> None:
    assert detect_format(fixtures / name) == expected


def test_detect_ofac_csv_folder_and_file(bundled: Path) -> None:
    assert detect_format(bundled / "ofac_sdn_excerpt") == "ofac-csv"
    assert detect_format(bundled / "ofac_sdn_excerpt" / "sdn.csv") == "ofac-csv"


def test_format_ofac_reads_the_csv_set_too(bundled: Path, store: Store) -> None:
    report = load_list(store, bundled / "ofac_sdn_excerpt", "ofac")
    assert (report.format, report.entities) == ("ofac-csv", 81)


def test_detect_plain_csv_asks_for_mapping(bundled: Path) -> None:
    with pytest.raises(ListLoadError, match="--format csv --mapping"):
        detect_format(bundled / "dttot-sample.csv")


def test_load_json_contract_show_diff_export(tmp_path: Path, bundled: Path) -> None:
    code, out, _ = _run(tmp_path, "load", str(bundled / "ofac_sdn_excerpt"), "--json")
    assert code == 0
    report = json.loads(out)
    assert {"list", "version", "entities", "added", "removed", "changed"} <= set(report)
    assert (report["list"], report["entities"], report["added"]) == ("ofac-sdn", 81, 81)
    code, out, _ = _run(
        tmp_path, "load", str(bundled / "dttot-sample.csv"), "--mapping", "dttot", "--json"
    )
    assert code == 0 and json.loads(out)["list"] == "id-dttot"
    code, out, _ = _run(tmp_path, "show", "--json")
    shown = {item["list"]: item for item in json.loads(out)}
    assert shown["ofac-sdn"]["topics"]["crime.terror"] >= 30
    assert shown["ofac-sdn"]["topics"]["crime.traffick.drug"] >= 40
    assert shown["id-dttot"]["schemata"] == {"Person": 6, "Organization": 3}
    code, out, _ = _run(tmp_path, "diff", "id-dttot", "--json")
    assert len(json.loads(out)["added"]) == 9
    code, out, _ = _run(tmp_path, "export", "--format", "ftm")
    lines = [json.loads(line) for line in out.splitlines()]
    assert any(line["id"] == "ofac-8885" and line["source_id"] == "8885" for line in lines)


def test_bad_file_exits_nonzero_and_names_the_place(tmp_path: Path, fixtures: Path) -> None:
    broken = tmp_path / "un.xml"
    broken.write_bytes((fixtures / "un_sample.xml").read_bytes()[:2000])
    code, out, err = _run(tmp_path / "home", "load", str(broken), "--json")
    assert code == 1 and out == ""
    assert "malformed XML" in err and "line" in err and "nothing was loaded" in err
    code, out, _ = _run(tmp_path / "home", "show", "--json")
    assert json.loads(out) == []


def test_export_to_a_place_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    """A folder (or a file where a folder should be) ended `lists export` in a traceback."""
    (tmp_path / "file").write_text("x")
    for where in (tmp_path, tmp_path / "file" / "out.json"):
        code, out, err = _run(tmp_path / "home", "export", "--out", str(where))
        assert code == 1
        assert "cannot write it" in out + err
        assert "Traceback" not in out + err
    code, _, _ = _run(tmp_path / "home", "export", "--out", str(tmp_path / "new" / "out.json"))
    assert code == 0
    assert (tmp_path / "new" / "out.json").exists()


def test_a_format_outside_the_known_ones_is_a_usage_error(tmp_path: Path, fixtures: Path) -> None:
    """README's exit codes: a value outside the allowed ones is 2, a usage error; 1 says a
    thing does not exist or a file was refused, which a script would read wrongly here."""
    home = tmp_path / "home"
    code, _, err = _run(home, "load", str(fixtures / "un_sample.xml"), "--format", "xml")
    assert code == 2 and "'xml' is not one of csv, eu, ftm" in err
    code, _, err = _run(home, "export", "--format", "csv")
    assert code == 2 and "'csv' is not one of ftm" in err
    code, _, _ = _run(home, "load", str(fixtures / "un_sample.xml"), "--format", "un")
    assert code == 0
