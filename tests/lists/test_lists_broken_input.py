"""Every parser fed broken input (truncated, garbage bytes, wrong encodings): the only failure
is a ListLoadError naming a place, and a failed load leaves the store exactly as it was."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalur.lists import ListLoadError, ParseOptions, load_list
from jalur.store import Store

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
BUNDLED = HERE.parents[1] / "src" / "jalur" / "lists" / "bundled"

#: format → (base file, file inside it to damage or None, options)
CASES: dict[str, tuple[Path, str | None, ParseOptions]] = {
    "un": (FIXTURES / "un_sample.xml", None, ParseOptions()),
    "ofac": (FIXTURES / "ofac_sdn_sample.xml", None, ParseOptions()),
    "ofac-csv": (BUNDLED / "ofac_sdn_excerpt", "sdn.csv", ParseOptions()),
    "ofac-csv-alt": (BUNDLED / "ofac_sdn_excerpt", "alt.csv", ParseOptions()),
    "eu": (FIXTURES / "eu_fsf_sample.xml", None, ParseOptions()),
    "uk": (FIXTURES / "uk_conlist_sample.csv", None, ParseOptions()),
    "uk-xml": (FIXTURES / "uk_conlist_sample.xml", None, ParseOptions()),
    "csv": (BUNDLED / "dttot-sample.csv", None, ParseOptions(mapping=Path("dttot"))),
    "rosfin": (FIXTURES / "rosfin_sample.csv", None, ParseOptions(mapping=Path("rosfin"))),
    "ftm": (FIXTURES / "ftm_sample.ftm.json", None, ParseOptions()),
}
FORMATS = {"ofac-csv-alt": "ofac-csv", "uk-xml": "uk", "rosfin": "csv"}


@cache
def _store(case: str) -> Store:
    """One store per format, holding the intact file, reused across examples."""
    store = Store(":memory:")
    base, _, options = CASES[case]
    load_list(store, base, FORMATS.get(case, case), options)
    return store


def _snapshot(store: Store) -> tuple[object, ...]:
    return (
        store.execute("SELECT count(*), max(version_id) FROM list_versions").fetchone(),
        store.execute("SELECT count(*) FROM list_entities").fetchone(),
        store.execute("SELECT count(*) FROM list_deltas").fetchone(),
    )


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "garbage", "encoding", "bom-garbage"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if kind == "encoding":
        codec = draw(st.sampled_from(["utf-16", "utf-32", "cp1251", "latin-1", "cp1252"]))
        return data.decode("utf-8").encode(codec, errors="replace")
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(out) - 1))
        chunk = draw(st.binary(min_size=1, max_size=16))
        out[at : at + len(chunk)] = chunk
    return bytes(b"\xff\xfe" + out if kind == "bom-garbage" else out)


def _check(case: str, data: st.DataObject) -> None:
    base, inner, options = CASES[case]
    store = _store(case)
    original = (base / inner if inner else base).read_bytes()
    broken = data.draw(damage(original))
    with tempfile.TemporaryDirectory() as folder:
        if inner:
            target_dir = Path(folder) / base.name
            shutil.copytree(base, target_dir)
            (target_dir / inner).write_bytes(broken)
            target = target_dir
        else:
            target = Path(folder) / base.name
            target.write_bytes(broken)
        before = _snapshot(store)
        try:
            load_list(store, target, FORMATS.get(case, case), options)
        except ListLoadError as exc:
            assert exc.location and exc.reason
            assert _snapshot(store) == before


def _test(case: str) -> object:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        _check(case, data)

    run.__name__ = f"test_broken_{case.replace('-', '_')}"
    return run


test_broken_un = _test("un")
test_broken_ofac = _test("ofac")
test_broken_ofac_csv = _test("ofac-csv")
test_broken_ofac_csv_alt = _test("ofac-csv-alt")
test_broken_eu = _test("eu")
test_broken_uk = _test("uk")
test_broken_uk_xml = _test("uk-xml")
test_broken_csv = _test("csv")
test_broken_rosfin = _test("rosfin")
test_broken_ftm = _test("ftm")


def test_broken_ftm_line() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.ftm.json"
        path.write_bytes(b'{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n\xff\n')
        store = Store(":memory:")
        try:
            load_list(store, path, "ftm")
        except ListLoadError as exc:
            assert exc.location == "line 2"
        else:
            raise AssertionError("a mis-encoded FtM line must be refused")
