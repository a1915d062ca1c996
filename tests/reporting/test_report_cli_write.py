"""`jalur report goaml` when the file cannot be written: refused naming the case, audited.

A report that validates but cannot be written (no such folder, a file there already) is a
refusal like any other: the message starts with the case id and the audit trail holds it
(`report-refused`), and the case records no report.
"""

from __future__ import annotations

from pathlib import Path

from test_report_cli import _audit, _case, _details, _run, _workspace

from jalur.config import Settings


def test_a_report_into_a_missing_folder_is_a_named_audited_refusal(
    sql_settings: Settings, tmp_path: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "no-such-folder" / "report.xml"
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="ana")
    assert code == 1
    assert text.startswith(f"error: {case_id}: {out}: the report cannot be written"), text
    refused = [d for a, d in _audit(s, case_id) if a == "report-refused"]
    assert len(refused) == 1 and str(out) in str(refused[0]["reason"])
    assert _details(s, case_id)["decision"]["report_sha256"] is None  # type: ignore[index]


def test_a_report_over_an_existing_file_is_a_named_audited_refusal(
    sql_settings: Settings, tmp_path: Path
) -> None:
    s = sql_settings
    _workspace(s)
    case_id = _case(s)
    out = tmp_path / "report.xml"
    out.write_text("an earlier report", encoding="utf-8")
    code, text = _run(s, "report", "goaml", "--case", case_id, "--out", str(out), user="ana")
    assert code == 1
    assert text.startswith(f"error: {case_id}: {out} exists already"), text
    assert out.read_text(encoding="utf-8") == "an earlier report"
    refused = [d for a, d in _audit(s, case_id) if a == "report-refused"]
    assert len(refused) == 1 and "exists already" in str(refused[0]["reason"])
