"""Subjects and accounts as goAML persons, entities and accounts (FtM property → goAML value).

goAML holds one name, one alias, three nationalities and one birth date per person; FtM
entities from watchlists often have more. The first usable value fills the element and the
rest go to the shape's `comments`, so nothing known about a subject is left out of the report.
Where the FIU accepts only some names (`name_pattern`), the first such name is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from followthemoney.proxy import EntityProxy
from phonenumbers import PhoneNumberType

from jalur.reporting.case import Account, ReportInput, Subject
from jalur.reporting.profile import Profile
from jalur.reporting.record import EXPLAINED, Record, clean, ftm_date, shown, sql_date

_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
_NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
#: Numbers and addresses a watchlist publishes as it has them: a non-client's value that the
#: FIU's rules refuse is kept in the comments (names are not: they are what the report is on).
_AS_PUBLISHED = ("national_id", "foreign_id", "passport_number", "tax_number", "email",
                 "incorporation_number")  # fmt: skip


@dataclass
class Context:
    """The case being reported, the FIU profile, and the problems found so far."""

    case: ReportInput
    profile: Profile
    problems: list[str] = field(default_factory=list)
    #: a problem many payments share (one fix for all) → the payments it was found in
    shared: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.subjects = {s.entity.id: s for s in self.case.subjects if s.entity.id}
        self.accounts = {a.number: a for a in self.case.accounts}


def is_person(subject: Subject) -> bool:
    return bool(subject.entity.schema.is_a("Person"))


def subject_record(ctx: Context, subject: Subject, kind: str | None = None) -> Record | None:
    """A subject as a goAML person or entity; `kind` defaults by schema and client status."""
    entity = subject.entity
    if not (entity.schema.is_a("Person") or entity.schema.is_a("LegalEntity")):
        label = f"subject {shown(entity.caption)}"
        ctx.problems.append(f"{label}: a {entity.schema.name} is neither a person nor an entity")
        return None
    suffix = "_my_client" if subject.is_client else ""
    if is_person(subject):
        return person_record(ctx, subject, kind or f"person{suffix}")
    return entity_record(ctx, subject, kind or f"entity{suffix}")


def person_record(ctx: Context, subject: Subject, kind: str) -> Record:
    entity, profile = subject.entity, ctx.profile
    names = _names(entity, profile)
    label = _label(entity, names)
    nationalities = _countries(entity, "nationality") or _countries(entity, "citizenship")
    residence = _countries(entity, "country")
    national = profile.home_country in (nationalities or residence)
    id_numbers = entity.get("idNumber")
    birth_dates = entity.get("birthDate")
    full_dates = [d for d in birth_dates if ftm_date(d, profile.timezone)]
    passport_number, passport_country = _passport(subject)
    first, middle, last = _name_parts(entity, names[0] if names else "")
    values = _ftm_values(entity, profile) | {
        "gender": profile.code("gender", entity.first("gender")),
        "title": clean(entity.first("title")),
        "first_name": first,
        "middle_name": middle,
        "last_name": last,
        "birthdate": ftm_date(full_dates[0], profile.timezone) if full_dates else None,
        "birth_place": clean(entity.first("birthPlace")),
        "mothers_name": clean(entity.first("motherName")),
        "alias": _at(names, 1),
        "national_id": clean(_at(id_numbers, 0)) if national else None,
        "foreign_id": None if national else clean(_at(id_numbers, 0)),
        "passport_number": passport_number,
        "passport_country": passport_country
        or (_at(nationalities, 0) if passport_number else None),
        "nationality1": _at(nationalities, 0),
        "nationality2": _at(nationalities, 1),
        "nationality3": _at(nationalities, 2),
        "residence": _at(residence, 0),
        "occupation": clean(entity.first("position") or entity.first("profession")),
        "identifications": [_document(ctx, doc) for doc in subject.documents],
        "source_of_wealth": clean(subject.source_of_wealth),
        "role": profile.code("director_role"),
    }
    leftovers = {
        "also known as": names[2:],
        "birth dates": [d for d in birth_dates if d not in full_dates[:1]],
        "nationalities": nationalities[3:],
        "id numbers": id_numbers[1:],
    }
    return Record(kind, label, _kept(ctx, subject, kind, values, leftovers, label))


def entity_record(ctx: Context, subject: Subject, kind: str) -> Record:
    entity, profile = subject.entity, ctx.profile
    names = _names(entity, profile)
    label = _label(entity, names)
    client = kind.endswith("_my_client")
    directors = [Subject(entity=person, is_client=client) for person in subject.directors]
    legal_form = entity.first("legalForm")
    # a payment party (a LegalEntity: person or company unknown; a Company the workspace knows
    # by its legal form) has the country of its address, not of an incorporation: that goes to
    # the comments, the side's country stays
    unknown_kind = entity.schema.name == "LegalEntity" or subject.payment_party
    country = entity.first("jurisdiction") or (None if unknown_kind else entity.first("country"))
    values = _ftm_values(entity, profile) | {
        "name": _at(names, 0),
        "commercial_name": _at(names, 1),
        "incorporation_legal_form": profile.code("legal_form", legal_form) if legal_form else None,
        "incorporation_number": clean(entity.first("registrationNumber")),
        "business": clean(entity.first("sector") or entity.first("classification")),
        "url": clean(entity.first("website")),
        "incorporation_country_code": _upper(country),
        "incorporation_date": ftm_date(entity.first("incorporationDate"), profile.timezone),
        "directors": [person_record(ctx, d, "director") for d in directors],
    }
    leftovers = {
        "also known as": names[2:],
        "identifiers": _other_identifiers(entity),
        "countries": _countries(entity, "country") if unknown_kind and not country else [],
    }
    return Record(kind, label, _kept(ctx, subject, kind, values, leftovers, label))


def account_record(ctx: Context, account: Account, label: str) -> Record:
    """An account with its holders: persons as signatories, the first organisation as t_entity."""
    holders = [ctx.subjects.get(h) for h in account.holders]
    for holder_id, holder in zip(account.holders, holders, strict=True):
        if holder is None:
            ctx.problems.append(f"{label}: holder {shown(holder_id)} is not a subject of the case")
    known = [h for h in holders if h is not None]
    persons = [h for h in known if is_person(h)]
    entities = [h for h in known if not is_person(h)]
    suffix = "_my_client" if account.is_client else ""
    profile = ctx.profile
    values: dict[str, object] = {
        "institution_name": _institution_name(ctx, account),
        "swift": _upper(account.bic),  # ISO 9362 writes BICs in upper case
        "institution_code": None if clean(account.bic) else clean(account.institution_code),
        "non_bank_institution": "true" if account.non_bank else "false",
        "branch": clean(account.branch),
        "account": clean(account.number),
        "currency_code": _upper(account.currency),
        "account_name": clean(account.name) or _caption(known),
        "iban": clean(account.iban),
        "client_number": clean(account.client_number),
        "personal_account_type": _account_type(profile, persons, entities),
        "t_entity": entity_record(ctx, entities[0], f"entity{suffix}") if entities else None,
        "signatories": [
            _signatory(ctx, p, i == 0, f"person{suffix}") for i, p in enumerate(persons)
        ],
        "opened": sql_date(account.opened, profile.timezone),
        "closed": sql_date(account.closed, profile.timezone),
        "status_code": profile.code("account_status", account.status) if account.status else None,
        "beneficiary": clean(account.beneficiary),
        "comments": " | ".join(filter(None, (clean(account.comments), _also_held_by(entities[1:]))))
        or None,
    }
    unnamed = values["institution_name"] is None and account.is_client
    if unnamed and _needs(profile, f"account{suffix}", "institution_name"):
        # one fix for every client account, in jalur.toml: said once, not per account
        _once(ctx, _OWN_BANK_UNNAMED)
        values["institution_name"] = EXPLAINED
    return Record(f"account{suffix}", label, values)


#: Why a client account has no institution_name: the one fix is in jalur.toml, for all of them.
_OWN_BANK_UNNAMED = (
    "the bank's own (client) accounts need its name as institution_name: set [reporting] name "
    "in jalur.toml"
)


def _needs(profile: Profile, kind: str, element: str) -> bool:
    shape = profile.kinds.get(kind)
    return shape is not None and any(element in either for either in shape.required)


def _once(ctx: Context, problem: str) -> None:
    if problem not in ctx.problems:
        ctx.problems.append(problem)


def _institution_name(ctx: Context, account: Account) -> str | None:
    """The bank's name, never its code: a payment names its bank by BIC or national code
    (`swift` / `institution_code`), and that code as the name would tell the FIU the bank is
    called "BNINIDJA". The bank's own (client) accounts take `[reporting] name`."""
    name = clean(account.institution_name)
    codes = {code.upper() for code in map(clean, (account.bic, account.institution_code)) if code}
    if name is not None and name.upper() not in codes:
        return name
    return clean(ctx.case.reporter.name) if account.is_client else None


