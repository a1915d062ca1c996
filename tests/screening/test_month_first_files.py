"""A customer file saved by Excel in a US locale writes dates month first (`7/20/1966`,
`7/8/1966 0:00`). Each date was read alone: one whose day is above 12 read right, but one whose
day is 12 or less was read day first (`7/8/1966` as 7 August, not 8 July): a listed person's
own birth date then conflicted with the customer's, and the hit scored lower. The file's order
is learnt from its unambiguous dates (a first number above 12 says day first, a second above
12 month first), and an ambiguous date in a month-first file is read month first, and said."""

from __future__ import annotations

from pathlib import Path

from jalur.screening.batch import BatchReport, parse_rows, read_batches


def _read(path: Path) -> tuple[BatchReport, list]:
    report = BatchReport()
    queries: list = []
    for batch in read_batches(path):
        queries += parse_rows(batch, 1, report, {})[1]
    return report, queries


def test_a_month_first_file_reads_its_ambiguous_dates_month_first(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "id,name,dob\n"
        "c1,Umar Patek,7/8/1966 0:00\n"  # before the row that shows the order
        "c2,Abu Rusdan,8/16/1960\n"
        "c3,Hambali,4/4/64\n"
        "c4,Dulmatin,1970-06-06\n"
        "c5,Ali Imron,not a date\n",
        encoding="utf-8",
    )
    report, queries = _read(path)
    assert [q.birth_dates for q in queries[:4]] == [
        ("1966-07-08",), ("1960-08-16",), ("1964-04-04",), ("1970-06-06",),
    ]  # fmt: skip
    assert report.date_order == "month first, as '8/16/1960' shows"
    assert "date_order" in report.as_dict()
    assert [m.split(" is ")[0] for m in report.warning_messages] == [
        "row 5: id c5: dob 'not a date'"
    ]


def test_a_day_first_file_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("id,name,dob\nc1,Umar Patek,07/08/1966\nc2,Abu Rusdan,16/08/1960\n")
    report, queries = _read(path)
    assert [q.birth_dates for q in queries] == [("1966-08-07",), ("1960-08-16",)]
    assert report.date_order is None


def test_a_file_of_both_orders_reads_each_date_alone(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("id,name,dob\nc1,A B,07/08/1966\nc2,C D,16/08/1960\nc3,E F,8/16/1960\n")
    report, queries = _read(path)
    assert queries[0].birth_dates == ("1966-08-07",)
    assert report.date_order is None


def test_a_month_first_file_with_hyphens_is_read_month_first(tmp_path: Path) -> None:
    """`07-20-1966`, as some US exports write it: its ambiguous `07-08-1966` was 7 August."""
    path = tmp_path / "customers.csv"
    path.write_text("id,name,dob\nc1,A B,07-08-1966\nc2,C D,07-20-1966\nc3,E F,07-08-66\n")
    report, queries = _read(path)
    assert [q.birth_dates for q in queries] == [("1966-07-08",), ("1966-07-20",), ("1966-07-08",)]
    assert report.date_order == "month first, as '07-20-1966' shows"
