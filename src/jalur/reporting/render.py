"""Records to goAML XML, in the profile's element order, checking each value on the way.

Three checks happen here, in the analyst's words and before any schema sees the XML: what the
profile requires is present, text carries only characters XML 1.0 can hold, and each value
passes the profile's rules (a NIK of 16 digits). Every element made from a labelled record is
remembered, so a schema error at `/report/transaction[4]/t_to/to_account` can be told as
"account '123': …".
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from jalur.reporting.profile import Field, Profile
from jalur.reporting.record import EXPLAINED, Record, shown

#: Characters outside XML 1.0's `Char` production (control characters, U+FFFE/U+FFFF).
#: How many payments a problem of a party names before it says "and N more".
SHOWN_PAYMENTS = 5
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Rendered:
    """The XML tree, the label of every record's element, and the problems found."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.labelled: list[tuple[etree._Element, str]] = []
        self.found: dict[str, list[str]] = {}  # each problem → the payments it is in
        self.payment: str | None = None  # the transaction being rendered, if any

    @property
    def problems(self) -> list[str]:
        """Every problem once; one in a party's record names the payments it came in."""
        return [in_payments(text, where) for text, where in self.found.items()]

    def problem(self, label: str, text: str) -> None:
        """A problem of the record labelled `label`; within a payment whose label is not
        already in it (an account, a party), that payment is remembered for the message."""
        where = self.found.setdefault(f"{label}: {text}", [])
        if self.payment and not label.startswith(self.payment) and self.payment not in where:
            where.append(self.payment)

    def record(self, node: etree._Element, record: Record) -> etree._Element:
        """Fill `node` with the record's values in the order the profile lists the elements."""
        outer = self.payment
        if record.kind == "transaction":
            self.payment = record.label
        self.labelled.append((node, record.label))
        kind = self.profile.kinds[record.kind]
        for alternatives in kind.required:
            if all(_empty(record.values.get(kind.source_of(e))) for e in alternatives):
                self.problem(record.label, _missing(kind.source_of, alternatives))
        for field in kind.fields:
            value = record.values.get(field.source)
            if not _empty(value) and value is not EXPLAINED:
                self._field(node, field, value, record.label)
        self.payment = outer
        return node

    def _field(self, node: etree._Element, field: Field, value: Any, label: str) -> None:
        holder = etree.SubElement(node, field.element) if field.each else node
        for item in value if isinstance(value, list) else [value]:
            if _empty(item):
                continue
            child = etree.SubElement(holder, field.each or field.element)
            if isinstance(item, Record):
                self.record(child, item)
            else:
                self._text(child, str(item), label)

    def _text(self, node: etree._Element, text: str, label: str) -> None:
        element = str(node.tag)
        bad = _NOT_XML.search(text)
        if bad is not None:
            char = f"U+{ord(bad.group()):04X}"
            self.problem(label, f"{element} {shown(text)} contains {char}, not allowed in XML")
            return
        for rule in self.profile.rules:
            if element in rule.elements and not rule.pattern.fullmatch(text):
                self.problem(label, f"{element} {shown(text)} {rule.says}")
        node.text = text


def in_payments(problem: str, payments: list[str]) -> str:
    """A problem of an account or party with the payments it appears in, the first few named:
    the reporting officer finds the record in the file they loaded from."""
    if not payments:
        return problem
    named = ", ".join(payments[:SHOWN_PAYMENTS])
    more = len(payments) - SHOWN_PAYMENTS
    return f"{problem} (in {named}{f' and {more} more' if more > 0 else ''})"


def render(record: Record, profile: Profile) -> Rendered:
    """The report record as an XML tree (`rendered.labelled[0][0]` is the root)."""
    rendered = Rendered(profile)
    rendered.record(etree.Element("report"), record)
    return rendered


def _missing(source_of: Any, alternatives: tuple[str, ...]) -> str:
    named = [e if source_of(e) == e else f"{e} ({source_of(e)})" for e in alternatives]
    return " or ".join(named) + " is missing"


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []
