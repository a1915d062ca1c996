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
from followthemoney import model
from followthemoney.types import registry

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
    if path.is_dir():
        raise ListLoadError(str(path), "--mapping", "a folder, not a mapping file")
    if not path.is_file():
        known = ", ".join(shipped_mappings())
        raise ListLoadError(str(path), "--mapping", f"no such mapping file (shipped: {known})")
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ListLoadError(str(path), "mapping", f"not UTF-8: {exc.reason}") from None
    except OSError as exc:  # a file the user may not read: one line, not a traceback
        raise ListLoadError(
            str(path), "--mapping", f"cannot be read: {exc.strerror or exc}"
        ) from None
    return _parse(str(path), content)


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
    schema = _dict(source, data, "schema", required=False)
    csv_options = _dict(source, data, "csv", required=False)
    schemata = _values(source, "schema.values", schema.get("values"))
    default = _text(source, "schema.default", schema.get("default", "Person"))
    for name in [*schemata.values(), default]:
        found = model.get(name)
        if found is None or not found.is_a("Thing"):
            raise ListLoadError(source, "schema", f"{name!r} is not a FollowTheMoney schema")
    delimiter = _text(source, "csv.delimiter", csv_options.get("delimiter", ","))
    if len(delimiter) != 1:
        raise ListLoadError(source, "csv.delimiter", "must be one character")
    skip_rows = csv_options.get("skip_rows", 0)
    if not isinstance(skip_rows, int) or isinstance(skip_rows, bool) or skip_rows < 0:
        raise ListLoadError(source, "csv.skip_rows", "must be a whole number >= 0")
    return Mapping(
        source=source,
        list_name=_text(source, "list", data["list"]),
        programme=_programme(source, _dict(source, data, "programme")),
        columns=columns,
        schemata=schemata,
        default_schema=default,
        delimiter=delimiter,
        encoding=_text(source, "csv.encoding", csv_options.get("encoding", "utf-8")),
        skip_rows=skip_rows,
    )


def _dict(source: str, data: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ListLoadError(source, key, "must be a mapping")
    return value


def _text(source: str, where: str, value: Any) -> str:
    """A scalar setting as text (YAML may read `code: 1988` as a number)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    raise ListLoadError(source, where, "must be a non-empty text value")


def _values(source: str, where: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ListLoadError(source, where, "must be a mapping of cell value → replacement")
    return {_text(source, where, k).lower(): _text(source, where, v) for k, v in value.items()}


def _column(source: str, header: Any, spec: Any) -> Column:
    where = f"columns.{header}"
    if isinstance(header, bool):  # YAML 1.1 reads a bare No / Yes / Off header as a boolean
        raise ListLoadError(source, where, "a column header read as true/false: quote it")
    if isinstance(spec, str):
        spec = {"as": spec}
    if not isinstance(spec, dict) or "as" not in spec:
        raise ListLoadError(source, where, "needs 'as: <field>'")
    kind = _text(source, where, spec["as"])
    if kind not in FIELDS and not kind.startswith("prop:"):
        raise ListLoadError(source, where, f"unknown field {kind!r}")
    if kind == "identifier" and not spec.get("label"):
        raise ListLoadError(source, where, "an identifier needs 'label'")
    optional = spec.get("optional", False)
    if not isinstance(optional, bool):
        raise ListLoadError(source, where, "optional must be true or false")
    return Column(
        header=_text(source, where, header),
        kind=kind,
        split=_text(source, f"{where}.split", spec["split"]) if spec.get("split") else None,
        values=_values(source, f"{where}.values", spec.get("values")),
        label=_text(source, f"{where}.label", spec["label"]) if spec.get("label") else None,
        country=_text(source, f"{where}.country", spec["country"]) if spec.get("country") else None,
        optional=optional,
    )


def _programme(source: str, data: dict[str, Any]) -> Programme:
    if "authority" not in data or "name" not in data:
        raise ListLoadError(source, "programme", "needs 'authority' and 'name'")
    topics = data.get("topics", [])
    if not isinstance(topics, list):
        raise ListLoadError(source, "programme.topics", "must be a list")
    known = registry.topic.names
    for topic in topics:
        if topic not in known:
            raise ListLoadError(source, "programme.topics", f"{topic!r} is not an FtM topic")
    name = _text(source, "programme.name", data["name"])
    optional = {
        k: _text(source, f"programme.{k}", data[k]) if data.get(k) else None
        for k in ("code", "basis", "url")
    }
    return Programme(
        authority=_text(source, "programme.authority", data["authority"]),
        code=optional["code"] or name,
        name=name,
        basis=optional["basis"],
        topics=tuple(t for t in topics if t != TOPIC_SANCTION),
        source_url=optional["url"],
    )
