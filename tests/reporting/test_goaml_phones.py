"""Phones and addresses as the FIU reads them: a landline is not a mobile, an office not a home.

Every number went out as a mobile (PPATK `MOB`) from a private line (`R`, rumah), the reporting
bank's own switchboard and a company's office line included. The numbering plan tells a mobile
from a landline (Indonesian `+62 812…` is a mobile, `+62 21…` a Jakarta landline); where it
cannot tell (a US number is either), the profile's documented default goes out: PPATK's schema
has no "unknown" (MOB, its most common line), UAE's has `-`. An organisation's phone and address
are business ones, a person's private. The country code goes to `tph_country_prefix`, as the
FIUs' own sample reports write it (971 / 44441234), not run into the number.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from goaml_cases import charity, client, complete_case
from lxml import etree

from jalur.model import make_entity
from jalur.reporting import Subject, build_report, load_profile

XSDS = {
    "ppatk-4.0.2": "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd",
    "uae-5.0.2": "goaml/goAMLSchema_UAE_5.0.2_strict-validator-patch_by_Vyttah.xsd",
}
#: (mobile, landline, unknown line; private, business) in each FIU's codes
CODES = {
    "ppatk-4.0.2": ("MOB", "PSTN", "MOB", "R", "K"),
    "uae-5.0.2": ("M", "L", "-", "PRIVT", "BU"),
}


def _report(profile: str, subjects: tuple[Subject, ...], shared_data: Path) -> etree._Element:
    # an activity report: every subject of the case is a party of it
    case = complete_case(profile, "LAPT" if profile == "ppatk-4.0.2" else "SAR")
    document = etree.fromstring(build_report(replace(case, subjects=subjects), profile))
    schema = etree.XMLSchema(etree.parse(str(shared_data / XSDS[profile])))
    assert schema.validate(document), schema.error_log
    return document


def _phones(document: etree._Element) -> dict[str, tuple[str | None, str | None]]:
    """Each phone by its country prefix and number, with its contact and line codes."""
    return {
        f"+{p.findtext('tph_country_prefix')} {p.findtext('tph_number')}": (
            p.findtext("tph_contact_type"),
            p.findtext("tph_communication_type"),
        )
        for p in document.iter("phone")
    }


@pytest.mark.parametrize("profile", sorted(XSDS))
def test_each_phone_is_coded_by_its_line_and_its_holder(profile: str, shared_data: Path) -> None:
    mobile, landline, unknown, private, business = CODES[profile]
    customer = client()
    customer.entity.add("phone", "+1 212 555 0143")  # New York: mobile or landline
    office = make_entity("Address", "addr-org")
    office.add("street", "Jl. Kramat Raya 5")
    office.add("city", "Jakarta")
    office.add("state", "DKI Jakarta")
    office.add("country", "id")
    charity_ = replace(charity(), addresses=(office,))
    charity_.entity.add("phone", "+62 21 3190 1234")  # the charity's Jakarta office
    subjects = (customer, *complete_case(profile, "STR").subjects[1:2], charity_)
    document = _report(profile, subjects, shared_data)
    phones = _phones(document)
    assert phones["+62 81234567890"] == (private, mobile)  # the client's +62 812 mobile
    assert phones["+1 2125550143"] == (private, unknown)
    assert phones["+62 2131901234"] == (business, landline)
    assert phones["+62 215550100"] == (business, landline)  # the bank's own switchboard
    kinds = {a.findtext("address"): a.findtext("address_type") for a in document.iter("address")}
    assert kinds["Jl. Merdeka 10"] == private  # the client's home
    assert kinds["Jl. Kramat Raya 5"] == business  # the charity's office


def test_the_profiles_say_their_default_line() -> None:
    """A number whose line cannot be told gets the profile's `default`, never a missing code."""
    for profile, codes in CODES.items():
        table = load_profile(profile).codes["communication_type"]
        assert table["default"] == codes[2]
