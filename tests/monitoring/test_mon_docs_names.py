"""The command reference names what the commands take and write: `monitor run --typology`'s
list left out amount_anomaly, split_payments and chain (which it runs), and `alerts export`'s
columns left out risk_score (which it writes, and sorts by, once accounts are scored)."""

from __future__ import annotations

from pathlib import Path

from jalur.monitoring import load_params
from jalur.monitoring.export import COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "monitoring.md"


def _section(heading: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"### `jalur {heading}")
    end = text.find("\n### ", start + 1)
    return text[start : end if end > 0 else None]


def test_monitor_run_reference_names_every_typology() -> None:
    section = _section("monitor run")
    missing = [
        t for t in load_params().typologies if f"{t}," not in section and f"{t})" not in section
    ]
    assert missing == []


def test_alerts_export_reference_names_every_column() -> None:
    section = _section("alerts export")
    assert all(name in section for name in COLUMNS), [c for c in COLUMNS if c not in section]
    assert "risk_score" in DOC.read_text(encoding="utf-8").split("## Typologies")[0]
