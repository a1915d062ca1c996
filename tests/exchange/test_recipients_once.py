"""A partner named twice among the recipients (`--to rosfinmonitoring --to Rosfinmonitoring`,
its handle and its name) is one recipient: the export wrote its package record twice and
ended in DuckDB's raw `ConstraintException` traceback (the API's `to` list likewise).
"""

from __future__ import annotations

from exchange_agencies import Agency, load_dttot

from jalur.exchange import (
    ExportRequest,
    export_package,
    find_partner,
    import_package,
    packages,
    read_log,
    select_entities,
)


def test_a_partner_named_twice_is_sealed_to_once(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    twice = [find_partner(ppatk.store, n) for n in ("rosfinmonitoring", "Rosfinmonitoring")]
    manifest, sealed = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, twice,
        select_entities(ppatk.store, ["id:id-dttot-1"]), ExportRequest(purpose="CTF"),
    )  # fmt: skip
    assert [r["agency"] for r in manifest["recipients"]] == ["Rosfinmonitoring"]
    assert [(p["direction"], p["partner"]) for p in packages(ppatk.store)] == [
        ("out", "rosfinmonitoring")
    ]
    assert [e.partner for e in read_log(ppatk.store)] == ["rosfinmonitoring"]
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "pkg")
    assert report.entities == 2
