"""The bank's own file on its client accounts, for the goAML report (`report goaml --accounts`).

goAML asks the full customer file of the reporting bank's own accounts (branch, opening date,
client number, status, and the holder as a person or an organisation with birth date,
nationality, address, occupation…). Payments carry none of it, and the workspace holds no
customer register, so the reporting officer supplies it: a CSV extract of the core banking
system, one row per account. Nothing here is made up: a value the file does not give stays
missing and the report names it; a value the file gives wrongly is refused with its row and
column before anything is built.

Columns (only `account` is required; every other column is optional, unknown ones refused):

- account fields: `branch`, `opened`, `closed` (YYYY-MM-DD), `currency`, `client_number`,
  `status`, `iban`, `beneficiary`;
- `holder_schema`: `Person`, `Company` or `Organization` (what the holder is);
- `holder.PROPERTY`: any FtM property of that schema (`holder.birthDate`, `holder.nationality`,
  `holder.idNumber`, `holder.phone`, `holder.position`, `holder.sector`…), several values
  separated by `;`;
- `address.street`, `address.city`, `address.postalCode`, `address.region`, `address.country`:
  the holder's structured address (goAML's `t_address` needs a city);
- `source_of_wealth`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney import model as ftm_model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from jalur.cases.service import CaseError
from jalur.model import make_entity

ACCOUNT_COLUMNS = ("branch", "opened", "closed", "currency", "client_number", "status", "iban",
                   "beneficiary")  # fmt: skip
HOLDER_SCHEMATA = ("Person", "Company", "Organization")
ADDRESS_COLUMNS = ("street", "city", "postalCode", "region", "country")
_DATES = ("opened", "closed")


@dataclass(frozen=True)
class ClientAccount:
    """One account of the bank's file: its account fields and, where given, its holder."""

    number: str
    fields: Mapping[str, str | date] = field(default_factory=dict)
    holder_schema: str | None = None
    holder: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # FtM property → values
    address: EntityProxy | None = None
    source_of_wealth: str | None = None


def read_client_file(path: Path) -> dict[str, ClientAccount]:
    """The file's accounts by number; CaseError listing every bad row and column at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
            handle.seek(0)
            # a spreadsheet saved in an Indonesian or European locale separates with ";"
            delimiter = ";" if header.count(";") > header.count(",") else ","
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CaseError(f"{path}: the client account file cannot be read ({exc})") from exc
    _check_columns(path, columns)
    found: dict[str, ClientAccount] = {}
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        number = (row.get("account") or "").strip()
        where = f"{path.name} line {line}" + (f" (account {number!r})" if number else "")
        if not number:
            problems.append(f"{where}: account is empty")
            continue
        if number in found:
            problems.append(f"{where}: the account is in the file twice")
            continue
        said: list[str] = []
        found[number] = _account(row, number, said)
        problems += [f"{where}: {p}" for p in said]
    if problems:
        raise CaseError("the client account file is refused:\n  - " + "\n  - ".join(problems))
    return found


def _check_columns(path: Path, columns: list[str]) -> None:
    """Every column is one this file knows: a typo would leave a field silently unread."""
    if "account" not in columns:
        raise CaseError(f"{path}: the client account file needs an `account` column")
    known = {"account", "holder_schema", "source_of_wealth", *ACCOUNT_COLUMNS}
    known |= {f"address.{name}" for name in ADDRESS_COLUMNS}
    unknown = [c for c in columns if c not in known and not c.startswith("holder.")]
    if unknown:
        raise CaseError(
            f"{path}: unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
            f"account, {', '.join(ACCOUNT_COLUMNS)}, holder_schema, holder.PROPERTY (an FtM "
            "property), address.street/city/postalCode/region/country, source_of_wealth"
        )


def _account(row: Mapping[str, str | None], number: str, problems: list[str]) -> ClientAccount:
    text = {k: (v or "").strip() for k, v in row.items() if k is not None}
    fields: dict[str, str | date] = {}
    for name in ACCOUNT_COLUMNS:
        value = text.get(name)
        if value and name in _DATES:
            try:
                fields[name] = date.fromisoformat(value)
            except ValueError:
                problems.append(f"{name} {value!r} is not a date (YYYY-MM-DD)")
        elif value:
            fields[name] = value
    country = text.get("address.country")
    if country and registry.country.clean(country) is None:
        problems.append(f"address.country {country!r} is not a country code")
    schema = text.get("holder_schema") or None
    holder = _holder(text, schema, problems)
    return ClientAccount(
        number=number,
        fields=fields,
        holder_schema=schema if schema in HOLDER_SCHEMATA else None,
        holder=holder,
        address=_address(text, number),
        source_of_wealth=text.get("source_of_wealth") or None,
    )


def _holder(
    text: Mapping[str, str], schema: str | None, problems: list[str]
) -> dict[str, tuple[str, ...]]:
    """The holder's FtM properties, each checked against the schema and its type."""
    given = {k[len("holder.") :]: v for k, v in text.items() if k.startswith("holder.") and v}
    if schema is None:
        if given:
            problems.append(
                f"holder_schema is empty; {', '.join(sorted(given))} need to know whether the "
                f"holder is a {', '.join(HOLDER_SCHEMATA)}"
            )
        return {}
    if schema not in HOLDER_SCHEMATA:
        problems.append(f"holder_schema {schema!r} is none of {', '.join(HOLDER_SCHEMATA)}")
        return {}
    found: dict[str, tuple[str, ...]] = {}
    model_schema = ftm_model.get(schema)
    for name, raw in given.items():
        prop = model_schema.get(name) if model_schema is not None else None
        if prop is None or prop.stub:
            problems.append(f"holder.{name}: a {schema} has no such property")
            continue
        values = [v.strip() for v in raw.split(";") if v.strip()]
        bad = [v for v in values if prop.type.clean(v, proxy=None) is None]
        if bad:
            problems.append(f"holder.{name} {bad[0]!r} is not a valid {prop.type.name}")
            continue
        found[name] = tuple(values)
    return found


def _address(text: Mapping[str, str], number: str) -> EntityProxy | None:
    """The holder's address as an FtM Address entity, where the file gives any part of it."""
    parts = {name: text.get(f"address.{name}") for name in ADDRESS_COLUMNS}
    if not any(parts.values()):
        return None
    address = make_entity("Address", f"client-address-{number}")
    for name, value in parts.items():
        if value:
            address.add(name, value, quiet=True)
    full = ", ".join(v for v in parts.values() if v)
    address.add("full", full)
    return address
