"""From an approved case to a goAML report: the case's evidence snapshots as a `ReportInput`.

Reporting sits below cases and knows nothing of them, so the glue lives here: the case's
snapshots (payments, accounts, subjects, alerts) become the report's payments, accounts and
subjects, and the generated file's hash is recorded in the case and the audit trail in one
transaction. Subjects are FtM entities: those the case holds (a subject snapshot with an
`entity`), else one per payment party (a LegalEntity named as the payment names it, keyed like
`tx_parties`). An account's institution is the bank the payment names (a BIC or a national
code). Only the bank's own accounts (`client_banks`) make their holders clients, for whom goAML
asks the full customer file; nothing is guessed beyond what the snapshots say.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry
from sqlalchemy import Connection, Engine, select, update

from jalur.audit import append
from jalur.canonical import canonical, iso, utcnow
from jalur.cases import workflow as wf
from jalur.cases.client_file import ClientAccount
from jalur.cases.service import (
    REASON_LIMIT,
    CaseError,
    _event,
    _locked,
    check_worked,
    fingerprint,
    subject_entity,
)
from jalur.model import TRANSACTION_SCHEMA, entity_from_dict, make_entity
from jalur.reporting import (
    Account,
    ProfileError,
    ReportingSettings,
    ReportInput,
    Subject,
    load_profile,
)
from jalur.screening import name_words as name_key
from jalur.sqlstore.schema import case_evidence, cases
from jalur.users import WORK_CASES, User, require

#: The profile a workspace reports with unless `[reporting] profile` names another.
DEFAULT_PROFILE = "ppatk-4.0.2"
#: The audit trail's action for a report written to a file.
REPORT_GENERATED = "report-generated"
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
#: Characters outside XML 1.0's `Char` production (as `jalur.reporting` checks them).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ACCOUNT_FIELDS = ("branch", "currency", "client_number", "iban", "status", "beneficiary")


@dataclass(frozen=True)
class ReportOptions:
    """What the analyst adds on the command line: rates, the bank's own codes, action taken."""

    rates: Mapping[str, Decimal] = field(default_factory=dict)  # currency → local currency
    client_banks: tuple[str, ...] = ()  # BICs / bank codes whose accounts are our clients
    action: str | None = None
    indicators: tuple[str, ...] = ()
    #: the bank's own file on its client accounts (`--accounts`): account number → its record
    client_accounts: Mapping[str, ClientAccount] = field(default_factory=dict)


def report_codes(section: Mapping[str, Any]) -> dict[str, str]:
    """The report codes of the workspace's FIU profile (`[reporting] profile`, else PPATK's),
    each with its shape (`transactions` or `activity`); none when the profile cannot be read
    (`report goaml` names that problem itself)."""
    try:
        profile = load_profile(str(section.get("profile") or DEFAULT_PROFILE))
    except ProfileError:
        return {}
    return dict(profile.report_codes)


def parse_rates(given: Sequence[str]) -> dict[str, Decimal]:
    """`CUR=RATE` items (one unit of CUR in the FIU's currency) as rates; a malformed one is a
    CaseError naming it."""
    rates: dict[str, Decimal] = {}
    for item in given:
        code, _, value = item.partition("=")
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal(0)
        if len(code.strip()) != 3 or not number.is_finite() or number <= 0:
            raise CaseError(f"rate {item!r}: give CUR=RATE, e.g. USD=16250.5")
        rates[code.strip().upper()] = number
    return rates


def check_reportable(details: Mapping[str, Any]) -> str:
    """The approved report code of the case, or CaseError saying why it cannot be reported."""
    decision = details["decision"]
    case_id = details["case_id"]
    if details["status"] != wf.APPROVED or decision["decision"] != wf.REPORT:
        wanted = f"{wf.APPROVED} with the decision {wf.REPORT}"
        now = f"{details['status']}, decision {decision['decision'] or 'none'}"
        raise CaseError(f"{case_id} cannot be reported: it must be {wanted} (it is {now})")
    if not decision["report_type"]:
        raise CaseError(f"{case_id} has no report type: propose it again with --report-type")
    return str(decision["report_type"])


