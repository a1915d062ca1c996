"""One small workspace in which every typology, exposure and a channel have a known answer."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from monitoring_builders import at, background, pay

from jalur.monitoring.seeds import HITS_SCHEMA


def scenario() -> list[dict[str, Any]]:
    return [
        *[
            pay(f"S{i}", None, "SMURF", at(i), 480e6 + i, currency="IDR", channel="cash")
            for i in range(4)
        ],
        *[pay(f"F{i}", f"P{i}", "POOL", at(0, i), 1000.0) for i in range(6)],
        *[pay(f"O{i}", "HUB", f"B{i}", at(1, i), 900.0 + i) for i in range(5)],
        *[pay(f"C{i}", f"R{i}", f"R{(i + 1) % 4}", at(i), 10_000.0 - 100 * i) for i in range(4)],
        *[pay(f"SG{i}", "SRC", f"MULE{i}", at(0, i), 3000.0) for i in range(3)],
        *[pay(f"GS{i}", f"MULE{i}", "DST", at(1, i), 2950.0) for i in range(3)],
        *[
            pay(f"BP{p}{q}", f"TOP{p}", f"MID{q}", at(1, p + q), 500.0)
            for p in range(3)
            for q in range(3)
        ],
        *[
            pay(f"BQ{p}{q}", f"MID{p}", f"LOW{q}", at(4, p + q), 490.0)
            for p in range(3)
            for q in range(3)
        ],
        *[pay(f"GI{i}", f"GIN{i}", "GATHER", at(0, i), 1000.0 + 10 * i) for i in range(4)],
        *[pay(f"GO{i}", "GATHER", f"GOUT{i}", at(2, i), 700.0 + 10 * i) for i in range(4)],
        pay("PT1", "X", "FAST", at(0, 1), 5000.0),
        pay("PT2", "FAST", "Y", at(0, 3), 4990.0),
        pay("PT3", "X", "FAST", at(2, 1), 7000.0),
        pay("PT4", "FAST", "Z", at(2, 2), 7000.0),
        pay("K1", "LOCAL", "NK", at(0), 20_000.0, orig_country="ID", bene_country="KP"),
        *[
            pay(f"MT{i}", None, "MTB", at(0, 5 * i), 900.0, channel="cash", bene_country="ID")
            for i in range(10)
        ],
        pay("MW1", "MTB", "ABROAD", at(5), 8000.0, orig_country="ID", bene_country="TR"),
        pay("D1", "DRUGLORD", "SHELL", at(3), 50_000.0),
        pay("D2", "SHELL", "COURIER", at(4), 40_000.0),
        pay("D3", "COURIER", "CELL", at(5), 30_000.0),
        # Split: three payments to one payee on one day.
        *[pay(f"SP{i}", "SPLITTER", "SPLIT-PAYEE", at(8, i), 950.0 + 20 * i) for i in range(3)],
        # A chain: money passed on three times within hours, about the same amount.
        *[pay(f"CH{i}", f"CHAIN{i}", f"CHAIN{i + 1}", at(9, i), 7000.0 - 50 * i) for i in range(3)],
        # A ring closed by a payment dated before the others (any-order cycle).
        pay("Q0", "RING0", "RING1", at(12), 6000.0),
        pay("Q1", "RING1", "RING2", at(10), 6010.0),
        pay("Q2", "RING2", "RING0", at(13), 5990.0),
        # Amounts: usual small payments, then two just under USD 10,000, far from the usual.
        *[pay(f"AN{i}", "ODD", f"SHOP{i}", at(20 + i), 40.0 + i) for i in range(6)],
        *[pay(f"AZ{i}", "ODD", f"FAR{i}", at(30 + i), 9600.0 + 10 * i) for i in range(2)],
        *background(),
    ]


def hits() -> pa.Table:
    """Screening matched CELL's holder to a terror-listed entity."""
    return pa.Table.from_pylist(
        [
            {
                "account": "CELL",
                "party_name": "Abu Example",
                "entity_id": "NK-TEST-1",
                "list_name": "un_sc",
                "source_id": "QDi.999",
                "risk_class": "terror",
                "score": 0.93,
                "matched_alias": "Abu Example",
            }
        ],
        schema=HITS_SCHEMA,
    )
