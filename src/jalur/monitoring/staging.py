"""The payment graph the detectors read, staged once per monitoring pass.

`mon_edges`: one row per payment between two known, different accounts, with time as epoch
seconds (so windows are plain arithmetic on every engine) and `value` in the reporting
currency (`amount_reporting`, else the original amount). Threshold rules such as structuring,
where the counterparty may be unknown (cash), read `transactions` themselves: they need only
the few payments near a threshold.
"""

from __future__ import annotations

from jalur.monitoring.detectors.windows import drop_shared
from jalur.monitoring.engines.base import Engine

EDGES = "mon_edges"

EDGES_SQL = """
SELECT tx_id, orig_account AS orig, bene_account AS bene,
       epoch_seconds("timestamp") AS ts,
       COALESCE(amount_reporting, amount) AS value,
       UPPER(orig_country) AS orig_country, UPPER(bene_country) AS bene_country
FROM transactions
WHERE orig_account IS NOT NULL AND bene_account IS NOT NULL AND orig_account <> bene_account
"""


def stage(engine: Engine) -> None:
    """Build `mon_edges` from the engine's `transactions` table."""
    engine.materialize(EDGES, EDGES_SQL)


def unstage(engine: Engine) -> None:
    """Forget the staged payments and the stages detectors shared during the pass."""
    drop_shared(engine)
    engine.drop(EDGES)