def report_input(
    details: Mapping[str, Any],
    reporter: ReportingSettings,
    options: ReportOptions,
    submitted: datetime,
) -> tuple[ReportInput, list[str]]:
    """The case as a `ReportInput`, and the evidence that cannot go in (each named, why)."""
    problems: list[str] = []
    active = [e for e in details["evidence"] if not e["removed_at"]]
    subjects = _subjects([e for e in active if e["kind"] == "subject"], problems)
    payments = _payments([e for e in active if e["kind"] == "payment"], problems)
    parties = _Parties(subjects, options.client_banks, _screened(active), _described(active))
    for row in payments:
        for side in ("orig", "bene"):
            parties.add({k[5:]: row.get(k) for k in row if k.startswith(f"{side}_")})
    for item in active:
        if item["kind"] == "account":
            parties.add_account(item["ref"], item["snapshot"])
    for number in list(parties.accounts):
        if number in options.client_accounts:
            parties.add_client_file(options.client_accounts[number])
    case = ReportInput(
        report_code=check_reportable(details),
        entity_reference=details["case_id"],
        reason=_reason(details, active),
        action=options.action or _default_action(details),
        reporter=reporter,
        submission_date=submitted,
        subjects=tuple(parties.subjects.values()),
        accounts=tuple(parties.accounts.values()),
        payments=tuple(payments),
        indicators=options.indicators,
        exchange_rates=dict(options.rates),
        name_key=name_key,
    )
    return case, problems + parties.problems


def unmatched_client_banks(case: ReportInput, client_banks: Sequence[str]) -> list[str]:
    """The `--client-bank` codes that no account of the case is held at: a typo there
    ("BRINDJA") reported the bank's own customers as anyone else's, without a word."""
    held = [code for a in case.accounts for code in (a.bic, a.institution_code) if code]
    return [
        given
        for given in client_banks
        if given.strip() and not any(_same_bank(code, given.strip()) for code in held)
    ]


def _same_bank(code: str, ours: str) -> bool:
    """A payment's bank code is ours: the same code, or the same BIC (8 or 11 characters)."""
    code, ours = code.upper(), ours.upper()
    return code == ours or code[:8] == ours[:8]


def record_report(
    engine: Engine,
    actor: User,
    case_id: str,
    sha256: str,
    file: str,
    profile: str,
    built_from: Mapping[str, Any] | None = None,
) -> None:
    """The report's hash goes into the case, its timeline and the audit trail, together.

    `built_from` is the case (`case_details`) the report was built from: building takes
    seconds, and in that time the approval can be returned, the evidence mended, the case
    proposed again (another reason, another report type) and approved anew. The hash of a
    report built from the withdrawn approval would then be recorded as the new one's."""
    require(engine, actor, WORK_CASES, f"record a report for {case_id}")
    with engine.begin() as con:
        row = _locked(con, case_id)
        check_worked(con, actor, case_id, REPORT_GENERATED)
        if row.status != wf.APPROVED or row.decision != wf.REPORT:
            raise CaseError(f"{case_id} is {row.status} now: the report was not recorded")
        if built_from is not None and _approval(built_from) != _approval_now(con, row):
            raise CaseError(
                f"{case_id} was proposed or approved again (approved by {row.approved_by} at "
                f"{row.approved_at}) while the report was built from the approval of "
                f"{built_from['decision'].get('approved_at')}: the report was not recorded; "
                "build it again"
            )
        if fingerprint(con, case_id) != row.proposed_fingerprint:  # only the store changes it
            raise CaseError(
                f"{case_id}: the evidence differs from what was approved (changed in the "
                "database, not through jalur): the report was not recorded; `jalur audit "
                "show --object` the case and have it returned"
            )
        con.execute(update(cases).where(cases.c.id == case_id).values(report_sha256=sha256))
        details = {"sha256": sha256, "file": file, "profile": profile,
                   "report_type": row.report_type}  # fmt: skip
        _event(con, case_id, actor.name, REPORT_GENERATED, details, iso(utcnow()))
        append(con, actor.name, REPORT_GENERATED, case_id, details)


#: What an approval decides that a report is built from (the evidence aside).
_DECIDED = ("decision", "report_type", "proposal_reason", "proposed_by", "proposed_at",
            "approved_by", "approved_at")  # fmt: skip


def _approval(details: Mapping[str, Any]) -> tuple[object, ...]:
    """The approval a report is built from: the decision and the active evidence."""
    evidence = sorted(
        (e["kind"], e["ref"], canonical(e["snapshot"]))
        for e in details["evidence"]
        if not e["removed_at"]
    )
    return (*(details["decision"].get(k) for k in _DECIDED), evidence)


def _approval_now(con: Connection, row: Any) -> tuple[object, ...]:
    """The case's approval as it stands in the locked transaction, as `_approval` reads it."""
    found = con.execute(
        select(case_evidence.c.kind, case_evidence.c.ref, case_evidence.c.snapshot).where(
            case_evidence.c.case_id == row.id, case_evidence.c.removed_at.is_(None)
        )
    ).all()
    evidence = sorted((e.kind, e.ref, canonical(json.loads(e.snapshot))) for e in found)
    return (*(row._mapping[k] for k in _DECIDED), evidence)


