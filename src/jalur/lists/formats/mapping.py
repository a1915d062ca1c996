"""Column mappings for national lists published without a machine format (YAML files).

A mapping says which CSV column holds what (`as:` one of FIELDS or `prop:<FtM property>`),
how multi-valued cells are split, how cell values translate ("Orang" → Person, "WNI" →
Indonesia), and which programme the list is (authority, legal basis, topics). Mappings for
Indonesia's DTTOT, a Rosfinmonitoring-style catalogue and jalur's own template ship in
`jalur/lists/mappings/`; `--mapping dttot` names a shipped one, `--mapping FILE` a user's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jalur.lists.errors import ListLoadError
from jalur.lists.formats._reference import Programme
from jalur.model import TOPIC_SANCTION

#: What a column can be, beyond `prop:<FtM property>`.
FIELDS = frozenset(
    {
        "id",
        "schema",
        "name",
        "alias",
        "weakAlias",
        "previousName",
        "birthDate",
        "birthPlace",
        "birth_place_date",
        "nationality",
        "citizenship",
        "country",
        "address",
        "identifier",
        "listing_date",
        "reason",
        "programme",
        "notes",
        "position",
        "gender",
        "title",
        "ignore",
    }
)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # one of FIELDS or "prop:<name>"
    split: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    label: str | None = None  # identifier label ("NIK", "INN", "Passport")
    country: str | None = None  # identifier's issuing country
    optional: bool = False  # the column may be absent from a file


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    source: str
    list_name: str
    programme: Programme
    columns: tuple[Column, ...]
    schemata: dict[str, str]
    default_schema: str = "Person"
    delimiter: str = ","
    encoding: str = "utf-8"
    skip_rows: int = 0


def shipped_mappings() -> list[str]:
    folder = resources.files("jalur.lists").joinpath("mappings")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_mapping(name_or_path: Path | str) -> Mapping:
    path = Path(name_or_path)
    if not path.exists() and str(name_or_path) in shipped_mappings():
        text = resources.files("jalur.lists").joinpath("mappings", f"{name_or_path}.yaml")
        return _parse(f"mapping {name_or_path}", text.read_text(encoding="utf-8"))
    if not path.is_file():
        known = ", ".join(shipped_mappings())
        raise ListLoadError(str(path), "--mapping", f"no such mapping file (shipped: {known})")
    try:
        return _parse(str(path), path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ListLoadError(str(path), "mapping", f"not UTF-8: {exc.reason}") from None


def _parse(source: str, text: str) -> Mapping:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ListLoadError(source, "mapping", f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ListLoadError(source, "mapping", "must be a YAML mapping (key: value)")
    for key in ("list", "programme", "columns"):
        if key not in data:
            raise ListLoadError(source, key, "missing")
    columns = tuple(
        _column(source, header, spec) for header, spec in _dict(source, data, "columns").items()
    )
    if not any(c.kind == "name" for c in columns):
        raise ListLoadError(source, "columns", "no column is mapped 'as: name'")
    schema = data.get("schema", {}) or {}
    csv_options = data.get("csv", {}) or {}
    return Mapping(
        source=source,
        list_name=str(data["list"]),
        programme=_programme(source, _dict(source, data, "programme")),
        columns=columns,
        schemata={str(k).strip().lower(): str(v) for k, v in (schema.get("values") or {}).items()},
        default_schema=str(schema.get("default", "Person")),
        delimiter=str(csv_options.get("delimiter", ",")),
        encoding=str(csv_options.get("encoding", "utf-8")),
        skip_rows=int(csv_options.get("skip_rows", 0)),
    )


def _dict(source: str, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ListLoadError(source, key, "must be a mapping")
    return value


def _column(source: str, header: str, spec: Any) -> Column:
    if isinstance(spec, str):
        spec = {"as": spec}
    if not isinstance(spec, dict) or "as" not in spec:
        raise ListLoadError(source, f"columns.{header}", "needs 'as: <field>'")
    kind = str(spec["as"])
    if kind not in FIELDS and not kind.startswith("prop:"):
        raise ListLoadError(source, f"columns.{header}", f"unknown field {kind!r}")
    if kind == "identifier" and not spec.get("label"):
        raise ListLoadError(source, f"columns.{header}", "an identifier needs 'label'")
    return Column(
        header=str(header).strip(),
        kind=kind,
        split=spec.get("split"),
        values={str(k).strip().lower(): str(v) for k, v in (spec.get("values") or {}).items()},
        label=spec.get("label"),
        country=spec.get("country"),
        optional=bool(spec.get("optional", False)),
    )


def _programme(source: str, data: dict[str, Any]) -> Programme:
    if "authority" not in data or "name" not in data:
        raise ListLoadError(source, "programme", "needs 'authority' and 'name'")
    topics = tuple(str(t) for t in data.get("topics", ()) if t != TOPIC_SANCTION)
    return Programme(
        authority=str(data["authority"]),
        code=str(data.get("code", data["name"])),
        name=str(data["name"]),
        basis=data.get("basis"),
        topics=topics,
        source_url=data.get("url"),
    )
