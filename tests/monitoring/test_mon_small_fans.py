"""Fans below `min_counterparties` alert only on evidence beyond their degree: the fan is all
the account did on that side (within `window_days`) and each counterparty is a one-off account
(in no other payment of the data), as IBM AMLworld's small fans are. Three payees of an account
with a history, or three payees who trade with others, are everyday life and stay quiet."""

from __future__ import annotations

from monitoring_builders import at, background, pay


def _fan_out(hub: str, n: int = 3, day: float = 10.0) -> list[dict]:
    """`hub` pays `n` one-off payees over two days, different amounts."""
    return [
        pay(f"{hub}-O{i}", hub, f"{hub}-B{i}", at(day + i * 0.7), 1200.0 + 3100.0 * i)
        for i in range(n)
    ]


def _fan_in(hub: str, n: int = 3, day: float = 10.0) -> list[dict]:
    return [
        pay(f"{hub}-I{i}", f"{hub}-P{i}", hub, at(day + i * 0.7), 900.0 + 2700.0 * i)
        for i in range(n)
    ]


def test_a_quiet_account_paying_three_one_off_payees_is_a_fan_out(run_typology):
    alerts = run_typology([*_fan_out("POPUP"), *background()], "fan_out")
    assert [a.account for a in alerts] == ["POPUP"]
    assert alerts[0].facts["counterparties"] == 3
    assert alerts[0].facts["one_off"] is True
    assert "each counterparty in no other payment" in alerts[0].explanation
    assert "(threshold 5, 3 to one-off accounts)" in alerts[0].explanation


def test_three_one_off_payers_into_a_quiet_account_are_a_fan_in(run_typology):
    alerts = run_typology([*_fan_in("COLLECT"), *background()], "fan_in")
    assert [a.account for a in alerts] == ["COLLECT"]
    assert alerts[0].subjects == ("COLLECT",)


def test_an_account_with_a_history_on_that_side_is_not(run_typology):
    earlier = pay("OLD", "HISTORY", "LANDLORD", at(1), 800.0)  # paid someone weeks before
    assert run_typology([earlier, *_fan_out("HISTORY", day=30), *background()], "fan_out") == []


def test_payees_who_trade_with_others_are_not_one_off(run_typology):
    also = pay("ALSO", "SOMEONE", "BUSY-B1", at(40), 500.0)  # one payee is paid by another too
    assert run_typology([*_fan_out("BUSY"), also, *background()], "fan_out") == []


def test_a_fan_spread_over_more_than_the_window_is_not(run_typology):
    slow = [pay(f"SLOW-O{i}", "SLOW", f"SLOW-B{i}", at(4 * i), 1000.0 + i) for i in range(3)]
    assert run_typology([*slow, *background()], "fan_out") == []


def test_two_one_off_payees_are_below_the_default_and_zero_switches_it_off(run_typology):
    assert run_typology([*_fan_out("PAIR", n=2), *background()], "fan_out") == []
    pair = run_typology(
        [*_fan_out("PAIR", n=2), *background()], "fan_out", small_min_counterparties=2
    )
    assert [a.account for a in pair] == ["PAIR"]
    off = run_typology([*_fan_out("POPUP"), *background()], "fan_out", small_min_counterparties=0)
    assert off == []
