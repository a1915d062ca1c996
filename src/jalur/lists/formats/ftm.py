"""FollowTheMoney JSON lines: OpenSanctions `entities.ftm.json` and jalur's own exports."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError, Problems, overlong, overlong_property
from jalur.lists.onward import PROVENANCE, STATED_IN_FILE
from jalur.lists.parsed import ParsedList, is_subject

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions

log = logging.getLogger(__name__)


def parse(path: Path, options: ParseOptions) -> ParsedList:
    """Every line one entity; the list is named after the file unless the user names it."""
    name = options.list_name or path.name.split(".")[0]
    entities = list(_read(path, options.encoding or "utf-8"))
    return ParsedList(name=name, format="ftm", published=None, entities=entities)


def _read(path: Path, encoding: str) -> Iterator[EntityProxy]:
    """Every entity of the file; every bad line is named (`Problems`) before it is refused."""
    problems = Problems(str(path))
    stated = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entity = _entity(path, number, _decode(path, number, raw, encoding))
            except ListLoadError as exc:
                problems.add(exc)
                continue
            stated += _stated_provenance(f"{path}: line {number}, {entity.id}", path, entity)
            yield entity
    problems.check()
    if stated:
        log.warning(
            "%s: %d entity(ies) carry a partner's provenance (%r): kept as the file's statement "
            "(%s), not as data received through `exchange import`; its originators' consent is "
            "asked before it leaves",
            path, stated, PROVENANCE, STATED_IN_FILE,
        )  # fmt: skip


def _stated_provenance(place: str, path: Path, entity: EntityProxy) -> bool:
    """Mark a provenance the file carries as the file's statement (a partner's data exported
    by `lists export` and loaded again keeps its originators, so their consent is asked), under
    a key the file cannot write itself; one that is no object is none (named, and dropped)."""
    provenance = entity.context.get(PROVENANCE)
    if provenance is None:
        return False
    if not isinstance(provenance, dict):
        del entity.context[PROVENANCE]
        log.warning("%s: %r: %r is no provenance; not kept", place, PROVENANCE, provenance)
        return False
    entity.context[PROVENANCE] = {**provenance, STATED_IN_FILE: path.name}
    return True


def _decode(path: Path, number: int, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise ListLoadError(str(path), f"line {number}", f"not {encoding}: {exc.reason}") from exc


def _entity(path: Path, number: int, line: str) -> EntityProxy:
    where = f"line {number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ListLoadError(str(path), where, f"not JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or not data.get("id") or not isinstance(data.get("schema"), str):
        raise ListLoadError(str(path), where, "not an FtM entity (needs 'id' and 'schema')")
    if problem := _id_problem(data["id"]):
        raise ListLoadError(str(path), where, problem)
    where = f"{where}, {data['id']}"
    raw = _raw_properties(path, where, data.get("properties") or {})
    try:
        entity = model.get_proxy(data, cleaned=False)
    except (InvalidData, TypeError, ValueError, AttributeError) as exc:
        raise ListLoadError(str(path), where, f"invalid FtM entity: {exc}") from exc
    _keep_unread(f"{path}: {where}", entity, raw)
    if problem := overlong_property([entity]):
        raise ListLoadError(str(path), where, problem)
    if is_subject(entity) and not entity.get("name", quiet=True):
        raise ListLoadError(str(path), where, "entry without a name")
    return entity


def _id_problem(entity_id: object) -> str | None:
    """Why an id cannot stand as it is written, or None.

    FtM would strip control characters from it without a word (another id than the file's,
    one that a second version cannot be compared by) and str() a list; a bidi override would
    show the id reversed wherever it is printed.
    """
    if not isinstance(entity_id, str):
        return f"id {entity_id!r} is not text"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in entity_id):
        return f"id {entity_id!r} has a control or formatting character"
    return overlong(entity_id, "id")


def _raw_properties(path: Path, where: str, properties: object) -> dict[str, list[str]]:
    """The values as the file writes them; structures FtM would drop silently are refused."""
    if not isinstance(properties, dict):
        raise ListLoadError(str(path), where, "properties is not an object of property names")
    raw: dict[str, list[str]] = {}
    for prop, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise ListLoadError(str(path), where, f"{prop} holds {value!r}, which is no text")
            raw.setdefault(str(prop), []).append(str(value))
    return raw


def _keep_unread(place: str, entity: EntityProxy, raw: dict[str, list[str]]) -> None:
    """Keep in notes (and name in a warning) each value that FtM dropped while reading.

    FtM drops a value it cannot clean (a birth date `1960-13-45`) or a property the schema
    lacks without a word; as the other readers do, the value is kept, readable, in notes.
    """
    for name, values in raw.items():
        prop = entity.schema.get(name)
        for value in values:
            if prop is not None and not prop.stub:
                cleaned = prop.type.clean(value, format=prop.format, proxy=entity)
                if cleaned is not None and cleaned in entity.get(prop):
                    continue
                why = "is no value FtM can read"
            else:
                why = f"is no property of {entity.schema.name}"
            if entity.schema.get("notes") is None:
                log.warning("%s: %s: %r %s; not kept", place, name, value, why)
                continue
            entity.add("notes", f"{name}: {value}", quiet=True)
            log.warning("%s: %s: %r %s; kept in notes", place, name, value, why)
