"""FollowTheMoney JSON lines: OpenSanctions `entities.ftm.json` and jalur's own exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from jalur.lists.errors import ListLoadError, Problems, overlong_property
from jalur.lists.parsed import ParsedList

if TYPE_CHECKING:
    from jalur.lists.formats import ParseOptions


def parse(path: Path, options: ParseOptions) -> ParsedList:
    """Every line one entity; the list is named after the file unless the user names it."""
    name = options.list_name or path.name.split(".")[0]
    entities = list(_read(path, options.encoding or "utf-8"))
    return ParsedList(name=name, format="ftm", published=None, entities=entities)


def _read(path: Path, encoding: str) -> Iterator[EntityProxy]:
    """Every entity of the file; every bad line is named (`Problems`) before it is refused."""
    problems = Problems(str(path))
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield _entity(path, number, _decode(path, number, raw, encoding))
            except ListLoadError as exc:
                problems.add(exc)
    problems.check()


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
    if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
        raise ListLoadError(str(path), where, "not an FtM entity (needs 'id' and 'schema')")
    try:
        entity = model.get_proxy(data, cleaned=False)
    except (InvalidData, TypeError, ValueError, AttributeError) as exc:
        raise ListLoadError(str(path), where, f"invalid FtM entity: {exc}") from exc
    if problem := overlong_property([entity]):
        raise ListLoadError(str(path), f"{where}, {entity.id}", problem)
    return entity
