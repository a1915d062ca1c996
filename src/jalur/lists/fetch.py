"""`jalur lists fetch NAME`: download a list from its official address, then load it.

The download is an I/O edge behind an injectable `httpx` transport (tests use a local HTTP
server or `httpx.MockTransport`, never the internet). The file is kept in the workspace under
`artefacts/lists/` — what was screened against must be reproducible — and the list version
records the URL and the retrieval time.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from jalur.lists.errors import ListLoadError, check_list_name
from jalur.lists.formats import ParseOptions
from jalur.lists.load import LoadReport, load_list
from jalur.store import Store

TIMEOUT_S = 120.0


@dataclass(frozen=True)
class ListSource:
    """Where a list is published and how to read it."""

    name: str
    url: str
    format: str | None = None
    mapping: str | None = None


def default_sources() -> dict[str, ListSource]:
    text = resources.files("jalur.lists").joinpath("data", "sources.toml").read_text("utf-8")
    return {name: _source(name, spec) for name, spec in tomllib.loads(text).items()}


def resolve_source(
    name: str, configured: dict[str, Any] | None = None, url: str | None = None
) -> ListSource:
    """The source of `name`: `--url` wins, then the workspace's [lists.sources], then defaults."""
    sources = default_sources()
    for key, spec in (configured or {}).items():
        sources[key] = _source(key, spec, sources.get(key))
    known = sources.get(name)
    if url:
        return ListSource(
            name, url, known.format if known else None, known.mapping if known else None
        )
    if known is None:
        raise ListLoadError(
            name, "list name", f"no known address (known: {', '.join(sorted(sources))}; or --url)"
        )
    return known


def _source(name: str, spec: Any, base: ListSource | None = None) -> ListSource:
    if isinstance(spec, str):
        spec = {"url": spec}
    if not isinstance(spec, dict) or not isinstance(
        spec.get("url", base.url if base else None), str
    ):
        raise ListLoadError(name, "[lists.sources]", "needs a url (a string or {url = ...})")
    return ListSource(
        name=name,
        url=str(spec.get("url", base.url if base else "")),
        format=spec.get("format", base.format if base else None),
        mapping=spec.get("mapping", base.mapping if base else None),
    )


def download(url: str, target: Path, transport: httpx.BaseTransport | None = None) -> Path:
    """Stream `url` into `target`; HTTP and network failures become ListLoadError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    try:
        client = httpx.Client(transport=transport, follow_redirects=True, timeout=TIMEOUT_S)
        with client, client.stream("GET", url, headers={"User-Agent": "jalur"}) as response:
            if response.status_code != 200:
                raise ListLoadError(url, "HTTP", f"status {response.status_code}")
            with partial.open("wb") as handle:
                for chunk in response.iter_bytes():
                    handle.write(chunk)
    except httpx.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise ListLoadError(url, "download", f"{type(exc).__name__}: {exc}") from exc
    except ListLoadError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def fetch_list(
    store: Store,
    source: ListSource,
    folder: Path,
    transport: httpx.BaseTransport | None = None,
    encoding: str | None = None,
    allow_removals: bool = False,
) -> LoadReport:
    """Download the list and load it as a new version with its URL and retrieval time.

    A download cut short at an entry boundary is refused as `load_list` refuses any version
    removing much of the list, unless `allow_removals`.
    """
    check_list_name(source.name, source.url)  # part of the file name below
    retrieved_at = datetime.now(UTC)
    suffix = Path(urlparse(source.url).path).suffix.lower() or ".dat"
    stamp = retrieved_at.strftime("%Y%m%dT%H%M%SZ")
    path = download(source.url, folder / f"{source.name}-{stamp}{suffix}", transport)
    options = ParseOptions(
        list_name=source.name,
        mapping=Path(source.mapping) if source.mapping else None,
        encoding=encoding,
    )
    return load_list(
        store,
        path,
        source.format,
        options,
        url=source.url,
        retrieved_at=retrieved_at,
        allow_removals=allow_removals,
    )
