"""Amount anomalies, split payments, and the long-horizon shapes (same-amount fan-in, chains,
relay stacks), each on a small graph with a known answer."""

from __future__ import annotations

from monitoring_builders import at, background, pay


def test_amount_anomaly_needs_two_kinds_of_unusual_amounts(run_typology):
    usual = [pay(f"U{i}", "ODD", f"SHOP{i}", at(i), 40.0 + i) for i in range(6)]
    # Just under the EUR 10,000 threshold, paid by wire: the threshold counts on any channel
    # here (structuring asks for cash). And one payment far from ODD's usual amounts.
    odd = [pay(f"Z{i}", "ODD", f"FAR{i}", at(10 + i), 9600.0 + i, currency="EUR") for i in range(2)]
    odd.append(pay("Z9", "ODD", "FAR9", at(15), 3000.0))
    # Just under the threshold twice, nothing else: far from the usual amounts, but that is
    # the same evidence, not a second kind.
    near = [pay(f"N{i}", "NEAR", f"S{i}", at(i), 40.0 + i) for i in range(6)]
    near += [pay(f"NZ{i}", "NEAR", f"T{i}", at(10 + i), 9700.0 + i) for i in range(2)]
    # Far from the usual amounts once, nothing else: one kind of anomaly, not alerted.
    once = [pay(f"V{i}", "ONCE", f"S{i}", at(i), 40.0 + i) for i in range(6)]
    once.append(pay("V9", "ONCE", "BIG", at(9), 5000.0))
    alerts = run_typology([*usual, *odd, *near, *once, *background()], "amount_anomaly")
    assert [a.account for a in alerts] == ["ODD"]
    facts = alerts[0].facts
    assert (facts["near"], facts["signals"]) == (2, 2)
    assert facts["max_z"] > 5
    assert set(alerts[0].tx_ids) == {"Z0", "Z1", "Z9"}
    assert "just under a reporting threshold" in alerts[0].explanation


def test_amount_anomaly_repeated_amount_and_round_amounts(run_typology):
    # One amount to four payees, all of it round: two kinds.
    rows = [pay(f"R{i}", "ROUNDS", f"P{i}", at(i * 9), 5000.0) for i in range(4)]
    alerts = run_typology([*rows, *background()], "amount_anomaly")
    assert [a.account for a in alerts] == ["ROUNDS"]
    assert (alerts[0].facts["repeated"], alerts[0].facts["round"]) == (4, 4)


def test_split_payments_same_pair_one_day_the_payer_is_the_subject(run_typology):
    split = [pay(f"S{i}", "SPLITTER", "PAYEE", at(5, i), 950.0 + i) for i in range(3)]
    pair = [pay(f"T{i}", "TWICE", "PAYEE2", at(5, i), 950.0) for i in range(2)]
    # Payroll: five alike payments a day, every week: business, not splitting.
    payroll = [
        pay(f"W{w}{i}", "EMPLOYER", f"STAFF{i}", at(7 * w, i), 2000.0)
        for w in range(6)
        for i in range(5)
    ]
    alerts = run_typology([*split, *pair, *payroll, *background()], "split_payments")
    assert [a.account for a in alerts] == ["SPLITTER"]
    assert alerts[0].subjects == ("SPLITTER",)
    assert "PAYEE" in alerts[0].accounts
    assert alerts[0].facts["pieces"] == 3


def test_fan_in_of_one_amount_weeks_apart(run_typology):
    # AMLSim's fan-in: a few payers, weeks apart, the same small amount. No window sees it.
    same = [pay(f"A{i}", f"PAYER{i}", "HUB", at(20 * i), 206.49) for i in range(3)]
    other = [pay(f"B{i}", f"OTHER{i}", "PLAIN", at(20 * i), 200.0 + i) for i in range(3)]
    alerts = run_typology([*same, *other, *background()], "fan_in")
    assert [a.account for a in alerts] == ["HUB"]
    assert alerts[0].facts["same_amount"] is True
    assert alerts[0].subjects == ("HUB",)
    assert "the same amount over" in alerts[0].explanation


