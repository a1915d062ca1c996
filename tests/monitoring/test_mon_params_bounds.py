"""Settings of 0 that a rule divides by or can never fire with, numbers too large to bind,
and shares above 1 are errors naming the setting (new-user trial, round 6): they were a
ZeroDivisionError or an integer-overflow traceback mid-pass, or a silent run."""

from __future__ import annotations

from typing import Any

import pytest

from jalur.config import ConfigError
from jalur.monitoring import load_params


@pytest.mark.parametrize(
    ("typology", "key", "value"),
    [
        ("structuring", "min_transactions", 0),
        ("fan_in", "min_counterparties", 0),
        ("split_payments", "min_pair_payments", 0),
        ("split_payments", "max_days", 0),
        ("pass_through", "min_pairs", 0),
        ("cash_funnel", "min_deposits", 0),
        ("gather_scatter", "min_payees", 0),
        ("scatter_gather", "min_intermediaries", 0),
        ("bipartite", "min_payers", 0),
        ("fan_out", "max_windows", 0),
        ("amount_anomaly", "max_z", 0.0),
        ("pass_through", "full_amount", 0.0),
        ("structuring", "margin", 0.0),
    ],
)
def test_zero_is_refused_where_it_divides_or_never_fires(
    typology: str, key: str, value: float
) -> None:
    with pytest.raises(ConfigError, match=rf"monitoring\.{typology}\.{key} must be more than 0"):
        load_params({typology: {key: value}})


@pytest.mark.parametrize(
    ("typology", "key"),
    [
        ("fan_in", "same_amount_min_payers"),
        ("fan_in", "small_min_counterparties"),
        ("cycle", "any_order_max_length"),
        ("stack", "relay_max_payments"),
        ("cycle", "min_amount"),
        ("fan_in", "min_share"),
    ],
)
def test_zero_still_switches_off_what_defaults_toml_says_it_does(typology: str, key: str) -> None:
    params = load_params({typology: {key: 0}})
    assert params.of(typology)[key] == 0


def _refused(overrides: dict[str, Any], said: str) -> None:
    with pytest.raises(ConfigError, match=said):
        load_params(overrides)


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"structuring": {"window_days": 1e300}}, r"structuring\.window_days must be at most"),
        ({"structuring": {"min_transactions": 1e300}}, r"min_transactions must be at most"),
        ({"pass_through": {"max_hours": 1e300}}, r"pass_through\.max_hours must be at most"),
        ({"exposure": {"max_hops": 1e300}}, r"exposure\.max_hops must be at most 100"),
        ({"stack": {"relay_window_days": 1e9}}, r"stack\.relay_window_days must be at most"),
    ],
)
def test_numbers_too_large_to_bind_are_refused(overrides: dict[str, Any], said: str) -> None:
    _refused(overrides, said)


@pytest.mark.parametrize(
    ("typology", "key"),
    [
        ("structuring", "margin"),
        ("exposure", "decay"),
        ("exposure", "min_exposure"),
        ("cash_funnel", "min_passed"),
        ("fan_in", "min_share"),
        ("listed_counterparty", "min_hit_score"),
    ],
)
def test_a_share_above_one_is_refused(typology: str, key: str) -> None:
    _refused({typology: {key: 5.0}}, rf"monitoring\.{typology}\.{key} must be at most 1")


def test_large_sound_values_are_kept() -> None:
    params = load_params(
        {
            "cycle": {"window_days": 3650, "min_amount": 1e12, "max_hop_ratio": 3.0},
            "exposure": {"max_hops": 100, "decay": 1.0},
            "structuring": {"margin": 1.0},
        }
    )
    assert params.of("cycle")["window_days"] == 3650
    assert params.of("exposure")["max_hops"] == 100


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"exposure": {"allocation": "x; drop"}}, r"monitoring\.exposure\.allocation must be"),
        ({"trace": {"allocation": "lifo"}}, r"monitoring\.trace\.allocation must be"),
        ({"structuring": {"thresholds": []}}, r"monitoring\.structuring\.thresholds is empty"),
        ({"corridor": {"black_list": ["IR", 1]}}, r"monitoring\.corridor\.black_list item 2"),
        ({"corridor": {"grey_list": [True]}}, r"monitoring\.corridor\.grey_list item 1"),
    ],
)
def test_a_value_no_rule_reads_is_refused_when_read(overrides: dict[str, Any], said: str) -> None:
    """An allocation rule jalur lacks was a ValueError traceback mid-pass (after the other
    typologies had run); no structuring threshold, a pass in which structuring can never
    fire; a number in a country list, a jurisdiction called "1"."""
    _refused(overrides, said)


def test_an_empty_country_list_and_amount_anomaly_without_thresholds_are_kept() -> None:
    params = load_params({"corridor": {"grey_list": []}, "amount_anomaly": {"thresholds": []}})
    assert params.of("corridor")["grey_list"] == []


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"cycle": {"currency_drift": 0.5}}, r"cycle\.currency_drift must be at least 1"),
        ({"chain": {"currency_drift": 0.0}}, r"chain\.currency_drift must be at least 1"),
        ({"stack": {"currency_drift": 0.9}}, r"stack\.currency_drift must be at least 1"),
        ({"chain": {"min_hop_ratio": 0.0}}, r"chain\.min_hop_ratio must be more than 0"),
        (
            {"cycle": {"any_order_min_hop_ratio": 0.0}},
            r"monitoring\.cycle\.any_order_min_hop_ratio must be more than 0",
        ),
    ],
)
def test_a_hop_ratio_of_0_or_a_currency_drift_below_1_is_refused(
    overrides: dict[str, Any], said: str
) -> None:
    """The path searches refuse them (a ValueError traceback mid-pass, after the typologies
    before had run); the stack's relays took a drift below 1 silently: a hop that changes
    currency then had a narrower band than one that does not."""
    _refused(overrides, said)


def test_a_currency_drift_of_1_still_switches_it_off() -> None:
    params = load_params({"cycle": {"currency_drift": 1.0}, "stack": {"currency_drift": 1}})
    assert params.of("cycle")["currency_drift"] == 1.0


@pytest.mark.parametrize("typology", ["structuring", "amount_anomaly"])
def test_a_threshold_in_a_currency_iso_4217_lacks_is_refused(typology: str) -> None:
    """`currency = "IDRR"` (a typo) matched no payment: structuring found nothing, silently,
    and an override replaces the whole list, so every threshold was gone with it."""
    item = {"currency": "IDRR", "channel": "cash", "threshold": 500_000_000.0}
    _refused(
        {typology: {"thresholds": [item]}},
        rf"monitoring\.{typology}\.thresholds item 1: currency 'IDRR' is not an ISO 4217 code",
    )
    item["currency"] = "idr"  # matched as IDR, as the detector reads it
    assert load_params({typology: {"thresholds": [item]}}).of(typology)["thresholds"] == [item]
