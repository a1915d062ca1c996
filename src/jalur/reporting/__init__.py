"""goAML reports to an FIU, built from a case's evidence and checked before a byte is written.

A case (or anything else) describes a report as a `ReportInput`: the report code, reason and
action, the reporting entity from `jalur.toml` (`ReportingSettings`), the subjects as FtM
entities, their accounts, and the payments as canonical payment rows. `build_report` turns it
into the XML an FIU's profile asks for (`load_profile("ppatk-4.0.2")`), validated against the
profile's own XSD, or raises `ReportInvalidError` listing every missing or invalid field in the
analyst's words. `write_report` writes only a valid report and returns its SHA-256 for the
case and the audit log. Profiles are data (`profiles/*.yaml` plus `schemas/*.xsd`): a new FIU
is a new file. This layer reads `jalur.model` only; cases call it, never the reverse.
"""

from __future__ import annotations

from jalur.reporting.case import Account, ReportInput, Subject, payment_rows
from jalur.reporting.errors import ProfileError, ReportingError, ReportInvalidError, SettingsError
from jalur.reporting.profile import Profile, load_profile, shipped_profiles
from jalur.reporting.report import build_report, report_sha256, write_report
from jalur.reporting.settings import Location, ReportingPerson, ReportingSettings

__all__ = [
    "Account",
    "Location",
    "Profile",
    "ProfileError",
    "ReportInput",
    "ReportInvalidError",
    "ReportingError",
    "ReportingPerson",
    "ReportingSettings",
    "SettingsError",
    "Subject",
    "build_report",
    "load_profile",
    "payment_rows",
    "report_sha256",
    "shipped_profiles",
    "write_report",
]
