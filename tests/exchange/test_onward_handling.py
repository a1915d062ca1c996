"""Received data passed on keeps its handling at the next agency too, whoever passed it on.

PPATK sends Rosfinmonitoring a subject as SECRET with a caveat of its own; Rosfinmonitoring's
jalur refuses to pass it on lower or without that caveat. A hostile or broken partner's
exporter is no jalur: it signed a package passing PPATK's subject on as RESTRICTED, with only
the Egmont caveats, and AUSTRAC stored it under that lighter handling, to be used and passed
on as such. The subject's own chain of senders (`forwarded_from`) says how each agency on its
way handled it: a package that hands it on under less is refused, naming the entity's line.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pytest
from exchange_agencies import Agency, person
from hostile import hostile_package, parquet_bytes

from jalur.exchange import (
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    select_entities,
)
from jalur.exchange.package import DEFAULT_CAVEATS
from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA

OWN_CAVEAT = "not to be shared with law enforcement"


def _receive(agency: Agency, data: bytes) -> Any:
    return import_package(agency.store, agency.identity, agency.passphrase, data, "pkg")


@pytest.fixture
def forwarder(agencies: tuple[Agency, Agency, Agency]) -> tuple[Agency, Agency, bytes]:
    """Rosfinmonitoring, AUSTRAC, and PPATK's SECRET subject as Rosfinmonitoring sends it on
    (one entity line, its chain of senders included)."""
    ppatk, rosfin, austrac = agencies
    load_entities(ppatk.store, "dttot", [person("id-1", "Abu Rusdan")], source="t")
    to = find_partner(ppatk.store, "Rosfinmonitoring")
    _, data = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, [to],
        select_entities(ppatk.store, ["list:dttot"]),
        ExportRequest(purpose="JI financing", classification="SECRET", caveats=(OWN_CAVEAT,)),
    )  # fmt: skip
    _receive(rosfin, data)
    rosfin.knows(austrac)
    austrac.knows(rosfin)
    (entity,) = select_entities(rosfin.store, ["list:exchange-ppatk"]).entities
    sent = entity.clone()
    sent.context = {"exchange": entity.context["exchange"]}
    line = json.dumps(sent.to_dict(), sort_keys=True).encode() + b"\n"
    return rosfin, austrac, line


def _passed_on(rosfin: Agency, austrac: Agency, line: bytes, **manifest: Any) -> bytes:
    empty = parquet_bytes(pa.Table.from_pylist([], schema=TRANSACTION_SCHEMA))
    values = {"consents": {"PPATK": "letter 12/2025"}, "consent": "PPATK: letter 12/2025"}
    return hostile_package(
        rosfin, austrac, parquet=empty, rows=0, lines=line, entity_count=1,
        manifest_values={**values, **manifest},
    )  # fmt: skip


def test_a_subject_passed_on_below_its_classification_is_refused(
    forwarder: tuple[Agency, Agency, bytes],
) -> None:
    rosfin, austrac, line = forwarder
    data = _passed_on(rosfin, austrac, line, classification="RESTRICTED",
                      caveats=[*DEFAULT_CAVEATS, OWN_CAVEAT])  # fmt: skip
    with pytest.raises(PackageRejectedError, match=r"line 1.*PPATK.*SECRET.*RESTRICTED"):
        _receive(austrac, data)
    assert austrac.stored()["exchange_entities"] == 0


def test_a_subject_passed_on_without_its_caveat_is_refused(
    forwarder: tuple[Agency, Agency, bytes],
) -> None:
    rosfin, austrac, line = forwarder
    data = _passed_on(rosfin, austrac, line, classification="SECRET", caveats=list(DEFAULT_CAVEATS))
    with pytest.raises(PackageRejectedError, match=rf"line 1.*PPATK.*{OWN_CAVEAT}"):
        _receive(austrac, data)
    assert austrac.stored()["exchange_entities"] == 0


def test_a_subject_passed_on_under_its_handling_is_imported(
    forwarder: tuple[Agency, Agency, bytes],
) -> None:
    """What Rosfinmonitoring's own jalur writes: its classification and caveats, or stricter."""
    rosfin, austrac, line = forwarder
    data = _passed_on(rosfin, austrac, line, classification="TOP SECRET",
                      caveats=[*DEFAULT_CAVEATS, OWN_CAVEAT, "one more"])  # fmt: skip
    assert _receive(austrac, data).entities == 1
