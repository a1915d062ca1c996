"""`[reporting]` in jalur.toml: the reporting entity's identity, every problem named at once."""

from __future__ import annotations

from typing import Any

import pytest

from jalur.reporting import Location, ReportingSettings, SettingsError

PERSON = {"first_name": "Siti", "last_name": "Rahma", "email": "mlro@bank.co.id"}


def refused(section: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(SettingsError) as error:
        ReportingSettings.from_section(section)
    return error.value.problems


def test_a_complete_section_is_read() -> None:
    settings = ReportingSettings.from_section(
        {
            "rentity_id": 4711,
            "branch": " Jakarta ",
            "profile": "uae-5.0.2",
            "person": PERSON | {"phone": "+62 21 555 0100"},
            "location": {"address": "Jl. Sudirman 1", "city": "Jakarta", "country": "ID"},
        }
    )
    assert settings.rentity_id == 4711
    assert settings.branch == "Jakarta"
    assert settings.profile == "uae-5.0.2"
    assert settings.person.phone == "+62 21 555 0100"
    assert settings.location == Location(address="Jl. Sudirman 1", city="Jakarta", country="ID")


def test_a_missing_reporting_entity_id_is_named() -> None:
    assert refused({"person": PERSON}) == (
        "rentity_id (the FIU's number for this reporting entity) is missing",
    )


@pytest.mark.parametrize("value", [0, -3, "4711", True, 4.5])
def test_a_reporting_entity_id_is_a_whole_number_from_one(value: object) -> None:
    assert refused({"rentity_id": value, "person": PERSON}) == (
        f"rentity_id must be a whole number of at least 1, not {value!r}",
    )


def test_every_problem_is_listed() -> None:
    problems = refused(
        {
            "rentity_id": 1,
            "brnach": "typo",
            "person": {"first_name": "Siti", "email": "not-mail", "gender": "x"},
            "location": {"city": "Jakarta", "country": "Indonesia"},
        }
    )
    assert problems == (
        "[reporting] 'brnach' is not a setting (known: branch, profile, name)",
        "[reporting.person] email 'not-mail' is not an email address",
        "[reporting.person] gender must be one of ('male', 'female')",
        "[reporting.person] last_name is missing",
        "[reporting.location] country 'Indonesia' is not a two-letter country code",
        "[reporting.location] address is missing",
    )


def test_the_reporting_person_is_required() -> None:
    assert refused({"rentity_id": 1}) == ("[reporting.person] is missing",)
    assert refused({"rentity_id": 1, "person": "Siti"}) == ("[reporting.person] must be a table",)