def _account_type(profile: Profile, persons: list[Subject], entities: list[Subject]) -> str | None:
    """The account type by its holders, only where their kind is known: a payment party is
    an FtM LegalEntity (a payment rarely says whether a person or a company holds the
    account), and stating "an entity's account" for it would be a guess."""
    if any(h.entity.schema.name == "LegalEntity" for h in entities) or not (persons or entities):
        return None
    return profile.code("account_type", "entity" if entities else "person")


def row_account(row_bank: str | None, number: str, holder: str | None) -> Account:
    """An account known only from a payment row: its number, bank id and holder's name."""
    bank = clean(row_bank)
    is_bic = bank is not None and _BIC.fullmatch(bank.upper()) is not None
    return Account(
        number=number,
        bic=bank if is_bic else None,
        institution_code=None if is_bic else bank,
        name=clean(holder),
    )


def bank_country(account: Account) -> str | None:
    """The country of the account's bank, as its BIC says (ISO 9362 letters 5-6): where the
    money left or arrived when the payment gives no country for its side (a domestic file
    without country columns). goAML needs `from_country`/`to_country` on every side, and a
    report was refused for a country the payment's own BIC stated."""
    bic = (clean(account.bic) or "").upper()
    return bic[4:6] if _BIC.fullmatch(bic) else None


