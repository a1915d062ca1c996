"""What a report is made of: the case's subjects, accounts and payments, and who reports.

The reporting layer does not know how cases are stored. A case hands it a `ReportInput`:
subjects as FollowTheMoney entities (with their Address and Identification/Passport entities),
accounts, and payments as rows of the canonical payment table (`jalur.model.TRANSACTION_SCHEMA`).
`is_client` says whether the bank itself holds the party — goAML then wants the fuller
`*_my_client` shapes, because the bank is expected to know its own customer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
from followthemoney.proxy import EntityProxy

from jalur.model import TRANSACTION_SCHEMA
from jalur.reporting.settings import ReportingSettings


@dataclass(frozen=True)
class Subject:
    """A party the report is about: an FtM Person, or an Organization/Company/LegalEntity."""

    entity: EntityProxy
    is_client: bool = False
    reason: str | None = None  # why this party is reported (activity reports' report_party)
    addresses: tuple[EntityProxy, ...] = ()  # FtM Address entities (street, city, country…)
    documents: tuple[EntityProxy, ...] = ()  # FtM Identification / Passport entities
    directors: tuple[EntityProxy, ...] = ()  # FtM Persons who direct an organisation
    source_of_wealth: str | None = None  # what the bank's customer file says
    #: known only as a payment names it: its `country` is where the payment says it is (its
    #: address, its bank's country), never where an organisation was incorporated
    payment_party: bool = False


@dataclass(frozen=True)
class Account:
    """An account in the case; `holders` are the ids of the subjects that hold it."""

    number: str
    institution_name: str | None = None
    bic: str | None = None
    institution_code: str | None = None  # a national bank code where there is no BIC
    branch: str | None = None
    currency: str | None = None
    holders: tuple[str, ...] = ()
    is_client: bool = False
    non_bank: bool = False  # a money remitter or other non-bank institution
    name: str | None = None
    iban: str | None = None
    client_number: str | None = None
    opened: date | None = None
    closed: date | None = None
    status: str | None = None  # active, blocked, dormant, closed
    beneficiary: str | None = None
    comments: str | None = None  # what is known of the account that goAML has no element for

    @classmethod
    def from_entity(
        cls, entity: EntityProxy, *, holders: tuple[str, ...] = (), is_client: bool = False
    ) -> Account:
        """An account from an FtM BankAccount (accountNumber or iban, bankName, bic…)."""
        number = entity.first("accountNumber") or entity.first("iban") or ""
        return cls(
            number=number,
            institution_name=entity.first("bankName"),
            bic=entity.first("bic"),
            currency=entity.first("currency"),
            holders=holders,
            is_client=is_client,
            name=entity.first("name"),
            iban=entity.first("iban"),
            opened=_date(entity.first("openingDate")),
            closed=_date(entity.first("closingDate")),
        )


@dataclass(frozen=True)
class ReportInput:
    """Everything one goAML report needs; `build_report` turns it into XML or refuses it."""

    report_code: str
    entity_reference: str  # the case id: how the FIU's questions find the case again
    reason: str
    action: str
    reporter: ReportingSettings
    submission_date: datetime
    subjects: tuple[Subject, ...] = ()
    accounts: tuple[Account, ...] = ()
    payments: tuple[Mapping[str, Any], ...] = ()  # rows of TRANSACTION_SCHEMA
    indicators: tuple[str, ...] = ()  # the FIU's red-flag codes
    exchange_rates: Mapping[str, Decimal] = field(default_factory=dict)  # currency → local
    #: How a payment party's name is compared with a subject's names (a cash party without an
    #: account is the subject of the same key): the caller's name normalisation, where it has
    #: one (the cases give screening's, in which word order does not count), else case-folded.
    name_key: Callable[[str], Hashable] = str.casefold


def payment_rows(table: pa.Table) -> tuple[dict[str, Any], ...]:
    """The rows of a canonical payment table, checked to be that table's columns."""
    unknown = [name for name in table.column_names if name not in TRANSACTION_SCHEMA.names]
    if unknown:
        raise ValueError(f"payments: columns {unknown} are not in the canonical payment table")
    return tuple(table.to_pylist())


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None
