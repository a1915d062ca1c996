"""`jalur trace --top N` means "channels to print" (docs/monitoring.md) in text and JSON alike.
Before: `--top 0` printed no channel as text but every channel in `--json`."""

from __future__ import annotations

import json

from test_trace_pictures import home, jalur  # noqa: F401  (the fixture, by name)


def _json(home, *args):  # noqa: F811
    result = jalur(home, "trace", "--from", "drug", "--to", "terror", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_top_zero_prints_no_channel_in_json_as_in_text(home):  # noqa: F811
    text = jalur(home, "trace", "--from", "drug", "--to", "terror", "--top", "0")
    assert text.exit_code == 0, text.output
    assert "DRUGLORD" not in text.output and "2 channels;" in text.output
    out = _json(home, "--top", "0")
    assert out["channels"] == []
    assert out["channel_count"] == 2


def test_top_one_prints_the_largest_channel(home):  # noqa: F811
    out = _json(home, "--top", "1")
    assert [c["amount"] for c in out["channels"]] == [30_000.0]
    assert out["channel_count"] == 2
