"""The analyst's pages: server-rendered HTML under /ui, every read through `WebAccess`.

Each page takes the signed-in user from the session cookie (`session`), checks the role's
right once (`users.require`, refusals audited) and asks `WebAccess` for the data; a record the
user may not see is a 404 page with the same words as a missing one. Forms POST with a CSRF
token and redirect back (post/redirect/get), so a reload never repeats an action.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from importlib.resources import files
from typing import Annotated, Any, ClassVar, ParamSpec, cast
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import escape
from pydantic import StringConstraints
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from jalur import cases
from jalur.api import ApiError, BadRequestError, ForbiddenError, Offset
from jalur.pictures import cytoscape_elements, cytoscape_script, cytoscape_style, top_channels
from jalur.screening import Query as NameQuery
from jalur.screening import read_query
from jalur.users import (
    APPROVE_CASES,
    READ_AUDIT,
    READ_CASES,
    READ_DATA,
    SCREEN,
    WORK_CASES,
    AccessError,
    RateLimitedError,
    User,
    UserError,
    issue_token,
    may,
    revoke_token,
    sign_in_limited,
)
from jalur.users import require as require_right
from jalur.web import bidi, session
from jalur.web.i18n import LOCALES, Words, locale_of, set_locale
from jalur.web.invisible import invisible_characters
from jalur.web.views import ReportChoices, WebAccess, report_choices

PREFIX = "/ui"
router = APIRouter(prefix=PREFIX, include_in_schema=False)
templates = Environment(
    loader=PackageLoader("jalur.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=bidi.closed,  # a name's right-to-left override ends with the name
)
templates.filters["urlquote"] = lambda value: quote(str(value), safe="")
#: A form field's value, as typed: escaped, but not closed (`bidi.closed`), which appended a
#: direction control to what the field sends back (nothing follows a value in its field).
templates.filters["typed"] = lambda value: escape("" if value is None else str(value))
templates.globals["invisibles"] = invisible_characters  # an account number's unseen characters
Text = Annotated[str | None, Query(max_length=500)]
Field = Annotated[str, Form(max_length=10_000)]
#: The CSRF token every form posts back (`session.check_csrf`).
Csrf = Annotated[str, Form(max_length=200)]
#: The page to go back to after a form (`_back`; only a local one is followed).
NextPage = Annotated[str, Form(max_length=2000)]
P = ParamSpec("P")
#: Every page: never framed by another site (clickjacking the case actions), never
#: content-sniffed, and its address (screened names, filters) not sent to any other site.
_PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_STATUS_TITLES = {400: "Refused", 403: "Refused", 404: "Not found", 405: "Refused", 409: "Refused",
                  422: "Refused"}  # fmt: skip


def render(request: Request, user: User | None, template: str, code: int = 200,
           **context: Any) -> HTMLResponse:  # fmt: skip
    """A page in the user's language, with what every page needs (user, CSRF token)."""
    service = session.service_of(request)
    words = Words(locale_of(service.engine, user.name) if user else _browser_locale(request))
    secret = session.session_secret(request)
    here = context.pop("here", None) or _here(request)
    html = templates.get_template(template).render(
        request=request, user=user, w=words, t=words.t, locales=LOCALES,
        csrf=session.csrf_token(secret) if secret and user else "", here=here,
        may=lambda right: bool(user and may(user.role, right)), prefix=PREFIX, **context,
    )  # fmt: skip
    return HTMLResponse(html, status_code=code, headers=_PAGE_HEADERS)


def page(endpoint: Callable[P, Response]) -> Callable[P, Response]:
    """Refusals as pages: sign-in redirects, CSRF and rights as 403, hidden records as 404."""

    @functools.wraps(endpoint)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Response:
        request = kwargs["request"]
        assert isinstance(request, Request)
        try:
            return endpoint(*args, **kwargs)
        except session.SignInRequiredError:
            target = f"{PREFIX}/sign-in?" + urlencode({"next": _here(request)})
            return RedirectResponse(target, status_code=303)
        except session.CsrfRejectedError:
            message = "The form has expired; reload the page and try again."
            return _error(request, 403, message, translate=True)
        except ApiError as exc:
            return _error(request, exc.status, exc.detail)
        except cases.WorkflowError as exc:
            return _error(request, 409, str(exc))
        except (cases.CaseError, UserError, ValueError) as exc:
            return _error(request, 400, str(exc))
        except AccessError as exc:
            return _error(request, 403, str(exc))

    return wrapped


