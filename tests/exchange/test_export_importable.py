"""An export seals only a package that a jalur partner can import.

The importer refuses a manifest whose texts are empty, too long or hold control characters,
and a classification no jalur installation knows. The exporter wrote such packages without a
word (`--in-reply-to ""`, `--caveat ""`, `--consent ""`, a 5,000-character `--legal-basis`,
`--classification "EU RESTRICTED"`): the sender's log said "export", and the partner could
only refuse the file. Each is now refused at export, naming the option, nothing sealed or
logged; the same values within bounds go through and import at the partner.
"""

from __future__ import annotations

import pytest
from exchange_agencies import Agency, load_dttot

from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    export_package,
    find_partner,
    import_package,
    local_subjects,
    make_offer,
    match_offer,
    read_log,
    select_entities,
)

PURPOSE = "CTF analysis of JI financing"
REFUSED = [
    ({"in_reply_to": ""}, "--in-reply-to"),
    ({"caveats": ("",)}, "--caveat"),
    ({"consents": ("",)}, "--consent"),
    ({"legal_basis": "x" * 5000}, "--legal-basis"),
    ({"purpose": "CTF \x1b[2J analysis"}, "--purpose"),
    ({"in_reply_to": "REQ-1\x00"}, "--in-reply-to"),
    ({"classification": "EU RESTRICTED"}, "--classification"),
    ({"classification": ""}, "--classification"),
]


def _export(sender: Agency, recipient: Agency, **fields: object) -> bytes:
    request = ExportRequest(**{"purpose": PURPOSE, **fields})  # type: ignore[arg-type]
    partner = find_partner(sender.store, recipient.identity.name)
    selection = select_entities(sender.store, ["id:id-dttot-1"])
    _, sealed = export_package(
        sender.store, sender.identity, sender.passphrase, [partner], selection, request
    )
    return sealed


@pytest.mark.parametrize(("fields", "option"), REFUSED)
def test_a_package_its_recipient_would_refuse_is_not_sealed(
    agencies: tuple[Agency, Agency, Agency], fields: dict[str, object], option: str
) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    with pytest.raises(ExchangeError) as refused:
        _export(ppatk, rosfin, **fields)
    assert option in str(refused.value) and "would refuse" in str(refused.value)
    assert [e.action for e in read_log(ppatk.store)] == []  # nothing left, nothing logged


def test_the_same_options_within_bounds_import_at_the_partner(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    sealed = _export(
        ppatk, rosfin, in_reply_to="REQ-1", caveats=("analysts only",), consent="BNPT letter",
        legal_basis="x" * 2000, purpose="CTF analysis\nof JI financing", classification="secret",
    )  # fmt: skip
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "pkg")
    assert report.entities == 2 and report.classification == "secret"


@pytest.mark.parametrize("purpose", ["CTF\nand more", "x" * 2001, "CTF \x1b[2J", " "])
def test_an_offer_its_partner_would_refuse_is_not_sealed(
    agencies: tuple[Agency, Agency, Agency], purpose: str
) -> None:
    """The partner's `match` refuses an offer whose purpose is not one line of printable
    text (`malformed match offer`); `match-offer` sealed and logged it all the same."""
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    with pytest.raises(ExchangeError, match=r"--purpose.*would refuse"):
        make_offer(ppatk.store, ppatk.identity, ppatk.passphrase, partner,
                   local_subjects(ppatk.store), purpose)  # fmt: skip
    assert [e.action for e in read_log(ppatk.store)] == []
    _, sealed = make_offer(ppatk.store, ppatk.identity, ppatk.passphrase, partner,
                           local_subjects(ppatk.store), "CTF " + "x" * 1996)  # fmt: skip
    assert match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "o")["hits"] == []
