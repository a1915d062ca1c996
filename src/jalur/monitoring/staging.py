"""The payment graph the detectors read, staged once per monitoring pass.

`mon_edges`: one row per payment between two known, different accounts, with time as epoch
seconds (so windows are plain arithmetic on every engine) and `value` in the reporting
currency (`amount_reporting`, else the original amount) beside the payment's `currency` (hops
that change currency are compared more loosely); `orig_id` and `bene_id` number the accounts
(`mon_ids`). Threshold rules such as structuring,
where the counterparty may be unknown (cash), read `transactions` themselves: they need only
the few payments near a threshold.
"""

from __future__ import annotations

import pyarrow as pa

from jalur.monitoring.detectors.windows import drop_shared
from jalur.monitoring.engines.base import Engine
from jalur.transactions import country_alpha2

EDGES = "mon_edges"

#: Every account of `transactions`, numbered: `orig_id` and `bene_id` are these numbers, so
#: the window counts (one group per account, half-window and counterparty: nearly one per
#: payment) hash integers, not text. Numbered in the accounts' order, so comparing numbers
#: compares the accounts.
IDS = "mon_ids"

IDS_SQL = """
SELECT account, CAST(ROW_NUMBER() OVER (ORDER BY account) AS INTEGER) AS id
FROM (SELECT orig_account AS account FROM transactions WHERE orig_account IS NOT NULL
      UNION SELECT bene_account AS account FROM transactions WHERE bene_account IS NOT NULL) a
"""

EDGES_SQL = """
SELECT t.tx_id, t.orig_account AS orig, t.bene_account AS bene,
       epoch_seconds(t."timestamp") AS ts,
       COALESCE(t.amount_reporting, t.amount) AS value, t.currency,
       UPPER(t.orig_country) AS orig_country, UPPER(t.bene_country) AS bene_country,
       o.id AS orig_id, b.id AS bene_id
FROM transactions t
JOIN mon_ids o ON o.account = t.orig_account
JOIN mon_ids b ON b.account = t.bene_account
WHERE t.orig_account <> t.bene_account
"""

#: Country codes of the payments' country values that are not alpha-2 (`mon_country_codes`:
#: `raw` as stored, `code`), for payments loaded before `tx load` read countries to alpha-2.
COUNTRY_CODES = "mon_country_codes"

#: The country values that are not two capital letters: none in a workspace whose payments
#: were all loaded by a `tx load` that reads countries (one scan of two columns, no more).
_ODD_COUNTRIES_SQL = """
SELECT DISTINCT country FROM (
  SELECT orig_country AS country FROM transactions
  UNION ALL SELECT bene_country AS country FROM transactions) c
WHERE country IS NOT NULL AND NOT (length(country) = 2
  AND substring(country, 1, 1) BETWEEN 'A' AND 'Z' AND substring(country, 2, 1) BETWEEN 'A' AND 'Z')
"""

EDGES_READ_SQL = EDGES_SQL.replace(
    "UPPER(t.orig_country) AS orig_country, UPPER(t.bene_country) AS bene_country",
    "COALESCE(oc.code, UPPER(t.orig_country)) AS orig_country, "
    "COALESCE(bc.code, UPPER(t.bene_country)) AS bene_country",
).replace(
    "WHERE t.orig_account",
    f"LEFT JOIN {COUNTRY_CODES} oc ON oc.raw = t.orig_country\n"
    f"LEFT JOIN {COUNTRY_CODES} bc ON bc.raw = t.bene_country\nWHERE t.orig_account",
)


#: Payments without a reporting amount (a currency the rate table lacks), per currency.
UNCONVERTED_SQL = """
SELECT UPPER(currency) AS currency, COUNT(*) AS payments FROM transactions
WHERE amount_reporting IS NULL GROUP BY UPPER(currency) ORDER BY payments DESC, currency
"""


def unconverted(engine: Engine) -> dict[str, int]:
    """Payments per currency that detection compares at their own amount, as if it were in
    the reporting currency (no rate to convert them): what the user should be told, since
    their explanations name the reporting currency beside amounts that are not in it."""
    found = engine.query(UNCONVERTED_SQL).to_pylist()
    return {str(row["currency"]): int(row["payments"]) for row in found}


def stage(engine: Engine) -> None:
    """Build `mon_ids` and `mon_edges` from the engine's `transactions` table."""
    engine.materialize(IDS, IDS_SQL)
    codes = _country_codes(engine)
    if codes is None:
        engine.materialize(EDGES, EDGES_SQL)
        return
    engine.register(COUNTRY_CODES, codes)
    engine.materialize(EDGES, EDGES_READ_SQL)
    engine.drop(COUNTRY_CODES)


def _country_codes(engine: Engine) -> pa.Table | None:
    """The alpha-2 code of each stored country value that is not one (`IRAN`, `IRN`, `364`,
    upper-cased as `tx load` stored them before it read countries): the corridor checks
    compare alpha-2, and those payments never met them. None when there is none to read."""
    odd = [str(v) for v in engine.query(_ODD_COUNTRIES_SQL).column("country").to_pylist()]
    read = [(value, code) for value in odd if (code := country_alpha2(value)) is not None]
    if not read:
        return None
    return pa.table(
        {"raw": [value for value, _ in read], "code": [code for _, code in read]},
        schema=pa.schema([("raw", pa.string()), ("code", pa.string())]),
    )


def unstage(engine: Engine) -> None:
    """Forget the staged payments and the stages detectors shared during the pass."""
    drop_shared(engine)
    engine.drop(EDGES)
    engine.drop(IDS)
