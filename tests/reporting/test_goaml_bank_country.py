"""A side's country from its bank's BIC where the payment gives none.

goAML needs `from_country` and `to_country` on every side. A payment file without country
columns (a domestic core-banking extract) left both empty, and the report was refused with
"from_country (country) is missing" for every payment, although each side's BIC
(BCONIDJA: ID, EXMPPHMM: PH) states the country of the bank the money left and reached.
A country the payment gives still wins; a bank known by a national code only gives none.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from goaml_cases import complete_case, payment, person
from lxml import etree

from jalur.reporting import ReportInvalidError, Subject, build_report, load_profile

PROFILES = {"ppatk-4.0.2": "LTKMT", "uae-5.0.2": "STR"}


@pytest.mark.parametrize(("profile", "code"), PROFILES.items())
def test_a_side_without_a_country_takes_its_banks(profile: str, code: str) -> None:
    local = load_profile(profile).local_currency
    case = complete_case(profile, code)
    wire = payment("t1", 25_000_000, local, orig_country=None, bene_country=None,
                   bene_account="9988", bene_bank="exmpphmm",
                   bene_name="Unknown Holder")  # fmt: skip
    document = etree.fromstring(build_report(replace(case, payments=(wire,)), profile))
    assert document.findtext("transaction/t_from_my_client/from_country") == "ID"
    assert document.findtext("transaction/t_to/to_country") == "PH"


def test_the_payments_own_country_wins_over_its_banks() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    wire = payment("t1", 25_000_000, "IDR", bene_country="SY")
    document = etree.fromstring(build_report(replace(case, payments=(wire,)), "ppatk-4.0.2"))
    assert document.findtext("transaction/t_to/to_country") == "SY"


def test_a_bank_known_by_a_national_code_gives_no_country() -> None:
    case = complete_case("ppatk-4.0.2", "LTKMT")
    wire = payment("t1", 25_000_000, "IDR", bene_country=None, bene_account="9988",
                   bene_bank="014", bene_name="Unknown Holder")  # fmt: skip
    with pytest.raises(ReportInvalidError) as refused:
        build_report(replace(case, payments=(wire,)), "ppatk-4.0.2")
    assert "payment t1: to_country (country) is missing" in refused.value.problems


def test_a_bic_written_in_lower_case_is_reported_as_iso_9362_writes_it() -> None:
    """A file's "exmpphmm" went out as the account's swift as it was written; the mapping
    says a BIC is reported in upper case, as ISO 9362 writes it and the FIU looks it up."""
    case = complete_case("ppatk-4.0.2", "LTKMT")
    wire = payment("t1", 25_000_000, "IDR", bene_account="9988", bene_bank="exmpphmm",
                   bene_name="Unknown Holder")  # fmt: skip
    document = etree.fromstring(build_report(replace(case, payments=(wire,)), "ppatk-4.0.2"))
    assert document.findtext("transaction/t_to/to_account/swift") == "EXMPPHMM"


def test_a_cash_depositor_without_a_country_is_where_the_bank_took_the_cash() -> None:
    """A deposit slip names the depositor, not a country: the report was refused for
    "from_country (country) is missing". Cash is handed over at the bank holding the other
    side's account (BCONIDJA: Indonesia); a payment's own country still wins."""
    case = complete_case("ppatk-4.0.2", "LTKMT")
    depositor = Subject(entity=person("walk-in-1", "Rahmat Hidayat"))
    cash = payment("t3", 5_000_000, "IDR", channel="cash", orig_account=None, orig_bank=None,
                   orig_name="Rahmat Hidayat", orig_country=None,
                   bene_account="1234567890", bene_bank="BCONIDJA", bene_name="Budi Santoso",
                   bene_country=None)  # fmt: skip
    given = replace(case, subjects=(*case.subjects, depositor), payments=(cash,))
    document = etree.fromstring(build_report(given, "ppatk-4.0.2"))
    assert document.findtext("transaction/t_from/from_country") == "ID"
    said = replace(given, payments=(cash | {"orig_country": "MY"},))
    document = etree.fromstring(build_report(said, "ppatk-4.0.2"))
    assert document.findtext("transaction/t_from/from_country") == "MY"
