"""A customer file with two columns that read as one refining field (an Indonesian export's
`NIK` and `No Paspor`, both identifiers) was refused whole — "two columns named
'identifier': keep one" — and no customer was screened: a secondary field must never stop
screening. The first is read, the second named with the columns not read. Two columns that
read as the id or the name are still refused (which one is the customer's name is not ours to
guess), naming the file's own headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchInputError, BatchReport, parse_rows, read_batches


def _report(path: Path) -> tuple[BatchReport, list]:
    report = BatchReport()
    queries: list = []
    for batch in read_batches(path):
        queries += parse_rows(batch, 1, report, {})[1]
    return report, queries


def test_a_second_identifier_column_is_named_not_a_refusal(tmp_path: Path) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text(
        "No CIF;Nama Nasabah;Tgl Lahir;NIK;No Paspor;Kewarganegaraan\n"
        "1;Umar Patek;20.07.1966;3201010101010001;A1234567;ID\n",
        encoding="utf-8",
    )
    report, queries = _report(path)
    assert (report.read, report.accepted) == (1, 1)
    assert queries[0].identifier == "3201010101010001"
    assert queries[0].country == "ID" and queries[0].birth_date == "20.07.1966"
    assert report.unread_columns == ["No Paspor (column 5: a second identifier column)"]


def test_two_name_columns_are_refused_naming_the_file_s_headers(tmp_path: Path) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text("Nama;Nama Nasabah;id\nCabang Bogor;Umar Patek;1\n", encoding="utf-8")
    refused = r"two columns read as 'name': 'Nama', 'Nama Nasabah'"
    with pytest.raises(BatchInputError, match=refused):
        _report(path)
