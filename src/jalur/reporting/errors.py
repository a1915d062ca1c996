"""Why a report was refused: every problem, each naming the part of the case and the field."""

from __future__ import annotations

from collections.abc import Sequence


class ReportingError(Exception):
    """Base of the reporting layer's refusals."""


class ProfileError(ReportingError):
    """A report profile file that cannot be used: the file, the place in it, and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class SettingsError(ReportingError):
    """The `[reporting]` section of `jalur.toml` is incomplete or wrong; lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("[reporting]: " + "; ".join(self.problems))


class ReportInvalidError(ReportingError):
    """The case lacks what the FIU's profile or schema requires; no report bytes exist.

    `problems` reads like a checklist for the analyst, one line per missing or invalid
    field: "subject 'Abu Rusdan': ssn '3201' is not 16 digits (NIK)".
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"the report cannot be built ({len(self.problems)} problems):\n{lines}")
