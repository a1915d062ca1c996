"""The web UI's session check reads through the readers' SQL engine, as the API's token check
does: a page never queues behind a writer (a load, a monitoring run) for the check."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import add_user, issue_token
from jalur.web.session import SESSION_COOKIE, session_user


class _Writers:
    """A writers' engine that must not be asked."""

    def connect(self) -> Any:
        raise AssertionError("the session check went through the writers' engine")

    begin = connect


def test_the_session_check_reads_through_the_readers_engine(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    settings = Settings.resolve(home)
    engine = open_database(settings)
    try:
        user = add_user(engine, None, "admin", "admin", "a long enough passphrase 1")
        secret = issue_token(engine, user, utcnow(), 600).secret
        service = SimpleNamespace(
            engine=_Writers(), reader=engine, settings=SimpleNamespace(clock=utcnow)
        )
        request = SimpleNamespace(
            cookies={SESSION_COOKIE: secret},
            app=SimpleNamespace(state=SimpleNamespace(service=service)),
        )
        assert session_user(request).name == "admin"  # type: ignore[arg-type]
    finally:
        engine.dispose()
