"""`jalur trace --graph` and `jalur monitor report` on a small workspace whose channels are
known: the graph files name holders, banks, countries and payments with ISO times, the
pictures show them, and a suffix that names no format is a usage error."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pyarrow as pa
import pytest
import typer
from monitoring_builders import at, background, load, pay
from typer.testing import CliRunner

import jalur.monitoring as monitoring
from jalur.config import Settings
from jalur.monitoring.seeds import HITS_SCHEMA
from jalur.store import Store

runner = CliRunner()
app = typer.Typer()


@app.callback()
def _root(ctx: typer.Context, home: str = typer.Option(...)) -> None:
    ctx.obj = Settings.resolve(home)


monitoring.register_cli(app)

PARTIES = {
    "DRUGLORD": ("Rahmat Hidayat", "BRINIDJA", "ID"),
    "SHELL": ("PT Sinar Jaya Abadi", "BNINIDJA", "ID"),
    "MULE": ("Siti Rahayu", "BMRIIDJA", "ID"),
    "COURIER": ("Ahmad Fauzi", "MBBEMYKL", "MY"),
    "CELL": ("Abu Example", "TCZBTR2A", "TR"),
}


def _pay(tx: str, orig: str, bene: str, day: float, amount: float) -> dict[str, object]:
    o, b = PARTIES[orig], PARTIES[bene]
    return pay(
        tx, orig, bene, at(day), amount, currency="IDR", amount_reporting=amount,
        orig_name=o[0], orig_bank=o[1], orig_country=o[2],
        bene_name=b[0], bene_bank=b[1], bene_country=b[2],
    )  # fmt: skip


def payments() -> list[dict[str, object]]:
    """Two channels from DRUGLORD to CELL: via SHELL and COURIER (30,000), via MULE (5,000)."""
    return [
        _pay("D1", "DRUGLORD", "SHELL", 3, 50_000.0),
        _pay("D2", "SHELL", "COURIER", 4, 40_000.0),
        _pay("D3", "COURIER", "CELL", 5, 30_000.0),
        _pay("M1", "DRUGLORD", "MULE", 3.5, 10_000.0),
        _pay("M2", "MULE", "CELL", 6, 5_000.0),
        *background(),
    ]


def hits() -> pa.Table:
    row = {
        "account": "CELL", "party_name": "Abu Example", "entity_id": "NK-TEST-1",
        "list_name": "un_sc", "source_id": "QDi.999", "risk_class": "terror", "score": 0.93,
        "matched_alias": "Abu Example",
    }  # fmt: skip
    return pa.Table.from_pylist([row], schema=HITS_SCHEMA)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setattr("jalur.monitoring.seeds.screening_hits", lambda store: hits())
    with Store.open(Settings.resolve(tmp_path)) as store:
        load(store, payments())
    (tmp_path / "drug.txt").write_text("DRUGLORD\n")
    flagged = jalur(tmp_path, "accounts", "flag", str(tmp_path / "drug.txt"), "--topic", "drug",
                    "--reason", "BNN investigation 12/2025")  # fmt: skip
    assert flagged.exit_code == 0, flagged.output
    return tmp_path


def jalur(home, *args):
    return runner.invoke(app, ["--home", str(home), *args])


def traced(home, *files):
    graphs = [a for f in files for a in ("--graph", str(home / f))]
    result = jalur(home, "trace", "--from", "drug", "--to", "terror", *graphs, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_json_graph_names_holders_flags_and_payments_with_iso_times(home):
    out = traced(home, "g.json")
    graph = json.loads((home / "g.json").read_text())
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert (nodes["SHELL"]["holder"], nodes["SHELL"]["bank"], nodes["SHELL"]["country"]) == (
        "PT Sinar Jaya Abadi", "BNINIDJA", "ID",
    )  # fmt: skip
    assert nodes["DRUGLORD"]["flags"] == ["drug"]
    assert nodes["DRUGLORD"]["flag_reasons"] == ["drug: BNN investigation 12/2025"]
    assert nodes["CELL"]["flags"] == ["terror"]
    assert nodes["CELL"]["listed"]["entity_id"] == "NK-TEST-1"
    leg = next(e for e in graph["edges"] if (e["source"], e["target"]) == ("COURIER", "CELL"))
    assert leg["currency"] == "USD" and leg["amount"] == pytest.approx(30_000.0)
    assert [(p["tx_id"], p["amount"], p["currency"]) for p in leg["payments"]] == [
        ("D3", 30_000.0, "IDR")
    ]
    assert leg["payments"][0]["time"] == "2025-01-11T00:00:00Z"
    top = graph["channels"][0]
    assert top["path"] == ["DRUGLORD", "SHELL", "COURIER", "CELL"]
    assert top["holders"][-1] == "Abu Example" and top["currency"] == "USD"
    assert ISO.match(top["first_departure"]) and ISO.match(top["last_arrival"])
    assert out["channels"][0]["first_departure"] == top["first_departure"]


def test_graphml_carries_the_same_attributes(home):
    traced(home, "g.graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(home / "g.graphml").getroot()
    keys = {k.get("id") for k in root.findall("g:key", ns)}
    assert {"holder", "bank", "country", "flags", "amount", "currency", "first_payment"} <= keys

    def data(element):
        return {d.get("key"): d.text for d in element.findall("g:data", ns)}

    nodes = {n.get("id"): data(n) for n in root.iter(f"{{{ns['g']}}}node")}
    assert nodes["CELL"]["holder"] == "Abu Example" and nodes["CELL"]["flags"] == "terror"
    assert nodes["CELL"]["listed_list"] == "un_sc" and nodes["DRUGLORD"]["flags"] == "drug"
    edges = [data(e) for e in root.iter(f"{{{ns['g']}}}edge")]
    first = {e["payments"]: e for e in edges}["D3"]
    assert first["first_payment"] == "2025-01-11T00:00:00Z" and first["currency"] == "USD"


def test_svg_shows_holders_and_the_legend(home):
    traced(home, "ch.svg")
    text = (home / "ch.svg").read_text()
    for name in ("Rahmat Hidayat", "PT Sinar Jaya Abadi", "Abu Example", "BNINIDJA"):
        assert name in text
    assert "drug-flagged account" in text and "terror-listed or terror-flagged account" in text
    assert "30,000 USD" in text and "2025-01-11" in text


def test_png_is_a_png(home):
    traced(home, "ch.png")
    assert (home / "ch.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (home / "ch.png").stat().st_mode & 0o077 == 0  # holders' names: private


def test_html_inlines_the_elements_and_cytoscape(home):
    traced(home, "ch.html")
    page = (home / "ch.html").read_text()
    payload = re.search(r'<script id="channel-data" type="application/json">(.*?)</script>',
                        page, re.S)  # fmt: skip
    assert payload is not None
    elements = json.loads(payload.group(1))["elements"]
    holders = {e["data"].get("holder") for e in elements if e["group"] == "nodes"}
    assert {"Rahmat Hidayat", "Abu Example"} <= holders
    assert "The Cytoscape Consortium" in page and "cytoscape=t()" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)


def test_channel_table_names_holders_and_currency(home):
    result = jalur(home, "trace", "--from", "drug", "--to", "terror",
                   "--graph", str(home / "g.json"))  # fmt: skip
    assert result.exit_code == 0, result.output
    words = set(re.findall(r"\w+", result.stdout))  # the table may wrap on a narrow terminal
    assert {"Rahmat", "Hidayat", "Abu", "Example", "USD"} <= words


@pytest.mark.parametrize("bad", ["ch.pdf", "ch", "ch.jpeg"])
def test_a_graph_suffix_naming_no_format_is_a_usage_error(home, bad):
    result = jalur(home, "trace", "--from", "drug", "--to", "terror", "--graph", str(home / bad))
    assert result.exit_code == 2
    assert "--graph" in result.stderr and ".png" in result.stderr
    assert not (home / bad).exists()


def test_run_report_has_every_section(home):
    out = home / "run.html"
    result = jalur(home, "monitor", "run", "--report", str(out), "--json")
    assert result.exit_code == 0, result.output
    page = out.read_text()
    for section in ("alerts-by-typology", "score-distribution", "top-accounts", "exposure"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 4 and "Abu Example" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    again = jalur(home, "monitor", "report", "--out", str(home / "again.html"))
    assert again.exit_code == 0, again.output
    assert json.loads(result.stdout)["run_id"] in (home / "again.html").read_text()


def test_report_of_an_unknown_run_fails_and_writes_nothing(home):
    result = jalur(home, "monitor", "report", "--run", "RUN-nosuch", "--out", str(home / "r.html"))
    assert result.exit_code == 1 and "RUN-nosuch" in result.stderr
    assert not (home / "r.html").exists()
    bad = jalur(home, "monitor", "report", "--out", str(home / "r.pdf"))
    assert bad.exit_code == 2
