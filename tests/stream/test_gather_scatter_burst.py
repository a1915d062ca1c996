"""A small or uneven gather-scatter (IBM AMLworld's: a few payers, then a few payees) is found
by the stream as by the batch: only as a burst of a quiet account."""

from __future__ import annotations

from pathlib import Path

from small_lists import payment, small_decider

from jalur.stream import payment_from_row


def _at(day: int, hour: int) -> str:
    return f"2026-03-{day:02d}T{hour:02d}:00:00Z"


def _gather_scatter(hub: str) -> list[dict[str, object]]:
    """Four payers into `hub` on one day, then two payees out of it the next."""
    ins = [
        payment(f"{hub}-I{i}", orig_account=f"{hub}-P{i}", bene_account=hub, timestamp=_at(20, i))
        for i in range(4)
    ]
    outs = [
        payment(f"{hub}-O{i}", orig_account=hub, bene_account=f"{hub}-Q{i}", timestamp=_at(21, i))
        for i in range(2)
    ]
    return [*ins, *outs]


def _codes(rows: list[dict[str, object]], state: Path) -> list[str]:
    decider = small_decider(state)
    outcomes = decider.decide_many([payment_from_row(r) for r in rows])
    decider.close()
    return [str(r["code"]) for o in outcomes for r in o.decision["reasons"]]


def test_a_quiet_hub_gathering_from_four_and_paying_two_is_a_gather_scatter(
    tmp_path: Path,
) -> None:
    assert "gather_scatter" in _codes(_gather_scatter("QUIET"), tmp_path / "q.sqlite")


def test_a_busy_hub_doing_the_same_is_not(tmp_path: Path) -> None:
    everyday = [  # a payment a day from one customer: the burst is a small share of its trade
        payment(f"BUSY-D{d}", orig_account="BUSY-C", bene_account="BUSY", timestamp=_at(d, 9))
        for d in range(1, 20)
    ]
    assert "gather_scatter" not in _codes([*everyday, *_gather_scatter("BUSY")], tmp_path / "b")
