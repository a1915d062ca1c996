"""An XML list whose names are entity references is refused, never loaded with empty names.

Entities are not expanded (XXE, entity bombs), so `<ALIAS_NAME>&n;</ALIAS_NAME>` with `n`
declared in the document's own DTD used to give an alias with no name (`Abu &n;` gave `Abu`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jalur.lists import ListLoadError, current_entities, current_versions, load_list
from jalur.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
DTD = '<!DOCTYPE {root} [<!ENTITY n "Abu Thoriq"><!ENTITY x SYSTEM "file:///etc/passwd">]>\n'

#: format → (fixture, root element, a name as written, the element or line it is in)
CASES = {
    "un": ("un_sample.xml", "CONSOLIDATED_LIST", "<ALIAS_NAME>Abu Thoriq<", "ALIAS_NAME"),
    "ofac": ("ofac_sdn_sample.xml", "sdnList", "<lastName>ABU THORIQ<", "lastName"),
    "uk": ("uk_conlist_sample.xml", "ArrayOfFinancialSanctionsTarget", "<Name6>THORIQUDDIN<",
           "Name6"),
}  # fmt: skip


def _with_entity(tmp_path: Path, fixture: str, root: str, name: str, value: str) -> Path:
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert name in text
    text = text.replace(name, name.split(">")[0] + f">{value}<", 1)
    declaration = re.match(r"<\?xml[^>]*\?>\s*", text)
    at = declaration.end() if declaration else 0
    path = tmp_path / fixture
    path.write_text(text[:at] + DTD.format(root=root) + text[at:], encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", sorted(CASES))
@pytest.mark.parametrize("value", ["&n;", "Abu &n;", "&x;"])
def test_a_name_that_is_an_entity_reference_refuses_the_file(
    store: Store, tmp_path: Path, fmt: str, value: str
) -> None:
    fixture, root, name, element = CASES[fmt]
    path = _with_entity(tmp_path, fixture, root, name, value)
    with pytest.raises(ListLoadError, match=r"entity reference &[nx]; is not expanded") as raised:
        load_list(store, path, fmt)
    assert raised.value.location.startswith(f"<{element}> at line ")
    assert current_versions(store) == []  # nothing stored


def test_the_same_file_without_the_reference_loads(store: Store, tmp_path: Path) -> None:
    """The DTD itself is not the problem: only a value the parser cannot read is."""
    fixture, root, name, _ = CASES["un"]
    path = _with_entity(tmp_path, fixture, root, name, "Abu Thoriq")
    load_list(store, path, "un")
    entities = current_entities(store, ["un-sc"])
    aliases = {a for e in entities for a in e.get("weakAlias", quiet=True)}
    assert "Abu Thoriq" in aliases
