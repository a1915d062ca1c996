"""Every typology detector on a hand-built graph whose answer is known, plus background
payments that must not alert."""

from __future__ import annotations

from monitoring_builders import at, background, pay

from jalur.monitoring import Alert


def accounts_of(alerts: list[Alert]) -> set[str]:
    return {a for alert in alerts for a in alert.accounts}


def test_structuring_finds_cash_pieces_just_under_the_idr_threshold(run_typology):
    pieces = [
        pay(f"S{i}", None, "SMURF", at(i), 480_000_000 + i, currency="IDR", channel="cash")
        for i in range(4)
    ]
    above = pay("BIG", None, "HONEST", at(1), 520_000_000, currency="IDR", channel="cash")
    spread = [  # same amounts but a month apart: not within the window
        pay(f"M{i}", None, "MONTHLY", at(30 * i), 490_000_000, currency="IDR", channel="cash")
        for i in range(4)
    ]
    alerts = run_typology([*pieces, above, *spread, *background()], "structuring")
    assert [a.account for a in alerts] == ["SMURF"]
    assert alerts[0].tx_ids == ("S0", "S1", "S2", "S3")
    assert "500,000,000 IDR reporting threshold" in alerts[0].explanation


def test_structuring_threshold_is_per_currency_and_channel(run_typology):
    wires = [
        pay(f"W{i}", "PAYER", f"X{i}", at(i), 9_500, currency="USD", channel="wire")
        for i in range(4)
    ]
    cash = [
        pay(f"C{i}", "DEPOSITOR", None, at(i), 9_500, currency="USD", channel="cash")
        for i in range(4)
    ]
    alerts = run_typology([*wires, *cash], "structuring")
    assert [a.account for a in alerts] == ["DEPOSITOR"]


def test_fan_in_needs_enough_distinct_payers_in_one_window(run_typology):
    payers = [pay(f"F{i}", f"P{i}", "POOL", at(0, i), 1000.0) for i in range(6)]
    repeat = [pay(f"R{i}", "SAME", "NOTPOOL", at(0, i), 1000.0) for i in range(6)]
    alerts = run_typology([*payers, *repeat, *background()], "fan_in")
    assert [a.account for a in alerts] == ["POOL"]
    assert accounts_of(alerts) == {"POOL", *(f"P{i}" for i in range(6))}


def test_fan_out_and_its_hub_limit(run_typology):
    fan = [pay(f"F{i}", "HUB", f"B{i}", at(1, i), 900.0 + i) for i in range(5)]
    merchant = [pay(f"M{i}", "SHOP", f"C{i}", at(1), 10.0) for i in range(70)]
    alerts = run_typology([*fan, *merchant], "fan_out")
    assert [a.account for a in alerts] == ["HUB"]


def test_cycle_time_respecting_up_to_length_six(run_typology):
    ring = ["R0", "R1", "R2", "R3", "R4"]
    cycle = [pay(f"C{i}", ring[i], ring[(i + 1) % 5], at(i), 10_000.0 - 100 * i) for i in range(5)]
    # A ring of accounts, but no rotation of it runs forward in time: no cycle.
    broken = [
        pay("B0", "Q0", "Q1", at(5), 5000.0),
        pay("B1", "Q1", "Q2", at(1), 4900.0),
        pay("B2", "Q2", "Q0", at(6), 4800.0),
    ]
    seven = [f"L{i}" for i in range(7)]  # a seven-account ring is beyond max_length 6
    long = [pay(f"L{i}", seven[i], seven[(i + 1) % 7], at(i), 3000.0) for i in range(7)]
    alerts = run_typology(
        [*cycle, *broken, *long, *background()], "cycle", max_length=6, any_order_max_length=0
    )
    assert [a.accounts for a in alerts] == [tuple(ring)]
    assert alerts[0].account == "R0"
    assert alerts[0].tx_ids == tuple(f"C{i}" for i in range(5))
    assert "R0 → R1 → R2 → R3 → R4 → R0" in alerts[0].explanation


