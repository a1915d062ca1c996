"""What `tx load` quarantines (a negative amount, an unknown currency) the stream used to decide
as an ordinary payment and count in its windows (a negative deposit lowers a cash funnel's sum).
It is still screened, but sent for review with the reason and kept out of the windows, as a
payment dated far ahead is; a JSON object or list where a name or account goes is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from small_lists import LISTED_PERSON, payment, small_decider

from jalur.stream import payment_from_row
from jalur.stream.payment import MalformedPaymentError, payment_from_json
from jalur.transactions import MAX_TEXT


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": -5000}, "amount:negative"),
        ({"amount_reporting": -5000}, "amount:negative"),
        ({"currency": "[bold]x"}, "currency:unknown"),
        ({"currency": "ZZZ"}, "currency:unknown"),
        ({"amount": 100.123}, "amount:decimals"),
        ({"amount": 5.5, "currency": "JPY"}, "amount:decimals"),
    ],
)
def test_an_implausible_amount_or_currency_is_reviewed_and_kept_out_of_the_windows(
    tmp_path: Path, change: dict[str, object], code: str
) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    odd = decider.decide_one(payment_from_row(payment("ODD", **change))).decision
    assert odd["decision"] == "review"
    assert [r["code"] for r in odd["reasons"]] == [code]
    assert len(decider.index) == 0
    listed = payment("LISTED", bene_name=LISTED_PERSON, **change)
    held = decider.decide_one(payment_from_row(listed)).decision
    assert held["decision"] == "hold"  # still screened
    assert code in [r["code"] for r in held["reasons"]]
    ordinary = decider.decide_one(payment_from_row(payment("OK", currency="usd"))).decision
    assert ordinary["reasons"] == []
    assert len(decider.index) == 1
    decider.close()


@pytest.mark.parametrize("value", [{"a": [1]}, ["x"], True])
def test_a_structure_where_a_text_goes_is_refused_naming_the_field(value: object) -> None:
    body = json.dumps(payment("TX-S", bene_name=value))
    with pytest.raises(MalformedPaymentError, match="bene_name must be text"):
        payment_from_json(body)


@pytest.mark.parametrize(
    ("timestamp", "code"),
    [
        ("0001-01-01T00:00:00Z", "timestamp:past"),
        ("1899-12-31T23:59:59Z", "timestamp:past"),
        ("9999-12-31T00:00:00Z", "timestamp:future"),
    ],
)
def test_an_absurd_date_is_reviewed_and_kept_out_of_the_windows(
    tmp_path: Path, timestamp: str, code: str
) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    odd = decider.decide_one(payment_from_row(payment("OLD", timestamp=timestamp))).decision
    assert odd["decision"] == "review"
    assert [r["code"] for r in odd["reasons"]] == [code]
    assert len(decider.index) == 0
    ordinary = decider.decide_one(payment_from_row(payment("OK"))).decision
    assert ordinary["reasons"] == []
    decider.close()


def test_a_payment_without_a_reporting_amount_is_converted_through_the_rates(
    tmp_path: Path,
) -> None:
    """10,000,000 IDR is about 617 USD (bundled rates): the windows must hold 617, not 10
    million in the reporting currency (a structuring or corridor threshold of 10,000 USD
    would see an ordinary rupiah payment as a large one)."""
    decider = small_decider(tmp_path / "state.sqlite")
    decided = decider.decide_one(
        payment_from_row(payment("IDR-1", amount=10_000_000, currency="IDR"))
    ).decision
    assert decided["reasons"] == []
    [held] = decider.index.payments()
    assert held.value == pytest.approx(617.0)
    given = decider.decide_one(
        payment_from_row(payment("IDR-2", amount=10_000_000, currency="IDR", amount_reporting=5))
    ).decision
    assert given["reasons"] == []
    assert sorted(p.value for p in decider.index.payments()) == [5, pytest.approx(617.0)]
    decider.close()
    reopened = small_decider(tmp_path / "state.sqlite")  # replayed with the converted value
    assert sorted(p.value for p in reopened.index.payments()) == [5, pytest.approx(617.0)]
    reopened.close()


def test_a_payment_that_cannot_be_converted_is_reviewed_as_unconverted(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    odd = decider.decide_one(
        payment_from_row(payment("AMD-1", amount=1_000_000, currency="AMD"))
    ).decision
    assert odd["decision"] == "review"
    [reason] = odd["reasons"]
    assert reason["code"] == "amount:unconverted"
    assert "AMD" in reason["detail"]
    assert len(decider.index) == 0
    decider.close()


@pytest.mark.parametrize(
    ("side", "channel"),
    [("bene", "wire"), ("orig", "wire"), ("bene", None)],
)
def test_a_payment_with_no_party_on_one_side_is_reviewed(
    tmp_path: Path, side: str, channel: str | None
) -> None:
    """A credit transfer that names neither a creditor nor its account cannot be screened on
    that side: it used to pass without a finding (a payment to nobody jalur could check)."""
    decider = small_decider(tmp_path / "state.sqlite")
    blank = {f"{side}_account": None, f"{side}_name": None, f"{side}_country": None}
    odd = decider.decide_one(payment_from_row(payment("NOBODY", channel=channel, **blank)))
    assert odd.decision["decision"] == "review"
    [reason] = odd.decision["reasons"]
    assert reason["code"] == "party:missing"
    assert ("creditor" if side == "bene" else "debtor") in reason["detail"]
    decider.close()


def test_a_cash_deposit_names_no_payer_and_is_not_reviewed_for_it(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    cash = payment("CASH", channel="cash", orig_account=None, orig_name=None, orig_country=None)
    assert decider.decide_one(payment_from_row(cash)).decision["reasons"] == []
    decider.close()


@pytest.mark.parametrize("field", ["amount", "amount_reporting"])
def test_an_integer_amount_too_large_for_a_float_is_refused_naming_the_payment(field: str) -> None:
    """JSON allows an integer of any length; `float()` of one past 1e308 raises OverflowError,
    which ended the consumer in a traceback (and again at every restart: the message was never
    acknowledged) instead of sending it to the dead letters."""
    body = json.dumps(payment("TX-HUGE", **{field: 10**400}))
    with pytest.raises(MalformedPaymentError, match=f"TX-HUGE: {field} .* is not a finite number"):
        payment_from_json(body)


@pytest.mark.parametrize("timestamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_outside_the_calendar_in_utc_is_refused_naming_the_payment(timestamp: str) -> None:
    """Year 0001 east of Greenwich is year 0 in UTC (9999 west of it, year 10000): no datetime
    can hold it, and the decider's `timestamp:past` / `:future` text ended the consumer in a
    `ValueError: year 0 is out of range` traceback, at every restart again."""
    body = json.dumps(payment("TX-CAL", timestamp=timestamp))
    with pytest.raises(MalformedPaymentError, match=r"TX-CAL: timestamp .* outside"):
        payment_from_json(body)


@pytest.mark.parametrize("field", ["tx_id", "uetr", "bene_name"])
def test_a_text_longer_than_tx_load_takes_is_refused_naming_the_field(field: str) -> None:
    """A 100,000-character tx_id was decided, and its decision's `Nats-Msg-Id` header passed
    the broker's 64 KB limit: the broker refused the publish, the batch was never acknowledged
    and came back after every `ack_wait`, and after every restart, with all 25 payments of it.
    The stream now refuses text past `tx load`'s own limit (MAX_TEXT) as `tx load` does."""
    body = json.dumps({**payment("TX-LONG"), field: "X" * (MAX_TEXT + 1)})
    with pytest.raises(MalformedPaymentError, match=f"{field} longer than 4,000 characters"):
        payment_from_json(body)
    payment_from_json(json.dumps({**payment("TX-LONG"), field: "X" * MAX_TEXT}))


