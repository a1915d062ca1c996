"""Payments: one canonical table fed from every format banks and FIUs hold, and generated data.

`load_transactions(store, path, format)` reads IBM AMLworld and AMLSim CSV, ISO 20022 pacs.008,
pain.001 and camt.053, SWIFT MT103, and any CSV/Parquet with a column mapping into the
`transactions` table (columns = `jalur.model.TRANSACTION_SCHEMA` and the `load_id` that brought
each payment in, unique on `tx_id` among the payments a loader sees), chunk by chunk and
idempotently; bad records go to `tx_quarantine` with position and reason (`jalur.scope` narrows
one store connection to the payments of some loads: who may see which load is the service's
decision, by its markings). Parties are kept in `tx_parties` and exported as FollowTheMoney
entities. `generate` writes a labelled synthetic economy with laundering and
terrorist-financing patterns.
"""

from jalur.transactions.commands import register_cli
from jalur.transactions.country_fields import country_alpha2
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.generate import GeneratorConfig, generate
from jalur.transactions.load import LoadCounts, load_log, load_transactions
from jalur.transactions.normalize import (
    IDENTIFIERS,
    MAX_AMOUNT,
    MAX_AMOUNT_TEXT,
    MAX_TEXT,
    control_reason,
)
from jalur.transactions.options import AMLSIM_EPOCH, LoadOptions
from jalur.transactions.parties import party_entities, payment_entities
from jalur.transactions.rates import RateTable, known_currencies, load_rates, minor_units
from jalur.transactions.readers import READERS
from jalur.transactions.records import (
    account_party,
    account_payments,
    party_entities_of,
    payments,
    payments_table,
)
from jalur.transactions.schema import COLUMNS, ensure_tables
from jalur.transactions.summary import quarantine_rows, summary, transactions_table

__all__ = [
    "AMLSIM_EPOCH",
    "COLUMNS",
    "IDENTIFIERS",
    "MAX_AMOUNT",
    "MAX_AMOUNT_TEXT",
    "MAX_TEXT",
    "READERS",
    "GeneratorConfig",
    "LoadCounts",
    "LoadOptions",
    "RateTable",
    "TransactionLoadError",
    "account_party",
    "account_payments",
    "control_reason",
    "country_alpha2",
    "ensure_tables",
    "generate",
    "known_currencies",
    "load_log",
    "load_rates",
    "load_transactions",
    "minor_units",
    "party_entities",
    "party_entities_of",
    "payment_entities",
    "payments",
    "payments_table",
    "quarantine_rows",
    "register_cli",
    "summary",
    "transactions_table",
]
