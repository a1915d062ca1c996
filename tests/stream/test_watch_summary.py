"""`stream watch` ended with a Python dict (`1792 decisions: {'pass': 1790, 'review': 0,
'hold': 2}`); its last line now reads like the other summaries."""

from __future__ import annotations

from typing import Any

import pytest

from jalur.stream.commands import _summary


def _decision(kind: str, n: int) -> dict[str, Any]:
    return {"decision": kind, "tx_id": f"T{n}", "reasons": [{"code": "risk", "detail": "why"}]}


def test_the_tally_is_words_not_a_dict(capsys: pytest.CaptureFixture[str]) -> None:
    decisions = [_decision("pass", n) for n in range(1790)]
    decisions += [_decision("hold", 1), _decision("hold", 2), {"decision": "unreadable"}]
    _summary(decisions)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (
        "1,792 decisions: 1,790 passed, 0 for review, 2 held; 1 message was no decision (skipped)"
    )
    assert "{" not in last