def test_cycle_out_of_time_order_is_found_over_the_whole_data_and_scored_lower(run_typology):
    ring = ["R0", "R1", "R2"]
    forward = [pay(f"C{i}", ring[i], ring[(i + 1) % 3], at(i), 5000.0 - 10 * i) for i in range(3)]
    # The same shape, but the ring closes with a payment dated before the others (IBM, AMLSim).
    broken = [
        pay("B0", "Q0", "Q1", at(5), 5000.0),
        pay("B1", "Q1", "Q2", at(1), 4990.0),
        pay("B2", "Q2", "Q0", at(6), 4980.0),
    ]
    # Identical amounts months apart, in no order (AMLSim's rings): found too.
    months = [
        pay("M0", "S0", "S1", at(90), 206.49),
        pay("M1", "S1", "S2", at(10), 206.49),
        pay("M2", "S2", "S0", at(200), 206.49),
    ]
    alerts = run_typology([*forward, *broken, *months, *background()], "cycle")
    by_ring = {a.accounts: a for a in alerts}
    assert set(by_ring) == {("R0", "R1", "R2"), ("Q0", "Q1", "Q2"), ("S0", "S1", "S2")}
    assert by_ring[("R0", "R1", "R2")].facts["ordered"] is True
    assert by_ring[("Q0", "Q1", "Q2")].facts["ordered"] is False
    assert by_ring[("Q0", "Q1", "Q2")].score < by_ring[("R0", "R1", "R2")].score
    assert "not in time order" in by_ring[("S0", "S1", "S2")].explanation
    assert by_ring[("S0", "S1", "S2")].subjects == ("S0", "S1", "S2")


def test_cycle_default_length_reaches_eight(run_typology):
    ring = [f"L{i}" for i in range(7)]
    long = [pay(f"L{i}", ring[i], ring[(i + 1) % 7], at(i), 3000.0 - i) for i in range(7)]
    alerts = run_typology(long, "cycle")
    assert [a.facts["length"] for a in alerts] == [7]


def test_cycle_needs_the_money_to_go_round_not_unrelated_amounts(run_typology):
    mismatched = [
        pay("U0", "A", "B", at(0), 10_000.0),
        pay("U1", "B", "C", at(1), 50.0),
        pay("U2", "C", "A", at(2), 45.0),
    ]
    assert run_typology(mismatched, "cycle") == []


def test_scatter_gather_through_three_mules(run_typology):
    legs = []
    for i in range(3):
        legs.append(pay(f"S{i}", "SRC", f"MULE{i}", at(0, i), 3000.0))
        legs.append(pay(f"G{i}", f"MULE{i}", "DST", at(1, i), 2950.0))
    one = [  # one intermediary is a hop, not a scatter-gather
        pay("T0", "SRC2", "M0", at(0), 3000.0),
        pay("T1", "M0", "DST2", at(1), 2990.0),
    ]
    alerts = run_typology([*legs, *one, *background()], "scatter_gather")
    assert [(a.account, a.facts["target"]) for a in alerts] == [("SRC", "DST")]
    assert accounts_of(alerts) == {"SRC", "DST", "MULE0", "MULE1", "MULE2"}


def test_scatter_gather_through_two_mules_as_ibm_plants_it(run_typology):
    """IBM AMLworld's scatter-gathers often have two intermediaries."""
    two = [
        pay("T0", "SRC2", "M0", at(0), 3000.0),
        pay("T1", "M0", "DST2", at(1), 2990.0),
        pay("T2", "SRC2", "M1", at(0), 5000.0),
        pay("T3", "M1", "DST2", at(2), 5100.0),
    ]
    alerts = run_typology([*two, *background()], "scatter_gather")
    assert [(a.account, a.facts["target"], a.facts["mules"]) for a in alerts] == [
        ("SRC2", "DST2", 2)
    ]


def test_gather_scatter_collects_then_distributes(run_typology):
    ins = [pay(f"I{i}", f"IN{i}", "MID", at(0, i), 1000.0) for i in range(4)]
    outs = [pay(f"O{i}", "MID", f"OUT{i}", at(2, i), 990.0) for i in range(4)]
    only_in = [pay(f"J{i}", f"X{i}", "SINKONLY", at(0, i), 1000.0) for i in range(4)]
    alerts = run_typology([*ins, *outs, *only_in], "gather_scatter")
    assert [a.account for a in alerts] == ["MID"]
    assert alerts[0].facts["payers"] == 4 and alerts[0].facts["payees"] == 4


def _daily(account: str, n: int) -> list:
    """`account`'s everyday payments, one a day to and from the same two parties."""
    return [
        pay(
            f"{account}-D{i}",
            account if i % 2 else f"{account}-P",
            f"{account}-Q" if i % 2 else account,
            at(20 + i),
            50.0,
        )
        for i in range(n)
    ]


