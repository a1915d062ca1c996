"""Who reports: the reporting entity's goAML identity, from `jalur.toml`'s `[reporting]` section.

```toml
[reporting]
rentity_id = 1234              # the FIU's number for this bank (goAML rentity_id)
name = "PT Bank Contoh Indonesia Tbk"  # institution_name of the bank's own accounts
branch = "Jakarta Head Office"
profile = "ppatk-4.0.2"

[reporting.person]             # the compliance officer who signs the report
first_name = "Siti"
last_name = "Rahma"
email = "mlro@bank.example"
phone = "+62 21 555 0100"
occupation = "Compliance officer"

[reporting.location]           # where the report is made
address = "Jl. Sudirman 1"
city = "Jakarta"
country = "ID"
```
Every problem in the section is listed at once, so one edit fixes them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from jalur.reporting.errors import SettingsError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
_GENDERS = ("male", "female")


@dataclass(frozen=True)
class Location:
    """A postal address as goAML's `t_address` needs it (street line, city, country)."""

    address: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    state: str | None = None
    zip: str | None = None


@dataclass(frozen=True)
class ReportingPerson:
    """The officer named in the report header (goAML `reporting_person`)."""

    last_name: str
    first_name: str | None = None
    title: str | None = None
    gender: str | None = None  # "male" or "female"
    email: str | None = None
    phone: str | None = None
    occupation: str | None = None
    nationality: str | None = None  # ISO 3166-1 alpha-2
    id_number: str | None = None


@dataclass(frozen=True)
class ReportingSettings:
    """The reporting entity: FIU-assigned id, branch, officer and place, and the FIU profile."""

    rentity_id: int
    person: ReportingPerson
    branch: str | None = None
    location: Location | None = None
    #: the reporting entity's name: the `institution_name` of its own (client) accounts, which
    #: goAML requires and a payment names only by BIC
    name: str | None = None
    profile: str = "ppatk-4.0.2"

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ReportingSettings:
        """Settings from the `[reporting]` table; raises `SettingsError` listing every problem."""
        problems: list[str] = []
        top = _strings(
            section,
            "reporting",
            ("branch", "profile", "name"),
            ("rentity_id", "person", "location"),
            problems,
        )
        rentity_id = _rentity_id(section.get("rentity_id"), problems)
        person = _person(_table(section, "person", problems, required=True), problems)
        location_table = _table(section, "location", problems, required=False)
        location = _location(location_table, problems) if location_table is not None else None
        if problems or person is None or rentity_id is None:
            raise SettingsError(problems)
        return cls(rentity_id=rentity_id, person=person, location=location, **top)


def _rentity_id(value: Any, problems: list[str]) -> int | None:
    if value is None:
        problems.append("rentity_id (the FIU's number for this reporting entity) is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f"rentity_id must be a whole number of at least 1, not {value!r}")
        return None
    return value


def _table(
    section: Mapping[str, Any], name: str, problems: list[str], *, required: bool
) -> Mapping[str, Any] | None:
    value = section.get(name)
    if value is None:
        if required:
            problems.append(f"[reporting.{name}] is missing")
        return None
    if not isinstance(value, Mapping):
        problems.append(f"[reporting.{name}] must be a table")
        return None
    return value


def _person(table: Mapping[str, Any] | None, problems: list[str]) -> ReportingPerson | None:
    if table is None:
        return None
    names = tuple(f.name for f in fields(ReportingPerson))
    values = _strings(table, "reporting.person", names, (), problems)
    _check(values, "email", _EMAIL, "is not an email address", "reporting.person", problems)
    _check(values, "phone", _PHONE, "is not a phone number", "reporting.person", problems)
    _check(
        values,
        "nationality",
        _COUNTRY,
        "is not a two-letter country code",
        "reporting.person",
        problems,
    )
    if values.get("gender") not in (None, *_GENDERS):
        problems.append(f"[reporting.person] gender must be one of {_GENDERS}")
    if "last_name" not in values:
        problems.append("[reporting.person] last_name is missing")
        return None
    return ReportingPerson(**values)


def _location(table: Mapping[str, Any], problems: list[str]) -> Location | None:
    names = tuple(f.name for f in fields(Location))
    values = _strings(table, "reporting.location", names, (), problems)
    _check(
        values,
        "country",
        _COUNTRY,
        "is not a two-letter country code",
        "reporting.location",
        problems,
    )
    missing = [name for name in ("address", "city", "country") if name not in values]
    for name in missing:
        problems.append(f"[reporting.location] {name} is missing")
    return None if missing else Location(**values)


def _strings(
    table: Mapping[str, Any],
    where: str,
    names: tuple[str, ...],
    others: tuple[str, ...],
    problems: list[str],
) -> dict[str, Any]:
    """The text settings of one table; unknown keys (typos) and non-text values are problems."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in others:
            continue
        if key not in names:
            problems.append(f"[{where}] {key!r} is not a setting (known: {', '.join(names)})")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"[{where}] {key} must be non-empty text, not {value!r}")
        else:
            values[key] = value.strip()
    return values


def _check(
    values: dict[str, Any],
    key: str,
    pattern: re.Pattern[str],
    says: str,
    where: str,
    problems: list[str],
) -> None:
    value = values.get(key)
    if value is not None and not pattern.fullmatch(value):
        problems.append(f"[{where}] {key} {value!r} {says}")
