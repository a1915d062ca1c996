"""Files attached to cases, stored once by their SHA-256 under the workspace (private, 0600)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from jalur.config import private_dir

CHUNK = 1 << 20


def store_file(folder: Path, source: Path) -> tuple[str, int]:
    """Copy `source` to `folder/ab/abcdef…` unless that content is there already."""
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    sha = digest.hexdigest()
    target = folder / sha[:2] / sha
    if not target.exists():
        private_dir(folder)
        private_dir(target.parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            shutil.copyfileobj(handle, out)
    return sha, source.stat().st_size
