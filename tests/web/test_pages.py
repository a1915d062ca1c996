"""Every page of the UI through TestClient, on SQLite and PostgreSQL: what an analyst sees, what
another agency does not see (404, absent from lists and searches), CSRF refusals, four eyes on
the server, and the language switch kept per user."""

from __future__ import annotations

import re
from typing import Any

import pytest

from case_story import PW

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _alerts(person: Any, **params: str) -> list[str]:
    return ALERT.findall(person.get("/ui/alerts", params=params).text)


def _open_case(person: Any, typology: str = "terror_exposure") -> str:
    page = person.get("/ui/alerts", params={"typology": typology, "account": "ACC-MULE"}).text
    alert = ALERT.findall(page)[0]
    answer = person.post(f"/ui/alerts/{alert}/case", {"assignee": "ana"})
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _act(person: Any, case: str, action: str, **fields: str) -> Any:
    return person.post(f"{case}/{action}", fields, csrf_from=case)


def _channel_id(person: Any) -> str:
    with person.client.app.state.service.analytic.reader() as store:
        return str(store.records("SELECT channel_id FROM channels LIMIT 1")[0]["channel_id"])


def test_a_page_without_a_session_sends_the_browser_to_sign_in(ui: Any) -> None:
    fresh = ui("ana").client.__class__(ui("ana").client.app)
    answer = fresh.get("/ui/cases", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/sign-in?next=%2Fui%2Fcases"
    assert fresh.get("/ui/alerts").url.path == "/ui/sign-in"


def test_the_session_cookie_is_http_only_and_same_site_strict(ui: Any) -> None:
    browser = ui("sam").__class__(ui("sam").client.__class__(ui("sam").client.app))
    answer = browser.sign_in("sam")
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "jalur_session=jlt_" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie
    refused = browser.sign_in("sam", "not the password")
    assert refused.status_code == 401 and "Unknown user or wrong password." in refused.text


def test_the_alert_queue_filters_and_sorts_by_score(ui: Any) -> None:
    ana = ui("ana")
    page = ana.get("/ui/alerts").text
    scores = [float(s) for s in re.findall(r'class="score \w+">([0-9.]+)<', page)]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)
    worst_first = ana.get("/ui/alerts", params={"sort": "score"}).text
    assert [float(s) for s in re.findall(r'class="score \w+">([0-9.]+)<', worst_first)] == sorted(
        scores
    )
    only = ana.get("/ui/alerts", params={"typology": "drug_exposure", "min_score": "0.8"}).text
    assert "drug_exposure" in only and "terror_exposure</a>" not in only
    assert _alerts(ana, min_score="0.99") == []


def test_an_alert_page_explains_the_alert_and_lists_its_payments(ui: Any) -> None:
    ana = ui("ana")
    alert = _alerts(ana, typology="terror_exposure", account="ACC-MULE")[0]
    page = ana.get(f"/ui/alerts/{alert}").text
    assert "terror-linked" in page and "T2" in page and "Abu Rusdan" in page
    assert "85,000,000.00" in page


