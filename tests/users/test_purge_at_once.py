"""Sign-ins at once on PostgreSQL do not wait on each other's purge of stale rows.

Each sign-in purges expired tokens and old failures (`purge_stale_sign_ins`). Two sign-ins at
once picked the same rows: the second waited for the first's row locks (and two picking them
in different orders deadlocked, a sign-in failing with a 500). A purge now skips the rows
another one holds: they are that one's to delete.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select

from jalur.config import Settings
from jalur.sqlstore import database_url, open_database
from jalur.sqlstore.schema import api_tokens
from jalur.users import add_user, issue_token, purge_stale_sign_ins, sign_in

PW = "correct horse battery"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_a_purge_skips_the_rows_another_purge_holds(sql_settings: Settings) -> None:
    url = database_url(sql_settings)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite's writers take turns on the file: no row locks to skip")
    engine = open_database(sql_settings)
    # a purge that would wait for a lock fails after 2 s here instead of waiting for good
    options = f"{url.query.get('options', '')} -c lock_timeout=2000".strip()
    impatient = create_engine(url.difference_update_query(["options"]),
                              connect_args={"options": options})  # fmt: skip
    try:
        add_user(engine, None, "root", "admin", PW)
        for _ in range(3):
            issue_token(engine, sign_in(engine, "root", PW), T0, 60)
        later = T0 + timedelta(hours=1)
        with engine.connect() as other, other.begin():  # another purge, halfway
            held = other.execute(
                select(api_tokens.c.token_hash).limit(1).with_for_update()
            ).scalar_one()
            tokens, _failures = purge_stale_sign_ins(impatient, later, 900)
            assert tokens == 2
        with engine.connect() as con:
            left = con.execute(select(api_tokens.c.token_hash)).scalars().all()
        assert left == [held]
    finally:
        impatient.dispose()
        engine.dispose()
