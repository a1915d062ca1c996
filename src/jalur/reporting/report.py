"""Build a goAML report, validate it against the FIU's XSD, and write it only when valid.

Validation runs in two stages. Our own checks come first (what the profile requires, XML-safe
text, the FIU's field rules) because they speak the analyst's language. The XSD is the final
guard: lxml (libxml2) validates the exact bytes that would be written, and each schema error is
told from the nearest labelled part of the case ("payment t4: t_to/to_account: …"). lxml is the
validator because it loads both shipped schemas in milliseconds (xmlschema's XSD 1.1 validator
takes most of a second per schema, and its 1.0 validator rejects a PPATK regex), it is already
how jalur reads XML, and its errors carry the element path we map back.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from lxml import etree

from jalur.reporting.case import ReportInput
from jalur.reporting.errors import ReportInvalidError
from jalur.reporting.profile import Profile, load_profile
from jalur.reporting.record import shown
from jalur.reporting.records import report_record
from jalur.reporting.render import in_payments, render

_LONG_SET = re.compile(r"\{[^{}]{120,}\}")
_MAX_LENGTH = re.compile(
    r"\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds the allowed "
    r"maximum length of '(\d+)'"
)
_TRANSACTION = re.compile(r"/report/transaction(\[\d+\])?")


def build_report(case: ReportInput, profile: Profile | str) -> bytes:
    """The report as goAML XML bytes, valid for the profile's XSD; else `ReportInvalidError`."""
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    record, problems = report_record(case, chosen)
    rendered = render(record, chosen)
    problems += rendered.problems
    if problems:
        raise ReportInvalidError(_unique(problems))
    root = rendered.labelled[0][0]
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    tree = etree.ElementTree(root)
    labels = {tree.getpath(node): label for node, label in rendered.labelled}
    schema_problems = _schema_problems(data, chosen, labels)
    if schema_problems:
        raise ReportInvalidError(_unique(schema_problems))
    return data


def report_sha256(data: bytes) -> str:
    """The report file's SHA-256 (hex): what the case and the audit log record."""
    return hashlib.sha256(data).hexdigest()


def write_report(
    case: ReportInput, profile: Profile | str, path: Path, *, overwrite: bool = False
) -> str:
    """Build, validate, then write the report to `path`; returns its SHA-256.

    Nothing is written for an invalid case. The file appears whole or not at all (written
    beside the target, then moved), and an existing report is kept unless `overwrite`.
    """
    data = build_report(case, profile)
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            Path(temporary).replace(path)
        else:
            os.link(temporary, path)  # refuses an existing file, unlike a rename
    finally:
        Path(temporary).unlink(missing_ok=True)
    return report_sha256(data)


def _schema_problems(data: bytes, profile: Profile, labels: dict[str, str]) -> list[str]:
    document = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    if profile.schema.validate(document):
        return []
    found: dict[str, list[str]] = {}
    for error in profile.schema.error_log:
        told, payment = _told(error, labels, document)
        where = found.setdefault(told, [])
        if payment is not None and payment not in where:
            where.append(payment)
    return [in_payments(told, payments) for told, payments in found.items()]


def _told(
    error: etree._LogEntry, labels: dict[str, str], document: etree._Element
) -> tuple[str, str | None]:
    """A schema error from the nearest labelled element: "account '123': branch: …", and the
    payment it is in when that label does not name it (an account in many payments)."""
    path = error.path or "/report"
    prefix = path
    while prefix and prefix not in labels:
        prefix = prefix.rsplit("/", 1)[0]
    where = labels.get(prefix, "report")
    inner = path[len(prefix) :].strip("/")
    inner = re.sub(r"\[\d+\]", "", inner)
    # the schema quotes the value as given: a bidi override from a file is escaped, as in `shown`
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in error.message)
    message = _LONG_SET.sub("{…}", message)
    too_long = _too_long(error, document)
    if too_long is not None:
        message = too_long
    return f"{where}: {inner + ': ' if inner else ''}{message} (schema)", _payment(
        path, where, labels
    )


def _payment(path: str, where: str, labels: dict[str, str]) -> str | None:
    """The payment an error is in, when its label does not name it already."""
    transaction = _TRANSACTION.match(path)
    payment = labels.get(transaction.group()) if transaction else None
    return None if payment is not None and where.startswith(payment) else payment


def _too_long(error: etree._LogEntry, document: etree._Element) -> str | None:
    """A value over the schema's maxLength in the analyst's words: the value's start, its
    length and the limit ("'PT …' is 300 characters long, more than the 255 the FIU's schema
    allows"), so the record is found and the limit known."""
    found = _MAX_LENGTH.search(error.message)
    if found is None or not error.path:
        return None
    length, limit = found.groups()
    nodes = document.xpath(error.path)
    node = nodes[0] if isinstance(nodes, list) and nodes else None
    value = f"{shown(node.text or '')} " if isinstance(node, etree._Element) else ""
    return (
        f"{value}is {length} characters long, more than the {limit} the FIU's "
        "schema allows; shorten it where it was loaded"
    )


def _unique(problems: list[str]) -> list[str]:
    return list(dict.fromkeys(problems))
