"""A control character in a payment's identifiers is refused by the stream as `tx load`
quarantines it. The stream's own input (JSON on the HTTP endpoint or the broker, a canonical
row) took `T\\x1b[2J` (ESC clears an analyst's terminal) or a bidi override in an account as
it came; the loader already refused them. Both now apply one rule, with the same reason."""

from __future__ import annotations

import json

import pytest
from small_lists import payment

from jalur.stream import MalformedPaymentError, payment_from_json, payment_from_row

#: field, value → the reason, in the loader's words (tests/transactions/test_control_characters)
HOSTILE = [
    ("tx_id", "T\x1b[2J", "control character in tx_id: T\\x1b[2J"),
    ("tx_id", "T5\u2066", "control character in tx_id: T5\\u2066"),
    ("orig_account", "A\x85", "control character in orig_account: A\\x85"),
    ("orig_account", "A\x00\x7f", "control character in orig_account: A\\x00\\x7f"),
    ("bene_account", "\u202etxt.exe", "control character in bene_account: \\u202etxt.exe"),
]


@pytest.mark.parametrize(("field", "value", "reason"), HOSTILE)
def test_a_control_character_in_an_identifier_is_refused_with_the_loaders_reason(
    field: str, value: str, reason: str
) -> None:
    record = {**payment("TX-C"), field: value}
    with pytest.raises(MalformedPaymentError) as raised:
        payment_from_row(record)
    assert raised.value.reason == reason
    assert "\x1b" not in str(raised.value) and "\u202e" not in str(raised.value)
    with pytest.raises(MalformedPaymentError) as from_json:
        payment_from_json(json.dumps(record))
    assert from_json.value.reason == reason


def test_accents_and_names_are_not_controls() -> None:
    record = payment("T\u00e9", orig_account="A\u00e9", bene_account="B2\u00f1")
    assert payment_from_row(record).orig_account == "A\u00e9"
    # names and free text are not judged (as in the loader)
    assert payment_from_row(payment("TX-N", orig_name="Siti\tR")).orig_name == "Siti\tR"
