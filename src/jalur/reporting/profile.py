"""An FIU's report profile: which goAML shapes it takes, filled from which case values.

A profile is a YAML file plus the FIU's XSD (`profiles/ppatk-4.0.2.yaml`). It names the report
codes and whether each carries transactions or activity, the order and source of every element
of every goAML shape (`kinds`), the fields the FIU needs, its code tables and its field rules.
The code that reads it is generic: a second FIU is a second file, never a second code path.
Everything a profile says is checked when it loads — sources against the values the builder
provides, codes against the XSD's own enumerations — so a typo fails here, not in a report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from followthemoney import model as ftm_model
from lxml import etree

from jalur.reporting.errors import ProfileError

SHAPES = ("transactions", "activity")
_XS = {"xs": "http://www.w3.org/2001/XMLSchema"}

_PERSON = (
    "gender title first_name middle_name last_name birthdate birth_place mothers_name alias "
    "national_id foreign_id passport_number passport_country nationality1 nationality2 "
    "nationality3 residence phones addresses email occupation identifications tax_number "
    "tax_registered source_of_wealth comments role"
)
_ENTITY = (
    "name commercial_name incorporation_legal_form incorporation_number business phones "
    "addresses email url incorporation_state incorporation_country_code directors "
    "incorporation_date tax_number tax_registered comments"
)
_ACCOUNT = (
    "institution_name institution_code swift non_bank_institution branch account currency_code "
    "account_name iban client_number personal_account_type t_entity signatories opened closed "
    "status_code beneficiary comments"
)
_SIDE = "funds_code foreign_currency account person entity country"

#: The values the builder provides for each goAML shape: what a profile's `element: source`
#: may name. Persons and entities also offer every FtM property by its FtM name (`position`).
SOURCES: dict[str, frozenset[str]] = {
    kind: frozenset(words.split())
    for kind, words in {
        "report": "rentity_id rentity_branch submission_code report_code entity_reference "
        "submission_date currency_code_local reporting_person location reason action "
        "transactions activity indicators",
        "reporting_person": "gender title first_name last_name id_number nationality1 phones "
        "email occupation",
        "address": "address_type address town city zip country_code state",
        "phone": "tph_contact_type tph_communication_type tph_country_prefix tph_number",
        "identification": "type number issue_date expiry_date issued_by issue_country",
        "person": _PERSON,
        "person_my_client": _PERSON,
        "director": _PERSON,
        "entity": _ENTITY,
        "entity_my_client": _ENTITY,
        "account": _ACCOUNT,
        "account_my_client": _ACCOUNT,
        "signatory": "is_primary t_person role",
        "foreign_currency": "foreign_currency_code foreign_amount foreign_exchange_rate",
        "transaction": "transactionnumber internal_ref_number transaction_location "
        "transaction_description date_transaction transmode_code transmode_comment "
        "amount_local parties t_from t_from_my_client t_to t_to_my_client comments",
        "party": "role person person_my_client entity entity_my_client account "
        "account_my_client funds_code foreign_currency country comments",
        "t_from": _SIDE,
        "t_from_my_client": _SIDE,
        "t_to": _SIDE,
        "t_to_my_client": _SIDE,
        "activity": "parties",
        "report_party": "person person_my_client entity entity_my_client account "
        "account_my_client significance reason comments",
    }.items()
}
_FTM_SCHEMA = {"person": "Person", "person_my_client": "Person", "director": "Person"}
_FTM_SCHEMA |= {"entity": "Company", "entity_my_client": "Company"}

#: Code tables and the XSD enumeration their values must belong to (None: free text).
CODE_TYPES: dict[str, str | None] = {
    "gender": "gender_type",
    "transmode": "conduction_type",
    "funds": "funds_type",
    "contact_type": "contact_type",
    "communication_type": "communication_type",
    "identification": "identifier_type",
    "account_status": "account_status_type",
    "account_type": "account_type",
    "signatory_role": "account_person_role_type",
    "director_role": "entity_person_role_type",
    "legal_form": "legal_form_type",
    "tax_registered": None,
    "transmode_comment": None,
    "party_role": "party_role_type",
}
#: Shapes a profile may leave out: without `party`, a payment that names one side only is
#: refused (goAML's two-sided transaction needs both) rather than reported multi-party.
OPTIONAL_KINDS = frozenset({"party"})
_TOP_KEYS = {
    "name", "fiu", "schema", "local_currency", "home_country", "timezone", "submission_code",
    "amount_decimals", "name_pattern", "report_codes", "codes", "rules", "kinds",
}  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One goAML element filled from one source value; `each` wraps a list, one item per value."""

    element: str
    source: str
    each: str | None = None


@dataclass(frozen=True)
class Kind:
    """A goAML shape: its elements in schema order and what must be present (`a|b`: either)."""

    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...]

    def source_of(self, element: str) -> str:
        return next((f.source for f in self.fields if f.element == element), element)

    def has(self, element: str) -> bool:
        return any(f.element == element for f in self.fields)