def test_a_timestamp_that_is_a_number_is_refused_as_such_not_as_missing() -> None:
    """Epoch seconds where ISO 8601 goes were dead-lettered as `timestamp is missing`: the
    operator looking at the message sees a timestamp and is told there is none."""
    body = json.dumps(payment("TX-EPOCH", timestamp=1772445600))
    with pytest.raises(MalformedPaymentError, match="TX-EPOCH: timestamp 1772445600 is not"):
        payment_from_json(body)


@pytest.mark.parametrize("field", ["tx_id", "uetr", "orig_name", "bene_account", "currency"])
def test_a_lone_surrogate_escape_is_refused_naming_the_field(field: str) -> None:
    """`"\\ud800"` is valid JSON and Python reads it as a lone surrogate, which no UTF-8 can
    write: the payment's digest (and every text sent on) raised UnicodeEncodeError and ended
    `stream run` in a traceback, at every restart again."""
    body = json.dumps({**payment("TX-SUR"), field: "A\ud800B"})
    with pytest.raises(MalformedPaymentError, match=rf"{field} .*\\ud800.* is not UTF-8 text"):
        payment_from_json(body)


def test_a_long_timestamp_that_is_not_a_time_is_quoted_cut_short() -> None:
    """A 100,000-character timestamp was quoted whole in the reason: one 100 KB line in the
    consumer's log per such message (and a 100 KB 422 over HTTP). It is cut as amounts are."""
    body = json.dumps(payment("TX-LONGTIME", timestamp="9" * 100_000))
    with pytest.raises(MalformedPaymentError, match="TX-LONGTIME: timestamp '999") as refused:
        payment_from_json(body)
    assert len(str(refused.value)) < 200


def test_a_field_given_twice_is_refused_naming_it() -> None:
    """`{"bene_name": "Abu Bakar Baasyir", …, "bene_name": "Budi Santoso"}`: JSON allows the
    repeat, and readers disagree on which one counts. The stream screened the last; a bank
    system that pays the first sent money to a listed person on a pass. Such a message is no
    payment: refused, naming the field."""
    body = json.dumps(payment("TX-TWICE"))[:-1] + ', "bene_name": "Budi Santoso"}'
    body = body.replace('"bene_name": "Budi Santoso"', f'"bene_name": "{LISTED_PERSON}"', 1)
    with pytest.raises(MalformedPaymentError, match="bene_name is given twice"):
        payment_from_json(body)
