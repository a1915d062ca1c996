"""A customer's country field naming several countries (dual nationality: `RU; UA`, `RU/UA`,
`Russia, Ukraine`, `RU UA`) "named no country" and the customer was screened without any:
each country is now read, a part that names none is warned about alone, and a comma inside
an official name (`Korea, Republic of`) never splits it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from followthemoney.proxy import EntityProxy

from jalur.countries import country_codes, unread_countries
from jalur.screening import Query, Screener, ScreeningConfig, build_index
from jalur.screening.entities import listed_entity
from jalur.screening.features import country
from jalur.screening.fields import read_query

Listed = Callable[..., EntityProxy]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("RU; UA", ("ru", "ua")),
        ("RU/UA", ("ru", "ua")),
        ("RU | UA", ("ru", "ua")),
        ("Russia, Ukraine", ("ru", "ua")),
        ("RU UA", ("ru", "ua")),
        ("Russian Federation; Ukraine", ("ru", "ua")),
        ("Россия, Украина", ("ru", "ua")),
        ("Arab Saudi Yaman", ("sa", "ye")),
        ("RU; RUS; Russia", ("ru",)),
        # one country, as before: commas and spaces inside its name
        ("Korea, Republic of", ("kr",)),
        ("Korea, Democratic People's Republic of", ("kp",)),
        ("Iran, Islamic Republic of", ("ir",)),
        ("Virgin Islands, British", ("vg",)),
        ("Bosnia and Herzegovina", ("ba",)),
        ("United Kingdom", ("gb",)),
        ("Republik Korea", ("kr",)),
        ("Korea, Republic of; Iran, Islamic Republic of", ("kr", "ir")),
        ("RU", ("ru",)),
        ("Atlantis", ()),
        ("", ()),
    ],
)
def test_every_country_a_field_names_is_read(text: str, codes: tuple[str, ...]) -> None:
    assert country_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        ("RU; Atlantis", ("Atlantis",)),
        ("RU; UA", ()),
        ("Atlantis", ("Atlantis",)),
        # a part that is only a piece of a name is not read as a country of its own
        ("Korea, DPRK", ("Korea, DPRK",)),
        ("Korea DPR", ("Korea DPR",)),
        ("Korea, Rep.", ("Korea, Rep.",)),
        ("Democratic Republic Congo", ("Democratic Republic Congo",)),
    ],
)
def test_only_the_parts_naming_no_country_are_unread(text: str, unread: tuple[str, ...]) -> None:
    assert unread_countries(text) == unread
    assert "cg" not in country_codes(text) and "kr" not in country_codes(text)


def test_dual_nationality_is_no_warning_and_both_are_compared() -> None:
    query, warnings = read_query("Ivan Petrov", country="RU; UA")
    assert warnings == []
    assert query.country_codes == ("ru", "ua")


def test_an_unreadable_part_is_warned_alone_and_the_rest_kept() -> None:
    query, warnings = read_query("Ivan Petrov", country="RU; Atlantis")
    assert query.country_codes == ("ru",)
    assert len(warnings) == 1 and warnings[0].field == "country"
    assert warnings[0].value == "RU; Atlantis" and "'Atlantis'" in str(warnings[0])
    assert "ru" in str(warnings[0])  # what it was screened with


def test_a_field_naming_no_country_at_all_is_warned_as_before() -> None:
    query, warnings = read_query("Ivan Petrov", country="Atlantis; Lemuria")
    assert query.country is None and query.country_codes == ()
    assert [str(w) for w in warnings] == [
        "country 'Atlantis; Lemuria' names no country (ISO 3166 code, English, Indonesian or"
        " Russian name, demonym); screened without it"
    ]


@pytest.mark.parametrize(
    ("asked", "value"),
    [
        ("RU; UA", 1.0),  # one of the customer's countries is the listed one
        ("UA; RU", 1.0),
        ("UA; BY", -1.0),  # none of them
        ("UA; SUHH", 0.0),  # a former country of the listed one: no evidence either way
    ],
)
def test_the_country_feature_takes_the_best_of_the_customer_s_countries(
    make_listed: Listed, asked: str, value: float
) -> None:
    patrushev = make_listed("p1", ["PATRUSHEV, Nikolai Platonovich"], nationality="ru")
    entity = listed_entity(patrushev, "test-list", "P1", ["sanction"])
    assert country(Query("Nikolai Patrushev", country=asked), entity) == value


def test_a_dual_nationality_scores_as_its_best_country(make_listed: Listed) -> None:
    patrushev = make_listed("p1", ["PATRUSHEV, Nikolai Platonovich"], nationality="ru")
    screener = Screener(
        build_index([(patrushev, "l", "P1", ["sanction"])]),
        ScreeningConfig.defaults(),
    )

    def score(place: str) -> float:
        return screener.screen(Query("Nikolai Patrushev", country=place), threshold=0.0)[0].score

    assert score("RU; UA") == score("RU") > score("UA")
    assert score("UA; BY") == score("UA")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Russia and Ukraine", ("ru", "ua")),  # `and` was read as Andorra's AND
        ("Rusia dan Ukraina", ("ru", "ua")),
        ("Россия и Украина", ("ru", "ua")),
        ("RU or UA", ("ru", "ua")),
        ("AND", ("ad",)),  # Andorra, written alone
        ("Trinidad and Tobago", ("tt",)),
    ],
)
def test_a_joining_word_between_countries_names_none(text: str, codes: tuple[str, ...]) -> None:
    assert country_codes(text) == codes


def test_a_piece_naming_none_is_never_dropped_beside_a_run_of_two() -> None:
    """`RU UA, Atlantis`: the run `RU UA` gave two codes for two comma pieces, and
    `Atlantis` went unread in silence."""
    assert unread_countries("RU UA, Atlantis") == ("RU UA, Atlantis",)
    assert country_codes("RU UA, Atlantis") == ()


def test_a_two_word_name_of_a_divided_country_is_read_in_a_run() -> None:
    assert country_codes("Korea Selatan Jepang") == ("kr", "jp")
    assert country_codes("Korea DPR") == ()


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ID-INDONESIA", ("id",)),  # a core system's code and name, joined by a hyphen
        ("INDONESIA (ID)", ("id",)),
        ("[RU] Russian Federation", ("ru",)),
        ("Korea-Selatan", ("kr",)),
        ("RU-UA", ("ru", "ua")),
        ("Guinea-Bissau", ("gw",)),
        ("Korea-DPR", ()),
    ],
)
def test_a_code_beside_its_name_is_one_country(text: str, codes: tuple[str, ...]) -> None:
    assert country_codes(text) == codes
