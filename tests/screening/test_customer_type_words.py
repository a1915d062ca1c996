"""A customer file's type column as Indonesian and Russian core-banking systems write it
(`Jenis Nasabah`: `Perorangan`, `Badan Usaha`; `Тип клиента`: `ФЛ`, `ЮЛ`) was not read, or
each value was a warning ("schema 'Perorangan' is not one of …") and the type, which keeps a
person from hitting a company's entry, was screened without."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import read_batches
from jalur.screening.fields import read_query


@pytest.mark.parametrize(
    ("word", "schema"),
    [
        ("Perorangan", "Person"), ("Perseorangan", "Person"), ("Individu", "Person"),
        ("Badan Usaha", "Company"), ("Perusahaan", "Company"), ("Korporasi", "Organization"),
        ("ФЛ", "Person"), ("Физическое лицо", "Person"), ("ИП", "Person"),
        ("ЮЛ", "Organization"), ("Юридическое лицо", "Organization"),
        ("Corporate", "Company"),
    ],
)  # fmt: skip
def test_customer_type_words_are_read(word: str, schema: str) -> None:
    query, warnings = read_query("X", schema=word)
    assert warnings == [] and query.schema == schema


@pytest.mark.parametrize(
    "header", ["Jenis Nasabah", "Tipe Nasabah", "Customer Type", "Тип клиента"]
)
def test_the_customer_type_column_is_read(tmp_path: Path, header: str) -> None:
    path = tmp_path / "nasabah.csv"
    path.write_text(f"id;name;{header}\n1;Umar Patek;Perorangan\n", encoding="utf-8")
    assert next(read_batches(path)).schema.names == ["id", "name", "schema"]
