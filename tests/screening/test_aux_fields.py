"""Auxiliary fields never block a name: dates, countries, ids and schemata read as well as they
can be, the rest named in a warning, against real OFAC SDN entries (the bundled 2021 excerpt)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jalur.lists
from jalur.countries import country_code
from jalur.dates import parse_date, usable_dates
from jalur.lists import PARSERS, ParseOptions, source_id_of
from jalur.screening import Query, Screener, ScreeningConfig, build_index, screen_file
from jalur.screening.fields import is_unknown, read_query

EXCERPT = Path(jalur.lists.__file__).parent / "bundled" / "ofac_sdn_excerpt"


@pytest.fixture(scope="module")
def ofac() -> Screener:
    parsed = PARSERS["ofac-csv"](EXCERPT, ParseOptions())
    rows = [
        (e, "ofac-sdn", source_id_of(e), e.get("topics", quiet=True))
        for e in parsed.entities
        if e.schema.name in ("Person", "Organization", "LegalEntity", "Company")
    ]
    return Screener(build_index(rows), ScreeningConfig.defaults())


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("1969", ("1969",)),
        ("1969-07", ("1969-07",)),
        ("1969-7-16", ("1969-07-16",)),
        ("16/07/1969", ("1969-07-16",)),
        ("16.07.1969", ("1969-07-16",)),
        ("07/16/1969", ("1969-07-16",)),  # month first: only that reading exists
        ("16 July 1969", ("1969-07-16",)),
        ("July 16, 1969", ("1969-07-16",)),
        ("10 Agustus 1972", ("1972-08-10",)),
        ("10 августа 1972", ("1972-08-10",)),
        ("10 августа 1972 г.", ("1972-08-10",)),
        ("1963-1964", ("1963", "1964")),
        ("between 1963 and 1964", ("1963", "1964")),
        ("antara 1963 dan 1964", ("1963", "1964")),
        ("1972-08-10 or 1972-08-11", ("1972-08-10", "1972-08-11")),
        ("1972-08-10 atau 1972-08-11", ("1972-08-10", "1972-08-11")),
        ("circa 1970", ("1970",)),
        ("около 1970", ("1970",)),
        ("00/00/1975", ("1975",)),
        ("1950-1980", ()),  # thirty years: no usable birth date
        ("1980-02-30", ()),
        ("garbage", ()),
        ("", ()),
    ],
)
def test_customer_dates_keep_their_precision(text: str, dates: tuple[str, ...]) -> None:
    assert usable_dates(text) == dates


def test_lists_keep_the_ends_of_a_wide_range() -> None:
    assert parse_date("1950-1980") == ["1950", "1980"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_date_reading_never_raises_and_gives_real_partial_dates(text: str) -> None:
    for value in usable_dates(text):
        assert len(value) in (4, 7, 10) and value[:4].isdigit()
        assert parse_date(value) == [value]  # a reading reads back as itself


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(["{y}-{m}-{d}", "{d:02d}/{m:02d}/{y}", "{d}.{m}.{y}", "{y}-{m:02d}-{d:02d}"]),
)
def test_any_real_day_reads_back_in_each_numeric_form(day: dt.date, form: str) -> None:
    text = form.format(y=day.year, m=day.month, d=day.day)
    assert usable_dates(text) == (day.isoformat(),)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ID", "id"), ("IDN", "id"), ("Indonesia", "id"), ("Indonesian", "id"), ("WNI", "id"),
        ("RU", "ru"), ("RUS", "ru"), ("Russian Federation", "ru"), ("Russia", "ru"),
        ("Russian", "ru"), ("Rusia", "ru"), ("Россия", "ru"), ("Российская Федерация", "ru"),
        ("Afghanistan", "af"), ("AFG", "af"), ("Afghan", "af"),
        ("United Kingdom of Great Britain and Northern Ireland", "gb"), ("UK", "gb"),
        ("Inggris Raya", "gb"), ("Великобритания", "gb"), ("Amerika Serikat", "us"),
        ("Burma", "mm"), ("USSR", "suhh"), ("Iran, Islamic Republic of", "ir"),
        ("Atlantis", None), ("ZZ", None), ("", None),
    ],
)  # fmt: skip
def test_countries_from_codes_names_and_demonyms(text: str, code: str | None) -> None:
    assert country_code(text) == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_reading_a_query_never_raises_and_keeps_the_name(
    dob: str, country: str, identifier: str, schema: str
) -> None:
    query, warnings = read_query("Umar Patek", dob, country, identifier, schema)
    assert query.name == "Umar Patek"
    for field, value in (("dob", dob), ("country", country), ("identifier", identifier)):
        kept = getattr(query, {"dob": "birth_date"}.get(field, field))
        named = [w for w in warnings if w.field == field]
        dropped = [w for w in named if w.outcome == "screened without it"]
        assert (kept is None) == (not value.strip() or is_unknown(value) or bool(dropped))
        assert all(w.value == value.strip() and w.reason for w in named)


def test_birth_dates_compare_as_a_set(ofac: Screener) -> None:
    """Taufik RIFKI (SDN 9616) is listed with four birth dates; Aris MUNANDAR (7924) with
    1962 … 1968 as well as 1971-01-01."""

    def feature(query: Query) -> float:
        hit = ofac.screen(query, threshold=0.0)[0]
        return next(c.value for c in hit.features if c.feature == "birth_date")

    assert feature(Query("Taufik Rifki", "1974-08-09 or 1990-01-01")) == 1.0
    assert feature(Query("Taufik Rifki", "1990-01-01 or 1991-01-01")) == -1.0
    assert feature(Query("Aris Munandar", "between 1963 and 1964")) == 0.5
    assert feature(Query("Aris Munandar", "1971-1-1")) == 1.0


def test_country_feature_reads_names_and_demonyms(ofac: Screener) -> None:
    def feature(country: str) -> float:
        hit = ofac.screen(Query("Umar Patek", country=country), threshold=0.0)[0]
        assert hit.entity.source_id == "12599"
        return next(c.value for c in hit.features if c.feature == "country")

    assert feature("Indonesian") == feature("Indonesia") == feature("IDN") == 1.0
    assert feature("Russian Federation") == feature("Россия") == -1.0


CUSTOMERS = """id,name,dob,country,identifier,schema
c1,Umar Patek,1966-7-20,Indonesian,,Person
c2,Abu Rusdan,16 Agustus 1960,Indonesia,,individual
c3,Aris Munandar,1963-1964,IDN,,
c4,Taufik Rifki,1974-08-29 or 1974-08-19,WNI,,
c5,Nurjaman Riduan Isamuddin,garbage,Atlantis,12,Persona
c6,Muhammad Sholeh Ibrahim,September 1958,,,
c7,Nikolai Ivanov,10 августа 1972,Russian Federation,,
c8,Svetlana Petrova,1969-7-16,Россия,,
c9,Sergei Smirnov,,Rusia,,
c10,John Smith,1972-08-10 or 1972-08-11,United Kingdom of Great Britain and Northern Ireland,,
c11,Gul Ahmad,circa 1970,Afghanistan,,
,,,,,
c12,,1970,ID,,
c13,  ,,Indonesia,,
c14,Umar Pаtеk,20.07.1966,Indonesian,,
c15,Abu Rus​d­an,,ID,,
c16,Ｈａｍｂａｌｉ,,,,
"""


def test_customer_file_with_names_odd_dates_and_countries(ofac: Screener, tmp_path: Path) -> None:
    """Every row with a name is screened; each unusable value is named; listed persons hit with
    the birth date and country counted where they could be read."""
    source, out = tmp_path / "customers.csv", tmp_path / "hits.csv"
    source.write_text(CUSTOMERS, encoding="utf-8")
    rows = partial(ofac.batch_rows, threshold=ofac.config.threshold)
    report = screen_file(rows, source, out)
    assert (report.read, report.accepted, report.rejected, report.duplicates) == (17, 14, 3, 0)
    assert report.errors == ["row 12: empty id", "row 13: id c12: empty name",
                             "row 14: id c13: empty name"]  # fmt: skip
    assert report.warnings == 4
    assert [m.split(" is ")[0].split(" names ")[0].split(" has ")[0]
            for m in report.warning_messages] == [
        "row 5: id c5: dob 'garbage'", "row 5: id c5: country 'Atlantis'",
        "row 5: id c5: identifier '12'", "row 5: id c5: schema 'Persona'",
    ]  # fmt: skip
    hits = {h["id"]: h for h in pacsv.read_csv(out).to_pylist()}
    expected = {"c1": "12599", "c2": "8885", "c3": "7924", "c4": "9616", "c5": "7328",
                "c6": "18621", "c14": "12599", "c15": "8885", "c16": "7328"}  # fmt: skip
    assert {i: hits[i]["source_id"] for i in expected if i in hits} == {
        i: int(s) for i, s in expected.items()
    }
    evidence = {
        "c1": ("birth_date=1.00", "country=1.00"),
        "c2": ("birth_date=1.00",),
        "c3": ("birth_date=0.50",),
        "c4": ("birth_date=1.00", "country=1.00"),
        "c6": ("birth_date=0.70",),
    }
    for party, features in evidence.items():
        assert all(f in hits[party]["explanation"] for f in features), hits[party]
    assert "birth_date" not in hits["c5"]["explanation"]  # screened without the garbage
    # disguised names (Cyrillic а/е, a zero-width space and a soft hyphen, full-width letters)
    # hit as the plain name does, and the explanation says what was undone
    assert "birth_date=1.00" in hits["c14"]["explanation"]
    for party in ("c14", "c15", "c16"):
        assert "input normalised" in hits[party]["explanation"], hits[party]
    assert not {"c7", "c8", "c9", "c10", "c11"} & set(hits)