def test_gather_scatter_as_ibm_plants_it_many_in_few_out(run_typology):
    """IBM's gather-scatters: a fan-in of any degree, then a fan-out of any degree."""
    ins = [pay(f"I{i}", f"IN{i}", "HUB", at(0, i), 1000.0 + i) for i in range(6)]
    outs = [pay(f"O{i}", "HUB", f"OUT{i}", at(3, i), 2500.0) for i in range(2)]
    reversed_ = [  # mostly paid out first and collected later: not a gather-scatter
        pay("S0", "RIN0", "REV", at(0), 1000.0),
        *[pay(f"R{i}", "REV", f"ROUT{i}", at(1, i), 2500.0) for i in range(2)],
        *[pay(f"S{i}", f"RIN{i}", "REV", at(3, i), 1000.0) for i in range(1, 6)],
    ]
    alerts = run_typology([*ins, *outs, *reversed_, *background()], "gather_scatter")
    assert [(a.account, a.facts["payers"], a.facts["payees"]) for a in alerts] == [("HUB", 6, 2)]


def test_a_small_gather_scatter_alerts_only_as_a_burst_of_a_quiet_account(run_typology):
    def small(hub: str) -> list:
        return [
            *[pay(f"{hub}I{i}", f"{hub}IN{i}", hub, at(0, i), 1000.0) for i in range(3)],
            *[pay(f"{hub}O{i}", hub, f"{hub}OUT{i}", at(3, i), 900.0) for i in range(3)],
        ]

    busy = [*small("BUSY"), *_daily("BUSY", 40)]  # the burst is a small share of its payments
    alerts = run_typology([*small("QUIET"), *busy], "gather_scatter")
    assert [a.account for a in alerts] == ["QUIET"]


def test_bipartite_many_to_many(run_typology):
    rows = [
        pay(f"B{p}{q}", f"PAYER{p}", f"PAYEE{q}", at(1, p + q), 500.0)
        for p in range(3)
        for q in range(3)
    ]
    alerts = run_typology([*rows, *background()], "bipartite")
    assert len(alerts) == 1
    assert alerts[0].facts == {"payers": 3, "payees": 3, "density": 1.0}
    assert len(alerts[0].tx_ids) == 9


def test_stack_of_two_layers(run_typology):
    first = [
        pay(f"A{p}{q}", f"TOP{p}", f"MID{q}", at(1, p + q), 500.0)
        for p in range(3)
        for q in range(3)
    ]
    second = [
        pay(f"B{p}{q}", f"MID{p}", f"LOW{q}", at(4, p + q), 490.0)
        for p in range(3)
        for q in range(3)
    ]
    alerts = run_typology([*first, *second, *background()], "stack")
    assert len(alerts) == 1
    assert alerts[0].facts["layers"] == 3
    assert set(alerts[0].accounts) == {f"{x}{i}" for x in ("TOP", "MID", "LOW") for i in range(3)}


def test_pass_through_same_amount_out_within_hours(run_typology):
    rows = [
        pay("IN1", "X", "MULE", at(0, 1), 5000.0),
        pay("OUT1", "MULE", "Y", at(0, 3), 4990.0),
        pay("IN2", "X", "MULE", at(2, 1), 7000.0),
        pay("OUT2", "MULE", "Z", at(2, 2), 7000.0),
        pay("IN3", "X", "SLOW", at(0), 5000.0),  # out again, but days later
        pay("OUT3", "SLOW", "Y", at(3), 5000.0),
        pay("IN4", "X", "SLOW", at(4), 6000.0),
        pay("OUT4", "SLOW", "Y", at(7), 6000.0),
    ]
    alerts = run_typology(rows, "pass_through")
    assert [a.account for a in alerts] == ["MULE"]
    assert alerts[0].tx_ids == ("IN1", "IN2", "OUT1", "OUT2")


def test_corridor_black_and_grey_lists(run_typology):
    rows = [
        pay("K1", "LOCAL", "NK", at(0), 20_000.0, orig_country="ID", bene_country="KP"),
        pay("S1", "SYR", "LOCAL2", at(0), 15_000.0, orig_country="SY", bene_country="ID"),
        pay("D1", "A", "B", at(0), 50_000.0, orig_country="ID", bene_country="SG"),
        pay("T1", "C", "D", at(0), 500.0, orig_country="ID", bene_country="IR"),  # too small
        pay("Y1", "YE1", "YE2", at(0), 90_000.0, orig_country="YE", bene_country="YE"),  # domestic
    ]
    alerts = run_typology(rows, "corridor")
    found = {(a.account, a.facts["country"]) for a in alerts}
    assert found == {("LOCAL", "KP"), ("LOCAL2", "SY")}
    black = {a.account: a.score for a in alerts}
    assert black["LOCAL"] > black["LOCAL2"]  # black list outranks grey list
