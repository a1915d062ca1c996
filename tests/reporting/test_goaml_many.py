"""A case with thousands of payments: one missing exchange rate is one problem, not thousands.

The refusal is read by the reporting officer and kept in the audit trail; a rate missing for
a currency is one fix (`--rate TRY=…`), so it is one line naming the first payments and the
count, as a problem of an account that many payments carry is.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from goaml_cases import complete_case, payment

from jalur.reporting import ReportInvalidError, build_report


def test_a_currency_without_a_rate_is_one_problem_however_many_payments() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    rows = [payment(f"p{i}", 100 + i, ("TRY", "USD", "EUR")[i % 3]) for i in range(3000)]
    with pytest.raises(ReportInvalidError) as refused:
        build_report(replace(case, payments=tuple(rows)), "ppatk-4.0.2")
    assert refused.value.problems == (
        "amount is in TRY; no exchange rate to IDR given "
        "(in payment p0, payment p3, payment p6, payment p9, payment p12 and 995 more)",
        "amount is in EUR; no exchange rate to IDR given "
        "(in payment p2, payment p5, payment p8, payment p11, payment p14 and 995 more)",
    )


def test_one_payment_without_a_rate_is_named_first() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    rows = (*case.payments, payment("p1", 10, "TRY"))
    with pytest.raises(ReportInvalidError) as refused:
        build_report(
            replace(case, payments=rows, exchange_rates={"USD": Decimal(1)}), "ppatk-4.0.2"
        )
    assert refused.value.problems == (
        "payment p1: amount is in TRY; no exchange rate to IDR given",
    )


def test_a_case_without_payments_is_told_which_codes_take_it() -> None:
    """An approved case with no payments (opened on an account, its payments never added)."""
    case = replace(complete_case("ppatk-4.0.2", "LTKM"), payments=())
    with pytest.raises(ReportInvalidError) as refused:
        build_report(case, "ppatk-4.0.2")
    assert refused.value.problems == (
        "a LTKM report needs at least one payment: add the case's payments, or report its "
        "subjects with an activity code (LAPT)",
    )
