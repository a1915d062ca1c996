"""The shared vocabulary: FollowTheMoney entities, why a party is listed, and payments.

Entities everywhere in jalur are FollowTheMoney proxies (Person, Organization, LegalEntity,
Sanction, BankAccount, Payment…), so OpenSanctions data and other FtM tools interoperate.
Monitoring treats terror-listed and drug-trade-listed parties differently, so every listed
entity carries FtM topics and `risk_class` reduces them to the one class that matters there.
The canonical payment table (`TRANSACTION_SCHEMA`) is the one shape every payment reader
writes and every detector reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

#: FtM topics (see followthemoney's `topic` type) that say why an entity is listed.
TOPIC_TERROR = "crime.terror"
TOPIC_DRUG = "crime.traffick.drug"
TOPIC_SANCTION = "sanction"


class RiskClass(StrEnum):
    """Why a party matters to counter-terrorist financing; terror outranks drug outranks other."""

    TERROR = "terror"
    DRUG = "drug"
    SANCTION = "sanction"
    NONE = "none"


def risk_class(topics: Iterable[str]) -> RiskClass:
    """The single class monitoring uses for an entity with these FtM topics."""
    found = set(topics)
    if TOPIC_TERROR in found:
        return RiskClass.TERROR
    if TOPIC_DRUG in found:
        return RiskClass.DRUG
    if any(topic.startswith("sanction") for topic in found):
        return RiskClass.SANCTION
    return RiskClass.NONE


def make_entity(schema: str, entity_id: str | None = None) -> EntityProxy:
    """A new, empty FtM entity of `schema` (raises for unknown schemata)."""
    from followthemoney import model as ftm_model

    entity = ftm_model.make_entity(schema)
    if entity_id is not None:
        entity.id = entity_id
    return entity


def entity_from_dict(data: dict[str, Any]) -> EntityProxy:
    """An FtM entity from its JSON form (`{"id", "schema", "properties"}`)."""
    from followthemoney import model as ftm_model

    return ftm_model.get_proxy(data, cleaned=False)


#: Reporting currency of `amount_reporting` unless a workspace configures another.
REPORTING_CURRENCY = "USD"

_PARTY_FIELDS = [
    ("account", pa.string()),
    ("bank", pa.string()),  # BIC or other bank id
    ("name", pa.string()),
    ("country", pa.string()),  # ISO 3166-1 alpha-2
    ("identifier", pa.string()),  # national id, tax number, LEI…
]


def _party(prefix: str) -> list[pa.Field]:
    return [pa.field(f"{prefix}_{name}", kind) for name, kind in _PARTY_FIELDS]


#: One row per payment, whatever format it came from.
TRANSACTION_SCHEMA = pa.schema(
    [
        pa.field("tx_id", pa.string(), nullable=False),
        pa.field("timestamp", pa.timestamp("us", tz="UTC"), nullable=False),
        *_party("orig"),
        *_party("bene"),
        pa.field("amount", pa.float64(), nullable=False),
        pa.field("currency", pa.string(), nullable=False),  # ISO 4217
        pa.field("amount_reporting", pa.float64()),
        pa.field("channel", pa.string()),  # wire, cash, cheque, card, ach, crypto, …
        pa.field("purpose", pa.string()),  # purpose code / remittance text
        pa.field("uetr", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("source_position", pa.string()),  # line number or message id
        pa.field("label", pa.bool_()),  # ground truth where the source has it
        # Added by the transactions capability (appended so column positions above hold):
        pa.field("orig_address", pa.string()),  # postal address as one line
        pa.field("bene_address", pa.string()),
        pa.field("orig_ultimate", pa.string()),  # ultimate debtor (ISO 20022 UltmtDbtr)
        pa.field("bene_ultimate", pa.string()),  # ultimate creditor (UltmtCdtr)
        pa.field("intermediary_banks", pa.string()),  # BICs/ids of intermediary agents, "; "
        pa.field("pattern_id", pa.string()),  # ground-truth typology instance (generated data)
        # What the payee's side received where the source says (IBM AMLworld): a payment
        # received in another currency than it was paid in is a cross-currency payment.
        pa.field("amount_received", pa.float64()),
        pa.field("currency_received", pa.string()),  # ISO 4217 (or crypto ticker)
    ]
)
