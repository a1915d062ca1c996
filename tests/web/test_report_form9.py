"""The goAML report form of a case page under an FIU that asks for more than PPATK does.

The UAE profile requires the report's indicators (the FIU's red-flag codes), and the bank's own
accounts (client banks) make their holders clients, reported in fuller shapes: the command line
and the API take both, the browser's form took neither, so such a workspace could not file from
the browser. A refusal showed a bare error page, with what the analyst had typed gone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from web_world import prepare, served

from case_story import REPORTING

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')
UAE = REPORTING.replace("[reporting]\n", '[reporting]\nprofile = "uae-5.0.2"\n').replace(
    'country = "ID"', 'state = "Dubai"\ncountry = "AE"'
)


@pytest.fixture(scope="module")
def uae(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    settings = prepare(tmp_path_factory.mktemp("web") / "home", None, UAE, "trade payment")
    for _app, person in served(settings):
        yield person


def _approved_case(uae: Any) -> str:
    ana, sam = uae("ana"), uae("sam")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = str(ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"])
    fields = {"decision": "report", "report_type": "STR", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    assert sam.post(f"{case}/approve", {}, case).status_code == 303
    return case


def _field(page: str, name: str) -> str:
    """The value the page's report form shows in one of its inputs."""
    found = re.search(rf'<input [^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no {name} input with a value in the report form"
    return found.group(1)


def test_the_report_form_takes_indicators_and_client_banks(uae: Any) -> None:
    ana = uae("ana")
    case = _approved_case(uae)
    shown = ana.get(case).text
    assert 'name="indicators"' in shown and 'name="client_banks"' in shown
    typed = {"rates": "IDR=0.00024", "indicators": "ACTRC, AFFRD"}
    # The beneficiary's bank named ours: its holder is our client, whose file goAML wants whole.
    ours = ana.post(f"{case}/report", {**typed, "client_banks": "BMRIIDJA"}, case)
    assert ours.status_code == 400
    assert "account &#39;ACC-CELL&#39;: opened is missing" in ours.text
    assert _field(ours.text, "client_banks") == "BMRIIDJA"
    made = ana.post(f"{case}/report", {**typed, "client_banks": "BNINIDJA"}, case)
    assert made.status_code == 200, made.text
    xml = made.content.decode()
    assert "<indicator>ACTRC</indicator>" in xml and "<indicator>AFFRD</indicator>" in xml
    assert "_my_client>" not in xml  # no account of the case is at the bank named
    assert "sha256" in ana.get(case).text


def test_a_refused_report_keeps_what_was_typed_and_says_which_field(uae: Any) -> None:
    ana = uae("ana")
    case = _approved_case(uae)
    typed = {"rates": "IDR=0.00024", "client_banks": "BNINIDJA <b>", "indicators": ""}
    refused = ana.post(f"{case}/report", typed, case)
    assert refused.status_code == 400
    page = refused.text
    assert '<form id="report"' in page  # the case page again, not a bare error page
    assert _field(page, "rates") == "IDR=0.00024"
    assert _field(page, "client_banks") == "BNINIDJA &lt;b&gt;"
    said = re.search(r'id="indicators-error"[^>]*>(.*?)</', page, re.S)
    assert said and "indicators" in said.group(1), page
    assert 'aria-describedby="indicators-error' in page
    assert "sha256" not in ana.get(case).text  # nothing was reported


def test_a_malformed_rate_or_code_is_named_next_to_its_field(uae: Any) -> None:
    ana = uae("ana")
    case = _approved_case(uae)
    typed = {"rates": "IDR", "client_banks": "X" * 17, "indicators": "ACTRC"}
    refused = ana.post(f"{case}/report", typed, case)
    assert refused.status_code == 400
    page = refused.text
    rates = re.search(r'id="rates-error"[^>]*>(.*?)</', page, re.S)
    assert rates and "IDR" in rates.group(1)
    banks = re.search(r'id="client_banks-error"[^>]*>(.*?)</', page, re.S)
    assert banks and "16" in banks.group(1)
    assert '<option value="ACTRC" selected>' in page and _field(page, "rates") == "IDR"


def test_another_agency_mending_the_form_gets_the_missing_case_page(uae: Any) -> None:
    # A refusal draws the case page again: for a user of another agency it must stay the 404
    # of a case that does not exist, whatever the form held, with nothing of the case shown.
    case = _approved_case(uae)
    bob = uae("bob")
    for typed in ({"rates": "IDR"}, {"indicators": "ACTRC"}, {"client_banks": "X" * 17}):
        refused = bob.post(f"{case}/report", typed)
        assert refused.status_code == 404, typed
        assert "listed man paid" not in refused.text and 'id="report"' not in refused.text


def test_the_report_form_takes_the_action_the_bank_took(uae: Any) -> None:
    """goAML's `action` (what the bank did): the command line's `--action`, which the form and
    the API lacked, so a report from the browser always said the four-eyes decision."""
    ana = uae("ana")
    case = _approved_case(uae)
    assert 'name="action"' in ana.get(case).text
    typed = {"rates": "IDR=0.00024", "indicators": "ACTRC", "client_banks": "BNINIDJA"}
    said = "Account frozen 2026-03-02; customer exited"
    made = ana.post(f"{case}/report", {**typed, "action": said}, case)
    assert made.status_code == 200, made.text
    assert f"<action>{said}</action>" in made.content.decode()
