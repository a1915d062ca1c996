"""The case pages' defects of round 6, through TestClient: reads of a case in the trail, line
breaks of a comment, the HTML error page for a NUL byte, and the typology filter's choices."""

from __future__ import annotations

import re
from typing import Any

from jalur import audit

ALERT = re.compile(r'/ui/alerts/(ALR-[0-9a-f]+)"')


def _open_case(person: Any) -> str:
    page = person.get("/ui/alerts", params={"account": "ACC-MULE"}).text
    alert = ALERT.findall(page)[0]
    answer = person.post(f"/ui/alerts/{alert}/case", {"assignee": "ana"})
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _reads(person: Any, case_id: str) -> list[tuple[str | None, dict[str, Any]]]:
    engine = person.client.app.state.service.engine
    with engine.connect() as con:
        return [(e.user, e.details) for e in audit.entries(con, case_id) if e.action == "case.show"]


def test_reading_a_case_page_is_in_the_trail(ui: Any) -> None:
    ana = ui("ana")
    case = _open_case(ana)
    case_id = case.rsplit("/", 1)[1]
    assert _reads(ana, case_id) == []
    assert ana.get(case).status_code == 200
    assert ana.get(f"{case}/network").status_code == 200
    assert _reads(ana, case_id) == [
        ("ana", {"via": "web"}),
        ("ana", {"via": "web", "view": "network"}),
    ]
    assert ui("bob").get(case).status_code == 404  # another agency's: not shown, not recorded
    assert len(_reads(ana, case_id)) == 2


def test_a_comment_keeps_its_line_breaks_as_text(ui: Any) -> None:
    ana = ui("ana")
    case = _open_case(ana)
    typed = "first line\nsecond <b>line</b>\n\n  indented"
    assert ana.post(f"{case}/comment", {"text": typed}, csrf_from=case).status_code == 303
    page = ana.get(case).text
    shown = "first line\nsecond &lt;b&gt;line&lt;/b&gt;\n\n  indented"
    assert f'<span class="lines">{shown}</span>' in page  # escaped, never markup
    assert "<b>line</b>" not in page
    css = ana.get("/ui/static/app.css").text
    rule = re.search(r"\.lines\s*\{([^}]*)\}", css)
    assert rule is not None and "white-space: pre-wrap" in rule.group(1)


def test_a_nul_byte_in_a_ui_request_gets_the_html_error_page(ui: Any) -> None:
    ana = ui("ana")
    case = _open_case(ana)
    for answer in (
        ana.get("/ui/entities", params={"q": "Abu\x00Rusdan"}),
        ana.get("/ui/cases/CASE-%00"),
        ana.post(f"{case}/comment", {"text": "a\x00b"}, csrf_from=case),
    ):
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("text/html")
        assert "NUL characters are not accepted" in answer.text
        assert "\x00" not in answer.text and "%00" not in answer.text
        assert answer.headers["x-frame-options"] == "DENY"
    api = ana.client.get("/v1/entities", params={"q": "a\x00b"})  # the API keeps its answer
    assert api.status_code == 422 and api.headers["content-type"] == "application/problem+json"
    assert "a\x00b" not in ana.get(case).text


def test_the_typology_filter_offers_every_typology_of_the_store(ui: Any) -> None:
    ana = ui("ana")
    service = ana.client.app.state.service
    with service.analytic.writer() as store:
        run_id = store.execute("SELECT run_id FROM alerts LIMIT 1").fetchone()[0]
        store.execute(  # a thousand better alerts first, then one of a typology seen late
            """INSERT INTO alerts SELECT 'ALR-many-' || i, ?, 'many_alerts', 'ACC-X', 0.99,
                   'probe', NULL, NULL FROM range(1001) t(i)""",
            [run_id],
        )
        store.execute(
            "INSERT INTO alerts VALUES ('ALR-late-1', ?, 'late_typology', 'ACC-Y', 0.01, "
            "'probe', NULL, NULL)",
            [run_id],
        )
        store.execute(
            "INSERT INTO alerts VALUES ('ALR-ghost-1', 'RUN-NOT-SEEN', 'ghost_typology', "
            "'ACC-Z', 0.5, 'probe', NULL, NULL)"
        )
    try:
        page = ana.get("/ui/alerts").text
        assert '<option value="late_typology"' in page or ">late_typology<" in page
        assert "ghost_typology" not in page  # a run nobody sees offers nothing
        assert "late_typology" not in ui("bob").get("/ui/alerts").text
    finally:
        with service.analytic.writer() as store:
            store.execute("DELETE FROM alerts WHERE explanation = 'probe'")


def test_an_alert_is_not_opened_as_a_case_for_someone_who_may_not_work_it(ui: Any) -> None:
    ana = ui("ana")
    engine = ana.client.app.state.service.engine
    alert = ALERT.findall(ana.get("/ui/alerts", params={"account": "ACC-MULE"}).text)[0]
    with engine.connect() as con:
        before = len(list(audit.entries(con)))
    for who in ("admin", "bob", "nobody"):
        answer = ana.post(f"/ui/alerts/{alert}/case", {"assignee": who})
        assert answer.status_code == 400, answer.text
        assert f"no user {who} of agency DEFAULT who may work cases" in answer.text
    with engine.connect() as con:
        assert [e.action for e in audit.entries(con)][before:] == []  # no case opened
