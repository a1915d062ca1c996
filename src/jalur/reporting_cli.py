"""`jalur report goaml`: an approved case as a goAML report, validated before it is written.

Wired at the top (next to `cli.py`), like `audit_cli`: the report builder (`jalur.reporting`) is
pure and sits below cases, and the glue from a case to a report lives in `jalur.cases`; only this
command knows both. It acts as a signed-in user, refuses a case that is not approved for a report
(and records the refusal), lists every missing or invalid field when the FIU's profile or schema
refuses the case (no file is written), and records the written file's SHA-256 in the case and the
audit trail.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from jalur import audit, cases, users
from jalur.canonical import utcnow
from jalur.clikit import JsonFlag, console, fail, print_json, settings_of, warn
from jalur.config import CONFIG_FILE, ConfigError
from jalur.reporting import (
    Profile,
    ProfileError,
    ReportingSettings,
    ReportInput,
    ReportInvalidError,
    SettingsError,
    build_report,
    load_profile,
    write_report,
)

report_app = typer.Typer(help="Reports to the FIU: goAML XML from an approved case.")
REFUSED = "report-refused"
_EXISTS = "{out} exists already: choose another --out (a report is never overwritten)"
_RATE_HINT = "give each currency's rate to the FIU's currency with --rate CUR=RATE"


@report_app.command("goaml")
def goaml_command(
    ctx: typer.Context,
    case_id: Annotated[str, typer.Option("--case", help="An approved case (decision report).")],
    out: Annotated[Path, typer.Option("--out", help="The XML file to write (must not exist).")],
    profile: Annotated[
        str | None,
        typer.Option(
            help="FIU profile name or file (default: jalur.toml's reporting profile, else "
            "ppatk-4.0.2)."
        ),
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option("--rate", help="CUR=RATE: one unit of CUR in the FIU's currency (repeat)."),
    ] = None,
    client_bank: Annotated[
        list[str] | None,
        typer.Option(
            "--client-bank",
            help="BIC or bank code of our own accounts: their holders are our clients (repeat).",
        ),
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option(
            "--accounts",
            help="CSV of our own accounts' customer file (branch, opened, client_number, "
            "holder_schema, holder.PROPERTY…): what goAML asks of a --client-bank account.",
        ),
    ] = None,
    action: Annotated[
        str | None, typer.Option(help="What the bank did (default: the four-eyes decision).")
    ] = None,
    indicator: Annotated[
        list[str] | None, typer.Option("--indicator", help="An FIU red-flag code (repeat).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the goAML report of an approved case; nothing is written unless it validates."""
    reporter = _reporter(ctx)
    chosen = _profile(profile or reporter.profile)
    options = cases.ReportOptions(
        rates=_rates(rate or [], chosen),
        client_banks=tuple(client_bank or ()),
        client_accounts=_client_accounts(accounts),
        action=action,
        indicators=tuple(indicator or ()),
    )
    with users.open_sql(ctx) as engine:
        me = users.signed_in(ctx, engine, users.WORK_CASES, f"generate a report for {case_id}")
        details = cases.case_details(engine, case_id)
        if details is None:
            raise fail(f"no case {case_id}")
        try:  # before anything is built: another agency's case is not reported from here
            cases.require_owner(engine, me, case_id, "report")
        except (cases.CaseError, cases.WorkflowError) as exc:
            audit.record(engine, me.name, REFUSED, case_id, {"reason": str(exc)})
            raise fail(str(exc)) from exc

        def refuse(reason: str, problems: tuple[str, ...] = ()) -> typer.Exit:
            found = {"reason": reason, "problems": list(problems), "profile": chosen.name}
            audit.record(engine, me.name, REFUSED, case_id, found)
            return fail(reason + "".join(f"\n  - {p}" for p in problems))

        if out.exists():
            raise refuse(f"{case_id}: {_EXISTS.format(out=out)}")
        try:
            report, problems = cases.report_input(details, reporter, options, utcnow())
        except cases.CaseError as exc:
            raise refuse(str(exc)) from exc
        _unused_rows(case_id, options, report)
        for code in cases.unmatched_client_banks(report, options.client_banks):
            warn(
                f"--client-bank {code}: no account of {case_id} is held at that bank; its "
                "payments' parties are reported as other banks' customers (check the code)"
            )
        try:
            if problems:
                _more_problems(report, chosen, problems)
            digest = write_report(report, chosen, out)
        except ReportInvalidError as exc:
            raise refuse(_refusal(case_id, chosen, exc.problems), exc.problems) from exc
        except FileExistsError as exc:  # appeared while the report was being built
            raise refuse(f"{case_id}: {_EXISTS.format(out=out)}") from exc
        except OSError as exc:  # the strerror only: the message's path is a temporary file
            why = exc.strerror or type(exc).__name__
            raise refuse(f"{case_id}: {out}: the report cannot be written ({why})") from exc
        try:
            cases.record_report(engine, me, case_id, digest, str(out), chosen.name, details)
        except (cases.CaseError, users.AccessError, audit.AuditError) as exc:
            out.unlink(missing_ok=True)
            raise fail(f"{exc}; the report file was removed") from exc
    summary = {"case_id": case_id, "report_code": report.report_code, "profile": chosen.name,
               "file": str(out), "sha256": digest}  # fmt: skip
    if as_json:
        print_json(summary)
        return
    console.print(
        f"{case_id}: {report.report_code} report written to {out}\n"
        f"  {chosen.name}: checked against the FIU's XSD before writing\n"
        f"  sha256 {digest} (recorded in the case and the audit trail)",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )


