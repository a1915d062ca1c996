"""The interface's words in English, Bahasa Indonesia and Russian, and numbers and dates in the
reader's locale (Babel), with each user's choice kept in the transactional store.

Messages are keyed by their English text, so a page stays readable when a translation is
missing. The preference lives in a table of its own (`web_preferences`), created when the UI
is mounted; no capability's table changes.
"""

from __future__ import annotations

import threading
import weakref
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from sqlalchemy import Column, Engine, MetaData, String, Table, insert, select, update

from jalur.canonical import iso, utcnow
from jalur.web.messages import MESSAGES

LOCALES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia", "ru": "Русский"}
DEFAULT_LOCALE = "en"
_BABEL = {"en": "en_GB", "id": "id_ID", "ru": "ru_RU"}

_metadata = MetaData()
preferences = Table(
    "web_preferences",
    _metadata,
    Column("user_name", String(64), primary_key=True),
    Column("locale", String(8), nullable=False),
    Column("updated_at", String(40), nullable=False),
)


_ready: weakref.WeakSet[Engine] = weakref.WeakSet()
_ready_lock = threading.Lock()


def ensure_preferences(engine: Engine) -> None:
    """The preferences table, made when missing (SQLite or PostgreSQL alike), once per engine."""
    with _ready_lock:
        if engine not in _ready:
            _metadata.create_all(engine, checkfirst=True)
            _ready.add(engine)


def locale_of(engine: Engine, user: str) -> str:
    ensure_preferences(engine)
    with engine.connect() as con:
        found = con.execute(
            select(preferences.c.locale).where(preferences.c.user_name == user)
        ).scalar()
    return found if found in LOCALES else DEFAULT_LOCALE


def set_locale(engine: Engine, user: str, locale: str) -> None:
    """Keep a user's language; an unknown code is a ValueError naming the known ones."""
    if locale not in LOCALES:
        raise ValueError(f"unknown language {locale!r} (known: {', '.join(LOCALES)})")
    ensure_preferences(engine)
    now = iso(utcnow())
    with engine.begin() as con:
        done = con.execute(
            update(preferences)
            .where(preferences.c.user_name == user)
            .values(locale=locale, updated_at=now)
        )
        if not done.rowcount:
            con.execute(insert(preferences).values(user_name=user, locale=locale, updated_at=now))


class Words:
    """What the templates call: `t` for text, `money`, `number`, `when` for values."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE
        self.babel = _BABEL[self.locale]
        self._table = MESSAGES.get(self.locale, {})

    def t(self, text: str, **values: Any) -> str:
        chosen = self._table.get(text, text)
        return chosen.format(**values) if values else chosen

    def number(self, value: Any, digits: int = 2) -> str:
        amount = _decimal(value)
        if amount is None:
            return "" if value is None else str(value)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(amount, format=pattern, locale=self.babel)

    def money(self, value: Any, currency: str | None) -> str:
        amount = _decimal(value)
        if amount is None:
            return "" if value is None else str(value)
        if not currency or len(currency) != 3:
            return self.number(amount)
        return format_currency(amount, currency.upper(), locale=self.babel)

    def when(self, value: Any) -> str:
        """A date and time (ISO text, datetime or epoch seconds) in the reader's locale, UTC."""
        found = _datetime(value)
        if found is None:
            return "" if value is None else str(value)
        return format_datetime(found, "medium", tzinfo=UTC, locale=self.babel) + " UTC"


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        try:
            found = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None
