"""Uploaded files, read with a size limit before anything is stored or parsed."""

from __future__ import annotations

from fastapi import Request, UploadFile

from jalur.api.errors import FORM_ROOM, TooLargeError
from jalur.api.service import Service

_CHUNK = 1 << 20


async def read_upload(request: Request, upload: UploadFile) -> bytes:
    """The upload's bytes; 413 when it is larger than `[service] max_upload_bytes`."""
    service: Service = request.app.state.service
    limit = service.settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + FORM_ROOM:
        raise TooLargeError(f"the upload is larger than {limit} bytes: nothing was stored")
    chunks, size = [], 0
    while chunk := await upload.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLargeError(f"{upload.filename}: larger than {limit} bytes: nothing was stored")
        chunks.append(chunk)
    return b"".join(chunks)
