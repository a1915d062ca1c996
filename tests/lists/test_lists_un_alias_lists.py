"""UN alias values that list several names (`A; B; C`): each name becomes an alias of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import given
from hypothesis import strategies as st
from un_parsed import LATEST, un_subjects, un_subjects_of_text

from jalur.lists import load_list
from jalur.lists.formats._alias_list import split_alias_list
from jalur.store import Store

ALIAS_PROPS = ("alias", "weakAlias", "previousName")

INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z">
<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>QASEM</FIRST_NAME>
<SECOND_NAME>SOLEIMANI</SECOND_NAME><UN_LIST_TYPE>Iran</UN_LIST_TYPE>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
  <ALIAS_NAME>Qasim Soleimani; Qasem Sulaimani;  ;Kasim
  Sulaymani;</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Haj Qasem; Sardar Soleimani</ALIAS_NAME>
</INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>حسن غول (Hassan Ghul; Hasan Gul)</ALIAS_NAME>
</INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>A Sabet; B Sabet b) C Sabet</ALIAS_NAME>
</INDIVIDUAL_ALIAS>
</INDIVIDUAL></INDIVIDUALS>
<ENTITIES><ENTITY><DATAID>2</DATAID><FIRST_NAME>FRONT</FIRST_NAME>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old Front; Older Front</ALIAS_NAME>
</ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Al-Qaida in Yemen (AQY)</ALIAS_NAME>
</ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Front (one; two) of the Levant</ALIAS_NAME>
</ENTITY_ALIAS>
</ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""


@pytest.fixture
def inline(tmp_path: Path) -> dict[str, EntityProxy]:
    return un_subjects_of_text(tmp_path, INLINE)


def test_inline_list_splits_keeping_quality_and_dropping_empty_pieces(
    inline: dict[str, EntityProxy],
) -> None:
    person = inline["un-sc-1"]
    assert person.get("alias") == [
        "Qasim Soleimani",
        "Qasem Sulaimani",
        "Kasim Sulaymani",
        "حسن غول",
        "Hassan Ghul",
        "Hasan Gul",
        "A Sabet",
        "B Sabet",
        "C Sabet",
    ]
    assert person.get("weakAlias") == ["Haj Qasem", "Sardar Soleimani"]
    assert inline["un-sc-2"].get("previousName") == ["Old Front", "Older Front"]


def test_inline_brackets_that_are_not_a_list_stay_one_name(
    inline: dict[str, EntityProxy],
) -> None:
    assert inline["un-sc-2"].get("alias") == [
        "Al-Qaida in Yemen (AQY)",
        "Front (one; two) of the Levant",
    ]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Fazel Rahim", ["Fazel Rahim"]),
        ("Fazel Rahim; Fazil Rahim", ["Fazel Rahim", "Fazil Rahim"]),
        ("; A ;; B ;", ["A", "B"]),
        ("A; A", ["A"]),
        ("a) A; B b) C", ["A", "B", "C"]),
        ("El Harrachi (الحراشي)", ["El Harrachi (الحراشي)"]),
        ("(Sheikh) Musa Hilal", ["(Sheikh) Musa Hilal"]),
        ("X (HTS) (ع (original script); Y; Z)", ["X (HTS)", "ع", "Y", "Z"]),
        ("(A; B)", ["A", "B"]),
        ("A (B; C", ["A (B; C"]),
        (") Abdelrahman Juhan", [") Abdelrahman Juhan"]),
    ],
)
def test_split_alias_list_cases(value: str, names: list[str]) -> None:
    assert split_alias_list(value) == names


_NAME = st.text(
    alphabet=st.characters(
        blacklist_characters=";()", blacklist_categories=("Cc", "Cs", "Zl", "Zp")
    ),
    min_size=1,
    max_size=12,
).map(lambda s: " ".join(s.split()))


@given(st.lists(_NAME, min_size=1))
def test_joined_names_split_back(names: list[str]) -> None:
    """However many plain names a list packs into one value, each comes back once, in order."""
    expected = list(dict.fromkeys(n.strip(" ,") for n in names if n.strip(" ,")))
    assert split_alias_list("; ".join(names)) == expected


def test_real_soleimani_good_and_low_lists(latest: dict[str, EntityProxy]) -> None:
    soleimani = latest["un-sc-110408"]
    assert soleimani.get("alias") == [
        "Qasim Soleimani",
        "Qasem Sulaimani",
        "Qasim Sulaimani",
        "Qasim Sulaymani",
        "Qasem Sulaymani",
        "Kasim Soleimani",
        "Kasim Sulaimani",
        "Kasim Sulaymani",
    ]
    assert soleimani.get("weakAlias") == ["Haj Qasem", "Haji Qassem", "Sardar Soleimani"]


def test_real_salimi_nine_names_in_one_value(latest: dict[str, EntityProxy]) -> None:
    salimi = latest["un-sc-110409"]
    assert len(salimi.get("alias")) == 9
    assert "Hossein Saleemi" in salimi.get("alias")


def test_real_sabet_enumeration_label_inside_the_list(latest: dict[str, EntityProxy]) -> None:
    """`Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; …`: ` b) ` separates too."""
    assert latest["un-sc-110413"].get("alias") == [
        "Mohammed Sabet",
        "Mohammad Sabet",
        "M. Javad Kareemi Sabet",
        "M. Jawad Kareemi Sabet",
        "M. Jawad Karimi Sabet",
    ]


def test_real_script_name_with_spellings_in_brackets(latest: dict[str, EntityProxy]) -> None:
    """`حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)`: the name and each spelling; his other
    aliases (the name in original script first, `Khalid Mahmud`) stay around them."""
    khan = latest["un-sc-2983746"]
    assert khan.get("alias")[1:5] == ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
    assert khan.get("weakAlias")[-3:] == ["أبو شيماء", "Abu-Shaima", "Abu- Shayma"]


def test_real_hts_nested_brackets_and_original_script_marker(
    latest: dict[str, EntityProxy],
) -> None:
    front = latest["un-sc-6908429"].get("alias")
    assert "Hay’at Tahrir al-Sham (HTS)" in front
    assert "هيئة تحرير الشام" in front
    assert "Assembly for the Liberation of Syria" in front
    assert "جبهة النصرة" in front and "the Victory Front" in front
    assert not any("(original script)" in name for name in front)


@pytest.mark.parametrize(
    "name", ["consolidated_2020-11-30.xml", "consolidated_2025-04-19.xml", LATEST]
)
def test_real_no_alias_keeps_a_list_separator(lists_data: Path, name: str) -> None:
    subjects = un_subjects(lists_data / "un" / name).values()
    joined = [n for e in subjects for p in ALIAS_PROPS for n in e.get(p, quiet=True) if ";" in n]
    assert joined == []


def test_real_same_snapshot_twice_is_unchanged(lists_data: Path, store: Store) -> None:
    path = lists_data / "un" / LATEST
    first = load_list(store, path)
    again = load_list(store, path)
    assert first.added == 1003
    assert (again.added, again.removed, again.changed) == (0, 0, 0)
