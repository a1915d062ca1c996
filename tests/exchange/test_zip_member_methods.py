"""A partner's zip whose members Python's `zipfile` cannot read: refused and logged, never a
traceback.

A member marked encrypted raised `RuntimeError` ("password required"), one compressed with a
method `zipfile` lacks (Deflate64, which Windows' Explorer writes for large files, or a
made-up number) or flagged as patched data `NotImplementedError`, and a deflate stream cut or
scrambled `zlib.error`: none of them a `BadZipFile`, so a genuinely signed package or offer
holding one ended the import in a traceback, with no `import-rejected` entry in the log.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pyarrow as pa
import pytest
from exchange_agencies import Agency
from hostile import parquet_bytes, signed_parts

from jalur.exchange import PackageRejectedError, import_package, read_log
from jalur.exchange.envelope import seal
from jalur.exchange.offer import read_offer
from jalur.exchange.package import ENTITIES_FILE, MANIFEST_FILE, TRANSACTIONS_FILE
from jalur.model import TRANSACTION_SCHEMA

_LOCAL, _CENTRAL = b"PK\x03\x04", b"PK\x01\x02"


def _zip(members: list[tuple[str, bytes]]) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return bytearray(buffer.getvalue())


def _patch(data: bytearray, name: str, flag: int = 0, method: int | None = None) -> bytes:
    """Set general-purpose `flag` bits (and the compression `method`) of member `name`, in
    its local header and its central directory entry alike."""
    encoded = name.encode()
    for signature, flags_at, name_at in ((_LOCAL, 6, 30), (_CENTRAL, 8, 46)):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack_from(
                "<H", data, at + name_at - (4 if signature == _LOCAL else 18)
            )[0]
            if bytes(data[at + name_at : at + name_at + length]) == encoded:
                old = struct.unpack_from("<H", data, at + flags_at)[0]
                struct.pack_into("<H", data, at + flags_at, old | flag)
                if method is not None:
                    struct.pack_into("<H", data, at + flags_at + 2, method)
            at = data.find(signature, at + 4)
    return bytes(data)


def _scrambled(data: bytearray, name: str) -> bytes:
    """Member `name`'s deflate stream replaced by bytes that are no deflate stream."""
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(data)


BROKEN = {
    "encrypted": (lambda d, n: _patch(d, n, flag=0x1), r"is encrypted"),
    "deflate64": (lambda d, n: _patch(d, n, method=9), r"compression method 9"),
    "unknown method": (lambda d, n: _patch(d, n, method=99), r"compression method 99"),
    "patched data": (lambda d, n: _patch(d, n, flag=0x20), r"zip features"),
    "scrambled deflate": (_scrambled, r"cannot be decompressed"),
}


@pytest.mark.parametrize("how", list(BROKEN))
def test_a_package_member_zipfile_cannot_read_is_refused_and_logged(
    agencies: tuple[Agency, Agency, Agency], how: str
) -> None:
    ppatk, rosfin, _ = agencies
    parquet = parquet_bytes(pa.Table.from_pylist([], schema=TRANSACTION_SCHEMA))
    secret, to_key, header, manifest = signed_parts(ppatk, rosfin, parquet=parquet, rows=0)
    members = [(MANIFEST_FILE, json.dumps(manifest).encode()), (ENTITIES_FILE, b""),
               (TRANSACTIONS_FILE, parquet)]  # fmt: skip
    breaks, reason = BROKEN[how]
    data = seal(header, breaks(_zip(members), MANIFEST_FILE), secret, [to_key])
    with pytest.raises(PackageRejectedError, match=rf"'manifest\.json'.*{reason}"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")
    assert read_log(rosfin.store)[-1].action == "import-rejected"
    assert rosfin.stored()["exchange_entities"] == 0


@pytest.mark.parametrize("how", list(BROKEN))
def test_an_offer_member_zipfile_cannot_read_is_refused(how: str) -> None:
    breaks, reason = BROKEN[how]
    payload = breaks(_zip([("offer.json", b"{}" * 50), ("encodings.npz", b"")]), "offer.json")
    with pytest.raises(
        PackageRejectedError, match=rf"not a match offer: .*'offer\.json'.*{reason}"
    ):
        read_offer(payload, "offer")