def test_chains_in_time_order_score_higher_than_out_of_order(run_typology):
    forward = [
        pay(f"F{i}", f"FW{i}", f"FW{i + 1}", at(1, 3 * i), 7000.0 - 50 * i) for i in range(3)
    ]
    # The same hops, dated in no order within a few days.
    jumbled = [
        pay("J0", "JB0", "JB1", at(2), 7000.0),
        pay("J1", "JB1", "JB2", at(1), 6950.0),
        pay("J2", "JB2", "JB3", at(3), 6900.0),
    ]
    # A busy account in the middle (merchant-like) breaks the chain.
    busy = [
        pay("M0", "BX0", "BUSY", at(1), 7000.0),
        pay("M1", "BUSY", "BX2", at(1, 2), 6950.0),
        pay("M2", "BX2", "BX3", at(1, 4), 6900.0),
        *[pay(f"MB{i}", f"CUST{i}", "BUSY", at(i % 300), 10.0 + i) for i in range(50)],
    ]
    alerts = run_typology([*forward, *jumbled, *busy, *background()], "chain")
    by_start = {a.facts["path"][0]: a for a in alerts}
    assert set(by_start) == {"FW0", "JB0"}
    assert by_start["FW0"].facts["ordered"] is True
    assert by_start["JB0"].facts["ordered"] is False
    assert by_start["JB0"].score < by_start["FW0"].score
    assert by_start["FW0"].subjects == ("FW1", "FW2")


def test_stack_through_relay_accounts_as_ibm_plants_it(run_typology):
    # Three relays, sharing no account: each receives once and passes about the same on.
    relays = [
        row
        for i in range(3)
        for row in (
            pay(f"IN{i}", f"TOP{i}", f"RELAY{i}", at(1, i), 1000.0 * (i + 1)),
            pay(f"OUT{i}", f"RELAY{i}", f"LOW{i}", at(2, i), 980.0 * (i + 1)),
        )
    ]
    # An account with other business is no relay.
    active = [
        pay("A1", "TOPX", "ACTIVE", at(1), 1000.0),
        pay("A2", "ACTIVE", "LOWX", at(2), 990.0),
        pay("A3", "SOMEONE", "ACTIVE", at(30), 55.0),
    ]
    alerts = run_typology([*relays, *active, *background()], "stack")
    assert sorted(a.subjects for a in alerts) == [("RELAY0",), ("RELAY1",), ("RELAY2",)]
    assert all(a.facts["relays"] == 1 for a in alerts)
    assert run_typology([*relays, *active, *background()], "stack", relay_max_payments=0) == []


def test_stored_roles_follow_subjects_not_just_the_first_account(store, run_typology):
    from jalur.monitoring.persist import _alert_tables

    ring = [pay(f"C{i}", f"R{i}", f"R{(i + 1) % 3}", at(i), 5000.0 - 10 * i) for i in range(3)]
    fan = [pay(f"A{i}", f"PAYER{i}", "HUB", at(20 * i), 206.49) for i in range(3)]
    alerts = run_typology([*ring, *fan, *background()], "cycle")
    alerts += run_typology([*ring, *fan, *background()], "fan_in")
    roles = _alert_tables("run", alerts)["alert_accounts"].to_pylist()
    by_account = {r["account"]: r["role"] for r in roles}
    assert {by_account[f"R{i}"] for i in range(3)} == {"subject"}  # every member of a cycle
    assert by_account["HUB"] == "subject"
    assert {by_account[f"PAYER{i}"] for i in range(3)} == {"involved"}  # context only


def _through_yen(prefix: str) -> list:
    """Money passed on USD → JPY → USD, the yen leg converted at another rate than the static
    table's (as in IBM AMLworld): in the reporting currency 0.62 of the hop before, then 1.6."""
    return [
        pay(f"{prefix}0", f"{prefix}A", f"{prefix}B", at(1), 10_000.0, currency="USD"),
        pay(
            f"{prefix}1",
            f"{prefix}B",
            f"{prefix}C",
            at(1, 5),
            930_000.0,
            currency="JPY",
            amount_reporting=6_200.0,
        ),
        pay(f"{prefix}2", f"{prefix}C", f"{prefix}D", at(2), 9_950.0, currency="USD"),
    ]


def test_a_hop_that_changes_currency_may_move_further_than_one_that_does_not(run_typology):
    same_currency = [  # the same reporting amounts, all in dollars: not the same money
        pay("S0", "SA", "SB", at(1), 10_000.0),
        pay("S1", "SB", "SC", at(1, 5), 6_200.0),
        pay("S2", "SC", "SD", at(2), 9_950.0),
    ]
    rows = [*_through_yen("Y"), *same_currency, *background()]
    assert [a.facts["path"] for a in run_typology(rows, "chain")] == [["YA", "YB", "YC", "YD"]]
    assert run_typology(rows, "chain", currency_drift=1.0) == []
