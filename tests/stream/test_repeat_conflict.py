"""A repeated message gets its first answer — only when it is the same payment. A message reusing
a decided payment's UETR or id with other content used to get the first payment's answer: a
passed payment's id, reused for a payment to a listed person, passed it unscreened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from small_lists import LISTED_PERSON, payment, small_decider

from jalur.stream import payment_from_row


def test_a_repeat_with_other_content_is_decided_on_its_own(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    first = decider.decide_one(payment_from_row(payment("TX-1"))).decision
    assert first["decision"] == "pass"
    again = decider.decide_one(payment_from_row(payment("TX-1")))
    assert not again.fresh and again.decision == first  # the same message: its first answer

    other = payment_from_row(payment("TX-1", bene_name=LISTED_PERSON, amount=9000))
    conflict = decider.decide_one(other)
    assert conflict.fresh
    assert conflict.decision["decision"] == "hold"  # screened, not the first's pass
    assert "repeat:conflict" in [r["code"] for r in conflict.decision["reasons"]]
    assert conflict.decision["key"].startswith("TX-1#") and first["key"] == "TX-1"
    assert len(decider.index) == 1  # kept out of the windows

    repeated = decider.decide_one(other)
    assert not repeated.fresh and repeated.decision == conflict.decision
    decider.close()

    reopened = small_decider(tmp_path / "state.sqlite")  # kept across a restart
    assert reopened.decide_one(other).decision == conflict.decision
    assert reopened.decide_one(payment_from_row(payment("TX-1"))).decision == first
    reopened.close()


def test_a_state_file_from_before_digests_still_answers_its_repeats(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    decider = small_decider(path)
    first = decider.decide_one(payment_from_row(payment("TX-1"))).decision
    decider.close()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE decisions DROP COLUMN digest")
    con.commit()
    con.close()
    reopened = small_decider(path)
    again = reopened.decide_one(payment_from_row(payment("TX-1", amount=1)))
    assert not again.fresh and again.decision == first  # no digest kept: taken as the same
    reopened.close()
