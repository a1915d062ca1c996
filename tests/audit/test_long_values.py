"""An entry whose object or user is wider than its column is kept cut, and whole in details.

`jalur tx load /a/deep/folder/…/payments.csv` records the path as the entry's object, and an
unsigned command records the name given with `--user`: on PostgreSQL a path over 200 characters
(or a name over 64) was refused by the column, so the load was done and the command failed
with "the audit trail could not record it". SQLite took them, being lax about widths.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from jalur.audit import check_trail, entries, record
from jalur.config import Settings
from jalur.sqlstore import open_database


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    yield opened
    opened.dispose()


def test_a_long_object_and_user_are_kept_cut_and_whole_in_details(
    engine: Engine, sql_settings: Settings
) -> None:
    path = "/srv/bank-exports/" + "nested-folder/" * 20 + "payments.csv"
    who = "svc-" + "x" * 80
    entry = record(engine, who, "tx.load", path, {"rows": 3})
    with engine.connect() as con:
        [stored] = list(entries(con))
    assert stored == entry
    assert stored.object == path[:199] + "…"
    assert stored.user == who[:63] + "…"
    assert stored.details == {"rows": 3, "object_whole": path, "user_whole": who}
    assert check_trail(engine, [], sql_settings.seals_path).intact
    short = record(engine, "ana", "tx.load", "payments.csv", {"rows": 1})
    assert short.details == {"rows": 1}  # nothing added where nothing was cut
