"""Small report cases, built inline: a bank's client who sends money to a listed man abroad.

`complete_case` holds everything both shipped profiles ask for, so each test removes or spoils
exactly the one thing it is about.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from followthemoney.proxy import EntityProxy

from jalur.model import make_entity
from jalur.reporting import Account, ReportingSettings, ReportInput, Subject, load_profile

NIK = "3201011505800001"  # 16 digits, as a NIK is
NPWP = "012345678901000"  # 15 digits, as an NPWP is

#: Report codes of each shipped profile, and the red-flag codes a case gives for each FIU.
INDICATORS = {"ppatk-4.0.2": (), "uae-5.0.2": ("TFFTH",)}


def reporter() -> ReportingSettings:
    return ReportingSettings.from_section(
        {
            "rentity_id": 4711,
            "branch": "Jakarta Head Office",
            "person": {
                "first_name": "Siti",
                "last_name": "Rahma",
                "email": "mlro@bank.co.id",
                "phone": "+62 21 555 0100",
                "occupation": "Compliance officer",
            },
            "location": {
                "address": "Jl. Sudirman 1",
                "city": "Jakarta",
                "country": "ID",
                "state": "DKI Jakarta",
            },
        }
    )


def person(entity_id: str, name: str, **props: Any) -> EntityProxy:
    entity = make_entity("Person", entity_id)
    entity.add("name", name)
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


def client() -> Subject:
    """The bank's customer, with the full file a bank keeps on its own client."""
    entity = person(
        "client-1",
        "Budi Santoso",
        firstName="Budi",
        lastName="Santoso",
        gender="male",
        birthDate="1980-05-15",
        birthPlace="Bandung",
        nationality="id",
        country="id",
        idNumber=NIK,
        taxNumber=NPWP,
        phone="+62 812 3456 7890",
        email="budi@example.com",
        position="Trader",
    )
    address = make_entity("Address", "addr-1")
    address.add("street", "Jl. Merdeka 10")
    address.add("city", "Bandung")
    address.add("state", "Jawa Barat")
    address.add("country", "id")
    card = make_entity("Identification", "id-1")
    card.add("number", NIK)
    card.add("type", "national_id")
    card.add("country", "id")
    card.add("startDate", "2015-01-01")
    card.add("endDate", "2030-01-01")
    return Subject(
        entity=card_holder(entity, card),
        is_client=True,
        reason="Sends funds to a listed person",
        addresses=(address,),
        documents=(card,),
        source_of_wealth="Textile trade",
    )


def card_holder(entity: EntityProxy, card: EntityProxy) -> EntityProxy:
    card.add("holder", entity.id)
    return entity


def listed() -> Subject:
    """A UN-listed man abroad: two names, a year of birth only, no customer file."""
    entity = person(
        "listed-1",
        "Abu Rusdan",
        alias="Thoriquddin",
        birthDate="1960",
        nationality="ph",
        idNumber="PH-778899",
    )
    return Subject(entity=entity, reason="UN-listed; receives the client's transfers")


def charity() -> Subject:
    entity = make_entity("Organization", "org-1")
    entity.add("name", "Yayasan Amal Contoh")
    entity.add("country", "id")
    return Subject(entity=entity, reason="Collects donations passed on to the listed man")


def client_account() -> Account:
    return Account(
        number="1234567890",
        institution_name="Bank Contoh Indonesia",
        bic="BCONIDJA",
        branch="Bandung",
        currency="IDR",
        holders=("client-1",),
        is_client=True,
        client_number="C-001",
        opened=date(2019, 3, 1),
        status="active",
        beneficiary="Budi Santoso",
    )


def foreign_account() -> Account:
    return Account(
        number="PH0099887766",
        institution_name="Example Bank Manila",
        bic="EXMPPHMM",
        currency="PHP",
        holders=("listed-1",),
    )


def payment(tx_id: str, amount: float, currency: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "tx_id": tx_id,
        "timestamp": datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
        "orig_account": "1234567890",
        "orig_bank": "BCONIDJA",
        "orig_name": "Budi Santoso",
        "orig_country": "ID",
        "bene_account": "PH0099887766",
        "bene_bank": "EXMPPHMM",
        "bene_name": "Abu Rusdan",
        "bene_country": "PH",
        "amount": amount,
        "currency": currency,
        "channel": "wire",
        "purpose": "Family support",
        "uetr": "eb6305c9-1f7f-49de-aed0-16487c27b42d",
    }
    row.update(extra)
    return row


def complete_case(profile_name: str, report_code: str) -> ReportInput:
    """A case with everything the profile asks for, for a transaction or an activity code."""
    local = load_profile(profile_name).local_currency
    payments = (
        payment("t1", 25_000_000, local),
        payment("t2", 1500.5, "USD"),
        payment("t3", 5_000_000, local, orig_account=None, orig_identifier=NIK, channel="cash"),
    )
    return ReportInput(
        report_code=report_code,
        entity_reference="case-42",
        reason="Client funds a UN-listed person abroad",
        action="Relationship under review; transfers held",
        reporter=reporter(),
        submission_date=datetime(2026, 3, 5, 9, 0),
        subjects=(client(), listed(), charity()),
        accounts=(client_account(), foreign_account()),
        payments=payments,
        indicators=INDICATORS[profile_name],
        exchange_rates={"USD": Decimal("16250.5")},
    )


def without_payments(case: ReportInput) -> ReportInput:
    return replace(case, payments=())