def _error(request: Request, status: int, message: str, translate: bool = False) -> HTMLResponse:
    try:
        user: User | None = session.session_user(request)
    except session.SignInRequiredError:
        user = None
    title = _STATUS_TITLES.get(status, "Refused")
    return render(request, user, "error.html", code=status, title=title, message=message,
                  translate=translate)  # fmt: skip


async def error_page(request: Request, exc: Exception) -> Response:
    """A refused query or address under /ui as a page (the API's problem+json is no answer to
    show a browser); other paths keep the handler the API installed for the exception."""
    if not request.url.path.startswith(PREFIX + "/") and request.url.path != PREFIX:
        handlers = request.app.state.api_error_handlers  # keyed by the class registered: a
        kind = next(k for k in type(exc).__mro__ if k in handlers)  # subclass finds its base's
        return cast(Response, await handlers[kind](request, exc))
    if isinstance(exc, RequestValidationError):
        told = [f"{'.'.join(map(str, e.get('loc', ())[1:]))}: {e.get('msg', '')}"
                for e in exc.errors()[:20]]  # fmt: skip
        return await run_in_threadpool(_error, request, 422, "; ".join(told))
    assert isinstance(exc, StarletteHTTPException)
    found = {404: "No such page.", 405: "This address takes no such request."}
    message = found.get(exc.status_code, str(exc.detail))
    return await run_in_threadpool(_error, request, exc.status_code, message)


async def refusal_page(request: Request, status: int, message: str) -> Response | None:
    """A refusal made before any route (a NUL byte in the address or the form: `api.errors`)
    as a page under /ui, None elsewhere. The refused address is not echoed: the page is drawn
    for /ui/ (what `here` and the sign-in form's next would carry holds the NUL)."""
    if not request.url.path.startswith(PREFIX + "/") and request.url.path != PREFIX:
        return None
    scope = {**request.scope, "path": PREFIX + "/", "raw_path": f"{PREFIX}/".encode(),
             "query_string": b""}  # fmt: skip
    return await run_in_threadpool(_error, Request(scope), status, message)


def _access(request: Request, right: str) -> WebAccess:
    user = session.session_user(request)
    service = session.service_of(request)
    require_right(service.engine, user, right, f"{request.method} {request.url.path}")
    return WebAccess(service, user)


def _here(request: Request) -> str:
    """The page the browser is on, to come back to (after a language change, a sign-in). A
    page drawn in answer to a form is at the form's POST-only address, which a GET answers
    405: there it is the page the form was on (the Referer, when a page of this UI), else the
    alert queue."""
    if request.method in ("GET", "HEAD"):
        query = f"?{request.url.query}" if request.url.query else ""
        return request.url.path + query
    came = urlsplit(request.headers.get("referer", ""))
    ours = came.netloc == request.url.netloc and came.scheme in ("http", "https")
    return _local(urlunsplit(("", "", came.path, came.query, "")) if ours else None)


def _back(target: str) -> RedirectResponse:
    return RedirectResponse(_local(target), status_code=303)


def _local(target: str | None) -> str:
    """Only a path of this UI is a place to go back to (no open redirect); else the UI's home,
    which sends each user to their own first page (`home`)."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//"):
        return target
    return f"{PREFIX}/"


def _browser_locale(request: Request) -> str:
    wanted = request.headers.get("accept-language", "")
    for part in wanted.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return "en"


# --- signing in ------------------------------------------------------------------------------


#: A user's first page: the first of these their role may read. The alert queue for all was a
#: refusal (and an access refused in the audit trail) at every sign-in of a client, who may
#: only screen names, and of an admin, who may only read the audit trail of these.
_HOMES = ((READ_DATA, "/alerts"), (READ_CASES, "/cases"), (SCREEN, "/screening"),
          (READ_AUDIT, "/audit"))  # fmt: skip


@router.get("", include_in_schema=False)
@router.get("/", include_in_schema=False)
@page
def home(request: Request) -> Response:
    """The signed-in user's first page (signing in first when nobody is)."""
    user = session.session_user(request)
    path = next((path for right, path in _HOMES if may(user.role, right)), "/alerts")
    return RedirectResponse(f"{PREFIX}{path}", status_code=303)


@router.get("/sign-in")
@page
def sign_in_page(request: Request, next: Text = None) -> Response:
    token = session.sign_in_token(request)
    response = render(request, None, "sign_in.html", token=token, next=_local(next), failed="",
                      username="")  # fmt: skip
    session.set_cookie(request, response, session.SIGN_IN_COOKIE, token, 900)
    return response


