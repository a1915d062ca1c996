"""Parsing an official XML list safely: no entities, no network, errors name the line.

`read_entries` reads a list's entries one by one and names every bad one (`Problems`): a list
version is loaded whole or not at all, but one run names all that is wrong with the file, as
the CSV readers do. A document that is not well-formed XML is one error naming the line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any, TypeAlias

from followthemoney.proxy import EntityProxy
from lxml import etree

from jalur.lists.errors import ListLoadError, Problems, overlong_property
from jalur.lists.formats import _build as b
from jalur.lists.formats._text import declared_encoding, decode, read_bytes
from jalur.lists.parsed import SOURCE_ID

log = logging.getLogger(__name__)

#: lxml ships no type stubs; elements are typed loosely at this edge.
Element: TypeAlias = Any

_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.-]*)")


def parse_xml(path: Path, encoding: str | None) -> Element:
    """The document's root, namespaces stripped so parsers can use plain tag names."""
    source = str(path)
    data = read_bytes(path)
    text = decode(source, data, encoding, default=declared_encoding(data) or "utf-8")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    body = _DECLARATION.sub("", text, count=1) if text.startswith("<?xml") else text
    try:
        root = etree.fromstring(body.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ListLoadError(source, f"line {exc.lineno}", f"malformed XML: {exc.msg}") from None
    if root is None:
        raise ListLoadError(source, "line 1", "empty XML document")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    _refuse_entity_references(source, root)
    return root


def _refuse_entity_references(source: str, root: Element) -> None:
    """Entities are never expanded (XXE, entity bombs), so a reference to one the document
    declares itself stays a node that `.text` does not see: `<ALIAS_NAME>&n;</ALIAS_NAME>`
    would become an alias with no name, `Abu &n;` the name `Abu`. Such a file is refused,
    naming every such element, as any other record the parser cannot read."""
    problems = Problems(source)
    for node in root.iter(etree.Entity):
        parent = node.getparent()
        problems.add(
            ListLoadError(
                source,
                f"<{parent.tag}> at line {node.sourceline}",
                f"entity reference {node.text} is not expanded (entities are refused), "
                "so the value cannot be read",
            )
        )
    problems.check()


#: What reading one entry may raise besides `ListLoadError` on a structure no parser expected
#: (an attribute where text was, a value FtM refuses): a problem of that entry, not a crash.
_UNEXPECTED = (ValueError, TypeError, AttributeError, KeyError, IndexError)

EntryParser = Callable[[str, Element], Iterable[EntityProxy]]


def strays(
    source: str, parent: Element, allowed: Collection[str], wanted: str
) -> list[ListLoadError]:
    """A problem for each child of `parent` that is none of `allowed`: a misspelt entry
    element (`<INDIVIDUL>`) would otherwise be passed over without a word, and the party it
    lists be missing from the version."""
    return [
        ListLoadError(source, where(child), f"unexpected element in <{parent.tag}>: not {wanted}")
        for child in parent
        if isinstance(child.tag, str) and child.tag not in allowed
    ]


def warn_strays(source: str, parent: Element, allowed: Collection[str]) -> None:
    """Name the children of `parent` a reader does not read, in a warning (for formats whose
    real files jalur has not seen whole: EU, UK; a refusal there could keep a list from
    loading for an element that lists nobody)."""
    for problem in strays(source, parent, allowed, "read by jalur"):
        log.warning("%s: %s: %s", source, problem.location, problem.reason)


def read_entries(
    source: str,
    elements: Iterable[Element],
    parse: EntryParser,
    id_of: Callable[[Element], str | None],
    stray: Iterable[ListLoadError] = (),
) -> list[EntityProxy]:
    """The entities of every entry; each bad entry is a problem naming it (place, list id,
    reason) and reading goes on; the file is refused at the end, naming them all.

    `id_of` gives an entry's own id for its place ("DATAID 6907994"); a subject that comes out
    without a name is refused (it could never be matched: a listed party silently unscreened),
    as the CSV readers refuse a row without one."""
    entities: list[EntityProxy] = []
    problems = Problems(source)
    for problem in stray:  # elements that are no entry (`strays`), named with the rest
        problems.add(problem)
    for element in elements:
        place = where(element)
        ident = _safe_id(id_of, element)
        if ident:
            place = f"{place}, {_short(ident)}"
        try:
            with b.reading(f"{source}: {place}"):
                items = list(parse(source, element))
            _check_named(source, place, items)
        except ListLoadError as exc:
            problems.add(_placed(exc, place) if ident else exc)
        except _UNEXPECTED as exc:
            problems.add(ListLoadError(source, place, f"unreadable entry: {exc}"))
        else:
            entities.extend(items)
    problems.check()
    return entities


#: How much of an entry's id names it in a message: a 100,000-digit DATAID is refused (the
#: ids made of it are overlong), and one problem must not print all of it.
_ID_CHARS = 40


def _short(ident: str) -> str:
    """`DATAID 6907994` as it is; an id past `_ID_CHARS` characters cut, with an ellipsis."""
    label, _, value = ident.partition(" ")
    return ident if len(value) <= _ID_CHARS else f"{label} {value[:_ID_CHARS]}…"


def _safe_id(id_of: Callable[[Element], str | None], element: Element) -> str | None:
    try:
        return id_of(element)
    except _UNEXPECTED:
        return None


def _placed(exc: ListLoadError, place: str) -> ListLoadError:
    """The entry's problem, placed with its id where the parser named only the element."""
    if exc.location == place.split(", ")[0]:
        return ListLoadError(exc.source, place, exc.reason)
    return exc


def _check_named(source: str, place: str, items: list[EntityProxy]) -> None:
    for item in items:
        if SOURCE_ID in item.context and not item.get("name", quiet=True):
            raise ListLoadError(source, place, "entry without a name")
    if problem := overlong_property(items):
        raise ListLoadError(source, place, problem)


def root_tag(path: Path) -> str | None:
    """The local name of the first element, read from the first bytes (for format sniffing)."""
    head = path.read_bytes()[:8192]
    text = head.decode("utf-8", errors="replace")
    found = _FIRST_TAG.search(_PROLOG.sub("", text))
    if not found:
        return None
    return found.group(1).split(":")[-1]


def text_of(element: Element, tag: str) -> str | None:
    """Stripped text of the first child `tag`, None when absent or blank."""
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text.split())
    return value or None


def texts_of(element: Element, path: str) -> list[str]:
    values = []
    for found in element.findall(path):
        if found.text and found.text.strip():
            values.append(" ".join(found.text.split()))
    return values


def where(element: Element) -> str:
    """'<TAG> at line N', how errors point at an element."""
    return f"<{element.tag}> at line {element.sourceline}"
