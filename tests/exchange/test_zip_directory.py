"""A zip whose central directory is huge is refused before Python's zipfile parses it.

`zipfile.ZipFile` reads the whole central directory when it opens: 200,000 members cost
1.85 s and 150 MB before any member was read, in a package genuinely signed by a partner.
A package holds three members and an offer two, so the directory is bounded
(`MAX_ZIP_MEMBERS` members, `MAX_CENTRAL_DIRECTORY` bytes) from the end record alone, which
also bounds a directory whose end record understates its count.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from exchange_agencies import Agency
from hostile import parquet_bytes, signed_parts

from jalur.exchange import PackageRejectedError, import_package, read_log
from jalur.exchange.envelope import seal
from jalur.exchange.offer import read_offer
from jalur.exchange.package import (
    ENTITIES_FILE,
    MANIFEST_FILE,
    MAX_CENTRAL_DIRECTORY,
    MAX_ZIP_MEMBERS,
    TRANSACTIONS_FILE,
    check_directory,
)
from jalur.model import TRANSACTION_SCHEMA

#: Enough members to pass both bounds, few enough to write in a moment.
MANY = 2_000


def _many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"m{number:05d}", b"")
    return buffer.getvalue()


def _understated(data: bytes, count: int) -> bytes:
    """The same zip with its end record claiming `count` members (the directory unchanged)."""
    at = data.rfind(b"PK\x05\x06")
    record = list(struct.unpack("<4s4H2LH", data[at : at + 22]))
    record[3] = record[4] = count
    return data[:at] + struct.pack("<4s4H2LH", *record) + data[at + 22 :]


def _sealed(sender: Agency, recipient: Agency, payload: bytes) -> bytes:
    parquet = parquet_bytes(TRANSACTION_SCHEMA.empty_table())
    secret, to_key, header, _ = signed_parts(sender, recipient, parquet=parquet, rows=0)
    return seal(header, payload, secret, [to_key])


def test_bounds_are_far_above_what_a_package_holds() -> None:
    assert MAX_ZIP_MEMBERS >= 3 and MAX_CENTRAL_DIRECTORY >= 3 * (46 + 1024)
    assert MANY > MAX_ZIP_MEMBERS and MANY * 52 > MAX_CENTRAL_DIRECTORY


def test_a_package_with_thousands_of_members_is_refused_by_its_count(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    data = _sealed(ppatk, rosfin, _many_members(MANY))
    with pytest.raises(PackageRejectedError, match=f"{MANY} members, more than {MAX_ZIP_MEMBERS}"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")
    assert read_log(rosfin.store)[-1].action == "import-rejected"
    assert rosfin.stored()["exchange_packages"] == 0


def test_an_end_record_that_understates_the_count_is_refused_by_the_directory_size(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """zipfile reads members until the directory's stated size is used up, whatever the
    count says: three members claimed, two thousand parsed."""
    ppatk, rosfin, _ = agencies
    data = _sealed(ppatk, rosfin, _understated(_many_members(MANY), 3))
    with pytest.raises(PackageRejectedError, match=r"central directory of \d+ bytes, more than"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")


def test_a_match_offer_with_thousands_of_members_is_refused_by_its_count() -> None:
    with pytest.raises(PackageRejectedError, match=f"{MANY} members"):
        read_offer(_many_members(MANY), "offer")


def test_a_package_of_our_own_making_passes(agencies: tuple[Agency, Agency, Agency]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (MANIFEST_FILE, ENTITIES_FILE, TRANSACTIONS_FILE):
            archive.writestr(name, b"x" * 100)
    check_directory(buffer.getvalue())  # no exception
    with pytest.raises(zipfile.BadZipFile, match="no zip end record"):
        check_directory(b"not a zip at all")