def subject_country(subject: Subject) -> str | None:
    entity = subject.entity
    found = [
        v for p in ("nationality", "country", "jurisdiction") for v in entity.get(p, quiet=True)
    ]
    return _upper(found[0]) if found else None


def _signatory(ctx: Context, subject: Subject, primary: bool, kind: str) -> Record:
    person = person_record(ctx, subject, kind)
    values = {
        "is_primary": "1" if primary else None,
        "t_person": person,
        "role": ctx.profile.code("signatory_role"),
    }
    return Record("signatory", person.label, values)


def _kept(
    ctx: Context,
    subject: Subject,
    kind: str,
    values: dict[str, object],
    leftovers: dict[str, list[str]],
    label: str,
) -> dict[str, object]:
    """The shape's values with its contacts; for a subject not the bank's client, a number or
    e-mail the FIU's rules refuse goes to the comments instead of its element. A watchlist
    publishes its entries' numbers as it has them (OFAC: an Indonesian id "3219222002.2181558"):
    the bank cannot correct them, and a report on a listed man must not be refused for them. A
    client's file is the bank's own, so there the rule still refuses the value."""
    values = values | _contacts(ctx, subject, label, {})
    shape = ctx.profile.kinds.get(kind)
    if not subject.is_client and shape is not None:
        for item in (f for f in shape.fields if f.source in _AS_PUBLISHED):
            text = values.get(item.source)
            says = _refused_by(ctx.profile, item.element, text)
            if isinstance(text, str) and says:
                leftovers = leftovers | {f"{item.element} not reported, {says}": [text]}
                values[item.source] = None
    found = [f"{title}: {'; '.join(given)}" for title, given in leftovers.items() if given]
    contacts = values.get("comments")
    comments = " | ".join([*found, contacts] if isinstance(contacts, str) else found)
    return values | {"comments": comments or None}


