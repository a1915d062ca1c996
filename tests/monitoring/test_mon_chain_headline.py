"""A chain alert's headline counts every account that passed the money on in the chain but
shows one path: it read "money passed on through 5 accounts: 9682 → 19634 → 18580 → 19034"
(two in the middle). The headline now says when the path is one of several."""

from __future__ import annotations

from jalur.monitoring.detectors.chains import _headline


def test_one_path_of_a_wider_chain_is_said_so() -> None:
    facts = {"path": ["A", "B", "C", "D"], "intermediaries": 5, "ordered": True}
    assert _headline(facts) == "money passed on by 5 accounts, one of its paths: A → B → C → D"


def test_a_single_path_reads_as_before() -> None:
    facts = {"path": ["A", "B", "C", "D"], "intermediaries": 2, "ordered": False}
    assert _headline(facts) == (
        "money passed on through 2 accounts: A → B → C → D (not in time order)"
    )
