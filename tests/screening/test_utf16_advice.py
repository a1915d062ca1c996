"""A UTF-16 customer file is refused with the encoding it is in, not advice that garbles it.

Excel's "Unicode Text" export is UTF-16 with a byte-order mark. Read as UTF-8 it was refused
with "give the file's encoding (--encoding cp1252 for Windows Western)": following that advice
reads every other byte as a NUL. The byte-order mark says which encoding it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.screening.batch import BatchInputError, BatchReport, check_encoding, screen_file


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_names_its_encoding(tmp_path: Path, codec: str) -> None:
    source = tmp_path / "customers.txt"
    source.write_bytes("\ufeffid\tname\nc1\tUmar Patek\n".encode(codec))
    with pytest.raises(BatchInputError, match=r"line 1: .*UTF-16.*--encoding utf-16") as caught:
        check_encoding(source)
    assert "cp1252" not in str(caught.value)
    report: BatchReport = screen_file(
        lambda queries: [[] for _ in queries], source, tmp_path / "hits.csv", encoding="utf-16"
    )
    assert (report.read, report.accepted) == (1, 1)
