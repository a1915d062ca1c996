"""`jalur alerts show` leads each explanation with the subject's risk score as the house
writes scores (`score_text`): 0.998396 reads "risk 0.998", not "risk 1.00", so alerts sorted
by risk no longer look unsorted and an uncertain score never reads as a certain one."""

from __future__ import annotations

from jalur.monitoring.commands import _with_risk


def row(risk: float | None) -> dict[str, object]:
    return {"alert_id": "ALR-1", "score": 0.5, "explanation": "why", "risk_score": risk}


def test_risk_reads_with_the_house_digits() -> None:
    assert _with_risk(row(0.998396)) == "risk 0.998 · why"
    assert _with_risk(row(0.99961)) == "risk 0.9996 · why"  # never a certain 1.000
    assert _with_risk(row(None)) == "why"
