"""Batch screening of customer files: hits out, bad rows named, counts balance."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.screening import BatchInputError, Screener, screen_file
from jalur.screening.batch import BatchReport, parse_rows, read_batches, row_problem
from jalur.screening.fields import inert, read_query

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
        "id", "entity_id", "list", "source_id", "caption", "topics", "birth_dates", "countries",
        "score", "matched_alias", "explanation", "decision", "decided",
    }  # fmt: skip
    assert all(h["explanation"].startswith("alias ") for h in hits)
    bashir = next(h for h in hits if h["id"] == "c1")  # the entry at a glance, in the file
    assert (bashir["caption"], bashir["topics"]) == ("Abu Bakar Ba'asyir", "crime.terror")
    assert (str(bashir["birth_dates"]), bashir["countries"]) == ("1938-08-17", "id")


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
    source.write_text("id,label\n1,Someone\n")
    with pytest.raises(BatchInputError, match="name"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_missing_file(small_screener: Screener, tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="no such file"):
        run(small_screener, tmp_path / "nope.csv", tmp_path / "hits.csv")


def _expected_problem(row: dict[str, str | None]) -> str | None:
    """Why a row is rejected, by the documented rule: only without a usable id or name."""
    party_id = row.get("id")
    if party_id is None or not party_id.strip():
        return "empty id"
    name = row.get("name") or ""
    if not any(ch.isalnum() for ch in name):
        return "empty name"
    if any(sep in line for line in name.strip().splitlines()[1:] for sep in ",;\t|"):
        return "spans several lines"
    return None


#: Refining values every reader must take, and values none can use (both named in the docs).
_USABLE = {"dob": ["1938", "1980-02", "1980-02-29", "1969-7-16", "16.07.1969"],
           "country": ["ID", "ru", " id ", "indonesia", "Russian Federation"],
           "schema": ["Person", "Organization", "Vessel", "person"]}  # fmt: skip
_UNUSABLE = {"dob": ["80", "1981-02-29", "garbage"], "country": ["I", "1d", "Atlantis"],
             "schema": ["Thing"]}  # fmt: skip
_FIELD = {
    "id": st.sampled_from(["c1", " c2 ", "", "  "]),
    "name": st.sampled_from(["Abu Bakar", "王", "-", " ", "H."]),
    **{k: st.sampled_from(_USABLE[k] + _UNUSABLE[k]) for k in _USABLE},
}


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), st.text(max_size=20), v)
                                           for k, v in _FIELD.items()}))  # fmt: skip
def test_row_check_rejects_only_rows_without_id_or_name(row: dict[str, str | None]) -> None:
    reason = row_problem(row)
    expected = _expected_problem(row)
    if expected is None:
        assert reason is None, row
    elif expected == "empty id":
        assert reason == "empty id"
    elif expected == "spans several lines":
        assert reason is not None and "spans several lines" in reason, (row, reason)
    else:
        assert reason == f"id {inert(str(row['id']))}: empty name", (row, reason)  # written out


def test_a_line_break_inside_a_name_is_screened_as_a_space() -> None:
    """A spreadsheet cell with a line break (Alt+Enter) or a stray carriage return is a name;
    only a line holding a cell separator tells of rows swallowed by an open quote."""
    for name in ("Abu Bakar\nBaasyir", "Umar Patek\r", "Umar\r\nPatek"):
        assert row_problem({"id": "c1", "name": name}) is None, name
    assert row_problem({"id": "c1", "name": "Abu\nc2,Budi"}) is not None


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: st.one_of(st.none(), st.text(max_size=20), _FIELD[k])
                                           for k in _USABLE}))  # fmt: skip
def test_refining_values_are_used_or_named_never_block(row: dict[str, str | None]) -> None:
    query, warnings = read_query(
        "Abu Bakar", row.get("dob"), row.get("country"), None, row.get("schema")
    )
    assert query.name == "Abu Bakar"  # the name is always screened
    named = {w.field for w in warnings}
    for field, value in row.items():
        if value in _USABLE[field]:
            assert field not in named, (field, value, warnings)
        elif value in _UNUSABLE[field]:
            assert field in named, (field, value, warnings)
        elif value is None or not value.strip():
            assert field not in named
    assert named <= {"dob", "country", "schema"}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"id": "c1", "name": "Abu Bakar", "dob": "1938-08", "country": "ID"}, None),
        ({"id": "c1", "name": "x" * 1001}, "id c1: name longer than 1000 characters"),
        ({"id": "c1", "name": "Ali", "dob": "1981-02-29"}, None),  # a warning, not a rejection
        ({"id": "c1", "name": "Ali", "schema": "Thing"}, None),
        ({"id": "c1", "name": "-"}, "id c1: empty name"),
        ({"name": "Ali"}, "empty id"),
    ],
)
def test_row_check_examples(row: dict[str, str], reason: str | None) -> None:
    found = row_problem(row)
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def _bank_export(tmp_path: Path, delimiter: str) -> Path:
    """The test CSV as a bank's spreadsheet exports it: BOM, another separator, CRLF."""
    source = tmp_path / "export.csv"
    text = CSV.replace(",", delimiter).replace("\n", "\r\n")
    source.write_bytes("\ufeff".encode() + text.encode())
    return source


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_a_bank_export_with_another_separator_is_screened(
    small_screener: Screener, tmp_path: Path, delimiter: str
) -> None:
    """Spreadsheets in comma-decimal locales save CSV with ';': the rows must still be read."""
    report = run(small_screener, _bank_export(tmp_path, delimiter), tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected, report.duplicates) == (7, 5, 1, 1)
    hits = pacsv.read_csv(tmp_path / "hits.csv").to_pylist()
    assert {h["id"] for h in hits} == {"c1", "c4", "c5", "c6"}