@dataclass(frozen=True)
class Rule:
    """A check on the text of named elements, with the words that explain a failure."""

    elements: frozenset[str]
    pattern: re.Pattern[str]
    says: str


@dataclass(frozen=True)
class Profile:
    """One FIU's goAML dialect, loaded and checked against its own XSD."""

    name: str
    fiu: str
    schema_path: Path
    schema: etree.XMLSchema = field(repr=False, compare=False)
    local_currency: str
    home_country: str
    timezone: ZoneInfo
    submission_code: str
    amount_decimals: int
    report_codes: Mapping[str, str]
    codes: Mapping[str, Mapping[str, str]]
    kinds: Mapping[str, Kind]
    rules: tuple[Rule, ...]
    name_pattern: re.Pattern[str] | None = None

    def code(self, table: str, *keys: str | None) -> str | None:
        """The FIU's code for the first key its table knows, else the table's default."""
        codes = self.codes.get(table, {})
        for key in keys:
            if key is not None and key.lower() in codes:
                return codes[key.lower()]
        return codes.get("default")


def shipped_profiles() -> list[str]:
    folder = resources.files("jalur.reporting").joinpath("profiles")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (`ppatk-4.0.2`) or a profile file by path."""
    path = Path(name_or_path)
    if not path.is_file():
        if str(name_or_path) not in shipped_profiles():
            known = ", ".join(shipped_profiles())
            raise ProfileError(str(name_or_path), f"no such profile file (shipped: {known})")
        path = Path(str(resources.files("jalur.reporting").joinpath("profiles"))) / (
            f"{name_or_path}.yaml"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(str(path), f"cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(str(path), "must be a YAML mapping (key: value)")
    return _parse(str(path), path.parent, data)


def _parse(source: str, folder: Path, data: dict[str, Any]) -> Profile:
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise ProfileError(source, f"unknown keys {unknown} (known: {sorted(_TOP_KEYS)})")
    schema_path = (folder / _text(source, "schema", data.get("schema"))).resolve()
    xsd = _read_xsd(source, schema_path)
    return Profile(
        name=_text(source, "name", data.get("name")),
        fiu=_text(source, "fiu", data.get("fiu")),
        schema_path=schema_path,
        schema=_compile(source, xsd),
        local_currency=_enumerated(source, xsd, "currency_type", "local_currency", data),
        home_country=_enumerated(source, xsd, "country_type", "home_country", data),
        timezone=_zone(source, data.get("timezone", "UTC")),
        submission_code=_enumerated(source, xsd, "submission_type", "submission_code", data),
        amount_decimals=_decimals(source, data.get("amount_decimals", 2)),
        report_codes=_report_codes(source, xsd, data.get("report_codes")),
        codes=_codes(source, xsd, data.get("codes", {})),
        kinds=_kinds(source, data.get("kinds")),
        rules=_rules(source, data.get("rules", [])),
        name_pattern=_pattern(source, "name_pattern", data["name_pattern"])
        if "name_pattern" in data
        else None,
    )


def _read_xsd(source: str, path: Path) -> etree._ElementTree:
    try:
        return etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ProfileError(source, f"schema {path} cannot be read: {exc}") from None


def _compile(source: str, xsd: etree._ElementTree) -> etree.XMLSchema:
    try:
        return etree.XMLSchema(xsd)
    except etree.XMLSchemaParseError as exc:
        raise ProfileError(source, f"schema is not a usable XSD: {exc}") from None


def _enumeration(xsd: etree._ElementTree, type_name: str) -> set[str]:
    found = xsd.xpath(
        "/xs:schema/xs:simpleType[@name=$name]//xs:enumeration/@value",
        name=type_name,
        namespaces=_XS,
    )
    return {str(value) for value in found} if isinstance(found, list) else set()


def _in_enumeration(
    source: str, xsd: etree._ElementTree, type_name: str, where: str, value: str
) -> str:
    allowed = _enumeration(xsd, type_name)
    if value not in allowed:
        raise ProfileError(source, f"{where}: {value!r} is not in the schema's {type_name}")
    return value


def _enumerated(
    source: str, xsd: etree._ElementTree, type_name: str, key: str, data: dict[str, Any]
) -> str:
    return _in_enumeration(source, xsd, type_name, key, _text(source, key, data.get(key)))


def _report_codes(source: str, xsd: etree._ElementTree, value: Any) -> dict[str, str]:
    codes = _mapping(source, "report_codes", value)
    for code, shape in codes.items():
        _in_enumeration(source, xsd, "report_type", "report_codes", code)
        if shape not in SHAPES:
            raise ProfileError(source, f"report_codes.{code}: {shape!r} is not one of {SHAPES}")
    if not codes:
        raise ProfileError(source, "report_codes: at least one report code is needed")
    return codes


def _codes(source: str, xsd: etree._ElementTree, value: Any) -> dict[str, dict[str, str]]:
    tables = value if isinstance(value, dict) else {}
    unknown = sorted(set(map(str, tables)) - set(CODE_TYPES))
    if unknown or not isinstance(value, dict):
        raise ProfileError(source, f"codes: unknown tables {unknown} (known: {list(CODE_TYPES)})")
    result: dict[str, dict[str, str]] = {}
    for table, type_name in CODE_TYPES.items():
        codes = {
            key.lower(): code
            for key, code in _mapping(source, f"codes.{table}", tables.get(table, {})).items()
        }
        for code in codes.values():
            if type_name is not None:
                _in_enumeration(source, xsd, type_name, f"codes.{table}", code)
        result[table] = codes
    return result


def _kinds(source: str, value: Any) -> dict[str, Kind]:
    if not isinstance(value, dict):
        raise ProfileError(source, "kinds: must be a mapping of goAML shapes")
    missing = sorted(set(SOURCES) - set(value) - OPTIONAL_KINDS)
    if missing:
        raise ProfileError(source, f"kinds: {missing} missing")
    return {name: _kind(source, name, value) for name in SOURCES if name in value}


def _kind(source: str, name: str, kinds: dict[str, Any]) -> Kind:
    spec = kinds[name]
    where = f"kinds.{name}"
    if not isinstance(spec, dict):
        raise ProfileError(source, f"{where}: must be a mapping with fields and required")
    base: tuple[Field, ...] = ()
    if "like" in spec:
        like = _text(source, f"{where}.like", spec["like"])
        if like not in kinds or like == name or "like" in kinds[like]:
            raise ProfileError(source, f"{where}.like: {like!r} is not a shape with own fields")
        base = _kind(source, like, kinds).fields
    own = tuple(
        _field(source, where, item) for item in _list(source, where, spec.get("fields", []))
    )
    fields = base + own
    allowed = SOURCES[name] | _ftm_properties(name)
    for item in fields:
        if item.source not in allowed:
            raise ProfileError(source, f"{where}: {item.element} from unknown {item.source!r}")
    elements = {item.element for item in fields}
    required = tuple(
        tuple(_text(source, f"{where}.required", entry).split("|"))
        for entry in _list(source, where, spec.get("required", []))
    )
    for alternatives in required:
        for element in alternatives:
            if element not in elements:
                raise ProfileError(source, f"{where}.required: {element!r} is not a field")
    return Kind(fields=fields, required=required)


def _field(source: str, where: str, item: Any) -> Field:
    if isinstance(item, str):
        return Field(element=item, source=item)
    if not isinstance(item, dict) or len(item) != 1:
        raise ProfileError(source, f"{where}: {item!r} is not `element` or `element: source`")
    ((element, spec),) = item.items()
    if isinstance(spec, str):
        return Field(element=str(element), source=spec)
    spec = _mapping(source, f"{where}.{element}", spec)
    if set(spec) - {"from", "each"} or "from" not in spec:
        raise ProfileError(source, f"{where}.{element}: expected {{from: SOURCE, each: ITEM}}")
    return Field(element=str(element), source=spec["from"], each=spec.get("each"))


def _ftm_properties(kind: str) -> frozenset[str]:
    schema = _FTM_SCHEMA.get(kind)
    found = ftm_model.get(schema) if schema else None
    return frozenset(found.properties) if found is not None else frozenset()


def _rules(source: str, value: Any) -> tuple[Rule, ...]:
    rules = []
    for index, item in enumerate(_list(source, "rules", value)):
        where = f"rules[{index}]"
        spec = item if isinstance(item, dict) else {}
        elements = _list(source, f"{where}.elements", spec.get("elements"))
        rules.append(
            Rule(
                elements=frozenset(_text(source, where, e) for e in elements),
                pattern=_pattern(source, f"{where}.pattern", spec.get("pattern")),
                says=_text(source, f"{where}.says", spec.get("says")),
            )
        )
    return tuple(rules)


def _pattern(source: str, where: str, value: Any) -> re.Pattern[str]:
    try:
        return re.compile(_text(source, where, value))
    except re.error as exc:
        raise ProfileError(source, f"{where}: not a regular expression: {exc}") from None


def _zone(source: str, value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(_text(source, "timezone", value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(source, f"timezone: {exc}") from None


def _decimals(source: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 13:
        raise ProfileError(source, f"amount_decimals: {value!r} is not a whole number 0-13")
    return value


def _text(source: str, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ProfileError(source, f"{where}: expected text, found {value!r} (quote it in YAML)")
    return value


def _list(source: str, where: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ProfileError(source, f"{where}: expected a list, found {value!r}")
    return value


def _mapping(source: str, where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ProfileError(source, f"{where}: expected a mapping, found {value!r}")
    return {_text(source, where, k): _text(source, f"{where}.{k}", v) for k, v in value.items()}
