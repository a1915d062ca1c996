"""`[stream]` settings of the wrong kind or out of range are errors naming the setting (new-user
trial, round 7). They were taken as they came: `hold = "screening:terror"` (text where a list
goes) became the set of its letters, so a payment to a terror-listed party was no longer held
(fail-unsafe); `batch = 0` ended `stream run` in `ValueError: nats: invalid batch size`;
`ack_wait = -1` or a score of 2 were kept and meant nothing sensible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from small_lists import LISTED_PERSON, payment, small_decider

from jalur.config import ConfigError
from jalur.stream import load_config


@pytest.mark.parametrize(
    ("section", "key", "value", "said"),
    [
        ("decision", "hold", "screening:terror", r"\[stream\.decision\] hold must be a list"),
        ("decision", "review", ["*", 3], r"\[stream\.decision\] review item 2 must be text"),
        ("decision", "hold_hit_score", "high", r"hold_hit_score must be a number"),
        ("decision", "hold_hit_score", 2.0, r"hold_hit_score must be a number between 0 and 1"),
        ("risk", "review_score", -0.5, r"review_score must be a number between 0 and 1"),
        ("risk", "hold_score", float("nan"), r"hold_score must be a number between 0 and 1"),
        ("nats", "batch", 0, r"\[stream\.nats\] batch must be a whole number of at least 1"),
        ("nats", "batch", 2.5, r"batch must be a whole number of at least 1"),
        ("nats", "ack_wait", -1, r"ack_wait must be a number of seconds above 0"),
        ("nats", "ack_wait", float("inf"), r"ack_wait must be a number of seconds above 0"),
        ("nats", "subject", "", r"\[stream\.nats\] subject must be text, not ''"),
        ("nats", "stream", 7, r"\[stream\.nats\] stream must be text"),
        ("run", "typologies", "cycle", r"\[stream\.run\] typologies must be a list"),
    ],
)
def test_a_setting_of_the_wrong_kind_or_range_is_named(
    section: str, key: str, value: Any, said: str
) -> None:
    with pytest.raises(ConfigError, match=said):
        load_config({section: {key: value}})


def test_sound_overrides_are_kept() -> None:
    config = load_config(
        {
            "decision": {"hold": ["screening:terror"], "hold_hit_score": 1},
            "nats": {"batch": 50, "ack_wait": 5},
            "risk": {"review_score": 0},
        }
    )
    assert config.section("decision")["hold"] == ["screening:terror"]
    assert config.section("nats")["batch"] == 50
    assert config.section("nats")["ack_wait"] == 5


def test_a_terror_listed_payee_is_still_held_with_the_default_hold_list(tmp_path: Path) -> None:
    """The other side of the first case: the list as shipped holds the payment."""
    decider = small_decider(tmp_path / "state.sqlite")
    outcome = decider.decide_many([_to_listed()])[0]
    assert outcome.decision["decision"] == "hold"


def _to_listed() -> Any:
    from jalur.stream import payment_from_row

    return payment_from_row(payment("TX-HOLD", bene_name=LISTED_PERSON))
