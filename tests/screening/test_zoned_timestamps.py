"""A birth date exported as a timestamp with its time zone — PostgreSQL's `timestamptz` in a
CSV (`1966-07-20 00:00:00+07`), a Parquet file's zoned timestamp column — was "not a date"
and the customer screened without it. The zone, like the time, says nothing of a birth date
written in the customer's own calendar day; a Parquet zoned column is read as its local day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jalur.dates import usable_dates
from jalur.screening.batch import BatchReport, parse_rows, read_batches


@pytest.mark.parametrize(
    "text",
    [
        "1966-07-20 00:00:00+07",
        "1966-07-20 00:00:00+07:00",
        "1966-07-20 00:00:00.000000Z",
        "1966-07-20 00:00:00 +0700",
        "1966-07-20T00:00:00+07:00",
    ],
)
def test_a_zone_after_the_time_is_dropped(text: str) -> None:
    assert usable_dates(text) == ("1966-07-20",)


def test_a_parquet_zoned_birth_date_is_its_local_day(tmp_path: Path) -> None:
    """Midnight in Jakarta is 17:00 the day before in UTC: read as UTC, the day was wrong."""
    jakarta = dt.timezone(dt.timedelta(hours=7))
    born = [dt.datetime(1966, 7, 20, tzinfo=jakarta), None]
    table = pa.table(
        {
            "id": ["c1", "c2"],
            "name": ["Umar Patek", "Abu Rusdan"],
            "dob": pa.array(born, pa.timestamp("us", tz="Asia/Jakarta")),
        }
    )
    path = tmp_path / "customers.parquet"
    pq.write_table(table, path)
    report = BatchReport()
    queries = [q for b in read_batches(path) for q in parse_rows(b, 1, report, {})[1]]
    assert report.warning_messages == []
    assert [q.birth_dates for q in queries] == [("1966-07-20",), ()]
