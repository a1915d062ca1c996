"""A payment side the payment does not name at all: cash paid in by someone unnamed.

goAML's transaction needs an account, person or entity on each side; a payment that names no
one there (no account, no name, no identifier: a cash deposit, a party known by its bank only)
is refused saying so, not as "'' has no account", which names a party that is not there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from goaml_cases import complete_case, payment

from jalur.reporting import ReportInput, ReportInvalidError, build_report


def _problems(**side: Any) -> tuple[str, ...]:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    cash = payment("t9", 5_000_000, "IDR", channel="cash", **side)
    with pytest.raises(ReportInvalidError) as refused:
        build_report(_with(case, cash), "ppatk-4.0.2")
    return refused.value.problems


def _with(case: ReportInput, row: dict[str, Any]) -> ReportInput:
    return replace(case, payments=(*case.payments, row))


def test_a_cash_deposit_by_someone_unnamed_is_told_as_such() -> None:
    found = _problems(orig_account=None, orig_bank=None, orig_name=None, orig_country=None)
    assert found == (
        "payment t9: from: the payment names no originator (no account, name or "
        "identifier); goAML's transaction needs one on each side",
    )


def test_a_party_known_by_its_bank_only_is_told_with_the_bank() -> None:
    found = _problems(orig_account=None, orig_bank="BRINIDJA", orig_name=" ")
    assert found == (
        "payment t9: from: the payment names no originator (no account, name or "
        "identifier; only its bank 'BRINIDJA'); goAML's transaction needs one on each side",
    )


def test_dozens_of_unnamed_cash_deposits_are_one_problem() -> None:
    """A cash funnel's case: 59 deposits by no one named, one line naming the first five."""
    case = complete_case("ppatk-4.0.2", "LTKMT")
    unnamed = {"orig_account": None, "orig_bank": None, "orig_name": None, "channel": "cash"}
    rows = tuple(payment(f"c{i}", 1_000_000, "IDR", **unnamed) for i in range(59))
    with pytest.raises(ReportInvalidError) as refused:
        build_report(replace(case, payments=rows), "ppatk-4.0.2")
    assert refused.value.problems == (
        "from: the payment names no originator (no account, name or identifier); goAML's "
        "transaction needs one on each side (in payment c0, payment c1, payment c2, payment c3, "
        "payment c4 and 54 more)",
    )
