"""A case as goAML records: the report header, its transactions or its activity.

Transaction-based report codes carry each payment as a `transaction` whose two sides name the
account (with its holders) or, for cash without an account, the subject who paid or received.
Activity-based codes carry the subjects and accounts as `report_party`s and no transactions:
the FIU's format has no place for payments there, so choose a transaction-based code when the
payments are the point.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from followthemoney.types import registry

from jalur.reporting.case import Account, ReportInput, Subject
from jalur.reporting.parties import (
    Context,
    account_record,
    bank_country,
    is_person,
    phone_record,
    row_account,
    subject_country,
    subject_record,
)
from jalur.reporting.profile import Profile
from jalur.reporting.record import (
    EXPLAINED,
    SHOWN_LENGTH,
    Record,
    amount,
    clean,
    decimal_text,
    paid_text,
    shown,
    sql_date,
)
from jalur.reporting.render import in_payments

#: Float amounts (the payment table's type) hold whole units exactly only below 2^53.
FLOAT_EXACT = 2**53


@dataclass(frozen=True)
class _Party:
    """A payment party or side: the element it fills, its record, and what codes depend on."""

    element: str
    record: Record
    client: bool
    country: str | None
    account: bool = False  # the side is an account (not a person or entity paying cash)
    bank: str | None = None  # the country of the account's bank (its BIC), where known


def report_record(case: ReportInput, profile: Profile) -> tuple[Record, list[str]]:
    """The whole report as records, and the problems found while gathering the values."""
    ctx = Context(case, profile)
    shape = profile.report_codes.get(case.report_code)
    if shape is None:
        known = ", ".join(profile.report_codes)
        ctx.problems.append(f"report code {shown(case.report_code)} is not one of {known}")
    reporter = case.reporter
    values: dict[str, Any] = {
        "rentity_id": str(reporter.rentity_id),
        "rentity_branch": clean(reporter.branch),
        "submission_code": profile.submission_code,
        "report_code": case.report_code,
        "entity_reference": clean(case.entity_reference),
        "submission_date": sql_date(case.submission_date, profile.timezone),
        "currency_code_local": profile.local_currency,
        "reporting_person": _reporting_person(ctx),
        "location": _location(ctx),
        "reason": clean(case.reason),
        "action": clean(case.action),
        "indicators": [code for code in map(clean, case.indicators) if code],
    }
    if shape == "transactions":
        values["transactions"] = _transactions(ctx)
    elif shape == "activity":
        values["activity"] = _activity(ctx)
    return Record("report", "report", values), ctx.problems


def _reporting_person(ctx: Context) -> Record:
    person = ctx.case.reporter.person
    phones = []
    if person.phone:  # the bank's own line, in the FIU's country unless it says another
        home = ctx.profile.home_country
        phones.append(phone_record(ctx.profile, person.phone, "business", home, "reporting person"))
    values = {
        "gender": ctx.profile.code("gender", person.gender) if person.gender else None,
        "title": clean(person.title),
        "first_name": clean(person.first_name),
        "last_name": clean(person.last_name),
        "id_number": clean(person.id_number),
        "nationality1": clean(person.nationality),
        "phones": phones,
        "email": clean(person.email),
        "occupation": clean(person.occupation),
    }
    return Record("reporting_person", "reporting person ([reporting.person])", values)


def _location(ctx: Context) -> Record | None:
    place = ctx.case.reporter.location
    if place is None:
        return None
    values = {
        "address_type": ctx.profile.code("contact_type", "business"),
        "address": clean(place.address),
        "city": clean(place.city),
        "zip": clean(place.zip),
        "country_code": (clean(place.country) or "").upper() or None,
        "state": clean(place.state),
    }
    return Record("address", "reporting location ([reporting.location])", values)


def _transactions(ctx: Context) -> list[Record]:
    if not ctx.case.payments:
        activity = ", ".join(
            c for c, shape in ctx.profile.report_codes.items() if shape == "activity"
        )
        ctx.problems.append(
            f"a {ctx.case.report_code} report needs at least one payment: add the case's "
            f"payments, or report its subjects with an activity code ({activity})"
        )
    counts = Counter(clean(row.get("tx_id")) for row in ctx.case.payments)
    for tx_id, times in counts.items():
        if tx_id is not None and times > 1:  # the FIU would count the money twice
            ctx.problems.append(
                f"payment {_id(tx_id)}: given {times} times; each payment is reported once"
            )
    found = [_transaction(ctx, row) for row in ctx.case.payments]
    for says, labels in ctx.shared.items():  # one fix for all (`--rate`), so one problem
        one = len(labels) == 1
        ctx.problems.append(f"{labels[0]}: {says}" if one else in_payments(says, labels))
    return found


def _transaction(ctx: Context, row: Any) -> Record:
    tx_id = clean(row.get("tx_id"))
    # a tx_id from a hostile file may hold terminal escapes: quoted and escaped, like values
    label = f"payment {_id(tx_id)}" if tx_id else "a payment without tx_id"
    channel = (clean(row.get("channel")) or "other").lower()
    amount_local, foreign = _amounts(ctx, row, label)
    received = _received(ctx, row, label, foreign)
    lone = _lone_side(ctx, row)
    sides = [
        _side(ctx, row, prefix, label, channel, money) if lone in (None, prefix) else None
        for prefix, money in (("orig", foreign), ("bene", received))
    ]
    if channel == "cash":
        sides = _cash_country(sides)
    values: dict[str, Any] = {
        "transactionnumber": tx_id,
        "internal_ref_number": clean(row.get("uetr")),
        "transaction_location": clean(ctx.case.reporter.branch),
        "transaction_description": clean(row.get("purpose")),
        "date_transaction": _when(ctx, row, label),
        "transmode_code": _transmode(ctx.profile, channel, sides[0], sides[1]),
        "transmode_comment": ctx.profile.code("transmode_comment", channel) or channel,
        "amount_local": EXPLAINED if amount_local is None else amount_local,
        "comments": _payment_comments(ctx, row, lone),
    }
    if lone is not None:
        known = sides[0] or sides[1]
        values["parties"] = [_involved(ctx, known, lone, label)] if known else EXPLAINED
        return Record("transaction", label, values)
    for direction, side in zip(("t_from", "t_to"), sides, strict=True):
        if side is None:
            values[direction] = EXPLAINED
        else:
            values[side.element] = side.record
    return Record("transaction", label, values)


def _names_no_one(row: Any, prefix: str) -> bool:
    """The payment names no one on this side: no account, no name, no identifier (cash paid
    in or taken out by someone the payment does not name)."""
    return all(clean(row.get(f"{prefix}_{k}")) is None for k in ("account", "name", "identifier"))


def _lone_side(ctx: Context, row: Any) -> str | None:
    """The side (`orig`, `bene`) that is the only one the payment names, where the profile
    has goAML's multi-party form (`involved_parties`) to report it alone: a two-sided
    transaction would need a made-up party on the other side."""
    if "party" not in ctx.profile.kinds or not ctx.profile.kinds["transaction"].has(
        "involved_parties"
    ):
        return None
    unnamed = [_names_no_one(row, prefix) for prefix in ("orig", "bene")]
    if unnamed == [True, False]:
        return "bene"
    if unnamed == [False, True]:
        return "orig"
    return None


def _involved(ctx: Context, side: _Party, lone: str, label: str) -> Record:
    """The one known side as an involved party: its role (payer, beneficiary), the account,
    person or entity, its funds, foreign currency and country, as its t_from/t_to had them."""
    told = side.record.values
    inner = next(v for k, v in told.items() if k in ("account", "person", "entity"))
    values = {
        "role": ctx.profile.code("party_role", "payer" if lone == "orig" else "beneficiary"),
        inner.kind: inner,
        "funds_code": told.get("funds_code"),
        "foreign_currency": told.get("foreign_currency"),
        "country": told.get("country"),
    }
    return Record("party", label, values)


def _payment_comments(ctx: Context, row: Any, lone: str | None = None) -> str | None:
    """What the payment says that goAML's transaction has no element for: its ultimate
    parties (often the point of a terrorist-financing report), the banks in between, and
    what the payee received in another currency."""
    received = amount(row.get("amount_received"))
    currency = clean(row.get("currency_received"))
    said = _unnamed_side(row, lone) | {
        "ultimate originator": clean(row.get("orig_ultimate")),
        "ultimate beneficiary": clean(row.get("bene_ultimate")),
        "intermediary banks": clean(row.get("intermediary_banks")),
        "received": None
        if received is None
        else " ".join(filter(None, (paid_text(received, ctx.profile.amount_decimals), currency))),
    }
    return " | ".join(f"{title}: {value}" for title, value in said.items() if value) or None


def _unnamed_side(row: Any, lone: str | None) -> dict[str, str | None]:
    """For a payment reported with one side only, that the other is not named (its bank, if
    the payment gives one): the FIU reads that no one is known there, not that no one was."""
    if lone is None:
        return {}
    prefix, role = ("bene", "beneficiary") if lone == "orig" else ("orig", "originator")
    bank = clean(row.get(f"{prefix}_bank"))
    return {role: "not named in the payment" + (f" (its bank: {bank})" if bank else "")}


def _id(tx_id: str) -> str:
    """A payment id for a message: as it is when printable and short, else quoted, escaped."""
    return tx_id if tx_id.isprintable() and len(tx_id) <= SHOWN_LENGTH else shown(tx_id)


def _when(ctx: Context, row: Any, label: str) -> str | object | None:
    """The payment's time in the FIU's zone; one that cannot be told there (a 9999-12-31
    placeholder late in the day) or that is after the report's submission is a named problem."""
    try:
        when = sql_date(row.get("timestamp"), ctx.profile.timezone)
        submitted = sql_date(ctx.case.submission_date, ctx.profile.timezone)
        if when is not None and submitted is not None and when > submitted:  # both ISO, local
            ctx.problems.append(
                f"{label}: timestamp {when} (FIU time) is after the report's submission "
                f"{submitted}: a payment cannot be reported before it happens; correct its date"
            )
            return EXPLAINED
        return when
    except OverflowError:
        zone = ctx.profile.timezone.key
        ctx.problems.append(
            f"{label}: timestamp {row.get('timestamp')} cannot be told in the FIU's time zone "
            f"({zone}): correct the payment's date"
        )
        return EXPLAINED


