"""Batch screening of customer files: hits out, bad rows named, counts balance."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.screening import BatchInputError, Screener, screen_file
from jalur.screening.batch import SCHEMATA, row_problem

CSV = """id,name,dob,country,identifier,schema
c1,Abu Bakar Baasyir,1938,id,,Person
c2,Budi Santoso,1980-02-30,id,,
c3,,1970,id,,
c4,Nikolay Patrushev,,ru,,Person
c4,Nikolay Patrushev,,ru,,Person
c5,H. Wiranto,,indonesia,,
c6,PT Sinar Harapan Abadi,,,,Organization
"""


def run(screener: Screener, source: Path, out: Path, workers: int = 1):  # type: ignore[no-untyped-def]
    rows = partial(screener.batch_rows, threshold=screener.config.threshold)
    return screen_file(rows, source, out, workers=workers)


def test_csv_in_csv_out_with_rejects_warnings_and_duplicates(
    small_screener: Screener, tmp_path: Path
) -> None:
    """Only the row without a name is refused; an impossible date is a warning."""
    source = tmp_path / "customers.csv"
    source.write_text(CSV)
    report = run(small_screener, source, tmp_path / "hits.csv")
    assert report.read == 7
    assert (report.accepted, report.rejected, report.duplicates) == (5, 1, 1)
    assert report.read == report.accepted + report.rejected + report.duplicates
    assert report.errors == ["row 3: id c3: empty name"]
    assert report.warnings == 1
    assert report.warning_messages[0].startswith("row 2: id c2: dob '1980-02-30' is not a date")
    hits = pacsv.read_csv(tmp_path / "hits.csv").to_pylist()
    assert {(h["id"], h["entity_id"]) for h in hits} == {
        ("c1", "p2"), ("c4", "p1"), ("c5", "p3"), ("c6", "o1")
    }  # fmt: skip
    assert set(hits[0]) == {
        "id", "entity_id", "list", "source_id", "score", "matched_alias", "explanation",
        "decision", "decided",
    }  # fmt: skip
    assert all(h["explanation"].startswith("alias ") for h in hits)


def test_parquet_in_parquet_out_with_workers(small_screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "customers.parquet"
    names = ["Abu Bakar Bashir", "Someone Else"] * 50
    pq.write_table(pa.table({"id": [str(i) for i in range(100)], "name": names}), source)
    report = run(small_screener, source, tmp_path / "hits.parquet", workers=2)
    hits = pq.read_table(tmp_path / "hits.parquet")
    assert report.accepted == 100 and report.hits == 50 == hits.num_rows
    assert set(hits.column("entity_id").to_pylist()) == {"p2"}


def test_missing_required_column_is_a_clear_error(small_screener: Screener, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("id,full_name\n1,Someone\n")
    with pytest.raises(BatchInputError, match="name"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_missing_file(small_screener: Screener, tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="no such file"):
        run(small_screener, tmp_path / "nope.csv", tmp_path / "hits.csv")


def _real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day of the calendar (the rule batch files follow)."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 3 or [len(p) for p in parts] != [4, 2, 2][: len(parts)]:
        return False
    if not all(p.isdecimal() for p in parts):
        return False
    try:
        dt.date(*[int(p) for p in parts], *[1] * (3 - len(parts)))
    except ValueError:
        return False
    return True


def _expected_problem(row: dict[str, str | None]) -> str | None:
    """Which field must be named, by the rules the batch documentation states."""
    party_id = row.get("id")
    if party_id is None or not party_id.strip():
        return "empty id"
    if not any(ch.isalnum() for ch in row.get("name") or ""):
        return "empty name"
    dob, country, schema = ((row.get(k) or "").strip() for k in ("dob", "country", "schema"))
    if dob and not _real_date(dob):
        return "dob"
    if country and not (len(country) == 2 and country.isalpha()):
        return "country"
    if schema and schema not in SCHEMATA:
        return "schema"
    return None


_FIELD = {
    "id": st.sampled_from(["c1", " c2 ", "", "  "]),
    "name": st.sampled_from(["Abu Bakar", "王", "-", " ", "H."]),
    "dob": st.sampled_from(["1938", "1980-02", "1980-02-29", "1981-02-29", "80", "1980/02/01"]),
    "country": st.sampled_from(["ID", "ru", " id ", "indonesia", "I", "1d"]),
    "schema": st.sampled_from(["Person", "Organization", "Vessel", "person", "Thing"]),
}


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), st.text(max_size=20), v)
                                           for k, v in _FIELD.items()}))  # fmt: skip
def test_row_check_accepts_or_names_the_reason(row: dict[str, str | None]) -> None:
    reason = row_problem(row)
    expected = _expected_problem(row)
    if expected is None:
        assert reason is None, row
    elif expected == "empty id":
        assert reason == "empty id"
    else:
        assert reason is not None, row
        assert reason.startswith(f"id {row['id']}: {expected}"), (row, reason)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": "c1", "name": "Abu Bakar", "dob": "1938-08", "country": "ID"}, None),
        ({"id": "c1", "name": "x" * 1001}, "id c1: name longer than 1000 characters"),
        ({"id": "c1", "name": "Ali", "dob": "1981-02-29"}, "id c1: dob '1981-02-29' is not"),
        ({"id": "c1", "name": "Ali", "schema": "Thing"}, "id c1: schema 'Thing' is not one of"),
        ({"name": "Ali"}, "empty id"),
    ],
)
def test_row_check_examples(row: dict[str, str], reason: str | None) -> None:
    found = row_problem(row)
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found
