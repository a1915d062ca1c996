"""An amount sent as text is read only as a plain decimal number, as `tx load` reads one.

Python's `float()` reads `"1_000"` as 1000 and `"١٠٠٠"` (Arabic-Indic digits) as 1000: a
broken or hostile message was decided on an amount no bank system wrote. It is refused naming
the payment, the field and the text (the consumer sends it to the dead letters with that
reason); plain texts, with a sign, decimals or an exponent, read as before.
"""

from __future__ import annotations

import json

import pytest
from small_lists import payment

from jalur.stream.payment import MalformedPaymentError, payment_from_json


@pytest.mark.parametrize("field", ["amount", "amount_reporting", "amount_received"])
@pytest.mark.parametrize("text", ["1_000", "1_000.5", "١٠٠٠", "１０００", "1e1_0"])
def test_an_amount_text_python_reads_but_no_bank_writes_is_refused(field: str, text: str) -> None:
    body = json.dumps(payment("TX-ODD", **{field: text}))
    with pytest.raises(MalformedPaymentError, match=f"TX-ODD: {field} .* is not a number"):
        payment_from_json(body)


@pytest.mark.parametrize(
    ("text", "value"), [("1000", 1000.0), (" 12.50 ", 12.5), ("-5", -5.0), ("1e3", 1000.0)]
)
def test_a_plain_amount_text_reads_as_its_number(text: str, value: float) -> None:
    assert payment_from_json(json.dumps(payment("TX-TEXT", amount=text))).amount == value
