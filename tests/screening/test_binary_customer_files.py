"""A file that is no text at all given as a customer file (a PDF of the report, a zipped
export, a picture) was refused as "not valid UTF-8 … give --encoding cp1251 for Windows
Cyrillic": advice that reads garbage as names. Its kind is said, from its first bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchInputError, screen_file


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x1f\x8b\x08\x00\xff\xfe", "a gzip archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
        (b"PAR1\x15\x04\x15\xff", "a Parquet file"),
        (b"7z\xbc\xaf\x27\x1c\x00\xff", "a 7-Zip archive"),
        (b"Rar!\x1a\x07\x00\xff", "a RAR archive"),
    ],
)
def test_a_binary_file_is_named_for_what_it_is(tmp_path: Path, start: bytes, kind: str) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(start + bytes(range(256)) * 4)
    with pytest.raises(BatchInputError) as refused:
        screen_file(lambda queries: [[] for _ in queries], path, tmp_path / "hits.csv")
    message = str(refused.value)
    assert f"is {kind}, not a customer file" in message and "cp125" not in message
