"""Cash in or out: which way the cash went is told by the side that has the account.

With no side the bank's client (no `--client-bank`, as the demo reports), a withdrawal (an
account pays out to someone who takes cash) was reported as PPATK's `SETOR`, a cash deposit.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from goaml_cases import complete_case, payment
from lxml import etree

from jalur.reporting import ReportInput, build_report, load_profile

PPATK_XSD = "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd"


def _no_client(case: ReportInput) -> ReportInput:
    subjects = tuple(replace(s, is_client=False) for s in case.subjects)
    accounts = tuple(replace(a, is_client=False) for a in case.accounts)
    return replace(case, subjects=subjects, accounts=accounts)


@pytest.mark.parametrize(
    ("side", "code"),
    [
        # the listed man's account pays out; the client's subject (a NIK) takes the cash
        (
            {
                "orig_account": "PH0099887766",
                "bene_account": None,
                "bene_identifier": None,
                "bene_name": "Budi Santoso",
            },
            "TARIK",
        ),
        # the client (by NIK, no account) pays cash into the listed man's account
        ({"orig_account": None, "orig_identifier": "3201011505800001"}, "SETOR"),
    ],
)
def test_cash_is_told_by_the_side_with_the_account(
    side: dict[str, Any], code: str, shared_data: Path
) -> None:
    case = _no_client(complete_case("ppatk-4.0.2", "LTKMT"))
    cash = payment("c1", 5_000_000, "IDR", channel="cash", **side)
    data = build_report(replace(case, payments=(cash,)), load_profile("ppatk-4.0.2"))
    document = etree.fromstring(data)
    schema = etree.XMLSchema(etree.parse(str(shared_data / PPATK_XSD)))
    assert schema.validate(document), schema.error_log
    assert document.findtext("transaction/transmode_code") == code