@router.post("/sign-in")
@page
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Csrf = "",
    next: NextPage = "",
) -> Response:
    """Sign in; refused, the form comes back with the user name typed (never the password),
    the cursor in the password field."""
    session.check_sign_in_token(request, csrf)
    service = session.service_of(request)
    settings = service.settings
    try:
        user = sign_in_limited(
            service.engine, username, password, settings.clock(),
            settings.max_failed_sign_ins, settings.failure_window_s,
        )  # fmt: skip
    except AccessError as exc:
        failed = (
            "Too many failed sign-ins; try again later."
            if isinstance(exc, RateLimitedError)
            else "Unknown user or wrong password."
        )
        status = 429 if isinstance(exc, RateLimitedError) else 401
        return render(request, None, "sign_in.html", code=status, token=csrf,
                      next=_local(next), failed=failed, username=username)  # fmt: skip
    issued = issue_token(service.engine, user, settings.clock(), settings.token_ttl_s)
    response = _back(next)
    session.set_cookie(request, response, session.SESSION_COOKIE, issued.secret,
                       settings.token_ttl_s)  # fmt: skip
    session.clear_cookie(request, response, session.SIGN_IN_COOKIE)
    return response


@router.post("/sign-out")
@page
def sign_out(request: Request, csrf: Csrf = "") -> Response:
    session.check_csrf(request, csrf)
    service = session.service_of(request)
    secret = session.session_secret(request)
    if secret:
        revoke_token(service.engine, secret, service.settings.clock())
    response = RedirectResponse(f"{PREFIX}/sign-in", status_code=303)
    session.clear_cookie(request, response, session.SESSION_COOKIE)
    return response


@router.post("/preferences")
@page
def preferences(
    request: Request,
    locale: Annotated[str, Form(max_length=8)],
    csrf: Csrf = "",
    next: NextPage = "",
) -> Response:
    """The user's language, kept for their next visit (and every device)."""
    session.check_csrf(request, csrf)
    user = session.session_user(request)
    set_locale(session.service_of(request).engine, user.name, locale)
    return _back(next)


# --- alerts ----------------------------------------------------------------------------------

PAGE_SIZE = 50


@router.get("/alerts")
@page
def alert_queue(
    request: Request,
    typology: Text = None,
    account: Text = None,
    min_score: Annotated[str | None, Query(max_length=40)] = None,
    sort: Annotated[str, Query(pattern="^(score|-score)$")] = "-score",
    offset: Offset = 0,
) -> Response:
    """Alerts of the runs the user sees, filtered; best first (or worst first). An empty
    field is no filter: a browser sends the form's every field, the empty ones as well; the
    spaces around a value pasted in are not part of it (a "0 results" was a wrong answer)."""
    access = _access(request, READ_DATA)
    chosen: dict[str, Any] = {
        "typology": _filtered(typology), "account": _filtered(account),
        "min_score": _score_floor(min_score),
    }  # fmt: skip
    total = access.alerts(**chosen, limit=1, offset=0)["total"]
    start = offset if sort == "-score" else max(total - offset - PAGE_SIZE, 0)
    size = PAGE_SIZE if sort == "-score" else min(PAGE_SIZE, max(total - offset, 0))
    found = access.alerts(**chosen, limit=size, offset=start)
    rows = found["alerts"] if sort == "-score" else list(reversed(found["alerts"]))
    typologies = access.alert_typologies()
    opened = _cases_by_alert(access, [str(a["alert_id"]) for a in rows])
    return render(
        request, access.user, "alerts.html", alerts=rows, total=total, offset=offset,
        page_size=PAGE_SIZE, filters={**chosen, "sort": sort}, typologies=typologies,
        colleagues=access.colleagues(), opened=opened,
    )  # fmt: skip


def _filtered(typed: str | None) -> str | None:
    """A filter's value as typed, without the spaces around it (none: no filter)."""
    return (typed.strip() or None) if typed else None


def _score_floor(typed: str | None) -> float | None:
    """The queue's minimum score as typed (none when left empty), a number from 0 to 1."""
    if typed is None or not typed.strip():
        return None
    try:
        floor = float(typed.strip())
    except ValueError:
        floor = -1.0
    if not 0 <= floor <= 1:  # NaN too
        raise ValueError(f"minimum score {typed.strip()[:40]!r}: give a number from 0 to 1")
    return floor


def _cases_by_alert(access: WebAccess, alert_ids: list[str]) -> dict[str, str]:
    """The case already opened on each of these alerts (visible cases only)."""
    if not may(access.user.role, READ_CASES):
        return {}
    return access.cases_on_alerts(alert_ids)


