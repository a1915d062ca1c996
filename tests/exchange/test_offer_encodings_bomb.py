"""An offer's `encodings.npz` is a zip inside the zip: its arrays are read only as large as
their bytes.

`np.savez` stores each array uncompressed, so an honest array is as large as its member. A
partner's npz with a deflated member inflated without bound (780 KB became an 800 MB array
before its shape was found wrong), and an array header claiming more elements than its bytes
hold made numpy allocate what it claimed (or fail with `MemoryError`, a traceback). Both are
refused from the npz's directory and the array headers, before an array is read.
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from jalur.exchange import PackageRejectedError
from jalur.exchange.offer import _ARRAYS, OFFER_FORMAT, read_offer


def _npy(shape: tuple[int, ...], data: bytes) -> bytes:
    """An `.npy` member: a header stating `shape` of bytes (uint8), then `data`."""
    header = io.BytesIO()
    header_fields = {"descr": "|u1", "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(header, header_fields)
    return header.getvalue() + data


def _offer(first: bytes, method: int = zipfile.ZIP_STORED) -> bytes:
    """An offer whose first array is the member `first`, written with `method`."""
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as archive:
        archive.writestr(f"{_ARRAYS[0]}.npy", first, compress_type=method)
        for name in _ARRAYS[1:]:
            archive.writestr(f"{name}.npy", _npy((1,), b"\0"))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("offer.json", json.dumps({"format": OFFER_FORMAT}))
        archive.writestr("encodings.npz", npz.getvalue())
    return outer.getvalue()


def test_a_deflated_array_is_refused_before_it_is_inflated() -> None:
    payload = _offer(_npy((4_000_000,), bytes(4_000_000)), zipfile.ZIP_DEFLATED)
    assert len(payload) < 100_000
    with pytest.raises(
        PackageRejectedError, match=r"encodings\.npz.*'name_owner\.npy'.*compressed"
    ):
        read_offer(payload, "offer")


@pytest.mark.parametrize("shape", [(10,), (1 << 40,), (1 << 62, 4)])
def test_an_array_claiming_more_than_its_bytes_is_refused(shape: tuple[int, ...]) -> None:
    with pytest.raises(PackageRejectedError, match=r"encodings\.npz.*'name_owner\.npy'.*bytes"):
        read_offer(_offer(_npy(shape, b"\0\0")), "offer")


def test_an_array_header_that_is_no_header_is_refused() -> None:
    with pytest.raises(PackageRejectedError, match=r"encodings\.npz.*'name_owner\.npy'"):
        read_offer(_offer(b"\x93NUMPY\x01\x00\x04\x00{x}\n"), "offer")
