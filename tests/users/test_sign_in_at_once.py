"""Password guesses sent all at once meet the same brake as guesses sent one after another.

The brake counts a name's failed sign-ins; a guess used to be counted only after its password
was checked (a scrypt hash, a tenth of a second), so guesses sent together all found the count
below the limit and were all checked: 8 parallel requests, 8 guesses, whatever the limit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from jalur.canonical import utcnow
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import AccessError, RateLimitedError, User, add_user, sign_in_limited

PW = "correct horse battery"
LIMIT, WINDOW_S = 3, 900


@pytest.fixture
def engine(sql_settings: Settings) -> Iterator[Engine]:
    opened = open_database(sql_settings)
    admin = add_user(opened, None, "root", "admin", PW)
    add_user(opened, admin, "ana", "analyst", PW)
    yield opened
    opened.dispose()


def _guess_at_once(engine: Engine, guesses: list[str]) -> list[User | Exception]:
    barrier = threading.Barrier(len(guesses))
    now = utcnow()
    results: list[User | Exception] = [RuntimeError("not run")] * len(guesses)

    def guess(i: int) -> None:
        barrier.wait()
        try:
            results[i] = sign_in_limited(engine, "ana", guesses[i], now, LIMIT, WINDOW_S)
        except Exception as exc:  # every outcome is looked at
            results[i] = exc

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(len(guesses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_guesses_are_checked_no_more_often_than_the_limit(engine: Engine) -> None:
    results = _guess_at_once(engine, [f"wrong guess number {i}" for i in range(8)])
    checked = [r for r in results if type(r) is AccessError]  # the password was tried
    braked = [r for r in results if isinstance(r, RateLimitedError)]
    assert len(checked) <= LIMIT, results
    assert len(checked) + len(braked) == 8, results
    # the checked guesses count as failures (a braked one does not): the limit's remainder
    # one after another, and then the right password is refused too
    for _ in range(LIMIT - len(checked)):
        with pytest.raises(AccessError, match="wrong password"):
            sign_in_limited(engine, "ana", "one more wrong one", utcnow(), LIMIT, WINDOW_S)
    with pytest.raises(RateLimitedError):
        sign_in_limited(engine, "ana", PW, utcnow(), LIMIT, WINDOW_S)


def test_a_right_password_among_parallel_tries_leaves_no_failure_behind(engine: Engine) -> None:
    """Sign-ins of one person in two tabs at once: both succeed, and neither is counted."""
    results = _guess_at_once(engine, [PW, PW])
    assert all(isinstance(r, User) for r in results), results
    for _ in range(LIMIT):
        assert sign_in_limited(engine, "ana", PW, utcnow(), LIMIT, WINDOW_S).name == "ana"