class _Parties:
    """Payment parties as subjects and accounts, each once (keyed as `tx_parties` keys them)."""

    def __init__(
        self,
        subjects: list[Subject],
        client_banks: tuple[str, ...],
        screened: Mapping[str, str],
        described: Mapping[str, EntityProxy],
    ) -> None:
        self.known = subjects
        self.problems: list[str] = []  # what the bank's client account file cannot say
        self.screened = screened  # account → the listed subject a hit in the case matched it to
        self.described = described  # payment party id → its holder as the account snapshot has it
        self.subjects: dict[str, Subject] = {s.entity.id: s for s in subjects if s.entity.id}
        self.accounts: dict[str, Account] = {}
        self.client_banks = tuple(code.strip().upper() for code in client_banks if code.strip())

    def add(self, party: Mapping[str, Any]) -> None:
        number, bank, name = (_text(party.get(k)) for k in ("account", "bank", "name"))
        if number is None and name is None:
            return  # the builder names a payment side that has neither
        client = self._is_client(bank)
        identifier = _text(party.get("identifier"))
        holder = None
        if (
            name is not None
            or self._hit_on(number) is not None
            or _matching(self.known, identifier, None) is not None
        ):
            holder = self._holder(party, number, bank, name, client)
        if number is None:
            return
        known = self.accounts.get(number)
        if holder is None:  # the payment names no holder: none is made up from the number
            if known is None:
                self.accounts[number] = _account(number, bank, (), client, None, _unnamed(party))
            return
        if known is not None:
            if holder.entity.id not in known.holders:
                holders = (*known.holders, str(holder.entity.id))
                self.accounts[number] = replace(known, holders=holders)
            return
        self.accounts[number] = _account(number, bank, (str(holder.entity.id),), client, name)

    def add_account(self, number: str, snapshot: Mapping[str, Any]) -> None:
        """An account the case holds: its bank and holder from the snapshot, plus any account
        file fields it carries (branch, currency, client_number, opened, status…)."""
        self.add({**snapshot, "account": _text(snapshot.get("account")) or number})
        known = self.accounts.get(number)
        if known is None:
            self.accounts[number] = Account(number=number)
            known = self.accounts[number]
        extra: dict[str, Any] = {k: _text(snapshot.get(k)) for k in _ACCOUNT_FIELDS}
        extra |= {k: _day(snapshot.get(k)) for k in ("opened", "closed")}
        extra["institution_name"] = _text(snapshot.get("institution_name"))
        self.accounts[number] = replace(known, **{k: v for k, v in extra.items() if v})

    def add_client_file(self, record: ClientAccount) -> None:
        """What the bank's own file says of an account and its holder: the account fields
        goAML asks of a client account, and the holder as the file describes it (a person or
        an organisation, birth date, nationality, address…) over what the payments said. A
        holder the case holds as another kind (a listed Person the file calls a Company) is
        a problem, not overwritten."""
        known = self.accounts[record.number]
        # ACCOUNT_COLUMNS are Account's own field names, dates read as dates
        self.accounts[record.number] = replace(known, **record.fields)  # type: ignore[arg-type]
        if record.holder_schema is None and record.address is None and not record.source_of_wealth:
            return
        subject = self.subjects.get(known.holders[0]) if known.holders else None
        if subject is None:
            self.problems.append(
                f"account {record.number!r}: the client account file describes its holder, and "
                "the payments name none: the holder cannot be told from the account alone"
            )
            return
        entity = _described_holder(subject.entity, record, self.problems)
        addresses = (*subject.addresses, record.address) if record.address else subject.addresses
        found = replace(
            subject,
            entity=entity,
            addresses=addresses,
            source_of_wealth=record.source_of_wealth or subject.source_of_wealth,
        )
        self.subjects[str(entity.id)] = found
        self.known = [found if s.entity.id == entity.id else s for s in self.known]

    def _hit_on(self, number: str | None) -> Subject | None:
        """The listed subject a screening hit in the case matched this account to: the case
        was opened on that match, whatever the payment's spelling of the name."""
        entity = self.screened.get(number) if number else None
        return next((s for s in self.known if entity and s.entity.id == entity), None)

    def _is_client(self, bank: str | None) -> bool:
        return bool(bank) and any(_same_bank(str(bank), ours) for ours in self.client_banks)

    def _holder(
        self,
        party: Mapping[str, Any],
        number: str | None,
        bank: str | None,
        name: str | None,
        client: bool,
    ) -> Subject:
        identifier = _text(party.get("identifier"))
        found = self._hit_on(number) or _matching(self.known, identifier, name)
        if found is None:
            key = "|".join(v for v in (number, bank, name) if v is not None)
            # surrogatepass: a lone surrogate from a hostile file must reach the report's XML check
            # (which names it), not crash here; every other key hashes as tx_parties hashes it
            digest = hashlib.md5(key.encode("utf-8", "surrogatepass")).hexdigest()
            entity_id = "txp-" + digest
            entity = self.described.get(entity_id) or _party_entity(entity_id, party)
            found = self.subjects.get(entity_id) or Subject(entity, payment_party=True)
        if client and not found.is_client:
            found = replace(found, is_client=True)
        self.subjects[str(found.entity.id)] = found
        self.known = [found if s.entity.id == found.entity.id else s for s in self.known]
        return found