def _transmode(
    profile: Profile, channel: str, orig: _Party | None, bene: _Party | None
) -> str | None:
    """The FIU's code for how the money moved, from the most specific key the profile knows.
    Out when the originator is the bank's client, in when the beneficiary is; cash with no
    client goes the way its account side says (out of an account: a withdrawal)."""
    direction = "out" if orig and orig.client else "in" if bene and bene.client else None
    if direction is None and channel == "cash":
        paid_out, paid_in = (p is not None and p.account for p in (orig, bene))
        direction = (
            "out" if paid_out and not paid_in else "in" if paid_in and not paid_out else None
        )
    home = profile.home_country
    domestic = orig is not None and bene is not None and orig.country == bene.country == home
    scope = "domestic" if domestic else "foreign"
    keys = [f"{channel}.{direction}.{scope}", f"{channel}.{direction}"] if direction else []
    return profile.code("transmode", *keys, f"{channel}.{scope}", channel)


#: What to do with a negative amount: goAML has none, and a reversal is money going back.
_REVERSAL = (
    "a reversal or refund: goAML amounts are at least zero; report it as the payment back, "
    "its sides swapped, or return the case and remove it"
)


def _amounts(ctx: Context, row: Any, label: str) -> tuple[str | None, Record | None]:
    """`amount_local` and, for a foreign-currency payment, its foreign-currency record; a
    currency without a rate is told once, with the payments in it."""
    places = ctx.profile.amount_decimals
    value = amount(row.get("amount"))
    currency = (clean(row.get("currency")) or "").upper()
    local = ctx.profile.local_currency
    if value is None or value < 0:
        what = "is not a number" if value is None else f"is negative ({_REVERSAL})"
        ctx.problems.append(f"{label}: amount {shown(row.get('amount'))} {what}")
        return None, None
    if isinstance(row.get("amount"), float) and value >= FLOAT_EXACT:
        ctx.problems.append(
            f"{label}: amount {shown(row.get('amount'))} is beyond what the payment table "
            "holds exactly (2^53, about 9.0e15): its last digits may not be the source's; "
            "check the amount in the file it was loaded from"
        )
        return None, None
    if not currency:  # taking it for the local currency would state an amount nobody paid
        ctx.problems.append(f"{label}: currency is missing")
        return None, None
    if currency == local:
        return paid_text(value, places), None
    rate = amount(ctx.case.exchange_rates.get(currency))
    if rate is None or rate <= 0:
        says = f"amount is in {currency}; no exchange rate to {local} given"
        ctx.shared.setdefault(says, []).append(label)
        return None, None
    foreign = {
        "foreign_currency_code": currency,
        "foreign_amount": paid_text(value, places),
        "foreign_exchange_rate": format(rate, "f"),
    }
    local_amount = decimal_text(value * rate, places)
    return local_amount, Record("foreign_currency", label, foreign)


