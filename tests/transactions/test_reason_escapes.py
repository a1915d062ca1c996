"""A quarantine reason that quotes the raw value shows its control characters escaped, as the
identifier reason does (`control character in tx_id: T\\x1b[2J`). `bad timestamp: …`, `amount
is not a number: …`, `unknown currency: …` and the others quoted the value raw, so a record
with `\\x1b[2J` in its amount cleared the terminal of whoever ran `jalur tx quarantine`."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

HEADER = "tx_id,timestamp,amount,currency,amount_received,currency_received,label\n"
#: (timestamp, amount, currency, received amount, received currency, label) → the reason
HOSTILE = {
    ("2024-01-01\x1b[2J", "5", "USD", "", "", ""): "bad timestamp: 2024-01-01\\x1b[2J",
    ("2024-01-01T00:00:00Z", "5\x1b[31m", "USD", "", "", ""): (
        "amount is not a number: 5\\x1b[31m"
    ),
    ("2024-01-01T00:00:00Z", "5", "U\u202eSD", "", "", ""): "unknown currency: U\\u202eSD",
    ("2024-01-01T00:00:00Z", "5", "USD", "4\x07", "USD", ""): (
        "received amount is not a number: 4\\x07"
    ),
    ("2024-01-01T00:00:00Z", "5", "USD", "4", "E\x9bUR", ""): (
        "unknown received currency: E\\x9bUR"
    ),
    ("2024-01-01T00:00:00Z", "5", "USD", "", "", "ya\x1b]0;x\x07"): (
        "label is not true/false: ya\\x1b]0;x\\x07"
    ),
}


def test_reasons_quoting_a_raw_value_escape_its_control_characters(
    store: Store,
    tmp_path: Path,
    load,  # type: ignore[no-untyped-def]
) -> None:
    good = "G1,2024-01-01T00:00:00Z,5,USD,,,\n"
    lines = [good] + [
        f'B{i},"{ts}","{amt}","{ccy}","{ramt}","{rccy}","{lbl}"\n'
        for i, (ts, amt, ccy, ramt, rccy, lbl) in enumerate(HOSTILE)
    ]
    path = tmp_path / "payments.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    counts = load(path, "csv")
    assert (counts.accepted, counts.rejected) == (1, len(HOSTILE)), quarantined(store)
    assert [r["tx_id"] for r in rows(store)] == ["G1"]
    reasons = [reason for _, reason in quarantined(store)]
    assert sorted(reasons) == sorted(HOSTILE.values())
    assert not any(c in "".join(reasons) for c in "\x1b\x07\x9b\u202e")
