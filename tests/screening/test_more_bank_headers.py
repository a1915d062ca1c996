"""Headers Indonesian and Russian core-banking exports give the columns read, which were not
known: a file keyed by `ID Nasabah` or `Kode Nasabah` was refused ("lacks required column(s)
['id']"), and `Kebangsaan` (nationality) or `NPWP` named among the columns not read, the
customer screened without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import read_batches


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("ID Nasabah;Nama Nasabah;Tgl Lahir;Kebangsaan", ["id", "name", "dob", "country"]),
        ("Kode Nasabah;Nama;Tanggal Lahir;Warganegara", ["id", "name", "dob", "country"]),
        ("ID Nasabah;Nama Nasabah;NPWP", ["id", "name", "identifier"]),
        ("Nomor Nasabah;Nama Lengkap;No. NPWP", ["id", "name", "identifier"]),
        ("Номер клиента;ФИО;Дата рождения;Паспорт", ["id", "name", "dob", "identifier"]),
        ("Код клиента;ФИО клиента;Страна", ["id", "name", "country"]),
    ],
)
def test_bank_headers_are_read(tmp_path: Path, header: str, names: list[str]) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text(header + "\n" + ";".join(["x"] * len(names)) + "\n", encoding="utf-8")
    assert next(read_batches(path)).schema.names == names


def test_an_account_number_beside_the_customer_id_is_no_second_id(tmp_path: Path) -> None:
    """An account number is no customer id: beside `No CIF` it is left unread, not a reason
    to refuse the file as having two id columns."""
    path = tmp_path / "nasabah.csv"
    path.write_text("No CIF;No Rekening;Nama Nasabah\n1;0012;Umar Patek\n", encoding="utf-8")
    assert next(read_batches(path)).schema.names == ["id", "no rekening", "name"]


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("No CIF*;Nama Nasabah (sesuai KTP);Tanggal Lahir (DD/MM/YYYY)", ["id", "name", "dob"]),
        ("ID:;Nama Lengkap [wajib];Kewarganegaraan (kode ISO)", ["id", "name", "country"]),
        ("Customer ID #;Full Name *", ["id", "name"]),
    ],
)
def test_a_note_in_a_header_is_read_past(tmp_path: Path, header: str, names: list[str]) -> None:
    """A template's note on a header (`Nama Nasabah (sesuai KTP)`, `No CIF*`) made the column
    unknown: the file was refused as lacking a name, or the birth date left unread."""
    path = tmp_path / "nasabah.csv"
    path.write_text(header + "\n" + ";".join(["x"] * len(names)) + "\n", encoding="utf-8")
    assert next(read_batches(path)).schema.names == names