def _received(ctx: Context, row: Any, label: str, sent: Record | None) -> Record | None:
    """The payee's foreign currency: what the payment sent, unless it says the payee received
    another currency; then that (none for the FIU's own), at its rate. Without a rate the
    received amount is in the transaction's comments only: no rate is made up."""
    currency = (clean(row.get("currency_received")) or "").upper()
    if not currency or currency == (clean(row.get("currency")) or "").upper():
        return sent
    value = amount(row.get("amount_received"))
    rate = amount(ctx.case.exchange_rates.get(currency))
    if currency == ctx.profile.local_currency or value is None or value < 0:
        return None
    if rate is None or rate <= 0:
        return None
    foreign = {
        "foreign_currency_code": currency,
        "foreign_amount": paid_text(value, ctx.profile.amount_decimals),
        "foreign_exchange_rate": format(rate, "f"),
    }
    return Record("foreign_currency", label, foreign)


def _side(
    ctx: Context, row: Any, prefix: str, label: str, channel: str, foreign: Record | None
) -> _Party | None:
    """The payment's originator (`orig`) or beneficiary (`bene`) as t_from/t_to."""
    direction = "from" if prefix == "orig" else "to"
    party = _party(ctx, row, prefix, f"{label}: {direction}")
    if party is None:
        return None
    country = (clean(row.get(f"{prefix}_country")) or "").upper() or party.country
    values = {
        "funds_code": ctx.profile.code("funds", channel),
        "foreign_currency": foreign,
        party.element: party.record,
        "country": country,
    }
    kind = f"t_{direction}" + ("_my_client" if party.client else "")
    record = Record(kind, label, values)
    return _Party(kind, record, party.client, country, party.element == "account", party.bank)


