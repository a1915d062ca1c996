"""Candidate feature sets of the shape-transfer round, as transformations of the built
features (prototypes; the one taken is then built in SQL for both engines)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jalur.monitoring import TYPOLOGIES


def transform(data: dict[str, Any], name: str) -> tuple[list[str], np.ndarray]:
    table = data["table"]
    names, x = list(table.names), np.asarray(table.values)
    if name == "B":
        return names, x
    if name in ("G", "C"):
        names, x = shape_agnostic_alerts(names, x)
    if name == "C":
        names, x = role_agnostic(names, x)
    return names, x


def role_agnostic(names: list[str], x: np.ndarray) -> tuple[list[str], np.ndarray]:
    """C: alerts_subject and alerts_involved replaced by their sum, alerts_any."""
    both = x[:, names.index("alerts_subject")] + x[:, names.index("alerts_involved")]
    keep = [j for j, n in enumerate(names) if n not in ("alerts_subject", "alerts_involved")]
    return [names[j] for j in keep] + ["alerts_any"], np.column_stack([x[:, keep], both])


def shape_agnostic_alerts(names: list[str], x: np.ndarray) -> tuple[list[str], np.ndarray]:
    """G: drop the laundering typologies' per-typology columns; add alerts_involved and
    alert_typologies."""
    per = [j for j, n in enumerate(names) if n.startswith("alerts_") and n != "alerts_subject"]
    total = x[:, per].sum(axis=1)
    typologies = (x[:, per] > 0).sum(axis=1)
    subject = x[:, names.index("alerts_subject")]
    drop = {f"alerts_{t}" for t in TYPOLOGIES} | {f"alert_score_{t}" for t in TYPOLOGIES}
    keep = [j for j, n in enumerate(names) if n not in drop]
    out = np.column_stack([x[:, keep], total - subject, typologies])
    return [names[j] for j in keep] + ["alerts_involved", "alert_typologies"], out
