"""DTTOT as PPATK publishes it: an .xlsx workbook loaded through the mapped loader.

The workbook is built here with openpyxl in DTTOT's layout (no DTTOT file is in the shared
data): a title and a date above the header, a "No" column, names with their aliases joined by
" alias " (in any case, sometimes across a line break), "Tempat/Tgl Lahir" holding the place
and the date together, "WN" the nationality. The people are fictional; the shape is real.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from lists_cli import lists_app
from openpyxl import Workbook
from typer.testing import CliRunner

from jalur.lists import ListLoadError, ParseOptions, current_entities, load_list
from jalur.lists.formats import csv_mapped
from jalur.store import Store

runner = CliRunner()
HEADER = ["No", "Nama", "Deskripsi", "Terduga", "Kode Densus", "Tempat/Tgl Lahir", "WN", "Alamat"]
ROWS: list[list[object]] = [
    [
        1,
        "SURYADI MAHMUD alias ABU HANIF alias HANIF SURYA",
        "Anggota jaringan Jamaah Ansharut Daulah (JAD) wilayah Jawa Barat",
        "Orang",
        "IDD-0101",
        "Jakarta, 10 Agustus 1972",
        "Indonesia",
        "Jl. Kemuning No. 12, RT 03/RW 05, Cipayung, Jakarta Timur",
    ],
    [
        2,
        "BAMBANG WIJAYA ALIAS\nABU ZAID",
        "Fasilitator pendanaan kelompok teror",
        "Orang",
        "IDD-0102",
        "Solo/17-08-1980",
        "WNI",
        "Kp. Sukamaju, Kab. Bogor",
    ],
    [
        3,
        "YAYASAN AMAL SEJAHTERA alias YAS",
        "Yayasan penghimpun dana untuk kegiatan teror",
        "Korporasi",
        "IDD-0103",
        None,
        "Indonesia",
        "Jl. Merdeka No. 5, Surabaya",
    ],
    [
        4,
        "AHMAD FAUZI BIN HASAN",
        "Warga negara asing, anggota Jemaah Islamiyah",
        "Orang",
        "IDD-0104",
        "Johor Bahru, 3 Mei 1975",
        "Malaysia",
        None,
    ],
]


def _workbook(path: Path, header: list[str] = HEADER, rows: list[list[object]] = ROWS) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "DTTOT"
    sheet.append(["DAFTAR TERDUGA TERORIS DAN ORGANISASI TERORIS (DTTOT)"])
    sheet.append(["Per tanggal", datetime(2026, 11, 30)])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _parsed(path: Path) -> dict[str, EntityProxy]:
    parsed = csv_mapped.parse(path, ParseOptions(mapping=Path("dttot")))
    return {str(e.id): e for e in parsed.entities}


def test_dttot_workbook_reads_every_column(tmp_path: Path) -> None:
    entities = _parsed(_workbook(tmp_path / "dttot.xlsx"))
    suryadi = entities["id-dttot-idd-0101"]
    assert suryadi.get("name") == ["SURYADI MAHMUD"]
    assert suryadi.get("alias") == ["ABU HANIF", "HANIF SURYA"]
    assert suryadi.get("birthDate") == ["1972-08-10"]
    assert suryadi.get("birthPlace") == ["Jakarta"]
    assert suryadi.get("nationality") == ["id"]
    assert suryadi.get("notes") == []  # "No" is the row number, not a note
    bambang = entities["id-dttot-idd-0102"]
    assert bambang.get("alias") == ["ABU ZAID"]  # upper-case ALIAS across a line break
    assert (bambang.get("birthDate"), bambang.get("birthPlace")) == (["1980-08-17"], ["Solo"])
    assert bambang.get("nationality") == ["id"]  # WNI: Warga Negara Indonesia
    fauzi = entities["id-dttot-idd-0104"]
    assert (fauzi.get("nationality"), fauzi.get("birthDate")) == (["my"], ["1975-05-03"])
    yayasan = entities["id-dttot-idd-0103"]
    assert yayasan.schema.name == "Organization" and yayasan.get("alias") == ["YAS"]
    sanction = next(e for e in entities.values() if e.get("entity", quiet=True) == [yayasan.id])
    assert "Yayasan penghimpun dana untuk kegiatan teror" in sanction.get("reason")
    address = next(e for e in entities.values() if e.schema.name == "Address")
    assert "Jakarta Timur" in address.get("full")[0]


def test_lists_load_xlsx_with_mapping_dttot(tmp_path: Path) -> None:
    """The command that failed with a UTF-8 error now loads the workbook."""
    path = _workbook(tmp_path / "dttot.xlsx")
    home = tmp_path / "home"
    result = runner.invoke(
        lists_app(), ["--home", str(home), "lists", "load", str(path), "--mapping", "dttot"]
    )
    assert result.exit_code == 0, result.stderr
    assert "id-dttot version 1: 4 entries" in result.stdout
    with Store(home / "jalur.duckdb") as store:
        names = sorted(e.caption for e in current_entities(store, subjects_only=True))
    assert names == [
        "AHMAD FAUZI BIN HASAN",
        "BAMBANG WIJAYA",
        "SURYADI MAHMUD",
        "YAYASAN AMAL SEJAHTERA",
    ]


def test_header_that_does_not_match_is_a_clear_error(tmp_path: Path) -> None:
    header = ["No", "Nama Lengkap", "Deskripsi", "Jenis", "Kode Densus", "TTL", "WN", "Alamat"]
    path = _workbook(tmp_path / "other.xlsx", header)
    home = tmp_path / "home"
    result = runner.invoke(
        lists_app(), ["--home", str(home), "lists", "load", str(path), "--mapping", "dttot"]
    )
    assert result.exit_code == 1
    err = " ".join(result.stderr.split())
    assert "no sheet has the header the mapping expects" in err
    assert (
        "sheet 'DTTOT' row 4: header lacks column(s) 'Nama', 'Terduga', 'Tempat/Tgl Lahir'" in err
    )
    assert "nothing was loaded" in err and "UTF-8" not in err


def test_number_and_date_cells_read_as_people_write_them(tmp_path: Path, store: Store) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "list: nasional\nprogramme: {authority: A, name: N}\n"
        "columns: {Nama: {as: name}, NIK: {as: identifier, label: NIK, country: Indonesia},"
        " Lahir: {as: birthDate}}\n"
    )
    path = _workbook(
        tmp_path / "n.xlsx",
        ["Nama", "NIK", "Lahir"],
        [["Umar Said", 3171011008720001, datetime(1972, 8, 10)]],
    )
    load_list(store, path, options=ParseOptions(mapping=mapping))
    (person,) = current_entities(store, subjects_only=True)
    assert person.get("birthDate") == ["1972-08-10"]
    assert person.get("idNumber") == ["3171011008720001"]


def test_row_wider_than_header_is_named(tmp_path: Path) -> None:
    rows = [[*ROWS[0], "sel tambahan"]]
    with pytest.raises(ListLoadError, match="sheet 'DTTOT' row 5: expected 8 columns, found 9"):
        _parsed(_workbook(tmp_path / "wide.xlsx", rows=rows))


def test_old_xls_and_broken_workbook_are_refused_clearly(tmp_path: Path) -> None:
    old = tmp_path / "dttot.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(
        ListLoadError, match=r"old binary Excel workbook \(.xls\): save it as .xlsx"
    ):
        _parsed(old)
    broken = tmp_path / "dttot.xlsx"
    broken.write_bytes(_workbook(tmp_path / "good.xlsx").read_bytes()[:300])
    with pytest.raises(ListLoadError, match=r"not a readable \.xlsx workbook"):
        _parsed(broken)


def _rewritten(source: Path, target: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """`source` with one zip part rewritten by `edit`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, edit(data) if item.filename == part else data)
    return target


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(8))
    + b"]>"
)


@pytest.mark.parametrize(
    ("part", "edit"),
    [
        ("xl/worksheets/sheet1.xml", lambda data: _LAUGHS + data.replace(b"Per tanggal", b"&i;")),
        ("xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2]),
        ("xl/workbook.xml", lambda data: data[: len(data) // 2]),
    ],
    ids=["entity-bomb-in-a-sheet", "sheet-cut-short", "workbook-part-cut-short"],
)
def test_a_workbook_whose_xml_cannot_be_read_is_refused_not_a_traceback(
    tmp_path: Path, part: str, edit: Callable[[bytes], bytes]
) -> None:
    """The zip was checked, but XML inside it that the parser refuses (entity amplification,
    a part cut short) ended `lists load` in an ElementTree ParseError traceback."""
    good = _workbook(tmp_path / "good.xlsx")
    bad = _rewritten(good, tmp_path / "dttot.xlsx", part, edit)
    with pytest.raises(ListLoadError, match=r"dttot.xlsx: file: not a readable \.xlsx workbook"):
        _parsed(bad)
