"""The FIU's red-flag indicator codes offered as a pick-list in a case's report form.

The UAE profile requires indicators, and its schema enumerates some four hundred of them, each
with what it means; the form was a bare text box, so the analyst typed codes from memory (or
from the XSD). The form now offers the codes the profile's schema defines, with their meaning;
the server still validates what is sent, and a refusal keeps what was picked.
"""

from __future__ import annotations

import html
import re
from typing import Any

from test_report_form9 import _approved_case, uae  # noqa: F401  (uae: the fixture)

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _indicators(page: str) -> list[tuple[str, bool, str]]:
    """The report form's indicator pick-list: (code, picked, what is shown) per option."""
    found = re.search(
        r'<select [^>]*name="indicators"[^>]*multiple[^>]*>(.*?)</select>', page, re.S
    )
    assert found, "no indicator pick-list in the report form"
    return [(v, bool(s), html.unescape(text)) for v, s, text in OPTION.findall(found.group(1))]


def test_the_report_form_offers_the_profiles_indicator_codes(uae: Any) -> None:  # noqa: F811
    ana = uae("ana")
    case = _approved_case(uae)
    offered = _indicators(ana.get(case).text)
    codes = {code: text for code, _picked, text in offered}
    assert len(codes) == len(offered) > 400  # the UAE schema's codes, each once
    assert "undisclosed principal" in codes["ACTRC"] and "ACTRC" in codes["ACTRC"]
    assert "AAA001" not in codes  # PPATK's codes are not the UAE's
    form = {
        "csrf": ana.csrf(case),
        "rates": "IDR=0.00024",
        "client_banks": "BNINIDJA",
        "indicators": ["ACTRC", "AFFRD"],
    }  # fmt: skip  (as a browser sends a pick)
    made = ana.client.post(f"{case}/report", data=form)
    assert made.status_code == 200, made.text
    xml = made.content.decode()
    assert "<indicator>ACTRC</indicator>" in xml and "<indicator>AFFRD</indicator>" in xml


def test_a_refused_report_keeps_the_picked_codes_and_an_unknown_one_is_refused(
    uae: Any,  # noqa: F811
) -> None:
    ana = uae("ana")
    case = _approved_case(uae)
    form = {"csrf": ana.csrf(case), "rates": "IDR=0.00024", "client_banks": "BNINIDJA",
            "indicators": ["AFFRD", "NOPE1"]}  # fmt: skip
    refused = ana.client.post(f"{case}/report", data=form)
    assert refused.status_code == 400
    page = refused.text
    picked = {code for code, chosen, _text in _indicators(page) if chosen}
    assert picked == {"AFFRD", "NOPE1"}  # kept, the unknown one too, to be taken off
    said = re.search(r'id="indicators-error"[^>]*>(.*?)</', page, re.S)
    assert said and "NOPE1" in said.group(1)
    assert "sha256" not in ana.get(case).text
