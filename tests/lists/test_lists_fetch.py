"""`jalur lists fetch`: downloads from a local HTTP server (never the internet), then loads."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from lists_cli import lists_app
from typer.testing import CliRunner

from jalur.lists import ListLoadError, current_versions
from jalur.lists.fetch import ListSource, default_sources, fetch_list, resolve_source
from jalur.store import Store


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(fixtures: Path) -> Iterator[str]:
    handler = partial(_Quiet, directory=str(fixtures))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_defaults_name_the_official_lists() -> None:
    sources = default_sources()
    assert {"un-sc", "ofac-sdn", "ofac-cons", "eu-fsf", "uk-ofsi"} <= set(sources)
    assert sources["un-sc"].url.startswith("https://scsanctions.un.org/")


def test_workspace_config_overrides_and_url_wins() -> None:
    configured = {
        "un-sc": "http://mirror.test/un.xml",
        "id-dttot": {"url": "http://x/d.csv", "format": "csv", "mapping": "dttot"},
    }
    assert resolve_source("un-sc", configured).url == "http://mirror.test/un.xml"
    assert resolve_source("un-sc", configured).format == "un"
    assert resolve_source("id-dttot", configured).mapping == "dttot"
    assert resolve_source("un-sc", configured, url="http://other/x.xml").url == "http://other/x.xml"
    with pytest.raises(ListLoadError, match="no known address"):
        resolve_source("nowhere", configured)


def test_fetch_records_url_and_retrieval_time(server: str, store: Store, tmp_path: Path) -> None:
    source = ListSource("un-sc", f"{server}/un_sample.xml", "un")
    report = fetch_list(store, source, tmp_path)
    assert (report.list, report.entities, report.added) == ("un-sc", 3, 3)
    (version,) = current_versions(store)
    assert version.url == source.url
    assert version.retrieved_at
    kept = list(tmp_path.glob("un-sc-*.xml"))
    assert (
        len(kept) == 1
        and kept[0].read_bytes()
        == (Path(__file__).parent / "fixtures" / "un_sample.xml").read_bytes()
    )


def test_http_error_loads_nothing(server: str, store: Store, tmp_path: Path) -> None:
    with pytest.raises(ListLoadError, match="status 404"):
        fetch_list(store, ListSource("un-sc", f"{server}/missing.xml", "un"), tmp_path)
    assert current_versions(store) == []
    assert list(tmp_path.iterdir()) == []


def test_network_failure_via_injected_transport(store: Store, tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(ListLoadError, match="ConnectError"):
        fetch_list(
            store,
            ListSource("un-sc", "http://list.test/un.xml", "un"),
            tmp_path,
            transport=httpx.MockTransport(refuse),
        )
    assert current_versions(store) == []


def test_truncated_download_is_refused(store: Store, tmp_path: Path, fixtures: Path) -> None:
    body = (fixtures / "un_sample.xml").read_bytes()[:1500]
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    with pytest.raises(ListLoadError, match="malformed XML"):
        fetch_list(
            store,
            ListSource("un-sc", "http://list.test/un.xml", "un"),
            tmp_path,
            transport=transport,
        )
    assert current_versions(store) == []


def test_cli_fetch_json(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "jalur.toml").write_text(
        f'[lists.sources]\nuk-ofsi = "{server}/uk_conlist_sample.csv"\n'
    )
    result = CliRunner().invoke(
        lists_app(), ["--home", str(home), "lists", "fetch", "uk-ofsi", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["list"] == "uk-ofsi" and payload["entities"] == 3
    assert payload["url"].endswith("/uk_conlist_sample.csv")


def test_cli_fetch_unknown_list_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(lists_app(), ["--home", str(tmp_path), "lists", "fetch", "nope"])
    assert result.exit_code == 1
    assert "no known address" in result.stderr and "nothing was loaded" in result.stderr