def _cash_country(sides: list[_Party | None]) -> list[_Party | None]:
    """Cash changes hands at the bank that holds the other side's account: a depositor (or a
    payee in cash) whose payment gives no country is where that bank is. goAML needs a
    country on each side, and a cash deposit slip names the depositor, rarely a country."""
    found = list(sides)
    for mine, theirs in ((0, 1), (1, 0)):
        side, other = found[mine], found[theirs]
        if side is None or other is None or side.account or side.country or not other.bank:
            continue
        side.record.values["country"] = other.bank
        found[mine] = replace(side, country=other.bank)
    return found


def _party(ctx: Context, row: Any, prefix: str, where: str) -> _Party | None:
    """The account (known in the case, else as the row names it), or the subject for cash."""
    number = clean(row.get(f"{prefix}_account"))
    account = ctx.accounts.get(number) if number else None
    if account is not None:
        holders = [ctx.subjects[h] for h in account.holders if h in ctx.subjects]
        country = subject_country(holders[0]) if holders else None
        record = account_record(ctx, account, f"account {shown(number)}")
        bank = bank_country(account)
        return _Party("account", record, account.is_client, country or bank, bank=bank)
    if number is not None:
        account = row_account(row.get(f"{prefix}_bank"), number, row.get(f"{prefix}_name"))
        record = account_record(ctx, account, f"{where}_account {shown(number)}")
        bank = bank_country(account)
        return _Party("account", record, False, bank, bank=bank)
    subject = _matching_subject(ctx, row, prefix)
    found = subject_record(ctx, subject) if subject is not None else None
    if subject is None or found is None:
        _unmatched(ctx, row, prefix, where)
        return None
    element = "person" if is_person(subject) else "entity"
    return _Party(element, found, subject.is_client, subject_country(subject))