def _reporter(ctx: typer.Context) -> ReportingSettings:
    """Who reports, from jalur.toml; a missing or incomplete section names what to add."""
    settings = settings_of(ctx)
    try:
        section = settings.section("reporting")
        return ReportingSettings.from_section(section)
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    except SettingsError as exc:
        where = settings.home / CONFIG_FILE
        head = f"{where} has no [reporting] section" if not section else f"{where}: [reporting]"
        lines = "".join(f"\n  - {p}" for p in exc.problems)
        message = f"{head}; the reporting entity needs:{lines}\n(see docs/reporting.md)"
        raise fail(message) from exc


def _profile(name: str) -> Profile:
    try:
        return load_profile(name)
    except ProfileError as exc:
        raise fail(str(exc), code=2) from exc


def _rates(given: list[str], profile: Profile) -> dict[str, Decimal]:
    """The `--rate`s; one for the FIU's own currency is refused: its amounts are reported as
    paid, and a rate taken and ignored would let the officer believe a conversion was made."""
    try:
        rates = cases.parse_rates(given)
    except cases.CaseError as exc:
        raise fail(f"--{exc}", code=2) from exc
    local = profile.local_currency
    if local in rates:
        item = next(g for g in given if g.partition("=")[0].strip().upper() == local)
        raise fail(
            f"--rate {item}: {local} is the FIU's own currency ({profile.name}); its amounts "
            "are reported as paid, give rates for the other currencies only",
            code=2,
        )
    return rates


def _client_accounts(path: Path | None) -> dict[str, cases.ClientAccount]:
    """The bank's client account file, every bad row named before anything is built."""
    if path is None:
        return {}
    try:
        return cases.read_client_file(path)
    except cases.CaseError as exc:
        raise fail(f"--accounts {exc}", code=2) from exc


def _unused_rows(case_id: str, options: cases.ReportOptions, report: ReportInput) -> None:
    """Rows of the client account file that name no account of the case, said, not dropped in
    silence: an extract may cover more accounts, but a number a spreadsheet cut its leading
    zeros from (80678603 for 0080678603) would leave the case's account without its file."""
    held = {account.number for account in report.accounts}
    unused = [number for number in options.client_accounts if number not in held]
    if unused:
        shown = ", ".join(repr(n) for n in unused[:5]) + (" …" if len(unused) > 5 else "")
        warn(f"--accounts: {len(unused)} row(s) name no account of {case_id}, not used: {shown}")


def _more_problems(report: ReportInput, profile: Profile, problems: list[str]) -> None:
    """The case's own problems together with what the builder finds: one list, one edit."""
    found = list(problems)
    try:
        build_report(report, profile)
    except ReportInvalidError as exc:
        found += exc.problems
    raise ReportInvalidError(found)


def _refusal(case_id: str, profile: Profile, problems: tuple[str, ...]) -> str:
    hint = f" ({_RATE_HINT})" if any("no exchange rate" in p for p in problems) else ""
    return (
        f"{case_id}: the {profile.name} report cannot be built "
        f"({len(problems)} problem{'' if len(problems) == 1 else 's'}; "
        f"no file was written){hint}:"
    )


def register_cli(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
