"""UN alias NOTEs: names they write become aliases, everything else stays in the party's notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from lxml import etree
from un_parsed import LATEST, un_subjects, un_subjects_of_text

from jalur.lists import load_list
from jalur.lists.formats import _alias_list
from jalur.store import Store

SNAPSHOTS = ("consolidated_2020-11-30.xml", "consolidated_2025-04-19.xml", LATEST)
ALIAS_PROPS = ("alias", "weakAlias", "previousName")

INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z">
<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>YUNIS</FIRST_NAME>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>يونس</ALIAS_NAME>
  <NOTE>Yunis al-Mauritani; Younis
  al-Mauritani</NOTE></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Dua</ALIAS_NAME>
  <NOTE>born in 1971 (Abu Du’a; Abu Duaa’) nom de guerre</NOTE></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Sayf</ALIAS_NAME>
  <NOTE>DOB: 11 Apr. 1963. In
  Arabic: سيف العدل</NOTE></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Banat</ALIAS_NAME>
  <NOTE>original script: Абу Банат</NOTE></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Ould Ahmed</ALIAS_NAME>
  <NOTE>Passport number: B0515260; DOB: 1948; POB: Anefif (Kidal), Mali</NOTE></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/><NOTE>a note on no name</NOTE></INDIVIDUAL_ALIAS>
</INDIVIDUAL></INDIVIDUALS>
<ENTITIES><ENTITY><DATAID>2</DATAID><FIRST_NAME>AL KAWTHAR</FIRST_NAME>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Al Kawthar Co.</ALIAS_NAME>
  <NOTE>in Arabic script: شركة الكوثر</NOTE></ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old Kawthar</ALIAS_NAME>
  <NOTE>formerly listed as</NOTE></ENTITY_ALIAS>
</ENTITY></ENTITIES>
</CONSOLIDATED_LIST>"""


@pytest.fixture
def inline(tmp_path: Path) -> dict[str, EntityProxy]:
    return un_subjects_of_text(tmp_path, INLINE)


def test_inline_note_names_take_the_quality_of_their_alias(
    inline: dict[str, EntityProxy],
) -> None:
    person = inline["un-sc-1"]
    assert person.get("alias") == [
        "يونس",
        "Yunis al-Mauritani",
        "Younis al-Mauritani",
        "Sayf",
        "سيف العدل",
        "Ould Ahmed",
    ]
    assert person.get("weakAlias") == ["Abu Dua", "Abu Du’a", "Abu Duaa’", "Abu Banat", "Абу Банат"]
    assert inline["un-sc-2"].get("alias") == ["Al Kawthar Co.", "شركة الكوثر"]


def test_inline_notes_keep_what_is_not_only_names(inline: dict[str, EntityProxy]) -> None:
    """A note that is nothing but names (a list, `original script:`, `in Arabic script:`) is
    not repeated; every other note is kept whole, with the alias it belongs to."""
    assert sorted(inline["un-sc-1"].get("notes")) == [
        'alias "Abu Dua": born in 1971 (Abu Du’a; Abu Duaa’) nom de guerre',
        'alias "Ould Ahmed": Passport number: B0515260; DOB: 1948; POB: Anefif (Kidal), Mali',
        'alias "Sayf": DOB: 11 Apr. 1963. In Arabic: سيف العدل',
        "alias: a note on no name",
    ]
    assert inline["un-sc-2"].get("notes") == ['alias "Old Kawthar": formerly listed as']


@pytest.mark.parametrize(
    ("note", "names", "complete"),
    [
        ("A Khan; B Khan", ["A Khan", "B Khan"], True),
        ("In Arabic: ع", ["ع"], True),
        ("(original script: Абу)", ["Абу"], True),
        ("Previously listed as. In Arabic: ع", ["ع"], False),
        ("A, B, C (transliterations of original script name)", ["A", "B", "C"], True),
        ("transliterations: A; B ) (Translation: C) (Nom de guerre", ["A", "B"], False),
        ("born in 1971 in X (A; B; Dr. C)", ["A", "B", "Dr. C"], False),
        ("(A; B) known by this nom de guerre", ["A", "B"], False),
        ("Mali ID Number 073/SPICRE; POB: Anefif, Mali", [], False),
        ("DOB: 1948; POB: Anefif", [], False),
        ("A Khan; born in Kabul", [], False),
        ("A Khan; passport holder", [], False),
        ("A (B; listed as C)", [], False),
        ("nom de guerre", [], False),
        ("The Moroccan", [], False),
        ("(Mother’s name: F. Address: Mosul", [], False),
        ("In Arabic: ع 12", [], False),
    ],
)
def test_names_in_note_cases(note: str, names: list[str], complete: bool) -> None:
    found = _alias_list.names_in_note(note)
    assert (found.names, found.complete) == (names, complete)


