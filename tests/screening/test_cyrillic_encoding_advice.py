"""A Russian customer file saved by 1C or a Russian Excel is Windows Cyrillic (cp1251). Read as
UTF-8 it was refused with "give the file's encoding (--encoding cp1252 for Windows Western)":
following that advice screens every Cyrillic name as Latin mojibake (`Ïàòðóøåâ`), which
matches nobody, without a word. The refusal now names the encoding the bytes are in."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.inputs import likely_legacy_encoding
from jalur.screening.batch import BatchInputError, check_encoding


def test_a_cyrillic_file_is_told_to_read_as_cp1251(tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    text = "id;ФИО;Дата рождения\nC1;Патрушев Николай Платонович;11.07.1951\n"
    source.write_bytes(text.encode("cp1251"))
    with pytest.raises(BatchInputError, match=r"--encoding cp1251 for Windows Cyrillic") as caught:
        check_encoding(source)
    assert "cp1252" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Патрушев Николай", "cp1251"),
        ("Société Générale; Müller Jürgen", "cp1252"),
        ("Ñoño", "cp1252"),
        ("Ёлкин", "cp1251"),
    ],
)
def test_the_likely_encoding_of_a_lines_bytes(text: str, codec: str) -> None:
    assert likely_legacy_encoding(text.encode(codec))[0] == codec
