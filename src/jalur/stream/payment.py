"""One payment as the decision path reads it, from canonical JSON or a canonical table row.

The stream and the HTTP endpoint take payments one by one; `Payment` holds the canonical
columns the decision needs (`jalur.model.TRANSACTION_SCHEMA`) with time as epoch seconds and
`value` in the reporting currency, as the batch detectors stage them (`mon_edges`). A record
that lacks an id, a time, an amount or a currency is refused with the field and the reason,
as is one with a control character in its id or an account (`tx load`'s rule and words), and
one whose amount, reporting amount or received amount is beyond `MAX_AMOUNT` (`tx load`'s
bound: a finite 1.7e308 GBP is inf USD, and inf went into the windows and the alerts). A
record without `amount_reporting` is read with `reported` false (its `value` is still the
amount in its own currency): the decider converts it through its rates before any threshold
sees it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from jalur.transactions import (
    IDENTIFIERS,
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_TEXT,
    control_reason,
    country_alpha2,
)
from jalur.transactions.lookups import currency_of
from jalur.transactions.normalize import escape_controls

_TEXT = (
    "orig_account", "orig_bank", "orig_name", "orig_country", "orig_identifier",
    "bene_account", "bene_bank", "bene_name", "bene_country", "bene_identifier",
    "channel", "purpose", "uetr", "orig_ultimate", "bene_ultimate", "intermediary_banks",
)  # fmt: skip


_log = logging.getLogger(__name__)


class MalformedPaymentError(ValueError):
    """A message that is not one usable payment; names the record and the reason."""

    def __init__(self, record: str, reason: str) -> None:
        super().__init__(f"{record}: {reason}")
        self.record = record
        self.reason = reason


#: The fields that make two messages with one key the same payment (`Payment.digest`).
SUBSTANCE = (
    "amount", "currency", "orig_account", "orig_bank", "orig_name", "orig_country",
    "orig_identifier", "bene_account", "bene_bank", "bene_name", "bene_country",
    "bene_identifier", "orig_ultimate", "bene_ultimate",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Payment:
    """The canonical fields of one payment that screening and the typologies read."""

    tx_id: str
    ts: int  # epoch seconds, UTC, floored (as the batch stages payments)
    amount: float
    currency: str
    value: float  # amount in the reporting currency (amount when no rate was applied)
    orig_account: str | None = None
    orig_bank: str | None = None
    orig_name: str | None = None
    orig_country: str | None = None
    orig_identifier: str | None = None
    bene_account: str | None = None
    bene_bank: str | None = None
    bene_name: str | None = None
    bene_country: str | None = None
    bene_identifier: str | None = None
    channel: str | None = None
    purpose: str | None = None
    uetr: str | None = None
    orig_ultimate: str | None = None
    bene_ultimate: str | None = None
    intermediary_banks: str | None = None
    reported: bool = True  # False: `value` is the amount in its own currency, not yet converted

    @property
    def key(self) -> str:
        """What makes a repeated message the same payment: its UETR, else its id."""
        return self.uetr or self.tx_id

    @property
    def digest(self) -> str:
        """What the payment moves and between whom, as a hash: a repeat of the same key (UETR,
        else id) with another digest is not the same payment and gets no earlier answer. The
        banks' own message ids and times are left out: two banks' messages of one payment (one
        UETR) differ there and are still one payment."""
        text = json.dumps([getattr(self, name) for name in SUBSTANCE], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def edge(self) -> bool:
        """A payment between two known, different accounts (what the graph typologies see)."""
        return bool(self.orig_account and self.bene_account) and (
            self.orig_account != self.bene_account
        )

    def as_row(self) -> dict[str, Any]:
        """Every field by name (what the state file keeps)."""
        return {name: getattr(self, name) for name in FIELDS}

    def as_json(self) -> dict[str, Any]:
        """Canonical JSON: the schema's column names, the time as ISO 8601."""
        data = self.as_row()
        ts = data.pop("ts")
        data.pop("value")
        data.pop("reported")
        data["timestamp"] = datetime.fromtimestamp(ts, UTC).isoformat()
        if self.reported:  # else the receiving decider converts it through its own rates
            data["amount_reporting"] = self.value
        return {k: v for k, v in data.items() if v is not None}


#: The payment's fields in order.
FIELDS = tuple(f.name for f in fields(Payment))


def payment_from_row(row: Mapping[str, Any]) -> Payment:
    """A payment from a canonical row or JSON object (extra columns are ignored)."""
    tx_id = _identifier("payment", "tx_id", row.get("tx_id"))
    if not tx_id:
        raise MalformedPaymentError(str(row.get("uetr") or "payment"), "tx_id is missing")
    amount = _number(tx_id, "amount", row.get("amount"))
    currency = _text(tx_id, "currency", row.get("currency"))
    if not currency:
        raise MalformedPaymentError(tx_id, "currency is missing")
    reporting = row.get("amount_reporting")
    value = amount if reporting is None else _number(tx_id, "amount_reporting", reporting)
    if row.get("amount_received") is not None:  # not decided on, but `tx load` checks it too
        _number(tx_id, "amount_received", row["amount_received"])
    texts = {name: _identifier(tx_id, name, row.get(name)) for name in _TEXT}
    for side in ("orig_country", "bene_country"):
        texts[side] = _country(tx_id, side, texts[side])
    return Payment(
        tx_id=tx_id,
        ts=_epoch(tx_id, row.get("timestamp")),
        amount=amount,
        currency=currency_of(currency),
        value=value,
        **texts,
        reported=reporting is not None,
    )


