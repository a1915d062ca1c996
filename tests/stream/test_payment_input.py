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


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": -5000}, "amount:negative"),
        ({"amount_reporting": -5000}, "amount:negative"),
        ({"currency": "[bold]x"}, "currency:unknown"),
        ({"currency": "ZZZ"}, "currency:unknown"),
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
