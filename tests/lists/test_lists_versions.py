"""List versions: numbered per list, an identical file is no new version, diffs by name."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from lists_cli import lists_app
from typer.testing import CliRunner

from jalur.lists import (
    ListDiffError,
    ListLoadError,
    ParseOptions,
    current_versions,
    diff_versions,
    entity_entries,
    list_versions,
    load_list,
)
from jalur.lists.store import ensure_tables
from jalur.store import Store

runner = CliRunner()


def _ftm(path: Path, people: dict[str, str], **extra: dict[str, list[str]]) -> Path:
    """A FtM JSON lines list of persons (id → name); `extra` adds properties by id."""
    lines = [
        {"id": pid, "schema": "Person", "properties": {"name": [name], **extra.get(pid, {})}}
        for pid, name in people.items()
    ]
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n")
    return path


def _load(store: Store, path: Path, name: str) -> object:
    return load_list(store, path, "ftm", ParseOptions(list_name=name))


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(lists_app(), ["--home", str(home), "lists", *args])
    return result.exit_code, result.stdout, result.stderr


def test_versions_are_numbered_per_list(store: Store, tmp_path: Path) -> None:
    a1 = _ftm(tmp_path / "a1.json", {"p1": "Abu Rusdan"})
    b1 = _ftm(tmp_path / "b1.json", {"q1": "Hambali"})
    a2 = _ftm(tmp_path / "a2.json", {"p1": "Abu Rusdan", "p2": "Umar Patek"})
    reports = [_load(store, a1, "a"), _load(store, b1, "b"), _load(store, a2, "a")]
    assert [r.version for r in reports] == [1, 1, 2]  # type: ignore[attr-defined]
    assert [(v.list_name, v.version) for v in current_versions(store)] == [("a", 2), ("b", 1)]
    assert [v.version for v in list_versions(store, "a")] == [1, 2]
    (entry,) = entity_entries(store, "p2")  # what a case cites: the list's own number
    assert (entry["list"], entry["version"], entry["version_id"]) == ("a", 2, 3)


def test_identical_file_is_unchanged_and_makes_no_version(store: Store, tmp_path: Path) -> None:
    path = _ftm(tmp_path / "a.json", {"p1": "Abu Rusdan", "p2": "Umar Patek"})
    first = _load(store, path, "a")
    again = _load(store, path, "a")
    assert again.unchanged and not first.unchanged  # type: ignore[attr-defined]
    assert again.version == 1 and again.entities == 2  # type: ignore[attr-defined]
    assert len(list_versions(store, "a")) == 1
    # the same entities under another list name are that list's first version, not "unchanged"
    assert not _load(store, path, "b").unchanged  # type: ignore[attr-defined]


def test_same_bytes_read_differently_is_a_new_version(store: Store, tmp_path: Path) -> None:
    """A corrected mapping over the same file gives other entities: that is a new version."""
    path = tmp_path / "list.csv"
    path.write_text("id,type,name,aliases,birth_date,birth_place,nationality\n1,person,A B,,,,\n")
    load_list(store, path, options=ParseOptions(mapping=Path("template"), list_name="x"))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "list: x\nprogramme: {authority: A, name: N}\n"
        "columns: {id: {as: id}, name: {as: name}, type: {as: schema}}\n"
    )
    report = load_list(store, path, options=ParseOptions(mapping=mapping))
    assert (report.unchanged, report.version) == (False, 2)


def test_cli_says_unchanged(tmp_path: Path) -> None:
    path = _ftm(tmp_path / "a.json", {"p1": "Abu Rusdan"})
    assert _run(tmp_path / "home", "load", str(path), "--name", "a")[0] == 0
    code, out, _ = _run(tmp_path / "home", "load", str(path), "--name", "a")
    assert code == 0 and "version 1 unchanged" in out and "no new version" in out
    code, out, _ = _run(tmp_path / "home", "load", str(path), "--name", "a", "--json")
    assert json.loads(out)["unchanged"] is True


def test_old_workspace_gets_numbers_per_list(tmp_path: Path) -> None:
    """A workspace from before per-list numbers: its versions are numbered on first use."""
    path = tmp_path / "old.duckdb"
    old = Store(path)
    old.execute(
        """CREATE TABLE list_versions (version_id BIGINT PRIMARY KEY, list_name VARCHAR NOT NULL,
        format VARCHAR NOT NULL, source VARCHAR NOT NULL, url VARCHAR, published VARCHAR,
        retrieved_at TIMESTAMPTZ NOT NULL, sha256 VARCHAR NOT NULL, entities BIGINT NOT NULL,
        added BIGINT NOT NULL, removed BIGINT NOT NULL, changed BIGINT NOT NULL)"""
    )
    old.execute("CREATE SEQUENCE list_version_seq START 5")
    for version_id, name in [(1, "un-sc"), (2, "ofac-sdn"), (3, "un-sc"), (4, "un-sc")]:
        old.execute(
            "INSERT INTO list_versions VALUES (?, ?, 'un', 'f', NULL, NULL, now(), 'h', 0, 0, 0, "
            "0)",
            [version_id, name],
        )
    old.close()
    store = Store(path)
    ensure_tables(store)
    assert [(v.version_id, v.version) for v in list_versions(store, "un-sc")] == [
        (1, 1),
        (3, 2),
        (4, 3),
    ]
    report = _load(store, _ftm(tmp_path / "a.json", {"p1": "X"}), "ofac-sdn")
    assert report.version == 2  # type: ignore[attr-defined]
    store.close()


@pytest.fixture
def three_versions(store: Store, tmp_path: Path) -> Store:
    """a: v1 two people; v2 one added, one removed, one renamed; v3 eight more added."""
    _load(store, _ftm(tmp_path / "1.json", {"p1": "Abu Rusdan", "p2": "Umar Patek"}), "a")
    second = {"p1": "Abu Rusdan alias Thoriquddin", "p3": "Hambali"}
    _load(store, _ftm(tmp_path / "2.json", second), "a")
    third = {**second, **{f"n{i}": f"Orang Ke {i}" for i in range(8)}}
    _load(store, _ftm(tmp_path / "3.json", third), "a")
    return store


def test_diff_names_counts_and_captions(three_versions: Store) -> None:
    diff = diff_versions(three_versions, "a", 1, 2)
    assert diff.counts == {"added": 1, "removed": 1, "changed": 1}
    assert [(e.entity_id, e.caption) for e in diff.entries["added"]] == [("p3", "Hambali")]
    assert [(e.entity_id, e.caption) for e in diff.entries["removed"]] == [("p2", "Umar Patek")]
    (changed,) = diff.entries["changed"]
    assert (changed.caption, changed.before, changed.fields) == (
        "Abu Rusdan alias Thoriquddin",
        "Abu Rusdan",
        ("name",),
    )
    newest = diff_versions(three_versions, "a")  # default: newest against the one before
    assert (newest.older.version, newest.newer.version) == (2, 3)  # type: ignore[union-attr]
    assert newest.counts == {"added": 8, "removed": 0, "changed": 0}
    across = diff_versions(three_versions, "a", 1, 3)  # not only consecutive versions
    assert across.counts == {"added": 9, "removed": 1, "changed": 1}
    assert diff_versions(three_versions, "a", newer=1).counts["added"] == 2  # the first version


def test_diff_pages_and_says_so(three_versions: Store) -> None:
    page = diff_versions(three_versions, "a", 2, 3, limit=3)
    assert len(page.entries["added"]) == 3 and page.counts["added"] == 8
    assert page.as_dict()["complete"] is False
    assert diff_versions(three_versions, "a", 2, 3).as_dict()["complete"] is True


def test_diff_refuses_unknown_list_or_version(three_versions: Store) -> None:
    with pytest.raises(ListDiffError, match=r"no version 7 \(versions: 1, 2, 3"):
        diff_versions(three_versions, "a", 1, 7)
    with pytest.raises(ListDiffError, match="no list named 'zz'"):
        diff_versions(three_versions, "zz")


def test_diff_cli_limit_all_and_json(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for number, people in enumerate(
        [{"p1": "Abu Rusdan"}, {"p1": "Abu Rusdan", **{f"n{i}": f"Orang Ke {i}" for i in range(5)}}]
    ):
        _run(home, "load", str(_ftm(tmp_path / f"{number}.json", people)), "--name", "a")
    code, out, _ = _run(home, "diff", "a", "--limit", "2")
    assert code == 0
    assert "a version 1 → version 2: 5 added, 0 removed, 0 changed" in out
    assert "n0  Orang Ke 0  [Person]" in out and "Orang Ke 4" not in out
    assert "3 more added not shown (--limit N or --all" in out
    code, out, _ = _run(home, "diff", "a", "--all")
    assert "Orang Ke 4" in out and "not shown" not in out
    code, out, _ = _run(home, "diff", "a", "--from", "1", "--to", "2", "--json", "--limit", "2")
    payload = json.loads(out)
    assert (payload["from"], payload["to"], payload["counts"]["added"]) == (1, 2, 5)
    assert payload["complete"] is False and payload["added"][0]["caption"] == "Orang Ke 0"
    code, _, err = _run(home, "diff", "a", "--to", "9")
    assert code == 1 and "a has no version 9" in err


def test_diff_shows_a_bidi_override_in_a_name_as_an_escape(tmp_path: Path) -> None:
    """U+202E in a listed name makes a terminal show the rest of the line reversed, so one
    entry of the diff could read as another; the diff writes it as an escape."""
    home = tmp_path / "home"
    _run(home, "load", str(_ftm(tmp_path / "0.json", {"p1": "Abu Rusdan"})), "--name", "a")
    changed = _ftm(tmp_path / "1.json", {"p1": "Abu \u202enadsuR", "p2": "Umar\u2066 Patek"})
    _run(home, "load", str(changed), "--name", "a")
    code, out, _ = _run(home, "diff", "a")
    assert code == 0
    assert "p1  Abu \\u202enadsuR  [Person]  (was Abu Rusdan)" in out
    assert "p2  Umar\\u2066 Patek  [Person]" in out
    assert "\u202e" not in out and "\u2066" not in out


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        (
            "un.xml",
            '<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>',
            "un",
        ),
        (
            "a.ftm.json",
            '{"id": "x1", "schema": "Address", "properties": {"full": ["Jl. X"]}}\n',
            "ftm",
        ),
    ],
)
def test_a_list_file_without_a_listed_party_is_refused_not_an_empty_version(
    store: Store, tmp_path: Path, name: str, content: str, fmt: str
) -> None:
    """An empty UN file (a failed export, a download cut after the root element) loaded as
    a new version with 0 entries and exit 0: every entry of the list removed, so screening
    stopped finding anyone on it."""
    _load(store, _ftm(tmp_path / "0.json", {"p1": "Abu Rusdan"}), "a")
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ListLoadError, match=r"no listed party .* would remove every entry"):
        load_list(store, path, fmt, ParseOptions(list_name="a"))
    assert [v.version for v in list_versions(store, "a")] == [1]


def test_an_ofac_csv_set_is_the_same_file_by_folder_or_main_file(
    store: Store, bundled: Path, tmp_path: Path
) -> None:
    """The same OFAC CSV set named by its folder, then by sdn.csv, or with a README put in the
    folder, made empty new versions (+0 −0 ~0): the hash covered whatever the path held."""
    folder = tmp_path / "ofac"
    shutil.copytree(bundled / "ofac_sdn_excerpt", folder)
    first = load_list(store, folder, "ofac-csv")
    assert not first.unchanged
    assert load_list(store, folder / "sdn.csv", "ofac-csv").unchanged
    (folder / "README.txt").write_text("downloaded 2021-07-01\n")
    assert load_list(store, folder, "ofac").unchanged
    assert [v.version for v in list_versions(store, "ofac-sdn")] == [1]


def test_a_file_published_before_the_current_version_is_named_in_a_warning(
    store: Store, fixtures: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Loading last year's UN file after this year's rolls the list back (its later
    designations removed) with exit 0 and not a word; the load goes on (an agency may mean
    it), but says so."""
    text = (fixtures / "un_sample.xml").read_text(encoding="utf-8")
    older = tmp_path / "un_2020.xml"
    older.write_text(text.replace('dateGenerated="2026-02-27', 'dateGenerated="2020-11-30'))
    load_list(store, fixtures / "un_sample.xml", "un")
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        report = load_list(store, older, "un")
    assert (report.version, report.published) == (2, "2020-11-30")
    assert (
        f"{older}: published 2020-11-30, before un-sc version 1 (published 2026-02-27):"
        " this version replaces a newer list" in caplog.text
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        load_list(store, fixtures / "un_sample.xml", "un")
    assert "before" not in caplog.text