def _unmatched(ctx: Context, row: Any, prefix: str, where: str) -> None:
    """Why a side without an account cannot be reported: its party is not a case subject, or
    the payment names no one there at all (cash paid in by someone unnamed: told once for
    all such payments, as a cash funnel's case holds dozens)."""
    name, identifier = (clean(row.get(f"{prefix}_{k}")) for k in ("name", "identifier"))
    if name is not None or identifier is not None:
        who = shown(name or identifier)
        ctx.problems.append(f"{where}: {who} has no account and is not a subject of the case")
        return
    label, _, direction = where.rpartition(": ")
    role = "originator" if prefix == "orig" else "beneficiary"
    bank = clean(row.get(f"{prefix}_bank"))
    only = f"; only its bank {shown(bank)}" if bank else ""
    says = (
        f"{direction}: the payment names no {role} (no account, name or identifier{only}); "
        "goAML's transaction needs one on each side"
    )
    ctx.shared.setdefault(says, []).append(label)


def _matching_subject(ctx: Context, row: Any, prefix: str) -> Subject | None:
    """The subject a cash party is: same identifier, else the same name (by the case's
    `name_key`: case-insensitive, or as the caller normalises names)."""
    identifier = clean(row.get(f"{prefix}_identifier"))
    name = clean(row.get(f"{prefix}_name"))
    for subject in ctx.case.subjects:
        entity = subject.entity
        ids = {v for p in entity.iterprops() if p.type.name == "identifier" for v in entity.get(p)}
        if identifier and identifier in ids:
            return subject
    key = ctx.case.name_key
    wanted = key(name) if name else None
    for subject in ctx.case.subjects:
        if wanted and wanted in {key(n) for n in subject.entity.get_type_values(registry.name)}:
            return subject
    return None


def _activity(ctx: Context) -> Record:
    """Subjects and accounts as report parties, each with why it is reported."""
    parties = [_subject_party(ctx, subject) for subject in ctx.case.subjects]
    parties += [_account_party(ctx, account) for account in ctx.case.accounts]
    if not parties:
        ctx.problems.append(f"a {ctx.case.report_code} report needs at least one subject")
    return Record("activity", "report activity", {"parties": [p for p in parties if p]})


def _subject_party(ctx: Context, subject: Subject) -> Record | None:
    """A subject as a report party: the client shape only where the FIU's schema has one."""
    base = "person" if is_person(subject) else "entity"
    chosen = f"{base}_my_client" if _client_party(ctx, subject.is_client, base) else base
    record = subject_record(ctx, subject, chosen)
    if record is None:
        return None
    reason = clean(subject.reason) or clean(ctx.case.reason)
    return Record("report_party", record.label, {chosen: record, "reason": reason})


def _account_party(ctx: Context, account: Account) -> Record:
    client = _client_party(ctx, account.is_client, "account")
    record = account_record(
        ctx, replace(account, is_client=client), f"account {shown(account.number)}"
    )
    return Record(
        "report_party", record.label, {record.kind: record, "reason": clean(ctx.case.reason)}
    )


def _client_party(ctx: Context, is_client: bool, base: str) -> bool:
    """Whether a client is reported in its client shape: only where the FIU's schema has one."""
    return is_client and ctx.profile.kinds["report_party"].has(f"{base}_my_client")