def test_real_whole_note_lists_of_spellings(latest: dict[str, EntityProxy]) -> None:
    """`Yunis al-Mauritani; Younis al-Mauritani; …` (a NOTE broken over two lines) and the
    same for Sindhi and Noorzai: each spelling an alias, and no note repeats them."""
    yunis = latest["un-sc-2974555"]
    assert {"Younis al-Mauritani", "Shaykh Yunis the Mauritanian"} <= set(yunis.get("alias"))
    assert not any("Mauritani" in n for n in yunis.get("notes", quiet=True))
    sindhi = latest["un-sc-2983651"].get("alias")
    assert {"Abdul Rehman al-Sindhi", "Abdurahman Sindhi"} <= set(sindhi)
    noorzai = latest["un-sc-2975510"].get("alias")
    assert {"Haji Faizuulah Khan Norezai", "Haji Fiazullah"} <= set(noorzai)


def test_real_baghdadi_bracketed_spellings_and_nom_de_guerre(
    latest: dict[str, EntityProxy],
) -> None:
    baghdadi = latest["un-sc-2975516"]
    assert "Dr. Ibrahim Awwad Ibrahim al-Samarra’i" in baghdadi.get("alias")
    assert {"Abu Du’a", "Abu Duaa’"} <= set(baghdadi.get("weakAlias"))
    assert "Abu Du’a" not in baghdadi.get("alias")
    notes = baghdadi.get("notes")
    assert any(n.startswith('alias "أبو دعاء": (Abu Du’a; Abu Duaa’) prominently') for n in notes)
    assert any("born in 1971 in Samarra, Iraq (Ibrahim" in n for n in notes)


def test_real_names_in_arabic(latest: dict[str, EntityProxy]) -> None:
    saif = latest["un-sc-113219"]
    assert "سيف العدل" in saif.get("alias")
    assert any(n.startswith('alias "Sayf-Al Adl": DOB: 11 Apr. 1963.') for n in saif.get("notes"))
    assert "رياض محمد حسن محمد الحجازي" in latest["un-sc-112078"].get("alias")
    assert "أبوبكر الجزائري" in latest["un-sc-111902"].get("weakAlias")
    assert "شركة الكوثر" in latest["un-sc-6908660"].get("alias")


def test_real_facts_about_an_alias_stay_in_notes(latest: dict[str, EntityProxy]) -> None:
    notes = latest["un-sc-690779"].get("notes")
    assert (
        'alias "Abdoullah Ould Ahmed": Mali ID Number 073/SPICRE; POB: Anefif, Mali; '
        "Date of issue: 6 Dec 2011; Place of issue: Essouck, Mali"
    ) in notes
    assert 'alias "Riyadh": nom de guerre' in latest["un-sc-3026942"].get("notes")
    french = latest["un-sc-6908417"].get("notes")
    assert any(n.startswith('alias "ABU UMAR": Responsable de la charia') for n in french)
    assert 'alias "Tango Romeo": Call sign' in latest["un-sc-6908021"].get("notes")


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_real_no_alias_note_is_dropped(lists_data: Path, name: str) -> None:
    """Every alias NOTE is in its party's notes, or each name it writes is an alias there."""
    path = lists_data / "un" / name
    subjects = un_subjects(path)
    missing = []
    for alias in etree.parse(str(path)).getroot().iter("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
        note = " ".join((alias.findtext("NOTE") or "").split())
        if not note:
            continue
        party = subjects[f"un-sc-{alias.getparent().findtext('DATAID')}"]
        if any(n.endswith(f": {note}") for n in party.get("notes", quiet=True)):
            continue
        names = {n for p in ALIAS_PROPS for n in party.get(p, quiet=True)}
        written = re.sub(r"^\(?[^:]*:|\((?:transliterations of )?[^()]*\)$|\)$", "", note)
        if not {piece.strip() for piece in re.split(r"[;,]", written)} <= names:
            missing.append(note)
    assert missing == []


def test_real_older_snapshot_transliterations(lists_data: Path) -> None:
    jawlani = un_subjects(lists_data / "un" / "consolidated_2025-04-19.xml")["un-sc-3020633"]
    assert {"Abu Mohammed al-Golani", "Muhammad al-Jawlani"} <= set(jawlani.get("alias"))
    assert {"Shaykh al-Fatih", "Al Fatih"} <= set(jawlani.get("weakAlias"))


def test_real_older_snapshot_twice_is_unchanged(lists_data: Path, store: Store) -> None:
    path = lists_data / "un" / "consolidated_2025-04-19.xml"
    load_list(store, path)
    again = load_list(store, path)
    assert (again.added, again.removed, again.changed) == (0, 0, 0)


def test_real_alias_country_of_birth_is_kept(
    lists_data: Path, latest: dict[str, EntityProxy]
) -> None:
    """111734's alias "Fabio Fusco" says born in Italy and Algeria; his main entry Tunisia."""
    path = lists_data / "un" / LATEST
    subjects = latest
    missing = []
    for alias in etree.parse(str(path)).getroot().iter("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
        country = alias.findtext("COUNTRY_OF_BIRTH")
        if country:
            party = subjects[f"un-sc-{alias.getparent().findtext('DATAID')}"]
            kept = party.get("birthCountry", quiet=True) or [
                n for n in party.get("notes", quiet=True) if country in n
            ]
            if not kept:
                missing.append(country)
    assert missing == []
    assert {"it", "dz", "tn"} <= set(subjects["un-sc-111734"].get("birthCountry"))
