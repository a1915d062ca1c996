"""The window state: it survives a restart, stays within the windows, and decides by config."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_lists import LISTED_PERSON, payment, small_decider, small_seeds, small_watch

from jalur.config import ConfigError
from jalur.stream import Decider, StateStore, load_config, payment_from_row, seeds_of


def _payer(i: int, day: int = 2, hour: int = 10) -> dict[str, object]:
    return payment(
        f"IN-{day}-{i}", orig_account=f"PAYER-{i}", bene_account="POOL",
        timestamp=f"2026-03-{day:02d}T{hour:02d}:{i:02d}:00Z",
    )  # fmt: skip


def _typologies(decider: Decider, rows: list[dict[str, object]]) -> list[list[str]]:
    outcomes = decider.decide_many([payment_from_row(r) for r in rows])
    return [[str(r["code"]) for r in o.decision["reasons"]] for o in outcomes]


def test_a_fan_in_begun_before_a_restart_is_completed_after_it(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    before = small_decider(state)
    assert _typologies(before, [_payer(i) for i in range(3)]) == [[], [], []]
    before.close()
    after = small_decider(state)  # a new process: the windows come back from the state file
    assert _typologies(after, [_payer(i) for i in range(3, 5)]) == [[], ["fan_in"]]
    after.close()


def test_the_windows_hold_only_the_payments_the_longest_typology_needs(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    decider.decide_many([payment_from_row(_payer(i)) for i in range(5)])
    assert len(decider.index) == 5
    later = payment("LATE", timestamp="2026-09-30T10:00:00Z")  # seven months on
    decider.decide_one(payment_from_row(later))
    assert len(decider.index) == 1
    assert [p.tx_id for p in decider.state.payments_since(0)] == ["LATE"]
    assert decider.index.tally("bene", "POOL", 7 * 86_400 // 2, (0, 0)) is None
    decider.close()


def test_which_findings_hold_a_payment_is_configuration(tmp_path: Path) -> None:
    strict = small_decider(tmp_path / "strict.sqlite")
    lenient = small_decider(tmp_path / "lenient.sqlite", decision={"hold": [], "review": ["*"]})
    listed = payment_from_row(payment("TX-L", bene_name=LISTED_PERSON))
    assert strict.decide_one(listed).decision["decision"] == "hold"
    assert lenient.decide_one(listed).decision["decision"] == "review"
    strict.close()
    lenient.close()


def test_a_risk_model_where_there_is_one_adds_its_score_to_the_decision(tmp_path: Path) -> None:
    scores = {"TX-HI": 0.95, "TX-MID": 0.6, "TX-LO": 0.1}
    decider = small_decider(tmp_path / "state.sqlite", risk=lambda p: scores[p.tx_id])
    answers = {tx: decider.decide_one(payment_from_row(payment(tx))).decision for tx in scores}
    assert {tx: a["decision"] for tx, a in answers.items()} == {
        "TX-HI": "hold", "TX-MID": "review", "TX-LO": "pass",
    }  # fmt: skip
    assert answers["TX-HI"]["risk_score"] == 0.95
    assert [r["code"] for r in answers["TX-MID"]["reasons"]] == ["risk:review"]
    decider.close()


def test_a_state_file_commits_to_the_disk_when_configured_to(tmp_path: Path) -> None:
    """`[stream.state] synchronous`: "normal" (killed process safe), "full" (power cut safe)."""
    seeds, watch = seeds_of(small_seeds()), small_watch()
    modes = {}
    for mode in ("normal", "full"):
        config = load_config({"state": {"synchronous": mode}})
        opened = Decider.open(tmp_path / f"{mode}.sqlite", config, seeds, watch)
        modes[mode] = opened.state.con.execute("PRAGMA synchronous").fetchone()[0]
        opened.close()
    assert modes == {"normal": 1, "full": 2}  # SQLite's numbers for NORMAL and FULL
    with pytest.raises(ConfigError, match="synchronous"):
        load_config({"state": {"synchronous": "off"}})


def test_a_batch_repeating_a_payment_stores_and_alerts_it_once(tmp_path: Path) -> None:
    decider = small_decider(tmp_path / "state.sqlite")
    listed = payment_from_row(payment("TX-R", bene_name=LISTED_PERSON))
    first, again = decider.decide_many([listed, listed])
    assert (first.fresh, again.fresh) == (True, False)
    assert again.decision == first.decision
    assert len(decider.state.decisions()) == 1
    assert len(decider.state.alerts()) == len(first.decision["alerts"]) >= 1
    decider.close()
    reopened = small_decider(tmp_path / "state.sqlite")  # and after a restart, in order
    outcomes = reopened.decide_many([payment_from_row(payment("TX-S")), listed])
    assert [o.fresh for o in outcomes] == [True, False]
    assert [d["tx_id"] for d in reopened.state.decisions()] == ["TX-R", "TX-S"]
    reopened.close()


def test_published_decisions_are_forgotten_after_decision_days(tmp_path: Path) -> None:
    """The state file does not grow by every payment ever decided: a published decision goes
    `decision_days` after its payment; an unpublished one stays until it is published."""
    seeds, watch = seeds_of(small_seeds()), small_watch()
    config = load_config({"state": {"decision_days": 30}})
    decider = Decider.open(tmp_path / "state.sqlite", config, seeds, watch)
    decider.decide_many([payment_from_row(_payer(i)) for i in range(3)])
    decider.state.mark_published(["IN-2-0", "IN-2-1"])  # IN-2-2 never confirmed
    decider.decide_one(payment_from_row(payment("LATER", timestamp="2026-04-15T10:00:00Z")))
    kept = [d["key"] for d in decider.state.decisions()]
    assert kept == ["IN-2-2", "LATER"]
    again = decider.decide_one(payment_from_row(_payer(0)))  # repeated 44 days on
    assert again.fresh
    repeat = decider.decide_one(payment_from_row(_payer(2)))
    assert not repeat.fresh  # its first answer, still stored
    decider.close()


def test_a_state_file_from_before_decisions_carried_a_time_keeps_them(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.sqlite"
    decider = small_decider(path)
    decider.decide_many([payment_from_row(_payer(i)) for i in range(2)])
    decider.state.mark_published(["IN-2-0", "IN-2-1"])
    decider.close()
    con = sqlite3.connect(path)  # the schema of the previous release: no ts column
    con.execute("DROP INDEX decisions_ts")
    con.execute("ALTER TABLE decisions DROP COLUMN ts")
    con.commit()
    con.close()
    config = load_config({"state": {"decision_days": 30}})
    reopened = Decider.open(path, config, seeds_of(small_seeds()), small_watch())
    assert not reopened.decide_one(payment_from_row(_payer(1))).fresh
    times = reopened.state.con.execute("SELECT key, ts FROM decisions ORDER BY key").fetchall()
    assert [t for _, t in times] == [payment_from_row(_payer(i)).ts for i in range(2)]
    reopened.close()


@pytest.mark.parametrize("days", [0, -1, "ninety", True])
def test_retention_days_must_be_positive_numbers(days: object) -> None:
    with pytest.raises(ConfigError, match="decision_days"):
        load_config({"state": {"decision_days": days}})


def test_a_payment_dated_far_ahead_is_decided_but_cannot_empty_the_windows(
    tmp_path: Path,
) -> None:
    """One hostile or mistyped timestamp (2099) used to move the watermark and evict every
    payment of the windows; it is now screened, sent for review with the reason, and kept out."""
    path = tmp_path / "state.sqlite"
    clock = payment_from_row(_payer(0)).ts + 3_600.0  # an hour after the first payment
    config, seeds, watch = load_config(), seeds_of(small_seeds()), small_watch()
    decider = Decider(StateStore(path), config, seeds, watch, clock=lambda: clock)
    assert _typologies(decider, [_payer(i) for i in range(3)]) == [[], [], []]
    ahead = payment("AHEAD", bene_name=LISTED_PERSON, timestamp="2099-01-01T00:00:00Z")
    tomorrow = payment("SOON", timestamp="2026-03-03T08:00:00Z")  # inside future_hours (24)
    answers = [o.decision for o in decider.decide_many([payment_from_row(ahead)])]
    assert answers[0]["decision"] == "hold"  # still screened: its party is listed
    assert answers[0]["reasons"][0]["code"] == "timestamp:future"
    assert "2099-01-01" in answers[0]["reasons"][0]["detail"]
    assert len(decider.index) == 3
    assert _typologies(decider, [_payer(i) for i in range(3, 5)]) == [[], ["fan_in"]]
    assert [o.decision["reasons"] for o in decider.decide_many([payment_from_row(tomorrow)])] == [
        []
    ]
    decider.close()
    again = Decider(StateStore(path), config, seeds, watch, clock=lambda: clock)
    assert "AHEAD" not in [p.tx_id for p in again.state.payments_since(0)]
    assert len(again.index) == 6  # the windows came back whole after a restart
    assert not again.decide_one(payment_from_row(ahead)).fresh  # its decision is kept
    again.close()
