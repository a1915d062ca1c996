"""The cash funnel, and the burst and popular-payee tests that keep everyday business out of
fan and bipartite alerts, on hand-built graphs whose answer is known."""

from __future__ import annotations

from monitoring_builders import at, background, pay


def deposits(account: str, n: int, day: float = 0.0, amount: float = 900.0) -> list[dict]:
    return [
        pay(f"{account}-D{i}", None, account, at(day, 5 * i), amount, channel="cash")
        for i in range(n)
    ]


def test_cash_funnel_pools_cash_and_wires_it_on(run_typology):
    pool = deposits("MTB", 10)  # 9,000 in over two days
    wires = [
        pay("W1", "MTB", "ABROAD1", at(5), 5000.0, orig_country="ID", bene_country="TR"),
        pay("W2", "MTB", "ABROAD2", at(9), 4000.0, orig_country="ID", bene_country="AE"),
    ]
    keeps = [*deposits("SAVER", 12), pay("K1", "SAVER", "SHOP", at(6), 500.0)]  # keeps most
    few = [*deposits("PERSON", 4), pay("F1", "PERSON", "FRIEND", at(3), 3500.0)]
    alerts = run_typology([*pool, *wires, *keeps, *few, *background()], "cash_funnel")
    assert [a.account for a in alerts] == ["MTB"]
    assert set(alerts[0].accounts) == {"MTB", "ABROAD1", "ABROAD2"}
    assert alerts[0].facts["deposits"] == 10 and alerts[0].facts["abroad"] == 1.0
    assert {"W1", "W2", "MTB-D0", "MTB-D9"} <= set(alerts[0].tx_ids)


def test_cash_funnel_leaves_a_cash_business_at_work(run_typology):
    # Pools cash and pays it on every month of the year: a business, not a funnel.
    rows = []
    for month in range(12):
        rows += [
            pay(f"C{month}-{i}", None, "SHOP", at(30 * month, 5 * i), 900.0, channel="cash")
            for i in range(10)
        ]
        rows.append(pay(f"P{month}", "SHOP", "SUPPLIER", at(30 * month + 3), 8000.0))
    assert run_typology(rows, "cash_funnel") == []
    assert run_typology(rows, "cash_funnel", max_windows=100) != []


def test_fan_in_is_a_burst_for_the_account_not_its_everyday_business(run_typology):
    burst = [pay(f"F{i}", f"P{i}", "QUIET", at(100, i), 1000.0) for i in range(6)]
    # The same six payers in one week, but the account is paid every few days all year.
    busy = [pay(f"B{i}", f"Q{i}", "BUSY", at(100, i), 1000.0) for i in range(6)]
    busy += [pay(f"Y{d}", f"R{d % 3}", "BUSY", at(d), 50.0) for d in range(0, 364, 4)]
    alerts = run_typology([*burst, *busy], "fan_in")
    assert [a.account for a in alerts] == ["QUIET"]
    assert alerts[0].facts["share"] == 1.0
    everyone = run_typology([*burst, *busy], "fan_in", min_share=0.0)
    assert {a.account for a in everyone} == {"QUIET", "BUSY"}


def test_bipartite_finds_the_smallest_layer_but_not_a_popular_payee(run_typology):
    layer = [
        pay(f"L{p}{q}", f"PAYER{p}", f"PAYEE{q}", at(1, p + q), 700.0)
        for p in range(2)
        for q in range(2)
    ]
    # Two strangers who both paid the same two accounts, one of them paid all year long.
    popular = [pay(f"R{d}", f"TENANT{d}", "LANDLORD", at(d), 600.0) for d in range(0, 360, 3)]
    strangers = [
        pay("S1", "X1", "LANDLORD", at(200), 600.0),
        pay("S2", "X2", "LANDLORD", at(200, 1), 600.0),
        pay("S3", "X1", "FRIEND", at(200, 2), 80.0),
        pay("S4", "X2", "FRIEND", at(200, 3), 90.0),
    ]
    alerts = run_typology([*layer, *popular, *strangers, *background()], "bipartite")
    assert [set(a.accounts) for a in alerts] == [{"PAYER0", "PAYER1", "PAYEE0", "PAYEE1"}]
    assert alerts[0].facts == {"payers": 2, "payees": 2, "density": 1.0}
    everyone = run_typology([*layer, *popular, *strangers], "bipartite", min_payee_share=0.0)
    assert len(everyone) == 2


def test_structuring_knows_the_russian_cash_threshold(run_typology):
    pieces = [
        pay(f"R{i}", None, "RU-SMURF", at(i), 560_000.0, currency="RUB", channel="cash")
        for i in range(3)
    ]
    wires = [
        pay(f"W{i}", "RU-PAYER", "X", at(i), 560_000.0, currency="RUB", channel="wire")
        for i in range(3)
    ]
    alerts = run_typology([*pieces, *wires], "structuring")
    assert [a.account for a in alerts] == ["RU-SMURF"]
    assert "600,000 RUB reporting threshold" in alerts[0].explanation