@router.get("/alerts/{alert_id}")
@page
def alert_page(request: Request, alert_id: str) -> Response:
    return _alert_view(request, _access(request, READ_DATA), alert_id)


def _alert_view(
    request: Request,
    access: WebAccess,
    alert_id: str,
    code: int = 200,
    title: str | None = None,
    refused: str = "",
) -> Response:
    """The alert page; after a refused "Open a case", with the title as typed and the refusal
    at the assignee field (the one refusal the form can meet once drawn)."""
    found = access.alert(alert_id)
    alert = found["alert"]
    features = json.loads(alert["features"]) if alert.get("features") else {}
    case_id = _cases_by_alert(access, [alert_id]).get(alert_id)
    typed = f"{alert['typology']}: {alert['account']}" if title is None else title
    return render(request, access.user, "alert.html", code=code, found=found, alert=alert,
                  features=features, case_id=case_id, colleagues=access.colleagues(),
                  title=typed, refused=refused,
                  here=f"{PREFIX}/alerts/{quote(alert_id, safe='')}")  # fmt: skip


@router.post("/alerts/{alert_id}/case")
@page
def open_case_on_alert(
    request: Request,
    alert_id: str,
    csrf: Csrf = "",
    assignee: Annotated[str, Form(max_length=64)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    unworked: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Work an alert: open a case on it (assigned when someone is chosen). `unworked`: the
    form was drawn for an alert with no case (the queue's and the alert page's forms say so);
    when a colleague has opened one since, the browser goes to that case, not to a second —
    decided by the database when both open at the same moment (`one_per_alert`), not only by
    the look before. An assignee refused brings the alert page back with the title as typed."""
    session.check_csrf(request, csrf)
    access = _access(request, WORK_CASES)
    alert = access.alert(alert_id)["alert"]
    already = _cases_by_alert(access, [alert_id]).get(alert_id) if unworked else None
    if already:  # a page drawn before a colleague worked the alert: one case per alert
        return _back(_opened_on(already, alert_id))
    if assignee and assignee not in access.colleagues():  # refused before a case is opened
        refused = (f"no user {assignee} of agency {access.agency} who may work cases: the case "
                   "was not opened")  # fmt: skip
        return _alert_view(request, access, alert_id, 400, title or None, refused)
    heading = title.strip() or f"{alert['typology']}: {alert['account']}"
    try:
        opened = access.open_case(
            heading, [("alert", alert_id)], alert["typology"], one_per_alert=bool(unworked)
        )
    except cases.AlertWorkedError as worked:  # a colleague opened one since the look above
        if worked.case_id:
            return _back(_opened_on(worked.case_id, alert_id))
        return _alert_view(request, access, alert_id, 409, title or None, str(worked))
    if assignee:
        access.case_action(opened["case_id"], "assign", {"assignee": assignee})
    return _back(f"{PREFIX}/cases/{quote(opened['case_id'], safe='')}")


def _opened_on(case_id: str, alert_id: str) -> str:
    """The case page of the case already working an alert, told to say so."""
    return f"{PREFIX}/cases/{quote(case_id, safe='')}?" + urlencode({"opened_on": alert_id})


# --- cases -----------------------------------------------------------------------------------


#: Cases on one page of the case list.
CASE_PAGE_SIZE = 50


@router.get("/cases")
@page
def case_list(
    request: Request,
    status: Text = None,
    assignee: Text = None,
    sort: Annotated[str, Query(pattern="^-?opened$")] = "-opened",
    offset: Offset = 0,
) -> Response:
    """The cases the user sees, a page at a time: newest first (the work that came in last),
    or oldest first (what has waited longest); the filters and order kept from page to page."""
    access = _access(request, READ_CASES)
    status, assignee = _filtered(status), _filtered(assignee)
    if status and status not in cases.STATUSES:
        raise ValueError(f"no case status {status!r}: one of {', '.join(cases.STATUSES)}")
    found = access.cases(status=status, assignee=assignee)  # oldest first
    ordered = list(reversed(found)) if sort == "-opened" else found
    size = CASE_PAGE_SIZE
    chosen = {"status": status or "", "assignee": assignee or "", "sort": sort}
    return render(request, access.user, "cases.html", cases=ordered[offset : offset + size],
                  total=len(found), offset=offset, page_size=size, filters=chosen,
                  statuses=cases.STATUSES)  # fmt: skip


@router.get("/cases/{case_id}")
@page
def case_page(request: Request, case_id: str, opened_on: Text = None) -> Response:
    """A case; `opened_on`: the alert someone asked to open a case on, which this case
    already held (said on the page only when the case does hold it)."""
    return _case_view(request, _access(request, READ_CASES), case_id, opened_on=opened_on)


def _case_view(
    request: Request,
    access: WebAccess,
    case_id: str,
    code: int = 200,
    typed: ReportForm | None = None,
    refusals: Mapping[str, list[str]] | None = None,
    work: WorkForm | None = None,
    opened_on: str | None = None,
) -> Response:
    """The case page; after a refused report, with what was typed and each refusal at its
    field (`ReportForm.FIELDS`, "" for the form as a whole); after another refused form, that
    form as typed (`WorkForm`)."""
    found = access.show_case(case_id, "web")
    active = [e for e in found["evidence"] if not e["removed_at"]]
    comments = [e for e in found["timeline"] if e["action"] == "comment"]
    held = {e["ref"] for e in active if e["kind"] == "alert"}
    return render(
        request, access.user, "case.html", code=code, case=found, evidence=active,
        comments=comments, colleagues=access.colleagues(), choices=_report_choices(access),
        approver=may(access.user.role, APPROVE_CASES), typed=typed or ReportForm(),
        refusals=refusals or {}, work=work or WorkForm(), agency=access.agency,
        opened_on=opened_on if opened_on in held else None,
        here=f"{PREFIX}/cases/{quote(case_id, safe='')}",
    )  # fmt: skip


def _report_choices(access: WebAccess) -> ReportChoices:
    section = access.service.settings.workspace.section("reporting")
    return report_choices(str(section.get("profile") or "ppatk-4.0.2"))


#: One field of the report form: items separated by spaces or commas, as typed.
ReportItems = Annotated[str, Form(max_length=2000)]
#: The report form's indicators: picked from the profile's codes (one form value each), or
#: typed as items separated by spaces or commas where the profile offers none.
PickedItems = Annotated[list[Annotated[str, StringConstraints(max_length=2000)]],
                        Form(max_length=200)]  # fmt: skip


@dataclass(frozen=True)
class ReportForm:
    """What the analyst typed in a case's report form, kept as typed to show again when the
    report is refused. Each list is what `jalur report goaml` takes as repeated options, with
    the API's bounds (`ReportRequest`): so many items, each so long."""

    rates: str = ""
    client_banks: str = ""
    indicators: str = ""
    consent: str = ""
    action: str = ""
    #: field → (the longest item, what an item is): the API's bounds on each list
    BOUNDS: ClassVar[dict[str, tuple[int, str]]] = {
        "rates": (40, "rate"), "client_banks": (16, "client bank code"),
        "indicators": (40, "indicator"),
    }  # fmt: skip
    MOST_ITEMS: ClassVar[int] = 50

    def items(self, field: str) -> list[str]:
        return [item for item in str(getattr(self, field)).replace(",", " ").split() if item]

    def refusals(self) -> dict[str, list[str]]:
        """Each list field's items out of bounds, by field (none: the form may be sent on)."""
        found: dict[str, list[str]] = {}
        for field, (longest, what) in self.BOUNDS.items():
            items = self.items(field)
            told = [f"{what} {item[:60]!r} is longer than {longest} characters"
                    for item in items if len(item) > longest]  # fmt: skip
            if len(items) > self.MOST_ITEMS:
                told.append(f"{len(items)} items: at most {self.MOST_ITEMS}")
            if field == "rates":
                told += [str(exc) for exc in map(_rate_refused, items) if exc]
            if told:
                found[field] = told
        return found


def _rate_refused(item: str) -> cases.CaseError | None:
    """Why a `CUR=RATE` item is refused, as the command line says it (none: it reads)."""
    try:
        cases.parse_rates([item])
    except cases.CaseError as exc:
        return exc
    return None


def _refusals_by_field(problems: list[str]) -> dict[str, list[str]]:
    """A refused report's problems, each at the form field that can mend it: rates, the
    indicators, client banks, consent; the rest (the case's data, the workspace's settings)
    for the form as a whole."""
    fields = (("consent", "consent"), ("indicator", "indicators"), ("rate", "rates"),
              ("client", "client_banks"))  # fmt: skip
    found: dict[str, list[str]] = {}
    for problem in problems:
        words = set(re.findall(r"[a-z]+", problem.lower()))
        field = next((f for word, f in fields if word in words or f"{word}s" in words), "")
        found.setdefault(field, []).append(problem)
    return found


def _report_problems(exc: ApiError) -> list[str]:
    """The problems a refused report listed, one by one (the API's detail joins them)."""
    cause = exc.__cause__
    listed = getattr(cause, "problems", None)
    if listed:
        return [str(p) for p in listed]
    return [str(cause) if cause is not None else exc.detail]


@router.post("/cases/{case_id}/report")
@page
def case_report(
    request: Request,
    case_id: str,
    csrf: Csrf = "",
    rates: ReportItems = "",
    client_banks: ReportItems = "",
    indicators: PickedItems | None = None,
    consent: Annotated[str, Form(max_length=500)] = "",
    action: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The approved case's goAML XML, validated against the FIU's schema, as a download.

    What `jalur report goaml` takes besides the case, each field's items separated by spaces
    or commas: `rates` (`CUR=RATE`: a case with a payment in another currency is reported only
    with its rate), `client_banks` (BICs or bank codes of the bank's own accounts: their
    holders are its clients, in goAML's fuller shapes), `indicators` (the FIU's red-flag codes,
    which some FIUs require: one form value per code picked, or codes typed); `consent`: the
    recorded consent a case under a no-onward caveat needs; `action`: what the bank did
    (goAML's `action`; empty: the four-eyes decision).
    A refusal shows the case page again with what was typed, each problem at the field
    that mends it. A POST with the form's CSRF token: making the report writes its hash into
    the case's timeline and the audit trail, which no link or prefetch may do."""
    session.check_csrf(request, csrf)
    access = _access(request, WORK_CASES)
    typed = ReportForm(rates, client_banks, " ".join(indicators or []), consent, action)
    refusals = typed.refusals()
    if refusals:
        return _case_view(request, access, case_id, 400, typed, refusals)
    try:
        name, data = access.report(
            case_id, consent.strip() or None, typed.items("rates"),
            typed.items("client_banks"), typed.items("indicators"), channel="web download",
            action=action.strip() or None,
        )  # fmt: skip
    except (BadRequestError, ForbiddenError) as exc:  # a case not seen is a 404, as before
        found = _refusals_by_field(_report_problems(exc))
        return _case_view(request, access, case_id, exc.status, typed, found)
    return Response(data, media_type="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
    })  # fmt: skip


@router.post("/cases/{case_id}/{action}")
@page
def case_action(
    request: Request,
    case_id: str,
    action: str,
    csrf: Csrf = "",
    assignee: Annotated[str, Form(max_length=64)] = "",
    text: Annotated[str, Form(max_length=10_000)] = "",
    decision: Annotated[str, Form(max_length=8)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
    report_type: Annotated[str, Form(max_length=16)] = "",
    kind: Annotated[str, Form(max_length=16)] = "",
    ref: Annotated[str, Form(max_length=200)] = "",
    proposed_at: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """assign, comment, add (evidence), propose, approve, return or withdraw (the proposer
    takes back a proposal nobody has decided on): the workflow decides (four eyes: the
    proposer cannot approve). The approve form sends the proposal it showed
    (`proposed_at` and `decision`), as `jalur cases approve --proposed-at` does: one returned
    and replaced while the approver read it is refused, on the case page as it stands now."""
    session.check_csrf(request, csrf)
    if action not in ("assign", "comment", "add", "propose", "approve", "return", "withdraw"):
        raise ValueError(f"unknown case action {action!r}")
    access = _access(request, WORK_CASES)
    # The form's report-type select is sent whatever the decision: it is a proposal to
    # report's, not one to close (which would be stored and shown as "close (LTKMT)").
    reported = decision == "report" and report_type
    body = {"assignee": assignee, "text": text, "decision": decision, "reason": reason,
            "report_type": report_type if reported else None, "kind": kind,
            "ref": ref.strip(), "proposed_at": proposed_at}  # fmt: skip
    try:
        access.case_action(case_id, action, body)
    except (ApiError, cases.CaseError, cases.WorkflowError, AccessError) as exc:
        if action not in WorkForm.FIELDS:
            raise
        typed = {name: str(value or "") for name, value in body.items()}
        refused = WorkForm.refused(action, {**typed, "ref": ref}, _refusal_text(exc))
        return _case_view(request, access, case_id, _refusal_status(exc), work=refused)
    return _back(f"{PREFIX}/cases/{quote(case_id, safe='')}")


@dataclass(frozen=True)
class WorkForm:
    """A case form the server refused (a proposal, a comment, evidence, a return, a withdrawal,
    an approval): what was
    typed in it, to show again, and the refusal at the field that mends it ("" for the form as
    a whole), so that nothing the analyst wrote is lost to a refusal."""

    action: str = ""
    typed: Mapping[str, str] = dataclass_field(default_factory=dict)
    refusals: Mapping[str, list[str]] = dataclass_field(default_factory=dict)
    #: form → its fields, each with the words of a refusal that name it (the first that
    #: matches; none: the form as a whole, or the form's one field when it has no other)
    FIELDS: ClassVar[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
        "propose": (("report_type", ("report type", "report-type")),
                    ("reason", ("reason",)), ("decision", ("decision",))),
        "comment": (("text", ("",)),),
        "add": (("kind", ("kind ",)), ("ref", ("",))),
        "return": (("reason", ("reason",)),),
        "withdraw": (("reason", ("reason",)),),
        "approve": (),
    }  # fmt: skip

    @classmethod
    def refused(cls, action: str, typed: Mapping[str, str], problem: str) -> WorkForm:
        said = problem.lower()
        where = next((name for name, words in cls.FIELDS[action]
                      if any(word in said for word in words)), "")  # fmt: skip
        return cls(action, dict(typed), {where: [problem]})

    def value(self, action: str, name: str, default: str = "") -> str:
        """What the form shows in a field: as typed when this form was refused."""
        return self.typed.get(name, default) if action == self.action else default

    def told(self, action: str, name: str) -> list[str]:
        """The refusals to show at a field of a form ("": the form as a whole)."""
        return list(self.refusals.get(name) or []) if action == self.action else []


def _refusal_text(exc: Exception) -> str:
    return exc.detail if isinstance(exc, ApiError) else str(exc)


def _refusal_status(exc: Exception) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    if isinstance(exc, cases.WorkflowError):
        return 409
    return 403 if isinstance(exc, AccessError) else 400


@router.get("/cases/{case_id}/network")
@page
def case_network(request: Request, case_id: str) -> Response:
    access = _access(request, READ_CASES)
    found = access.case_network(case_id)
    access.recorded_read(case_id, "web", "network")
    title = f"{found['case']['case_id']} · {found['case']['title']}"
    back = f"{PREFIX}/cases/{quote(case_id, safe='')}"
    return _network_page(request, access, found, title, back)


@router.get("/channels/{channel_id}/network")
@page
def channel_network(request: Request, channel_id: str) -> Response:
    access = _access(request, READ_DATA)
    found = access.channel_network(channel_id)
    return _network_page(request, access, found, f"{channel_id}", None)


def _network_page(
    request: Request, access: WebAccess, graph: dict[str, Any], title: str, back: str | None
) -> Response:
    words = Words(locale_of(access.engine, access.user.name))
    shown = top_channels(graph, 30)
    paid = {(e["source"], e["target"]): e["amount"] for e in graph["edges"]}
    for edge in shown["edges"]:  # a leg shows what its payments carried, not a path's share
        edge["amount"] = paid[(edge["source"], edge["target"])]
    highlight = next((c["channel_id"] for c in shown["channels"]), None)
    elements = cytoscape_elements(shown, highlight)
    for element in elements:
        data = element["data"]
        if element["group"] == "nodes":
            data["url"] = f"{PREFIX}/accounts/{quote(str(data['id']), safe='')}"
        else:
            data["label"] = _edge_label(words, data)
    payload = {"elements": elements, "style": cytoscape_style()}
    return render(request, access.user, "network.html", title=title, back=back, graph=shown,
                  payload=script_json(payload),
                  highlight=highlight)  # fmt: skip


def script_json(value: Any) -> str:
    """JSON to put in a `<script type="application/json">` block: every `<`, `>` and `&` and
    the line separators as \\u escapes, so no name in the data (`</script>`, `<!--<script>`)
    can end the block early or keep it from ending; `JSON.parse` reads the same value."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def _edge_label(words: Words, edge: dict[str, Any]) -> str:
    """Amount in the reader's locale, then the date(s) of the payments that carried it."""
    lines = [words.money(edge["amount"], edge.get("currency"))]
    dates = sorted({str(p.get("time") or "")[:10] for p in edge.get("payments") or []} - {""})
    if dates:
        span = dates[0] if len(dates) == 1 else f"{dates[0]} – {dates[-1]}"
        count = len(edge.get("payments") or [])
        lines.append(span if count < 2 else f"{span} ({count}×)")
    return "\n".join(lines)


# --- accounts, entities, screening, lists, audit ---------------------------------------------


@router.get("/accounts/{account}")
@page
def account_page(request: Request, account: str) -> Response:
    access = _access(request, READ_DATA)
    return render(request, access.user, "account.html", found=access.account(account))


#: Hits an entity search shows: the best ones; the page says when more were found.
ENTITY_HITS = 30


@router.get("/entities")
@page
def entity_search(request: Request, q: Text = None) -> Response:
    """Listed names found for `q` (down to any score: a search lists, screening decides), best
    first; a search cut at its limit (the page's, or the workspace's `max_hits`) says so
    instead of passing for all there is. The page names the lists searched, and a user who
    sees none is told that nothing was searched, not "No hits" (as the screening page)."""
    access = _access(request, READ_DATA)
    lists = access.visible_lists()
    searched = bool(q and q.strip())
    hits, shown, more = (
        access.screen_shown(NameQuery(q.strip()), ENTITY_HITS, 0.0)
        if q and searched and lists
        else ([], 0, False)
    )
    return render(request, access.user, "entities.html", q=q or "", hits=hits, more=more,
                  shown=shown, searched=searched, lists=sorted(lists))  # fmt: skip


@router.get("/entities/{entity_id}")
@page
def entity_page(request: Request, entity_id: str) -> Response:
    access = _access(request, READ_DATA)
    return render(request, access.user, "entity.html", found=access.entity_page(entity_id))


#: Hits a screening shows; one more is asked for, so that a cut list says so (a common name
#: may hit more listed people than a page holds, and the one cut off may be the one).
SCREEN_HITS = 20


@router.get("/screening")
@page
def screening_page(
    request: Request,
    name: Text = None,
    birth_date: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=80)] = None,
) -> Response:
    """A name screened against the lists the user sees, each hit with why it hit; the page
    names those lists, and a user who sees none is told so rather than shown "No hits"."""
    access = _access(request, SCREEN)
    hits: list[Any] = []
    warnings: list[str] = []
    more, shown = False, SCREEN_HITS
    lists = access.visible_lists()  # named on the page: "no hits" means nothing without them
    if name and name.strip() and lists:
        query, problems = read_query(name.strip(), birth_date or None, country or None)
        warnings = [str(p) for p in problems]
        found, shown, more = access.screen_shown(query, SCREEN_HITS)
        hits = [h.as_dict() for h in found]
    return render(request, access.user, "screening.html", name=name or "",
                  birth_date=birth_date or "", country=country or "", hits=hits,
                  more=more, shown=shown, warnings=warnings,
                  searched=bool(name and name.strip()), lists=sorted(lists))  # fmt: skip


@router.get("/lists")
@page
def list_page(request: Request) -> Response:
    access = _access(request, READ_DATA)
    return render(request, access.user, "lists.html", lists=access.lists())


#: Entries of each kind (added, removed, changed) a list's last delta shows; the page says how
#: many more there are.
DELTA_SHOWN = 200


@router.get("/lists/{name}")
@page
def list_versions_page(request: Request, name: str) -> Response:
    access = _access(request, READ_DATA)
    versions = access.list_versions(name)
    delta = access.list_delta(name)
    return render(request, access.user, "list.html", name=name, versions=versions, delta=delta,
                  shown=DELTA_SHOWN)  # fmt: skip


#: Audit entries the audit page shows: the latest; the page says of how many.
AUDIT_ENTRIES = 50


@router.get("/audit")
@page
def audit_page(request: Request) -> Response:
    access = _access(request, READ_AUDIT)
    state = access.verify_audit()
    recent = access.audit_entries(None, AUDIT_ENTRIES, 0, "web")
    return render(request, access.user, "audit.html", state=state, recent=recent)


@router.get("/static/cytoscape.min.js")
def cytoscape() -> Response:
    """Cytoscape.js as shipped in jalur.pictures (MIT), cached by the browser for a day."""
    return Response(cytoscape_script(), media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The UI's own CSS and script (package data; no build step)."""
    kinds = {".css": "text/css", ".js": "text/javascript"}
    suffix = name[name.rfind(".") :] if "." in name else ""
    folder = files("jalur.web").joinpath("static")
    if suffix not in kinds or "/" in name or name.startswith("."):
        return Response("no such file", status_code=404, media_type="text/plain")
    found = folder.joinpath(name)
    if not found.is_file():
        return Response("no such file", status_code=404, media_type="text/plain")
    return Response(found.read_text("utf-8"), media_type=kinds[suffix],
                    headers={"Cache-Control": "public, max-age=3600"})  # fmt: skip
