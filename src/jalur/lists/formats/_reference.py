"""The declarative tables parsers share: programmes → topics, identifier labels → FtM.

Both live as TOML in `jalur/lists/data/` so an analyst can add a programme or an identifier
label without touching parser code; this module only reads and looks them up.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from jalur.model import TOPIC_SANCTION


@dataclass(frozen=True)
class Programme:
    """One sanctions programme or regime as an authority names it."""

    authority: str
    code: str
    name: str
    basis: str | None = None
    topics: tuple[str, ...] = ()
    source_url: str | None = None

    @property
    def all_topics(self) -> list[str]:
        return [TOPIC_SANCTION, *self.topics]


@dataclass(frozen=True)
class IdentifierRule:
    """What an identifier label on a list means in FtM terms."""

    labels: tuple[str, ...]
    prop: str | None = None
    schema: str | None = None
    type: str | None = None
    date: bool = False
    country_props: dict[str, str] = field(default_factory=dict)
    country_types: dict[str, str] = field(default_factory=dict)

    def prop_for(self, country: str | None) -> str | None:
        return self.country_props.get(country or "", self.prop)

    def type_for(self, country: str | None) -> str | None:
        return self.country_types.get(country or "", self.type)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("jalur.lists").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def _programmes() -> dict[str, Any]:
    return _load("programmes.toml")


def authority(source: str) -> str:
    return str(_programmes()[source]["authority"])


@cache
def programme(source: str, code: str) -> Programme:
    """The programme `code` of authority `source` (un, ofac, eu, uk); unknown codes still work."""
    table = _programmes()[source]
    known: dict[str, Any] = table.get("programmes", {})
    entry: dict[str, Any] | None = known.get(code)
    if entry is None:
        entry = next((value for key, value in known.items() if fnmatch.fnmatchcase(code, key)), {})
    return Programme(
        authority=str(table["authority"]),
        code=code,
        name=str(entry.get("name", code)),
        basis=entry.get("basis"),
        topics=tuple(entry.get("topics", ())),
        source_url=table.get("source_url"),
    )


@cache
def _identifier_rules() -> dict[str, IdentifierRule]:
    rules: dict[str, IdentifierRule] = {}
    for raw in _load("identifiers.toml")["identifier"]:
        rule = IdentifierRule(
            labels=tuple(raw["labels"]),
            prop=raw.get("prop"),
            schema=raw.get("schema"),
            type=raw.get("type"),
            date=bool(raw.get("date", False)),
            country_props=dict(raw.get("country_props", {})),
            country_types=dict(raw.get("country_types", {})),
        )
        for label in rule.labels:
            rules[normalise_label(label)] = rule
    return rules


def normalise_label(label: str) -> str:
    """'alt. Tax ID No.:' → 'tax id no'; how identifier labels are compared."""
    value = " ".join(label.lower().split())
    if value.startswith("alt. "):
        value = value[5:]
    return value.rstrip(" .:#-")


def identifier_rule(label: str) -> IdentifierRule | None:
    return _identifier_rules().get(normalise_label(label))


def identifier_labels() -> list[str]:
    """Known labels, longest first, for splitting free text like OFAC remarks."""
    return sorted(_identifier_rules(), key=len, reverse=True)