def _refused_by(profile: Profile, element: str, text: object) -> str | None:
    """What the profile's first rule on the element says of the text, if it refuses it."""
    for rule in profile.rules:
        if isinstance(text, str) and element in rule.elements and not rule.pattern.fullmatch(text):
            return rule.says
    return None


def _contacts(
    ctx: Context, subject: Subject, label: str, leftovers: dict[str, list[str]]
) -> dict[str, object]:
    """Phones, structured addresses, e-mail, and the comments that keep every other value."""
    entity, profile = subject.entity, ctx.profile
    contact = "private" if is_person(subject) else "business"
    region = _at(_countries(entity, "country"), 0) or profile.home_country
    phones = [phone_record(profile, phone, contact, region, label) for phone in entity.get("phone")]
    emails = entity.get("email")
    # one-line FtM addresses have no city for goAML's t_address: they are kept as comments
    leftovers = leftovers | {"addresses": entity.get("address"), "e-mail": emails[1:]}
    found = [f"{title}: {'; '.join(values)}" for title, values in leftovers.items() if values]
    return {
        "phones": phones,
        "addresses": [_address(ctx, a, label, contact) for a in subject.addresses],
        "email": clean(_at(emails, 0)),
        "comments": " | ".join(found) or None,
        "tax_number": clean(entity.first("taxNumber")),
        "tax_registered": _tax_registered(profile, subject),
    }


#: The lines a numbering plan tells apart, in the words of the profiles' `communication_type`.
_LINES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.PAGER: "pager",
}


def phone_record(profile: Profile, number: str, contact: str, region: str, label: str) -> Record:
    """A phone as goAML's: `contact` (private, business) says whose line it is, the numbering
    plan whether it is a mobile or a landline and where the country code ends (a number
    written without one is read as `region`'s); where the plan cannot tell, the profile's
    default line, and the number's digits as written."""
    parsed = _parsed(number, region)
    national = phonenumbers.national_significant_number(parsed) if parsed else None
    values = {
        "tph_contact_type": profile.code("contact_type", contact),
        "tph_communication_type": profile.code("communication_type", _line(parsed)),
        "tph_country_prefix": str(parsed.country_code) if parsed and national else None,
        "tph_number": national or re.sub(r"[^0-9]", "", number) or number,
    }
    return Record("phone", label, values)


def _parsed(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The number as its plan reads it; None for one no plan knows (made up, malformed)."""
    try:
        parsed = phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_valid_number(parsed) else None


def _line(parsed: phonenumbers.PhoneNumber | None) -> str | None:
    """Mobile, landline or pager as the number's plan says; None where it cannot say (a US
    number may be either)."""
    return _LINES.get(phonenumbers.number_type(parsed)) if parsed else None


def _tax_registered(profile: Profile, subject: Subject) -> str | None:
    """Yes with a tax number; no only for a client, whose file the bank knows to be complete."""
    if subject.entity.has("taxNumber"):
        return profile.code("tax_registered", "yes")
    return profile.code("tax_registered", "no") if subject.is_client else None


def _address(ctx: Context, address: EntityProxy, label: str, contact: str) -> Record:
    """An FtM Address as goAML's: a person's is private (home), an organisation's business."""
    street = " ".join(v for v in (address.first("street"), address.first("street2")) if v)
    values = {
        "address_type": ctx.profile.code("contact_type", contact),
        "address": clean(street or address.first("full")),
        "city": clean(address.first("city")),
        "zip": clean(address.first("postalCode")),
        "country_code": _upper(address.first("country")),
        "state": clean(address.first("state") or address.first("region")),
    }
    return Record("address", f"{label}: address {shown(address.caption)}", values)


def _document(ctx: Context, document: EntityProxy) -> Record:
    profile = ctx.profile
    kind = "passport" if document.schema.is_a("Passport") else document.first("type")
    number = document.first("passportNumber", quiet=True) or document.first("number")
    values = {
        "type": profile.code("identification", kind, "national_id"),
        "number": clean(number),
        "issue_date": ftm_date(document.first("startDate"), profile.timezone),
        "expiry_date": ftm_date(document.first("endDate"), profile.timezone),
        "issued_by": clean(document.first("authority")),
        "issue_country": _upper(document.first("country")),
    }
    return Record("identification", f"document {shown(number or document.id)}", values)