def _country(tx_id: str, field: str, value: str | None) -> str | None:
    """A country as ISO alpha-2 (`IRN`, `Iran`, `Иран` → `IR`), as `tx load` stores it: the
    corridor typology compares alpha-2 codes. One that names no country is kept as written
    (upper-cased) with a warning naming the payment: a secondary field never refuses it."""
    if not value:
        return None
    code = country_alpha2(value)
    if code is None:
        _log.warning(
            "%s: %s %r names no country jalur reads: kept as written, the corridor check "
            "cannot see it", tx_id, field, escape_controls(value),
        )  # fmt: skip
    return code or value.upper()


def payment_from_json(body: bytes | str) -> Payment:
    """A payment from one canonical JSON object."""
    try:
        data = json.loads(body, object_pairs_hook=_once_each)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedPaymentError("message", f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedPaymentError("message", "a payment must be a JSON object")
    return payment_from_row(data)


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose every name is given once. JSON allows a repeat and readers differ
    on which value counts: the stream screened the last `bene_name`, a bank system paying
    the first would pay a listed person on a pass."""
    found: dict[str, Any] = {}
    for name, value in pairs:
        if name in found:
            record = found.get("tx_id") if isinstance(found.get("tx_id"), str) else "message"
            raise MalformedPaymentError(str(record)[:60], f"{name[:60]} is given twice")
        found[name] = value
    return found


def _text(record: str, field: str, value: Any) -> str | None:
    """A text field as text; a number (an account number) as its digits. A JSON object, list
    or true/false is no name or account: refused, not screened as its Python spelling."""
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        raise MalformedPaymentError(record, f"{field} must be text, not {json.dumps(value)[:60]}")
    text = str(value).strip()
    try:  # JSON's "\ud800" reads as a lone surrogate, which nothing after this can encode
        text.encode()
    except UnicodeEncodeError:
        raise MalformedPaymentError(
            record.encode(errors="backslashreplace").decode()[:60],
            f"{field} {ascii(text)[:60]} is not UTF-8 text (a lone surrogate)",
        ) from None
    if len(text) > MAX_TEXT:  # `tx load`'s limit; a key this long is no NATS header either
        raise MalformedPaymentError(
            record[:60], f"{field} longer than {MAX_TEXT:,} characters: {len(text):,}"
        )
    return text or None


def _identifier(record: str, field: str, value: Any) -> str | None:
    """`_text`, and for an identifier (`IDENTIFIERS`) a control character refuses the payment
    as `tx load` quarantines it. The value is judged as sent, before trimming: the loader
    trims spaces only, so `T1\n` or `A\x85` is refused there and here alike."""
    text = _text(record, field, value)
    reason = control_reason(field, str(value)) if field in IDENTIFIERS and text else None
    if reason:
        raise MalformedPaymentError(record, reason)
    return text


#: An amount sent as text: ASCII digits, an optional sign, decimals and exponent (or a word
#: `float` reads, nan or inf, refused below as not finite).
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?[a-zA-Z]+", re.ASCII)


def _number(tx_id: str, field: str, value: Any) -> float:
    """A JSON number, or a text that spells one plainly: `float` also reads `"1_000"` and
    digits of other scripts (`"١٠٠٠"`), which no bank system writes for an amount."""
    if isinstance(value, bool) or value is None:
        raise MalformedPaymentError(tx_id, f"{field} is missing")
    if isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value.strip()):
        raise MalformedPaymentError(tx_id, f"{field} {_quoted(value)} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise MalformedPaymentError(tx_id, f"{field} {_quoted(value)} is not a number") from exc
    except OverflowError:  # a JSON integer past 1e308: float() raises instead of giving inf
        number = math.inf
    if not math.isfinite(number):
        raise MalformedPaymentError(tx_id, f"{field} {_quoted(value)} is not a finite number")
    beyond = beyond_bound(number)
    if beyond:
        raise MalformedPaymentError(tx_id, f"{field} {number:.4g} is {beyond}")
    return number


def beyond_bound(value: float) -> str | None:
    """Why `value` is no amount of one payment (`above 1e+15, …`), or None when it is within
    `MAX_AMOUNT` either way. A negative amount is reviewed, not refused, but -1e308 is no
    more a payment than 1e308 (its sum with another is -inf just the same)."""
    if abs(value) <= MAX_AMOUNT:
        return None
    side = f"above {MAX_AMOUNT_TEXT}" if value > 0 else f"below -{MAX_AMOUNT_TEXT}"
    return f"{side}, the most one payment may move"


def _quoted(value: Any) -> str:
    """The value as the reason quotes it, cut short: a 400-digit amount fills no header."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _epoch(tx_id: str, value: Any) -> int:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise MalformedPaymentError(
                tx_id, f"timestamp {_quoted(value)} is not ISO 8601"
            ) from exc
    elif value is None or (isinstance(value, str) and not value.strip()):
        raise MalformedPaymentError(tx_id, "timestamp is missing")
    else:  # epoch seconds or a structure: there, but not a time this reader takes
        raise MalformedPaymentError(
            tx_id, f"timestamp {_quoted(value)} is not ISO 8601 text (e.g. 2026-03-02T10:00:00Z)"
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:  # year 0001 east of Greenwich is year 0 in UTC: no datetime holds it to write it back
        moment.astimezone(UTC)
    except OverflowError:
        raise MalformedPaymentError(
            tx_id, f"timestamp {_quoted(value)} is outside the years 1 to 9999 in UTC"
        ) from None
    return math.floor(moment.timestamp())
