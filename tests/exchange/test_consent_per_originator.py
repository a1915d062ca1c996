"""Passing received data on needs the consent of each agency it came from, not one text for all.

Rosfinmonitoring holds subjects from PPATK and from AUSTRAC and sends both on to a third
agency: one `--consent "PPATK letter"` once let AUSTRAC's data go too. Each originator (and
each agency an entity was forwarded through) needs its own `--consent ORG=TEXT`; the refusal
names the originators without one, and the manifest records who consented to what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from exchange_agencies import Agency, make_agency, person
from typer.testing import CliRunner

from jalur.cli import app
from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    select_entities,
)
from jalur.lists import load_entities

runner = CliRunner()
BOTH = ("list:exchange-ppatk,exchange-austrac",)


def _export(sender: Agency, recipient: Agency, terms: tuple[str, ...], **kw: Any) -> Any:
    request = ExportRequest(purpose="CTF analysis", **kw)
    partner = find_partner(sender.store, recipient.identity.name)
    return export_package(
        sender.store, sender.identity, sender.passphrase, [partner],
        select_entities(sender.store, list(terms)), request,
    )  # fmt: skip


def _receive(agency: Agency, data: bytes) -> Any:
    return import_package(agency.store, agency.identity, agency.passphrase, data, "pkg")


@pytest.fixture
def holder(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> tuple[Agency, Agency, Agency]:
    """Rosfinmonitoring holds a subject from PPATK and one from AUSTRAC; FIU-NL is a partner."""
    ppatk, rosfin, austrac = agencies
    fiu = make_agency(tmp_path, "FIU-NL", "NL")
    for a, b in ((rosfin, austrac), (rosfin, fiu)):
        a.knows(b)
        b.knows(a)
    for sender, entity_id, name in ((ppatk, "p1", "Abu Rusdan"), (austrac, "a1", "Umar Patek")):
        load_entities(sender.store, "own", [person(entity_id, name)], source="t")
        _, data = _export(sender, rosfin, ("list:own",))
        _receive(rosfin, data)
    return rosfin, fiu, austrac


def test_one_consent_text_no_longer_covers_two_originators(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    rosfin, fiu, _ = holder
    with pytest.raises(ExchangeError, match=r"AUSTRAC, PPATK.*--consent ORG=TEXT"):
        _export(rosfin, fiu, BOTH, consent="PPATK letter 12/2025")
    with pytest.raises(ExchangeError, match=r"without the consent of AUSTRAC\b"):
        _export(rosfin, fiu, BOTH, consents=("PPATK=PPATK letter 12/2025",))
    manifest, data = _export(
        rosfin, fiu, BOTH, consents=("PPATK=letter 12/2025", "austrac=email of 3 March")
    )
    assert manifest["consents"] == {"AUSTRAC": "email of 3 March", "PPATK": "letter 12/2025"}
    assert manifest["consent"] == "AUSTRAC: email of 3 March; PPATK: letter 12/2025"
    assert _receive(fiu, data).entities == 2


def test_a_single_originator_still_takes_a_plain_consent(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    rosfin, fiu, _ = holder
    manifest, _ = _export(rosfin, fiu, ("list:exchange-ppatk",), consent="PPATK letter 12/2025")
    assert manifest["consents"] == {"PPATK": "PPATK letter 12/2025"}


def test_a_consent_for_an_agency_not_in_the_selection_is_refused(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    """A typo (`PPTAK=…`) would otherwise read as a plain text, and consent to nothing."""
    rosfin, fiu, _ = holder
    with pytest.raises(ExchangeError, match=r"PPTAK.*originators in the selection: PPATK"):
        _export(rosfin, fiu, ("list:exchange-ppatk",), consents=("PPTAK=letter",))


def test_what_was_forwarded_needs_the_consent_of_every_agency_on_its_way(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    """FIU-NL received PPATK's subject through Rosfinmonitoring: both caveats bind it."""
    rosfin, fiu, austrac = holder
    _, data = _export(rosfin, fiu, ("list:exchange-ppatk",), consent="PPATK letter")
    _receive(fiu, data)
    fiu.knows(austrac)
    austrac.knows(fiu)
    terms = ("list:exchange-rosfinmonitoring",)
    with pytest.raises(ExchangeError, match=r"without the consent of PPATK\b"):
        _export(fiu, austrac, terms, consents=("Rosfinmonitoring=call of 4 March",))
    manifest, _ = _export(
        fiu, austrac, terms, consents=("Rosfinmonitoring=call of 4 March", "PPATK=letter 7")
    )
    assert set(manifest["consents"]) == {"PPATK", "Rosfinmonitoring"}


def test_the_manifest_consents_are_checked_on_import(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    """A hostile partner's manifest: consents must be an object of short lines of text."""
    from hostile import hostile_package, parquet_bytes

    from jalur.model import TRANSACTION_SCHEMA

    rosfin, fiu, _ = holder
    data = hostile_package(
        rosfin, fiu, parquet=parquet_bytes(TRANSACTION_SCHEMA.empty_table()), rows=0,
        manifest_values={"consents": {"PPATK": ["not", "text"]}},
    )  # fmt: skip
    with pytest.raises(PackageRejectedError, match="consents"):
        _receive(fiu, data)


def test_the_command_takes_one_consent_per_originator(
    holder: tuple[Agency, Agency, Agency], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rosfin, _, _ = holder
    rosfin.store.close()
    monkeypatch.setenv("JALUR_PASSPHRASE", rosfin.passphrase)
    base = ["--home", str(rosfin.home), "exchange", "export", "--to", "FIU-NL"]
    base += ["--purpose", "CTF", "--entities", BOTH[0], "--out", str(tmp_path / "p.jx")]
    refused = runner.invoke(app, [*base, "--consent", "PPATK letter"])
    assert refused.exit_code == 1
    assert "AUSTRAC, PPATK" in " ".join(refused.stderr.split())
    given = runner.invoke(
        app, [*base, "--consent", "PPATK=letter", "--consent", "AUSTRAC=email", "--json"]
    )
    assert given.exit_code == 0, given.stdout + given.stderr


def test_a_plain_consent_without_received_data_is_written_as_given(
    holder: tuple[Agency, Agency, Agency],
) -> None:
    """An own list under a no-onward caveat: the command's one `--consent TEXT` still reaches
    the manifest (no originator to name)."""
    rosfin, fiu, _ = holder
    load_entities(rosfin.store, "own", [person("r1", "Hambali")], source="t")
    manifest, _ = _export(rosfin, fiu, ("list:own",), consents=("unit head, memo 4",))
    assert manifest["consent"] == "unit head, memo 4" and "consents" not in manifest


def test_a_hostile_forwarding_chain_is_shown_escaped_and_bounded() -> None:
    """`forwarded_from` is the partner's text: an agency name holding an escape sequence is
    shown escaped, and a chain deeper than any real one is refused, not cut short."""
    from jalur.exchange.export import originators
    from jalur.model import make_entity

    entity = make_entity("Person", "x1")
    entity.add("name", "Someone")
    entity.context = {"exchange": {"agency": "PPATK", "forwarded_from": {"agency": "\x1b[2JX"}}}
    assert list(originators([entity]).values()) == ["'\\x1b[2JX'", "PPATK"]
    chain: dict[str, Any] = {"agency": "A0"}
    for hop in range(1, 30):
        chain = {"agency": f"A{hop}", "forwarded_from": chain}
    entity.context = {"exchange": chain}
    with pytest.raises(ExchangeError, match="forwarded through more than 20 agencies"):
        originators([entity])