def test_header_names_are_read_whatever_their_case_and_spaces(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("ID , Name,DOB\nc1,Abu Bakar Baasyir,1938\n")
    report = run(small_screener, source, tmp_path / "hits.csv")
    assert (report.accepted, report.hits) == (1, 1)


def test_missing_columns_error_names_the_columns_found(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("nasabah,pelanggan\n1,Someone\n")
    with pytest.raises(BatchInputError, match=r"found \['nasabah', 'pelanggan'\]"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_a_ragged_row_is_rejected_and_the_rest_still_screened(
    small_screener: Screener, tmp_path: Path
) -> None:
    """One line with the wrong number of cells must not keep the whole file unscreened."""
    source = tmp_path / "customers.csv"
    lines = CSV.splitlines()
    source.write_text("\n".join([*lines[:3], "c9;Someone;1970", *lines[3:]]) + "\n")
    report = run(small_screener, source, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected, report.duplicates) == (8, 5, 2, 1)
    assert "1 cell(s) where the header has 6: 'c9;Someone;1970'" in report.errors[0]
    hits = pacsv.read_csv(tmp_path / "hits.csv").to_pylist()
    assert {h["id"] for h in hits} == {"c1", "c4", "c5", "c6"}


def test_a_file_not_in_utf8_is_refused_naming_the_line(
    small_screener: Screener, tmp_path: Path
) -> None:
    """A Windows-1252 export would garble names; the error says where and what to do."""
    source = tmp_path / "customers.csv"
    source.write_bytes("id,name\nc1,Abu Bakar Baasyir\nc2,José Müller\n".encode("cp1252"))
    with pytest.raises(BatchInputError, match=r"line 3: not valid UTF-8 \(byte 0xe9\).*UTF-8"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_an_excel_workbook_is_screened(small_screener: Screener, tmp_path: Path) -> None:
    """Banks keep customer lists in Excel: ids typed as numbers and date cells must read right."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID", "Name", "DOB"])
    sheet.append([1, "Abu Bakar Baasyir", datetime(1938, 8, 17)])
    sheet.append([None, None, None])
    sheet.append([2.0, "", None])
    sheet.append([3, "Nikolay Patrushev", 1951])
    source = tmp_path / "customers.xlsx"
    book.save(source)
    report = run(small_screener, source, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected) == (3, 2, 1)
    assert report.errors == ["row 3: id 2: empty name"]  # the empty row 2 still counts
    hits = pacsv.read_csv(tmp_path / "hits.csv", convert_options=_TEXT).to_pylist()
    assert {(h["id"], h["entity_id"]) for h in hits} == {("1", "p2"), ("3", "p1")}
    assert report.warnings == 0


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_whose_xml_is_cut_short_is_a_clear_error(
    small_screener: Screener, tmp_path: Path, part: str
) -> None:
    """Its zip passed the checks, but the XML inside ended `screen batch` in ElementTree's
    ParseError traceback (a sheet is parsed only as its rows are read)."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    sheet.append([1, "Abu Bakar Baasyir"])
    good, source = tmp_path / "good.xlsx", tmp_path / "customers.xlsx"
    book.save(good)
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(source, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, data[: len(data) // 2] if item.filename == part else data)
    with pytest.raises(BatchInputError, match=r"customers\.xlsx: not a readable \.xlsx workbook"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_an_old_binary_excel_file_is_a_clear_error(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(BatchInputError, match=r"\.xls.*save it as \.xlsx or CSV"):
        run(small_screener, source, tmp_path / "hits.csv")


_TEXT = pacsv.ConvertOptions(column_types={"id": pa.string()})


def test_a_quote_left_open_is_a_rejected_row_not_swallowed_customers(
    small_screener: Screener, tmp_path: Path
) -> None:
    """An open quote makes the rest of the file one name: the customers in it would go
    unscreened with nothing said. The row is refused, showing what it swallowed."""
    source = tmp_path / "customers.csv"
    source.write_text('id,name\nc1,"Abu Bakar Baasyir\nc2,Nikolay Patrushev\n')
    report = run(small_screener, source, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.rejected) == (1, 0, 1)
    assert "spans several lines" in report.errors[0] and "c2,Nikolay" in report.errors[0]


def test_two_columns_that_read_as_one_name_are_a_clear_error(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("id,name,Name\nc1,Abu Bakar Baasyir,x\n")
    with pytest.raises(BatchInputError, match="two columns read as 'name': 'name', 'Name'"):
        run(small_screener, source, tmp_path / "hits.csv")


def test_bank_headers_are_read_and_unknown_columns_named(tmp_path: Path) -> None:
    """`birth_date`/`nationality` as core banking exports them are read as dob/country; a
    column nothing reads is named, not ignored in silence (it was: the birth date was lost)."""
    source = tmp_path / "customers.csv"
    source.write_text(
        "Customer_ID,Full Name,birth_date,nationality,segment\n"
        "c1,Budi Santoso,1970-13-45,ID,retail\n"
    )
    batch = next(read_batches(source))
    assert batch.schema.names == ["id", "name", "dob", "country", "segment"]
    report = BatchReport()
    ids, _ = parse_rows(batch, 1, report, {})
    assert ids == ["c1"] and report.unread_columns == ["segment"]
    assert report.warnings == 1 and "dob '1970-13-45'" in report.warning_messages[0]


def test_indonesian_and_russian_export_headers_are_read(tmp_path: Path) -> None:
    """An Indonesian bank's export ("No CIF", "Nama Lengkap", "Tgl. Lahir", "WN") was refused
    for lacking `id` and `name`, or screened without its birth date and nationality."""
    source = tmp_path / "nasabah.csv"
    source.write_text(
        "No CIF;Nama Lengkap;Tgl. Lahir;WN;No KTP\nc1;Abu Bakar Baasyir;1938-08-17;ID;3301\n"
    )
    assert next(read_batches(source)).schema.names == ["id", "name", "dob", "country", "identifier"]
    russian = tmp_path / "clients.csv"
    russian.write_text("id,ФИО,Дата рождения,Гражданство,ИНН\nc1,Иван Петров,1970-01-02,RU,77\n")
    assert next(read_batches(russian)).schema.names == [
        "id",
        "name",
        "dob",
        "country",
        "identifier",
    ]


def test_a_header_alias_never_shadows_our_own_column(tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("id,name,customer_id\nc1,Budi,internal-7\n")
    assert next(read_batches(source)).schema.names == ["id", "name", "customer_id"]


def test_a_windows_1252_file_is_screened_when_its_encoding_is_given(
    small_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "customers.csv"
    source.write_bytes("id,name\nc1,José Müller\nc2,Budi\n".encode("cp1252"))
    with pytest.raises(BatchInputError, match=r"line 2: not valid UTF-8.*--encoding cp1252"):
        run(small_screener, source, tmp_path / "hits.csv")
    report = screen_file(
        partial(small_screener.batch_rows, threshold=0.3), source, tmp_path / "h.csv",
        encoding="cp1252",
    )  # fmt: skip
    assert (report.read, report.accepted, report.rejected) == (2, 2, 0)
    with pytest.raises(BatchInputError, match="unknown encoding 'klingon'"):
        screen_file(small_screener.batch_rows, source, tmp_path / "h.csv", encoding="klingon")


def _patched_parts(source: Path, part: str, flags: int, method: int | None) -> None:
    """`source` rewritten with `part`'s zip headers (local and central) given the flag bits
    `flags` and, if given, the compression `method`."""
    import struct

    data = bytearray(source.read_bytes())
    name = part.encode()
    headers = ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46))  # local, central
    for signature, flag_at, length_at, name_at in headers:
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if data[at + name_at : at + name_at + length] == name:
                old = struct.unpack_from("<H", data, at + flag_at)[0]
                struct.pack_into("<H", data, at + flag_at, old | flags)
                if method is not None:
                    struct.pack_into("<H", data, at + flag_at + 2, method)
            at = data.find(signature, at + 4)
    source.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("flags", "method"),
    [(0x1, None), (0, 9), (0, 99)],
    ids=["encrypted", "deflate64", "unknown-method"],
)
def test_a_workbook_part_zipfile_cannot_read_is_a_clear_error(
    small_screener: Screener, tmp_path: Path, flags: int, method: int | None
) -> None:
    """A sheet part stored encrypted, in Deflate64 or by an unknown method ended `screen batch`
    in zipfile's RuntimeError or NotImplementedError traceback (found by exchange10 for
    packages; a workbook is a zip too)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name"])
    sheet.append([1, "Abu Bakar Baasyir"])
    source = tmp_path / "customers.xlsx"
    book.save(source)
    _patched_parts(source, "xl/worksheets/sheet1.xml", flags, method)
    with pytest.raises(BatchInputError, match=r"customers\.xlsx: not a readable \.xlsx workbook"):
        run(small_screener, source, tmp_path / "hits.csv")
