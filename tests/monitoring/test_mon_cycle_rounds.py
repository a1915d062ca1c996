"""A cycle alert says how many times money went round. It counted payment paths, so parallel
payments multiplied: AMLSim's 20K_cycle200 repeats each ring payment five times (five identical
rows, five payments), and a five-account ring read "3125 time(s) round" (5 to the 5th) where
the money went round five times. Rounds are now the fewest payments on any hop of the ring."""

from __future__ import annotations

from monitoring_builders import at, background, pay


def _ring(prefix: str, accounts: list[str], copies: list[int], day: float = 0.0) -> list:
    """Payments round `accounts`, hop i carried by `copies[i]` identical payments."""
    n = len(accounts)
    return [
        pay(f"{prefix}{i}-{k}", accounts[i], accounts[(i + 1) % n], at(day + i), 206.49)
        for i in range(n)
        for k in range(copies[i])
    ]


def test_parallel_payments_on_every_hop_count_once_per_round(run_typology):
    ring = ["R0", "R1", "R2", "R3", "R4"]
    alerts = run_typology([*_ring("P", ring, [5] * 5), *background()], "cycle")
    [alert] = alerts
    assert alert.facts["rounds"] == 5
    assert "5 accounts in the cycle, 5 time(s) round" in alert.explanation


def test_a_hop_paid_once_bounds_the_rounds(run_typology):
    ring = ["S0", "S1", "S2"]
    alerts = run_typology([*_ring("Q", ring, [3, 1, 2]), *background()], "cycle")
    [alert] = alerts
    assert alert.facts["rounds"] == 1
    assert "3 accounts in the cycle, 1 time(s) round" in alert.explanation
