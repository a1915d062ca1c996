"""Payment parties as FollowTheMoney entities, so they can be screened and exchanged.

Every distinct (account, bank, name) seen on either side of a payment is kept once in
`tx_parties`; `party_entities` turns each into a BankAccount, its holder (a LegalEntity, or a
Company when the name carries a legal form such as PT, CV, OOO, LLC or GmbH) and the Ownership
between them;
`payment_entities` gives FtM Payment entities linking the two accounts of each transfer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from followthemoney.proxy import EntityProxy

from jalur import scope
from jalur.model import make_entity
from jalur.store import Store
from jalur.transactions.schema import ensure_tables

_SIDE = """SELECT {p}_account AS account, {p}_bank AS bank, {p}_name AS name,
       {p}_country AS country, {p}_identifier AS identifier, {p}_address AS address
FROM transactions WHERE source_file = $2 AND ({p}_account IS NOT NULL OR {p}_name IS NOT NULL)"""

#: Parties of one loaded file not yet known (parameters: load id, source file), into the
#: parties table named `{table}` (a narrowed connection's `tx_parties` is a view: `scope`).
PARTIES_SQL = f"""INSERT OR IGNORE INTO {{table}}
SELECT 'txp-' || md5(concat_ws('|', account, bank, name)), account, bank, name,
       any_value(country), any_value(identifier), any_value(address), $1
FROM ({_SIDE.format(p="orig")} UNION ALL {_SIDE.format(p="bene")})
GROUP BY account, bank, name"""

#: Legal-form words that make a holder a Company rather than an unknown LegalEntity.
_COMPANY_FORMS = re.compile(
    r"\b(PT|CV|TBK|OOO|ООО|ОАО|ЗАО|АО|ПАО|LLC|LTD|LIMITED|INC|CORP|GMBH|AG|BV|SA|SRL|PLC|"
    r"UAB|JSC|CO|COMPANY|BANK|YAYASAN|FOUNDATION|TRADING)\b\.?",
    re.IGNORECASE,
)


def holder_schema(name: str | None) -> str:
    return "Company" if name and _COMPANY_FORMS.search(name) else "LegalEntity"


def party_row_entities(row: tuple[Any, ...]) -> tuple[EntityProxy, EntityProxy, EntityProxy]:
    party_id, account, bank, name, country, identifier, address = row
    holder = make_entity(holder_schema(name), party_id)
    holder.add("name", name or account)
    holder.add("country", country, quiet=True)
    holder.add(
        "idNumber" if holder.schema.name == "LegalEntity" else "registrationNumber",
        identifier,
        quiet=True,
    )
    holder.add("address", address, quiet=True)
    bank_account = make_entity("BankAccount", f"{party_id}-acct")
    bank_account.add("accountNumber", account or "")
    bank_account.add("bic", bank, quiet=True)
    bank_account.add("bankName", bank, quiet=True)
    bank_account.add("country", country, quiet=True)
    ownership = make_entity("Ownership", f"{party_id}-own")
    ownership.add("owner", holder.id)
    ownership.add("asset", bank_account.id)
    ownership.add("role", "account holder")
    return holder, bank_account, ownership


def party_entities(store: Store) -> Iterator[EntityProxy]:
    """Each party's holder, its BankAccount and the Ownership that links them."""
    ensure_tables(store)
    cursor = scope.cursor(store)
    cursor.execute(
        """SELECT party_id, account, bank, name, country, identifier, address
           FROM tx_parties ORDER BY party_id"""
    )
    while batch := cursor.fetchmany(5000):
        for row in batch:
            yield from party_row_entities(row)


def payment_entities(store: Store, limit: int | None = None) -> Iterator[EntityProxy]:
    """FtM Payment entities (payer/beneficiary accounts, amount, currency, date, purpose)."""
    ensure_tables(store)
    side = (
        "CASE WHEN {0}_account IS NOT NULL OR {0}_name IS NOT NULL "
        "THEN 'txp-' || md5(concat_ws('|', {0}_account, {0}_bank, {0}_name)) END"
    )
    cursor = scope.cursor(store)
    cursor.execute(
        f"""SELECT tx_id, {side.format("orig")}, {side.format("bene")}, amount, currency,
                   strftime(timestamp, '%Y-%m-%dT%H:%M:%S'), purpose, channel
            FROM transactions ORDER BY timestamp, tx_id LIMIT ?""",
        [limit if limit is not None else 2**62],
    )
    while batch := cursor.fetchmany(5000):
        for tx_id, payer, bene, amount, currency, date, purpose, channel in batch:
            payment = make_entity("Payment", f"txpay-{tx_id}")
            if payer:
                payment.add("payer", payer)
                payment.add("payerAccount", f"{payer}-acct")
            if bene:
                payment.add("beneficiary", bene)
                payment.add("beneficiaryAccount", f"{bene}-acct")
            payment.add("amount", str(amount))
            payment.add("currency", currency, quiet=True)
            payment.add("date", date)
            payment.add("purpose", purpose, quiet=True)
            payment.add("programme", channel, quiet=True)
            payment.add("transactionNumber", tx_id)
            yield payment
