"""Customer and decision files from a hostile or careless source: inputs that never end,
unreadable headers, Parquet columns that are no text, workbook bombs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hostile_files import (
    csv_default_limit,
    forged_dimension,
    workbook_bomb,
    workbook_directory_forged,
)
from jalur.screening import BatchInputError, BatchReport, screen_file
from jalur.screening.batch import CSV_BLOCK, MAX_HEADER
from jalur.screening.decisions import DecisionError, read_clearings


def _no_hits(queries: list[Any]) -> list[list[dict[str, Any]]]:
    return [[] for _ in queries]


def test_a_device_given_as_the_customer_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BatchInputError, match="a character device, not a regular file"):
        screen_file(_no_hits, Path("/dev/null"), tmp_path / "hits.csv")


def test_a_device_given_as_the_clearings_file_is_refused() -> None:
    with pytest.raises(DecisionError, match="a character device, not a regular file"):
        list(read_clearings(Path("/dev/null")))


def _screen(tmp_path: Path, name: str, data: bytes) -> BatchReport:
    path = tmp_path / name
    path.write_bytes(data)
    return screen_file(_no_hits, path, tmp_path / "hits.csv")


def test_a_file_that_is_one_long_line_is_refused_by_its_header(tmp_path: Path) -> None:
    # Python's CSV reader raised `_csv.Error: field larger than field limit`: a traceback
    with pytest.raises(BatchInputError, match=r"line 1: the header is longer than 1,048,576"):
        _screen(tmp_path, "blob.csv", b"x" * (MAX_HEADER + 10))


def test_a_record_longer_than_the_readers_block_is_named_as_such(tmp_path: Path) -> None:
    # was pyarrow's "straddling object straddles two block boundaries (try to increase …)"
    data = b"id,name\n1,Ahmad Yani\n2," + b"A" * (2 * CSV_BLOCK + 10) + b"\n"
    with pytest.raises(BatchInputError, match="a record longer than 4 MiB"):
        _screen(tmp_path, "long.csv", data)


def test_a_bad_byte_after_a_long_line_is_named_by_its_line(tmp_path: Path) -> None:
    data = b"id,name\n1," + b"A" * (3 * MAX_HEADER) + b"\n2,Jos\xe9\n"
    with pytest.raises(BatchInputError, match=r"line 3: not valid UTF-8 \(byte 0xe9\)"):
        _screen(tmp_path, "latin.csv", data)


def _parquet(tmp_path: Path, table: pa.Table) -> BatchReport:
    path = tmp_path / "customers.parquet"
    pq.write_table(table, path)
    return screen_file(_no_hits, path, tmp_path / "hits.csv")


def test_a_parquet_column_we_read_that_is_no_text_is_refused_naming_its_type(
    tmp_path: Path,
) -> None:
    table = pa.table({"id": ["1"], "name": [{"first": "Ahmad"}]})
    with pytest.raises(BatchInputError, match=r"column 'name' holds struct<first: string>"):
        _parquet(tmp_path, table)  # was an ArrowNotImplementedError traceback


def test_a_nested_parquet_column_we_do_not_read_is_left_unread(tmp_path: Path) -> None:
    table = pa.table(
        {
            "ID": pa.array([1, 2]),
            "name": pa.array(["Ahmad Yani", "Budi"]).dictionary_encode(),
            "tags": [[1, 2], [3]],
        }
    )
    report = _parquet(tmp_path, table)
    assert (report.read, report.accepted, report.unread_columns) == (2, 2, ["tags"])


def test_a_workbook_that_would_expand_past_the_limit_is_refused_unopened(
    tmp_path: Path,
) -> None:
    # a 954 MiB sheet part kept openpyxl busy for over a minute (the bomb, measured)
    path = workbook_bomb(tmp_path / "customers.xlsx")
    with pytest.raises(BatchInputError, match=r"the workbook expands to 3,\d+ MiB, more than 512"):
        screen_file(_no_hits, path, tmp_path / "hits.csv")


def test_a_workbook_whose_zip_directory_states_too_many_parts_is_refused_unparsed(
    tmp_path: Path,
) -> None:
    # zipfile parsed a 200,000-member directory for 1.9 s and 94 MB before any check ran
    path = workbook_directory_forged(tmp_path / "customers.xlsx", 60_000)
    with pytest.raises(BatchInputError, match=r"lists 60,000 parts in 2,760,000 bytes"):
        screen_file(_no_hits, path, tmp_path / "hits.csv")


def test_a_clearings_row_past_the_csv_readers_limit_is_named_and_the_rest_read(
    tmp_path: Path,
) -> None:
    # was a `_csv.Error: field larger than field limit (131072)` traceback
    path = tmp_path / "decisions.csv"
    path.write_text(f"customer,entity,reason\nC1,E1,{'r' * 200_000}\nC2,E2,namesake\n")
    with csv_default_limit():
        rows = list(read_clearings(path))
    assert [label for label, _ in rows] == ["row 1", "row 2"]
    assert rows[1][1] == {"customer": "C2", "entity": "E2", "reason": "namesake"}


def test_a_clearings_file_whose_header_is_no_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text("x" * 200_000 + "\n")
    with csv_default_limit(), pytest.raises(DecisionError, match="line 1: not a CSV header"):
        list(read_clearings(path))


def test_a_workbooks_forged_dimension_does_not_pad_every_row(tmp_path: Path) -> None:
    # every row came padded to 16,384 cells: 20,000 rows took 4.3 GB and 32 s (0.6 GB, 8 s now)
    path = forged_dimension(tmp_path / "customers.xlsx", rows=50)
    report = screen_file(_no_hits, path, tmp_path / "hits.csv")
    assert (report.read, report.accepted, report.unread_columns) == (50, 50, [])
