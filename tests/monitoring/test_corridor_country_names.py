"""The corridor's `black_list` and `grey_list` are read as countries however written: payments
store alpha-2 codes, and an analyst's `black_list = ["IRN", "Myanmar"]` matched no payment,
without a word. An entry that names no country is refused, naming it."""

from __future__ import annotations

import pytest
from monitoring_builders import at, pay

from jalur.config import ConfigError
from jalur.monitoring import load_params


def test_country_names_and_alpha3_codes_are_read_to_alpha2(run_typology) -> None:  # type: ignore[no-untyped-def]
    listed = {"black_list": ["IRN", "Myanmar"], "grey_list": ["ye"]}
    read = load_params({"corridor": listed}).of("corridor")
    assert (read["black_list"], read["grey_list"]) == (["IR", "MM"], ["YE"])
    rows = [pay("I1", "LOCAL", "TEH", at(0), 20_000.0, orig_country="ID", bene_country="IR")]
    (alert,) = run_typology(rows, "corridor", **listed)
    assert (alert.account, alert.facts["country"]) == ("LOCAL", "IR")


def test_an_entry_that_names_no_country_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"black_list item 2 names no country .*'Atlantis'"):
        load_params({"corridor": {"black_list": ["IR", "Atlantis"]}})
