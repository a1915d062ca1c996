"""Round 7 of the new-user trial: data that could break a page, and numbers in the reader's
locale. Each test names the input that broke the page before its fix."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from jalur.web.i18n import LOCALES, Words
from jalur.web.pages import PREFIX, script_json, templates


class _Scripts(HTMLParser):
    """What a browser's parser puts in each <script> element, and what it sees after them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.after: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script"
        if not self._inside:
            self.after.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts.append(data)


def test_a_holder_named_like_markup_stays_data_in_the_network_page() -> None:
    # "<!--<script>" in a holder's name put the HTML parser in its "double escaped" state: the
    # page's own </script> then no longer ended the data block and the rest of the page vanished.
    payload = {"name": "<!--<script>x</script>-->", "sep": "\u2028", "amp": "a&b"}
    text = script_json(payload)
    for bad in ("<!--", "<script", "</", "-->", "\u2028"):
        assert bad not in text
    assert json.loads(text) == payload
    parser = _Scripts()
    parser.feed(f'<script type="application/json">{text}</script><p>after</p>')
    assert json.loads("".join(parser.scripts)) == payload
    assert parser.after == ["p"]


def _render(template: str, locale: str, **context: Any) -> str:
    words = Words(locale)
    return templates.get_template(template).render(
        user=None, w=words, t=words.t, locales=LOCALES, csrf="", here="", prefix=PREFIX,
        may=lambda right: False, **context,
    )  # fmt: skip


def test_counts_are_written_in_the_readers_locale() -> None:
    # An Indonesian auditor read "12345" entries (and "12345" alerts, list entities) where
    # every amount and score beside them was written "12.345": counts skipped the locale.
    state = {"intact": True, "entries": 12345, "head": "ab", "newest_seal": None,
             "unsealed_tail": 2345, "problems": []}  # fmt: skip
    audit = _render("audit.html", "id", state=state, recent={"total": 12345, "entries": []})
    assert "12345" not in audit and "2345<" not in audit
    assert audit.count("12.345") == 2 and "2.345" in audit
    lists = _render("lists.html", "id", lists=[{"list": "dttot", "version_id": 3,
                                                 "entities": 23456, "marking": None}])  # fmt: skip
    assert "23.456" in lists and "23456" not in lists
    version = {"version_id": 3, "retrieved_at": None, "sha256": "ab", "entity_count": 23456}
    delta = {"version": 3, "added": [f"e{i}" for i in range(1234)], "removed": [], "changed": []}
    one = _render("list.html", "en", name="dttot", versions={"versions": [version]}, delta=delta,
                  shown=200)  # fmt: skip
    assert "23,456" in one and "23456" not in one
    assert "<small>1,234</small>" in one and "and 1,034 more, not shown" in one
    filters = {"typology": None, "account": None, "min_score": None, "sort": "-score"}
    queue = _render("alerts.html", "id", alerts=[], total=12345, offset=0, page_size=20,
                    filters=filters, typologies=[], colleagues=[], opened={})  # fmt: skip
    assert "12.345" in queue and "12345" not in queue


ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def test_the_proposer_is_not_offered_a_return_the_workflow_refuses(ui: Any) -> None:
    # A supervisor who proposed a decision was shown "Return" on it; pressing it answered 409
    # ("another supervisor must return it (four eyes)").
    sam = ui("sam")
    page = sam.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    opened = sam.post(f"/ui/alerts/{ALERT.findall(page)[-1]}/case", {"assignee": "sam"})
    case = opened.headers["location"]
    proposed = sam.post(f"{case}/propose", {"decision": "close", "reason": "no link"}, case)
    assert proposed.status_code == 303, proposed.text
    shown = sam.get(case).text
    assert "Four eyes: the proposer cannot approve." in shown
    assert 'id="return"' not in shown and 'id="approve"' not in shown
    assert sam.post(f"{case}/return", {"reason": "mine"}, case).status_code == 409


def test_a_bad_query_or_address_under_ui_answers_a_page_not_json(ui: Any) -> None:
    # /ui/alerts?offset=-1 showed the browser raw problem+json (no page, no way back, not in
    # the reader's language); so did an unknown /ui path and a GET of the sign-out form.
    ana = ui("ana")
    for url, status in (("/ui/alerts?offset=-1", 422), ("/ui/alerts?min_score=2", 400),
                        ("/ui/no-such-page", 404), ("/ui/sign-out", 405)):  # fmt: skip
        answer = ana.get(url)
        assert answer.status_code == status, url
        assert answer.headers["content-type"].startswith("text/html"), url
        assert 'href="/ui/alerts"' in answer.text and "Signed in as" in answer.text, url
    assert "offset" in ana.get("/ui/alerts?offset=-1").text
    api = ana.get("/v1/alerts", params={"offset": -1})
    assert api.headers["content-type"].startswith("application/problem+json")


def test_a_case_status_that_does_not_exist_is_named_not_an_empty_list(ui: Any) -> None:
    # /ui/cases?status=opne listed "Cases 0 · Nothing here." as if no case were open.
    ana = ui("ana")
    answer = ana.get("/ui/cases", params={"status": "opne"})
    assert answer.status_code == 400
    assert "opne" in answer.text and "investigating" in answer.text
    assert ana.get("/ui/cases", params={"status": "open"}).status_code == 200
    assert ana.get("/ui/cases", params={"status": ""}).status_code == 200


def test_the_goaml_report_is_made_by_a_post_with_the_forms_token(ui: Any) -> None:
    # GET /ui/cases/{id}/report made the report: a link or a prefetch wrote its hash into the
    # case's timeline and the audit trail, without the form's CSRF token.
    ana, sam = ui("ana"), ui("sam")
    page = ana.get("/ui/alerts", params={"typology": "terror_exposure"}).text
    case = ana.post(f"/ui/alerts/{ALERT.findall(page)[0]}/case", {}).headers["location"]
    fields = {"decision": "report", "report_type": "LTKMT", "reason": "listed man paid"}
    assert ana.post(f"{case}/propose", fields, case).status_code == 303
    assert sam.post(f"{case}/approve", {}, case).status_code == 303
    shown = ana.get(case).text
    assert '<form id="report" method="post"' in shown and "sha256" not in shown
    rates = {"rates": "USD=16250 EUR=17600"}
    assert ana.get(f"{case}/report", params=rates).status_code == 405
    tokenless = ana.client.post(f"{case}/report", data=rates, follow_redirects=False)
    assert tokenless.status_code == 403
    assert "sha256" not in ana.get(case).text  # neither made the report
    made = ana.post(f"{case}/report", rates, case)
    assert made.status_code == 200 and b"<report_code>LTKMT</report_code>" in made.content
    assert "sha256" in ana.get(case).text


def test_pages_refuse_to_be_framed_or_sniffed(ui: Any) -> None:
    # The UI's pages carried no framing policy: another site could frame the case page under
    # its own buttons (the session cookie is SameSite=Strict; the headers make it sure).
    ana = ui("ana")
    for url in ("/ui/alerts", "/ui/no-such-page"):
        headers = ana.get(url).headers
        assert headers["x-frame-options"] == "DENY", url
        assert "frame-ancestors 'none'" in headers["content-security-policy"], url
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "same-origin", url
