"""Loading FtM JSON lines: versions, deltas, all-or-nothing."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalur.lists import ListLoadError, current_entities, last_delta, load_list
from jalur.store import Store


def _write(path: Path, entities: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n")
    return path


def _person(entity_id: str, name: str, **props: list[str]) -> dict[str, object]:
    return {"id": entity_id, "schema": "Person", "properties": {"name": [name], **props}}


def test_second_version_records_added_removed_changed(store: Store, tmp_path: Path) -> None:
    first = _write(tmp_path / "a.ftm.json", [_person("p1", "Abu Rusdan"), _person("p2", "X")])
    second = _write(
        tmp_path / "b.ftm.json",
        [_person("p1", "Abu Rusdan", birthDate=["1960"]), _person("p3", "Сыромолотов")],
    )
    load_list(store, first, "ftm", None)
    from jalur.lists import ParseOptions

    report = load_list(store, second, "ftm", ParseOptions(list_name="a"))
    assert (report.entities, report.added, report.removed, report.changed) == (2, 1, 1, 1)
    assert last_delta(store, "a") == {"added": ["p3"], "removed": ["p2"], "changed": ["p1"]}
    names = sorted(e.caption for e in current_entities(store))
    assert names == ["Abu Rusdan", "Сыромолотов"]


def test_bad_line_names_the_line_and_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    good = _write(tmp_path / "l.ftm.json", [_person("p1", "A")])
    load_list(store, good)
    bad = tmp_path / "l2.ftm.json"
    bad.write_text(json.dumps(_person("p9", "B")) + "\n{not json\n")
    with pytest.raises(ListLoadError, match="line 2"):
        load_list(store, bad, "ftm")
    assert [e.id for e in current_entities(store)] == ["p1"]


def test_one_id_on_a_person_and_a_company_is_refused_not_a_traceback(
    store: Store, tmp_path: Path
) -> None:
    """A file (or a partner's package) may give one id to two things FtM cannot merge."""
    path = tmp_path / "clash.ftm.json"
    person = {"id": "x1", "schema": "Person", "properties": {"name": ["A B"]}}
    company = {"id": "x1", "schema": "Company", "properties": {"name": ["A Co"]}}
    path.write_text(f"{json.dumps(person)}\n{json.dumps(company)}\n")
    with pytest.raises(ListLoadError, match=r"clash.ftm.json: entity x1: .*Person.*Company"):
        load_list(store, path, format="ftm")


def test_a_listed_party_without_a_name_is_refused_naming_the_line(
    store: Store, tmp_path: Path
) -> None:
    """As a UN entry or a CSV row without a name is: it could never be screened."""
    path = _write(
        tmp_path / "n.ftm.json",
        [
            _person("p1", "Abu Rusdan"),
            {"id": "p2", "schema": "Person", "properties": {}},
            {"id": "p3", "schema": "Organization", "properties": {"country": ["id"]}},
            {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"]}},
        ],
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, "ftm")
    assert refused.value.problems == [
        ("line 2, p2", "entry without a name"),
        ("line 3, p3", "entry without a name"),
    ]
    assert list(current_entities(store)) == []


def test_a_value_ftm_cannot_read_is_kept_in_notes_and_named(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """FtM drops a value it cannot clean without a word; a listed party's birth date must not
    vanish so (the XML and CSV readers keep such values in notes, too)."""
    path = _write(
        tmp_path / "v.ftm.json",
        [_person("p1", "Abu Rusdan", birthDate=["1960-13-45", "1960"], favouriteColour=["red"])],
    )
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        load_list(store, path, "ftm")
    (entity,) = current_entities(store)
    assert entity.get("birthDate") == ["1960"]
    assert entity.get("notes") == ["birthDate: 1960-13-45", "favouriteColour: red"]
    assert "line 1, p1: birthDate: '1960-13-45' is no value FtM can read; kept in notes" in (
        caplog.text
    )
    assert "line 1, p1: favouriteColour: 'red' is no property of Person; kept in notes" in (
        caplog.text
    )


@pytest.mark.parametrize(
    ("entity_id", "reason"),
    [
        ("p1\x1b]0;owned\x07", "id 'p1\\x1b]0;owned\\x07' has a control or formatting character"),
        ("\u202ep1", "id '\\u202ep1' has a control or formatting character"),
        (["p1"], "id ['p1'] is not text"),
        ("p" * 4001, "id is 4,001 characters long, more than 4,000"),
    ],
)
def test_an_id_that_is_no_plain_text_is_refused_not_rewritten(
    store: Store, tmp_path: Path, entity_id: object, reason: str
) -> None:
    """FtM strips control characters from an id without a word (a different id than the
    file's); a bidi override would show the id reversed; a list is no id at all."""
    path = _write(tmp_path / "i.ftm.json", [{**_person("x", "A B"), "id": entity_id}])
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, "ftm")
    assert refused.value.problems == [("line 1", reason)]


def test_properties_that_are_no_mapping_of_texts_are_refused(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "p.ftm.json",
        [
            {"id": "p1", "schema": "Person", "properties": ["name"]},
            {"id": "p2", "schema": "Person", "properties": {"name": [{"first": "A"}]}},
        ],
    )
    with pytest.raises(ListLoadError) as refused:
        load_list(store, path, "ftm")
    assert refused.value.problems == [
        ("line 1, p1", "properties is not an object of property names"),
        ("line 2, p2", "name holds {'first': 'A'}, which is no text"),
    ]


def test_a_schema_that_is_not_text_is_refused_not_a_traceback(store: Store, tmp_path: Path) -> None:
    """`"schema": 5` with empty properties passed FtM and ended the load in an AttributeError."""
    path = tmp_path / "s.ftm.json"
    path.write_text('{"id": "x1", "schema": 5, "properties": {}}\n')
    with pytest.raises(
        ListLoadError, match=r"line 1: not an FtM entity \(needs 'id' and 'schema'\)"
    ):
        load_list(store, path, "ftm")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_LINE = st.fixed_dictionaries(
    {
        "id": _JSON | st.text(min_size=1, max_size=4),
        "schema": st.sampled_from(["Person", "Sanction", "Address", "Nope"]) | _JSON,
        "properties": _JSON
        | st.dictionaries(st.sampled_from(["name", "birthDate", "entity", "foo"]), _JSON),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_LINE, min_size=1, max_size=3))
def test_any_json_shaped_line_is_read_or_refused_clearly(lines: list[dict[str, object]]) -> None:
    """Well-formed JSON of any shape in an entity's place: never a traceback (byte damage,
    in test_lists_broken_input, rarely gives valid JSON of an odd shape)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.ftm.json"
        path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
        try:
            load_list(Store(":memory:"), path, "ftm")
        except ListLoadError as exc:
            assert exc.reason
