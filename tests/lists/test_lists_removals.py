"""A new version that removes much of a list is refused unless removals are allowed.

A list file cut at an entry boundary (a CSV at a row's end, an XML export cut between entries
and closed) reads as a shorter list: loaded as a new version, the entries left out would be
removed and no longer screened. Real updates remove few (UN 2025 → 2026: 10 of 877), so a
version removing more than the bound of the current entries is refused, naming the list and
the counts, with nothing stored; `--allow-removals` loads it.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lists_cli import lists_app
from lxml import etree
from typer.testing import CliRunner

from jalur.lists import ListLoadError, ParseOptions, list_versions, load_list
from jalur.lists.fetch import ListSource, fetch_list
from jalur.lists.load import removal_refusal
from jalur.store import Store

runner = CliRunner()

UN_2020 = "consolidated_2020-11-30.xml"
UN_2025 = "consolidated_2025-04-19.xml"
UN_2026 = "consolidated_2026-02-27.xml"


def _cut_to_a_third(source: Path, target: Path) -> Path:
    """The UN file with only the first third of its INDIVIDUALs and ENTITYs: well-formed, as a
    download cut between entries and closed again would be, and every kept entry intact."""
    tree = etree.parse(str(source))
    for group in ("INDIVIDUALS", "ENTITIES"):
        (parent,) = tree.getroot().iter(group)
        entries = list(parent)
        for entry in entries[len(entries) // 3 :]:
            parent.remove(entry)
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    return target


@pytest.fixture(scope="module")
def un_cut(lists_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("un-cut")
    return _cut_to_a_third(lists_data / "un" / UN_2026, folder / "consolidated_2026-02-27.xml")


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(lists_app(), ["--home", str(home), "lists", *args])
    return result.exit_code, result.stdout, result.stderr


def test_real_updates_load(store: Store, lists_data: Path) -> None:
    """The real UN versions pass: 2020 → 2025 removes 187 of 1,018 (18%, four years of
    delistings at once), 2025 → 2026 removes 10 of 877."""
    reports = [load_list(store, lists_data / "un" / name) for name in (UN_2020, UN_2025, UN_2026)]
    assert [(r.version, r.removed) for r in reports] == [(1, 0), (2, 187), (3, 10)]


def test_a_file_cut_to_a_third_is_refused(store: Store, lists_data: Path, un_cut: Path) -> None:
    load_list(store, lists_data / "un" / UN_2026)
    with pytest.raises(ListLoadError) as refused:
        load_list(store, un_cut)
    message = str(refused.value)
    assert "un-sc" in message and "1003 current entries" in message, message
    assert "would remove 669" in message and "334 entries" in message, message
    assert "--allow-removals" in message, message
    assert [v.version for v in list_versions(store, "un-sc")] == [1]  # nothing stored


def test_allow_removals_loads_the_cut_file(store: Store, lists_data: Path, un_cut: Path) -> None:
    load_list(store, lists_data / "un" / UN_2026)
    report = load_list(store, un_cut, allow_removals=True)
    assert (report.version, report.entities, report.removed) == (2, 334, 669)


def test_the_first_version_is_never_refused(store: Store, un_cut: Path) -> None:
    assert load_list(store, un_cut).entities == 334


def _serving(body: bytes) -> httpx.MockTransport:
    return httpx.MockTransport(lambda _: httpx.Response(200, content=body))


def test_a_download_cut_short_is_refused_unless_allowed(
    store: Store, lists_data: Path, un_cut: Path, tmp_path: Path
) -> None:
    """`lists fetch` loads through the same check: a download cut between entries is refused."""
    source = ListSource("un-sc", "http://un.test/consolidated.xml", "un")
    full, cut = ((lists_data / "un" / UN_2026).read_bytes(), un_cut.read_bytes())
    fetch_list(store, source, tmp_path, _serving(full))
    with pytest.raises(ListLoadError, match="would remove 669 of its 1003"):
        fetch_list(store, source, tmp_path, _serving(cut))
    report = fetch_list(store, source, tmp_path, _serving(cut), allow_removals=True)
    assert (report.version, report.removed) == (2, 669)


def _template_csv(path: Path, rows: int) -> Path:
    lines = ["id,type,name,aliases,birth_date,birth_place,nationality"]
    lines += [f"{n},person,Listed Person {n},,,,ID" for n in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_cut_at_a_row_boundary_is_refused(store: Store, tmp_path: Path) -> None:
    """The trial's case: a national list's CSV cut exactly after a row reads as a shorter list."""
    options = ParseOptions(mapping=Path("template"), list_name="id-dttot")
    load_list(store, _template_csv(tmp_path / "full.csv", 300), options=options)
    with pytest.raises(ListLoadError, match="would remove 200 of its 300 current entries"):
        load_list(store, _template_csv(tmp_path / "cut.csv", 100), options=options)
    assert len(list_versions(store, "id-dttot")) == 1


def test_cli_refuses_then_loads_with_allow_removals(
    tmp_path: Path, lists_data: Path, un_cut: Path
) -> None:
    code, _, _ = _run(tmp_path, "load", str(lists_data / "un" / UN_2026))
    assert code == 0
    code, out, err = _run(tmp_path, "load", str(un_cut))
    assert code == 1, out + err
    assert "would remove 669 of its 1003 current entries" in " ".join(err.split()), err
    assert "nothing was loaded" in err, err
    code, out, err = _run(tmp_path, "load", str(un_cut), "--allow-removals")
    assert code == 0, out + err
    assert "669 entries removed" in " ".join(out.split()), out
    code, out, _ = _run(tmp_path, "show", "--json")
    assert '"entities": 334' in out, out


@pytest.mark.parametrize(
    ("current", "removed", "refused"),
    [
        (1003, 10, False),  # UN 2025 → 2026 (of the 877 then current)
        (1018, 187, False),  # UN 2020 → 2025: 18%
        (1003, 669, True),  # cut to a third
        (100, 50, False),  # a small list: half, but no more than 50 entries
        (100, 51, True),
        (400, 100, False),  # exactly a quarter
        (400, 101, True),
    ],
)
def test_removal_bound(current: int, removed: int, refused: bool) -> None:
    found = removal_refusal(current, current - removed, removed)
    assert (found is not None) == refused, found