def _described_holder(
    entity: EntityProxy, record: ClientAccount, problems: list[str]
) -> EntityProxy:
    """The holder with what the bank's file says of it: a holder of unknown kind (a payment
    party) becomes the file's Person or organisation; one the case knows as another kind
    stays as it is, and the clash is named."""
    schema = record.holder_schema or entity.schema.name
    if entity.schema.name != "LegalEntity" and not entity.schema.is_a(schema):
        problems.append(
            f"account {record.number!r}: the client account file says its holder is a "
            f"{schema}; the case holds {entity.caption!r} as a {entity.schema.name}"
        )
        schema = entity.schema.name
    described = make_entity(schema, str(entity.id))
    for name, values in record.holder.items():  # the bank's own file first: its values lead
        described.add(name, list(values), quiet=True)
    for prop in entity.iterprops():
        if described.schema.get(prop.name) is not None:
            described.add(prop.name, entity.get(prop), quiet=True)
    return described


def _account(
    number: str,
    bank: str | None,
    holders: tuple[str, ...],
    client: bool,
    name: str | None,
    comments: str | None = None,
) -> Account:
    # a payment names its bank by code (BIC or national), never by name: the name comes only
    # from an account file's `institution_name` (`add_account`) or `[reporting] name`
    is_bic = bank is not None and _BIC.fullmatch(bank.upper()) is not None
    return Account(
        number=number,
        bic=bank.upper() if is_bic and bank else None,  # ISO 9362 codes are upper case
        institution_code=None if is_bic else bank,
        holders=holders,
        is_client=client,
        name=name,
        comments=comments,
    )


def _unnamed(party: Mapping[str, Any]) -> str | None:
    """What a payment says of a holder it does not name, for the account's comments."""
    said = {k: _text(party.get(k)) for k in ("identifier", "address")}
    found = [f"{key}: {value}" for key, value in said.items() if value]
    return "holder not named in the payment; " + "; ".join(found) if found else None


def _party_entity(entity_id: str, party: Mapping[str, Any]) -> EntityProxy:
    """A payment party as the payment names it: a LegalEntity, as `tx_parties` exports it."""
    entity = make_entity("LegalEntity", entity_id)
    entity.add("name", _text(party.get("name")) or _text(party.get("account")))
    entity.add("country", _text(party.get("country")), quiet=True)
    entity.add("idNumber", _text(party.get("identifier")), quiet=True)
    entity.add("address", _text(party.get("address")), quiet=True)
    return entity


def _matching(
    subjects: Sequence[Subject], identifier: str | None, name: str | None
) -> Subject | None:
    """The case subject a payment party is: same identifier, else the same name in any word
    order (the list's "SAEED Hafiz Muhammad" is the payment's "Hafiz Muhammad Saeed")."""
    for subject in subjects:
        if identifier and identifier in subject.entity.get_type_values(registry.identifier):
            return subject
    wanted = name_key(name) if name else ()
    for subject in subjects:
        if wanted and wanted in {
            name_key(n) for n in subject.entity.get_type_values(registry.name)
        }:
            return subject
    return None