def _passport(subject: Subject) -> tuple[str | None, str | None]:
    for document in subject.documents:
        if document.schema.is_a("Passport"):
            number = document.first("passportNumber", quiet=True) or document.first("number")
            return clean(number), _upper(document.first("country"))
    return clean(subject.entity.first("passportNumber")), None


def _names(entity: EntityProxy, profile: Profile) -> list[str]:
    """The entity's names, the one to report first (the first the FIU accepts, if it says)."""
    names: list[str] = []
    for prop in _NAME_PROPS:
        for value in entity.get(prop, quiet=True):
            text = clean(value)
            if text and text not in names:
                names.append(text)
    pattern = profile.name_pattern
    accepted = [n for n in names if pattern is None or pattern.fullmatch(n)]
    return accepted[:1] + [n for n in names if n not in accepted[:1]]


def _name_parts(entity: EntityProxy, name: str) -> tuple[str | None, str | None, str | None]:
    """First, middle and last name: FtM's own parts when given; else the family name the
    list marks in capitals at either end ("SAEED Hafiz Muhammad", "Muhammad Jibril ABDUL
    RAHMAN"), as the UN and OFAC write it; else the name split at its last word."""
    last = clean(entity.first("lastName"))
    if last is not None:
        return clean(entity.first("firstName")), clean(entity.first("middleName")), last
    words = name.split()
    family = _capitalised_run(words)
    if family is not None:
        given = words[family.stop :] if family.start == 0 else words[: family.start]
        return " ".join(given), None, " ".join(words[family])
    return (" ".join(words[:-1]) or None, None, words[-1] if words else None)


def _capitalised_run(words: list[str]) -> slice | None:
    """The words in capitals at the start or the end of a name that has others (not a name
    all in capitals, where nothing marks the family name)."""
    shouting = [sum(c.isalpha() for c in w) >= 2 and w.upper() == w for w in words]
    if all(shouting) or not any(shouting):
        return None
    start = shouting.index(True)
    stop = start + shouting[start:].index(False) if False in shouting[start:] else len(words)
    if any(shouting[stop:]) or (start != 0 and stop != len(words)):
        return None  # capitals in the middle or on both sides: no convention says which
    return slice(start, stop)


def _ftm_values(entity: EntityProxy, profile: Profile) -> dict[str, object]:
    """Every FtM property's first value, dates and countries in goAML's forms."""
    values: dict[str, object] = {}
    for prop in entity.iterprops():
        first = entity.first(prop)
        if prop.type.name == "date":
            values[prop.name] = ftm_date(first, profile.timezone)
        elif prop.type.name == "country":
            values[prop.name] = _upper(first)
        else:
            values[prop.name] = clean(first)
    return values


#: An entity's identifiers goAML has an element for (their first value is reported there).
_ENTITY_IDS = ("registrationNumber", "taxNumber")


def _other_identifiers(entity: EntityProxy) -> list[str]:
    """Identifiers goAML's entity has no element for (a payment party's `idNumber`, an LEI),
    by FtM property, for the comments: a payment's identifier is how the FIU finds the party."""
    found = []
    for prop in entity.iterprops():
        if prop.type.name == "identifier":
            values = entity.get(prop)
            for value in values[1:] if prop.name in _ENTITY_IDS else values:
                found.append(f"{prop.name} {value}")
    return found


def _label(entity: EntityProxy, names: list[str]) -> str:
    return f"subject {shown(names[0] if names else entity.id)}"


def _countries(entity: EntityProxy, prop: str) -> list[str]:
    return [value.upper() for value in entity.get(prop)]


def _also_held_by(entities: list[Subject]) -> str | None:
    names = [e.entity.caption for e in entities]
    return f"also held by: {'; '.join(names)}" if names else None


def _caption(subjects: list[Subject]) -> str | None:
    return clean(subjects[0].entity.caption) if subjects else None


def _at(values: list[str], index: int) -> str | None:
    return values[index] if len(values) > index else None


def _upper(value: str | None) -> str | None:
    text = clean(value)
    return text.upper() if text else None
