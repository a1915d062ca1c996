"""National lists from CSV + mapping: DTTOT, a Rosfinmonitoring-style catalogue, the template."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pytest
import yaml
from followthemoney.proxy import EntityProxy
from hypothesis import given, settings
from hypothesis import strategies as st

from jalur.lists import ListLoadError, ParseOptions, load_list
from jalur.lists.formats import csv_mapped
from jalur.lists.formats.mapping import shipped_mappings
from jalur.store import Store

MAPPINGS = Path(csv_mapped.__file__).parents[1] / "mappings"


def _parse(path: Path, mapping: str) -> dict[str, EntityProxy]:
    parsed = csv_mapped.parse(path, ParseOptions(mapping=Path(mapping)))
    return {str(e.id): e for e in parsed.entities}


def test_shipped_mappings() -> None:
    assert {"dttot", "rosfin", "template"} <= set(shipped_mappings())


def test_dttot_sample(store: Store, bundled: Path) -> None:
    entities = _parse(bundled / "dttot-sample.csv", "dttot")
    rusdan = entities["id-dttot-ofac-8885"]
    assert rusdan.get("name") == ["ABU RUSDAN"]
    assert rusdan.get("alias") == ["ABU THORIQ", "RUSDJAN", "RUSJAN", "THORIQUDDIN"]
    assert rusdan.get("birthDate") == ["1960-08-16"]
    assert rusdan.get("birthPlace") == ["Kudus"]
    assert rusdan.get("nationality") == ["id"]
    assert rusdan.get("idNumber") == ["1608600001"]
    assert sorted(rusdan.get("topics")) == ["crime.terror", "sanction"]
    nik = next(e for e in entities.values() if e.get("holder", quiet=True) == [rusdan.id])
    assert nik.get("type") == ["NIK (Nomor Induk Kependudukan)"]
    ji = entities["id-dttot-ofac-7280"]
    assert ji.schema.name == "Organization"
    assert "JI" in ji.get("alias")
    report = load_list(
        store, bundled / "dttot-sample.csv", options=ParseOptions(mapping=Path("dttot"))
    )
    assert (report.list, report.format, report.entities) == ("id-dttot", "csv", 9)


def test_rosfin_catalogue(fixtures: Path) -> None:
    entities = _parse(fixtures / "rosfin_sample.csv", "rosfin")
    person = entities["ru-rosfin-1"]
    assert person.get("name") == ["ИВАНОВ ПЁТР СЕРГЕЕВИЧ"]
    assert sorted(person.get("alias")) == ["IVANOV PETR SERGEEVICH", "ИВАНОВ П. С."]
    assert person.get("birthDate") == ["1970-07-19"]
    assert person.get("birthPlace") == ["Г. НАЛЬЧИК"]
    assert person.get("nationality") == ["ru"]
    assert person.get("innCode") == ["771234567859"]
    org = entities["ru-rosfin-2"]
    assert org.schema.name == "Organization"
    assert org.get("innCode") == ["7701234560"]
    assert org.get("address") == ["Москва, ул. Примерная, 1"]
    assert "crime.terror" in org.get("topics")


def test_template_csv_loads_with_template_mapping() -> None:
    entities = _parse(MAPPINGS / "template.csv", "template")
    person = entities["national-ex-001"]
    assert person.get("alias") == ["Example Alias", "Другое Имя"]
    assert person.get("idNumber") == ["3171010101700001"]


def test_unmapped_columns_are_kept_in_notes(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "id,type,name,aliases,birth_date,birth_place,nationality,extra\n"
        "1,person,A B,,1970,,,keep me\n"
    )
    person = _parse(path, "template")["national-1"]
    assert person.get("notes") == ["extra: keep me"]


def test_unknown_type_value_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("id,type,name,aliases,birth_date,birth_place,nationality\n1,ufo,A B,,,,\n")
    party = _parse(path, "template")["national-1"]
    assert party.schema.name == "Person"
    assert party.get("notes") == ["type 'ufo' not in the mapping; read as Person"]


def test_missing_mapped_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dttot.csv"
    path.write_text("Nama,Deskripsi\nA,B\n")
    with pytest.raises(ListLoadError, match=r"line 1: header lacks column\(s\) 'Terduga'"):
        _parse(path, "dttot")


def test_csv_without_mapping_says_so(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ListLoadError, match="needs a column mapping"):
        csv_mapped.parse(path, ParseOptions())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("list: x\n", "missing"),
        ("- a\n- b\n", "must be a YAML mapping"),
        (
            "list: x\nprogramme: {authority: A, name: N}\ncolumns: {Nama: {as: nom}}\n",
            "unknown field",
        ),
        ("list: x\nprogramme: {authority: A, name: N}\ncolumns: {Nama: {as: notes}}\n", "as: name"),
        ("list: [\n", "not valid YAML"),
        (
            "list: x\nprogramme: {authority: A, name: N}\nschema: {default: Persn}\n"
            "columns: {Nama: {as: name}}\n",
            "not a FollowTheMoney schema",
        ),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, reason: str) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text)
    data = tmp_path / "x.csv"
    data.write_text("Nama\nA\n")
    with pytest.raises(ListLoadError, match=reason):
        csv_mapped.parse(data, ParseOptions(mapping=mapping))


def test_duplicate_rows_are_counted_not_hidden(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "id,type,name,aliases,birth_date,birth_place,nationality\n"
        "1,person,A B,,1970,,\n"
        "1,person,A B,Alias Two,1970,,\n"
        "2,person,C D,,,,\n"
    )
    report = load_list(store, path, options=ParseOptions(mapping=Path("template")))
    assert (report.read, report.entities, report.duplicates) == (3, 2, 1)
    assert report.as_dict()["duplicates"] == 1


def test_one_id_for_a_person_and_an_organisation_is_refused_naming_both_rows(
    tmp_path: Path, store: Store
) -> None:
    """Two rows that share an id are merged, but a person and an organisation cannot be one."""
    path = tmp_path / "list.csv"
    path.write_text(
        "id,type,name,aliases,birth_date,birth_place,nationality\n"
        "1,person,A B,,1970,,\n"
        "2,organization,Jamaah X,,,,\n"
        "2,person,C D,,,,\n"
    )
    with pytest.raises(
        ListLoadError, match=r"line 4: .*id national-2 of line 3 .*Organization.*Person"
    ):
        load_list(store, path, options=ParseOptions(mapping=Path("template")))


_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=8),
    st.sampled_from(
        ["name", "alias", "id", "identifier", "prop:notes", "Person", "crime.terror", ";", ",,"]
    ),
)
_json = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=120, deadline=None)
@given(
    st.fixed_dictionaries(
        {"list": _json, "programme": _json, "columns": _json},
        optional={"csv": _json, "schema": _json},
    )
)
def test_any_mapping_file_is_read_or_refused_clearly(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        mapping = Path(folder) / "m.yaml"
        mapping.write_text(yaml.safe_dump(data, allow_unicode=True))
        sheet = Path(folder) / "x.csv"
        sheet.write_text("Nama,id\nA,1\n")
        try:
            csv_mapped.parse(sheet, ParseOptions(mapping=mapping))
        except ListLoadError as exc:
            assert exc.reason


def _dttot_row(tmp_path: Path, place_date: str) -> Path:
    path = tmp_path / "dttot.csv"
    path.write_text(
        "Nama,Deskripsi,Terduga,Kode Densus,Tempat/Tgl Lahir,WN,Alamat\n"
        f'A B,x,Orang,D-1,"{place_date}",WNI,\n'
    )
    return path


@pytest.mark.parametrize(
    ("cell", "place"),
    [
        ("Jakarta, 31 Februari 1980", ["Jakarta"]),
        ("31-02-1980 / Jakarta", ["Jakarta"]),
        ("31 Februari 1980", []),
    ],
)
def test_impossible_birth_date_is_a_warning_not_the_birth_place(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, cell: str, place: list[str]
) -> None:
    """PPATK's 'Jakarta, 31 Februari 1980': the place is Jakarta; the date is unusable but
    kept in notes and named in a warning (the entry still loads: a listed party is not dropped
    for a typo in its date)."""
    person = _parse(_dttot_row(tmp_path, cell), "dttot")["id-dttot-d-1"]
    assert person.get("birthPlace") == place
    assert person.get("birthDate") == []
    date = cell.replace("Jakarta", "").strip(" ,/")
    assert person.get("notes") == [f"birthDate: {date}"]
    assert f"line 2: Tempat/Tgl Lahir: date {date!r} is no valid date" in caplog.text


def test_control_characters_replaced_in_a_file_are_named_by_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An ESC in a name is replaced (it would redraw the terminal); the warning said only
    how many, leaving the maintainer to search the file for the entries it changed."""
    path = tmp_path / "dttot.csv"
    path.write_text(
        "Nama,Deskripsi,Terduga,Kode Densus,Tempat/Tgl Lahir,WN,Alamat\n"
        "A B,x,Orang,D-1,,WNI,\n"
        "C\x1b[2JD,x,Orang,D-2,,WNI,\x07\n"
    )
    with caplog.at_level(logging.WARNING, logger="jalur.lists"):
        people = _parse(path, "dttot")
    assert people["id-dttot-d-2"].get("name") == ["C\ufffd[2JD"]
    assert f"{path}: replaced 2 control characters (line 3) after decoding as utf-8" in (
        caplog.text
    )
