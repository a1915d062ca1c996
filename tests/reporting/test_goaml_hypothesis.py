"""Arbitrary names and amounts: the report is schema-valid, or every problem names its field.

Never another kind of exception, never XML that does not parse or validate.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from goaml_cases import complete_case, foreign_account, payment, person
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from jalur.reporting import ReportInvalidError, Subject, build_report, load_profile

TEXT = st.characters(blacklist_categories=("Cs",))  # any Unicode but lone surrogates
NAMES = st.one_of(
    st.text(TEXT, max_size=30),
    st.text(TEXT, min_size=95, max_size=400),
    st.sampled_from(["Abu Rusdan", 'O\'Brien <&> "Ltd"', " ", "\x00\x0b\x1f", "A" * 5000]),
)
AMOUNTS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, 0.0, -0.0, 1e308, 0.123456789012345, Decimal("1E-30")]),
)
SHARED_SCHEMA = {
    "ppatk-4.0.2": "goaml/goAMLSchema_PPATK_4.0.2_2019-12-09.xsd",
    "uae-5.0.2": "goaml/goAMLSchema_UAE_5.0.2_strict-validator-patch_by_Vyttah.xsd",
}
CODES = {"ppatk-4.0.2": "LTKMT", "uae-5.0.2": "STR"}


def fields_of(profile_name: str) -> set[str]:
    profile = load_profile(profile_name)
    names = {f.element for kind in profile.kinds.values() for f in kind.fields}
    return (
        names
        | {f.each for kind in profile.kinds.values() for f in kind.fields if f.each}
        | {"amount"}
    )


@pytest.mark.parametrize("profile_name", ["ppatk-4.0.2", "uae-5.0.2"])
def test_arbitrary_names_and_amounts(shared_data: Path, profile_name: str) -> None:
    profile = load_profile(profile_name)
    schema = etree.XMLSchema(etree.parse(str(shared_data / SHARED_SCHEMA[profile_name])))
    fields = fields_of(profile_name)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(name=NAMES, holder=NAMES, amount=AMOUNTS)
    def check(name: str, holder: str, amount: object) -> None:
        case = complete_case(profile_name, CODES[profile_name])
        listed = person("listed-1", "x", nationality="ph")
        listed.set("name", name, cleaned=True)  # raw text, past FtM's own cleaning
        account = replace(foreign_account(), name=holder)
        row = payment("t1", 0, profile.local_currency, purpose=name, bene_name=holder)
        case = replace(
            case,
            subjects=(case.subjects[0], Subject(entity=listed)),
            accounts=(case.accounts[0], account),
            payments=(row | {"amount": amount},),
        )
        try:
            data = build_report(case, profile)
        except ReportInvalidError as refused:
            assert refused.problems
            for problem in refused.problems:
                named = set(re.findall(r": (\w+)[ :']", problem))
                assert named & fields, problem
            return
        document = etree.fromstring(data)
        assert schema.validate(document), schema.error_log

    check()
