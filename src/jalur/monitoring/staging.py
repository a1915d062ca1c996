"""The payment graph the detectors read, staged once per monitoring pass.

`mon_edges`: one row per payment between two known, different accounts, with time as epoch
seconds (so windows are plain arithmetic on every engine) and `value` in the reporting
currency (`amount_reporting`, else the original amount). `mon_sides`: each payment once per
known account on it, in its own currency, for threshold rules such as structuring where the
counterparty may be unknown (cash).
"""

from __future__ import annotations

from jalur.monitoring.engines.base import Engine

EDGES = "mon_edges"
SIDES = "mon_sides"

EDGES_SQL = """
SELECT tx_id, orig_account AS orig, bene_account AS bene,
       epoch_seconds("timestamp") AS ts,
       COALESCE(amount_reporting, amount) AS value,
       UPPER(orig_country) AS orig_country, UPPER(bene_country) AS bene_country
FROM transactions
WHERE orig_account IS NOT NULL AND bene_account IS NOT NULL AND orig_account <> bene_account
"""

SIDES_SQL = """
SELECT tx_id, orig_account AS account, epoch_seconds("timestamp") AS ts, amount,
       UPPER(currency) AS currency, LOWER(COALESCE(channel, '')) AS channel
FROM transactions WHERE orig_account IS NOT NULL
UNION ALL
SELECT tx_id, bene_account AS account, epoch_seconds("timestamp") AS ts, amount,
       UPPER(currency) AS currency, LOWER(COALESCE(channel, '')) AS channel
FROM transactions WHERE bene_account IS NOT NULL AND bene_account <> COALESCE(orig_account, '')
"""


def stage(engine: Engine) -> None:
    """Build `mon_edges` and `mon_sides` from the engine's `transactions` table."""
    engine.materialize(EDGES, EDGES_SQL)
    engine.materialize(SIDES, SIDES_SQL)


def unstage(engine: Engine) -> None:
    engine.drop(EDGES)
    engine.drop(SIDES)
