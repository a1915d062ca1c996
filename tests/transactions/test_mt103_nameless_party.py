"""An MT103 whose ordering customer (50K/50F) or beneficiary (59/59F) is an account alone,
without the name SWIFT's format requires there, loaded as a payment to or from nobody by
name: no screening saw who it paid. It is quarantined naming the field, as a message
without 50a or 59a is; a party named by its BIC (50A, 59A) is named."""

from __future__ import annotations

import pytest

from jalur.transactions.readers.mt103 import parse_message

HEAD = "{1:F01BANKIDJAAXXX0000000000}{2:I103BANKRUMMXXXXN}{4:\n:20:R1\n:32A:240101IDR1000,\n"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (":50K:/1\nSITI\n:59:/2\n", "field 59 (beneficiary) has no name"),
        (":50K:/1\n:59:/2\nJOKO\n", "field 50K (ordering customer) has no name"),
        (":50F:/1\n2/JL SUDIRMAN\n:59:/2\nJOKO\n", "field 50F (ordering customer) has no name"),
    ],
)
def test_a_party_without_its_name_is_quarantined(fields: str, reason: str) -> None:
    record = parse_message(HEAD + fields + "-}")
    assert str(record.get("_reject", "")).startswith(reason)


def test_a_party_named_by_its_bic_is_named() -> None:
    record = parse_message(HEAD + ":50A:/1\nCOBADEFF\n:59A:/2\nBMRIIDJA\n-}")
    assert "_reject" not in record and record["bene_name"] == "BMRIIDJA"