def _screened(active: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The screening matches the case holds as account → listed entity: its hits
    (`PARTY/ENTITY`: a payment party is its account), then the hits each listed subject's
    snapshot keeps (`screening`, the parties it was matched to when the case pulled it in
    from an alert or a channel). A match ties the account to the listed person or
    organisation, however the payment spells the name; an account matched to several keeps
    its first."""
    found: dict[str, str] = {}
    for item in active:
        if item["kind"] == "hit":
            party, _, entity = str(item["ref"]).partition("/")
            if party and entity:
                found.setdefault(party, entity)
    for item in active:
        if item["kind"] != "subject" or not isinstance(item["snapshot"], Mapping):
            continue
        for hit in item["snapshot"].get("screening") or ():
            # a customer file's party id is the customer's, not an account
            ours = isinstance(hit, Mapping) and hit.get("party_source") in (None, "transactions")
            if ours and _text(hit.get("party_id")) and hit.get("entity_id") == item["ref"]:
                found.setdefault(str(hit["party_id"]).strip(), str(item["ref"]))
    return found


def _described(active: Sequence[Mapping[str, Any]]) -> dict[str, EntityProxy]:
    """Each payment party the case's account snapshots describe (`holder`, the FtM entity the
    workspace keeps for it: a Company where its name carries a legal form), by party id: its
    kind and registration number are then reported as the workspace knows them, not as an
    entity of unknown kind. A holder that cannot be read is left to the payment's words."""
    found: dict[str, EntityProxy] = {}
    for item in active:
        holder = item["snapshot"].get("holder") if item["kind"] == "account" else None
        if not isinstance(holder, Mapping) or not str(holder.get("id") or "").startswith("txp-"):
            continue
        try:
            entity = entity_from_dict(dict(holder))
        except (InvalidData, KeyError, TypeError, ValueError):
            continue
        if entity.schema.is_a("Person") or entity.schema.is_a("LegalEntity"):
            found[str(entity.id)] = entity
    return found


def _subjects(items: Sequence[Mapping[str, Any]], problems: list[str]) -> list[Subject]:
    found = []
    for item in items:
        snapshot = item["snapshot"]
        data = subject_entity(snapshot)
        if data is None:
            problems.append(
                f"subject {item['ref']}: the case holds no details of it (no FtM entity in "
                "its snapshot); remove it or add it again with its details"
            )
            continue
        try:
            entity = entity_from_dict({**data, "id": data.get("id") or item["ref"]})
            addresses = tuple(entity_from_dict(a) for a in snapshot.get("addresses") or ())
            documents = tuple(entity_from_dict(d) for d in snapshot.get("documents") or ())
        except (InvalidData, KeyError, TypeError, ValueError) as exc:
            problems.append(f"subject {item['ref']}: its FtM entity cannot be read ({exc})")
            continue
        found.append(
            Subject(
                entity=entity,
                is_client=bool(snapshot.get("is_client")),
                reason=_text(snapshot.get("reason")),
                addresses=addresses,
                documents=documents,
                source_of_wealth=_text(snapshot.get("source_of_wealth")),
            )
        )
    return found


def _payments(items: Sequence[Mapping[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        snapshot = item["snapshot"]
        if not snapshot or snapshot.get("missing"):
            problems.append(
                f"payment {item['ref']}: the case holds no details of it (the workspace did not "
                "hold it when it was added); return the case and remove it, or load it and add "
                "it again"
            )
            continue
        row = {name: snapshot.get(name) for name in TRANSACTION_SCHEMA.names if name in snapshot}
        row["tx_id"] = row.get("tx_id") or item["ref"]
        row["timestamp"] = _time(row.get("timestamp"))
        rows.append(row)
    return rows


def _reason(details: Mapping[str, Any], active: Sequence[Mapping[str, Any]]) -> str:
    """The proposal's reason, then each alert's explanation while goAML has room for it."""
    reason = str(details["decision"]["proposal_reason"] or "").strip()
    alerts = [e for e in active if e["kind"] == "alert"]
    for number, item in enumerate(alerts):
        snapshot = item["snapshot"]
        line = f"\nAlert {item['ref']} ({snapshot.get('typology')}): {snapshot.get('explanation')}"
        line = _NOT_XML.sub(_escaped, line)  # an account number from a hostile file, quoted
        rest = f"\n({len(alerts) - number} more alerts in case {details['case_id']})"
        if len(reason) + len(line) + len(rest) > REASON_LIMIT:
            # the note too when it fits: a reason near the limit leaves room for neither
            return reason + rest if len(reason) + len(rest) <= REASON_LIMIT else reason
        reason += line
    return reason


def _escaped(found: re.Match[str]) -> str:
    """A character XML cannot carry, as its escape: the alert text stays faithful and the
    report stays valid (an alert's explanation quotes account numbers as loaded)."""
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _default_action(details: Mapping[str, Any]) -> str:
    decision = details["decision"]
    return (
        f"Case {details['case_id']} proposed by {decision['proposed_by']} and approved by "
        f"{decision['approved_by']} (four eyes); reported to the FIU."
    )


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    found = _time(value)
    return found.date() if found else None