def test_a_case_is_worked_proposed_approved_and_reported(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _open_case(ana)
    assert _act(ana, case, "comment", text="mule pays the cell").status_code == 303
    early = _act(ana, case, "report")
    assert early.status_code == 400 and "cannot be reported" in early.text
    proposed = _act(ana, case, "propose", decision="report", report_type="LTKMT",
                    reason="drug money reaches a listed man")  # fmt: skip
    assert proposed.status_code == 303
    page = ana.get(case).text
    assert "mule pays the cell" in page and 'class="status proposed"' in page
    assert 'id="approve"' not in page  # not offered to the proposer
    assert _act(ana, case, "approve").status_code == 403  # an analyst may not approve at all
    assert _act(sam, case, "approve").status_code == 303
    assert 'name="rates"' in ana.get(case).text  # rates and consent can be given in the page
    bad_rate = _act(ana, case, "report", rates="USD=16250 EUR")
    assert bad_rate.status_code == 400 and "rate &#39;EUR&#39;" in bad_rate.text, bad_rate.text
    report = _act(ana, case, "report", rates="USD=16250, EUR=17600")
    assert report.status_code == 200, report.text
    assert report.headers["content-type"].startswith("application/xml")
    assert "attachment" in report.headers["content-disposition"]
    assert b"<report_code>LTKMT</report_code>" in report.content
    assert "sha256" in ana.get(case).text  # the report's hash is in the case


def test_the_proposer_cannot_approve_their_own_proposal(ui: Any) -> None:
    sam = ui("sam")
    case = _open_case(sam, "listed_counterparty")
    _act(sam, case, "propose", decision="close", reason="known donor")
    refused = _act(sam, case, "approve")
    assert refused.status_code == 409
    assert 'class="status proposed"' in sam.get(case).text


def test_a_case_can_be_returned_with_a_reason(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _open_case(ana, "drug_exposure")
    _act(ana, case, "propose", decision="close", reason="looks fine")
    assert _act(sam, case, "return", reason="check the source first").status_code == 303
    page = ana.get(case).text
    assert 'class="status returned"' in page and "check the source first" in page


def test_the_network_view_of_a_case_and_of_a_traced_channel(ui: Any) -> None:
    ana = ui("ana")
    case = _open_case(ana)
    page = ana.get(f"{case}/network").text
    assert "cytoscape.min.js" in page and "ACC-CELL" in page
    assert '"kind": "terror"' in page  # the listed man's account is marked
    assert "/ui/accounts/ACC-CELL" in page  # click-through
    channel = ana.get(f"/ui/channels/{_channel_id(ana)}/network").text
    assert '"kind": "drug"' in channel and '"highlight"' in channel
    script = ana.get("/ui/static/cytoscape.min.js")
    assert script.status_code == 200 and "cytoscape" in script.text[:2000].lower()


def test_entity_account_screening_lists_and_audit_pages(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    entity = ana.get("/ui/entities/dttot-rusdan").text
    assert "Abu Rusdan" in entity and "DTTOT 2024" in entity and "PPATK" in entity
    assert "ACC-CELL" in entity  # the screening hit on it
    assert "dttot-rusdan" in ana.get("/ui/entities", params={"q": "Abu Rusdan"}).text
    account = ana.get("/ui/accounts/ACC-DRUG").text
    assert "Kartel Narkoba Jaya" in account and 'class="flag drug"' in account
    hits = ana.get("/ui/screening", params={"name": "Abu Rusdan", "birth_date": "1960"}).text
    assert "Why it hit" in hits and "alias" in hits and "dttot" in hits
    assert "No hits." in ana.get("/ui/screening", params={"name": "Zzyzx Qwerty"}).text
    assert "dttot" in ana.get("/ui/lists").text
    versions = ana.get("/ui/lists/dttot").text
    assert "Last delta" in versions and "dttot-rusdan" in versions
    audit = sam.get("/ui/audit").text
    assert 'class="chain ok"' in audit and "auth.token" in audit
    assert ana.get("/ui/audit").status_code == 403  # an analyst may not read the trail


def test_another_agency_sees_nothing_of_a_case_or_its_data(ui: Any) -> None:
    ana, bob = ui("ana"), ui("bob")
    case = _open_case(ana)
    case_id = case.rsplit("/", 1)[1]
    for url in (case, f"{case}/network", f"{case}/report"):
        answer = bob.post(url, {}) if url.endswith("/report") else bob.get(url)
        assert answer.status_code == 404, url
        assert f"no case {case_id}" in answer.text and "ACC-MULE" not in answer.text
    missing = bob.get("/ui/cases/CASE-0000000000")
    assert missing.text.replace("CASE-0000000000", case_id) == bob.get(case).text
    assert case_id not in bob.get("/ui/cases").text
    assert _alerts(bob) == [] and "ACC-MULE" not in bob.get("/ui/alerts").text
    assert bob.get("/ui/entities/dttot-rusdan").status_code == 404
    assert "dttot-rusdan" not in bob.get("/ui/entities", params={"q": "Abu Rusdan"}).text
    assert "dttot" not in bob.get("/ui/screening", params={"name": "Abu Rusdan"}).text
    assert "dttot" not in bob.get("/ui/lists").text
    assert bob.get("/ui/accounts/ACC-MULE").status_code == 404
    assert bob.get(f"/ui/channels/{_channel_id(ana)}/network").status_code == 404
    refused = bob.post(f"{case}/comment", {"text": "hello"})
    assert refused.status_code == 404
    assert "hello" not in ana.get(case).text


def test_a_form_without_its_csrf_token_changes_nothing(ui: Any) -> None:
    ana, sam = ui("ana"), ui("sam")
    case = _open_case(ana)
    before = ana.get(case).text.count("<li>")
    bare = ana.client.post(f"{case}/comment", data={"text": "forged"}, follow_redirects=False)
    assert bare.status_code == 403 and "form has expired" in bare.text
    other = ana.client.post(
        f"{case}/comment", data={"text": "forged", "csrf": sam.csrf()}, follow_redirects=False
    )
    assert other.status_code == 403
    assert "forged" not in ana.get(case).text
    assert ana.get(case).text.count("<li>") == before
    sign_in = ana.client.__class__(ana.client.app).post(
        "/ui/sign-in", data={"username": "ana", "password": PW, "csrf": "x"},
        follow_redirects=False,
    )  # fmt: skip
    assert sign_in.status_code == 403  # no double-submit cookie: login CSRF refused


def test_the_language_is_kept_per_user_and_formats_amounts(ui: Any) -> None:
    ana, bob = ui("ana"), ui("bob")
    alert = _alerts(ana, typology="terror_exposure", account="ACC-MULE")[0]
    try:
        assert (
            ana.post("/ui/preferences", {"locale": "id", "next": "/ui/cases"}).headers["location"]
            == "/ui/cases"
        )
        page = ana.get(f"/ui/alerts/{alert}").text
        assert '<html lang="id">' in page and "Transaksi" in page
        assert "Rp" in page and "85.000.000,00" in page  # Indonesian grouping and decimals
        assert "Alert queue" in bob.get("/ui/alerts").text  # bob's own choice: English
        again = ana.__class__(ana.client.__class__(ana.client.app))
        again.sign_in("ana")
        assert "Antrean peringatan" in again.get("/ui/alerts").text  # kept, not per session
        ana.post("/ui/preferences", {"locale": "ru"})
        assert "Очередь оповещений" in ana.get("/ui/alerts").text
        assert ana.post("/ui/preferences", {"locale": "xx"}).status_code == 400
    finally:
        ana.post("/ui/preferences", {"locale": "en"})


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_going_back_after_a_form_stays_on_the_ui(ui: Any, target: str) -> None:
    answer = ui("ana").post("/ui/preferences", {"locale": "en", "next": target})
    assert answer.headers["location"] == "/ui/"


def test_an_approved_case_without_its_report_is_offered_for_return(ui: Any) -> None:
    """A report the FIU's schema refuses left the case approved for good, with nothing on the
    page to send it back; a supervisor now returns it while no report was generated."""
    ana, sam = ui("ana"), ui("sam")
    case = _open_case(ana, "drug_exposure")
    _act(ana, case, "propose", decision="report", report_type="LTKMT", reason="structured")
    assert _act(sam, case, "approve").status_code == 303
    assert 'id="return"' not in ana.get(case).text  # an analyst does not return
    assert 'id="return"' in sam.get(case).text
    assert _act(sam, case, "return", reason="a name longer than goAML holds").status_code == 303
    assert 'class="status returned"' in ana.get(case).text
