"""The documentation and the CLI cannot drift: every command, argument and option of `jalur`
has a reference entry in README.md or docs/*.md.

A command's entry is a heading whose text starts with the command in backticks,
`` ### `jalur alerts show [ALERT_ID] [--top N] [--json]` ``, followed by its description; each of
its options (`--top`) and arguments (`ALERT_ID`) must appear in the text below the heading (up to
the next heading), not only in the heading's usage line. Each capability's document ends with
a "Command reference" of such entries.

On failure the message lists what is missing and a stub to paste for each missing command.
Run `python tests/test_docs_cli.py [COMMAND…]` to print stubs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from jalur.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Typer's own options, the same on every command: documented once by Click, not by us.
BUILT_IN = {"--help", "--install-completion", "--show-completion"}
_HEADING = re.compile(r"^(#{2,6}) `jalur((?: [a-z][a-z0-9-]*)*)[^`]*`", re.MULTILINE)


def commands() -> Iterator[tuple[str, Any]]:
    """(path, Click command) of `jalur` itself and every command and group below it."""

    def walk(path: str, command: Any) -> Iterator[tuple[str, Any]]:
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(f"{path} {name}".strip(), sub)

    yield from walk("", typer.main.get_command(app))


def parameters(command: Any) -> list[str]:
    """What a user types: each option's long name (or its only name), each ARGUMENT."""
    found = []
    for param in command.params:
        if param.param_type_name == "argument":
            found.append(param.name.upper())
            continue
        names = [o for o in param.opts if o.startswith("--")] or list(param.opts)
        if names and names[0] not in BUILT_IN:
            found.append(names[0])
    return found


def documented() -> dict[str, str]:
    """Each documented command path and the text of its reference section (all files)."""
    sections: dict[str, str] = {}
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        heads = list(_HEADING.finditer(text))
        for i, head in enumerate(heads):
            end = _section_end(text, head, heads[i + 1].start() if i + 1 < len(heads) else None)
            key = head.group(2).strip()  # the body, not the usage line: each one described
            sections[key] = sections.get(key, "") + text[text.index("\n", head.start()) : end]
    return sections


def _section_end(text: str, head: re.Match[str], next_heading: int | None) -> int:
    """Up to the next heading of any kind (a reference entry is one heading and its text)."""
    following = re.compile(r"^#{1,6} ", re.MULTILINE).search(text, head.end())
    ends = [m for m in (following.start() if following else None, next_heading) if m is not None]
    return min(ends, default=len(text))


def missing() -> list[str]:
    sections = documented()
    problems = []
    for path, command in commands():
        if getattr(command, "hidden", False) or (_is_group(command) and not parameters(command)):
            continue  # a group without options of its own is documented by its commands
        name = f"jalur {path}".strip()
        if path not in sections:
            problems.append(f"{name}: no reference entry; add to its docs/*.md:\n{stub(path)}")
            continue
        absent = [p for p in parameters(command) if not _mentions(sections[path], p)]
        if absent:
            problems.append(f"{name}: entry does not mention {', '.join(absent)}")
    return problems


def _is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def _mentions(section: str, parameter: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(parameter)}(?![\w-])", section) is not None


def stub(path: str) -> str:
    """A reference entry for one command from its own help: a start for the real text."""
    command = dict(commands())[path]
    usage = " ".join(_usage(p) for p in command.params if _usage(p))
    lines = [f"### `jalur {path}{' ' + usage if usage else ''}`", "", _first_line(command), ""]
    for param in command.params:
        if param.param_type_name == "argument":
            lines.append(f"- `{param.name.upper()}`: {_help(param)}")
        elif (names := parameters(_Only(param))) and names[0] not in BUILT_IN:
            lines.append(f"- `{_usage(param).strip('[]')}`: {_help(param)}")
    return "\n".join(lines) + "\n"


class _Only:
    """One parameter seen as a command (for `parameters`)."""

    def __init__(self, param: Any) -> None:
        self.params = [param]


def _usage(param: Any) -> str:
    if param.param_type_name == "argument":
        name = param.name.upper()
        return name if param.required else f"[{name}]"
    names = parameters(_Only(param))
    if not names:
        return ""
    if param.is_flag:
        shown = "/".join([names[0], *getattr(param, "secondary_opts", [])])
    else:
        shown = f"{names[0]} {param.name.upper()}"
    return shown if param.required else f"[{shown}]"


def _help(param: Any) -> str:
    text = (getattr(param, "help", None) or "").strip()
    default = param.default
    if default not in (None, False, True, ()) and param.param_type_name == "option":
        text += f" (default: {default})"
    return text or "(undocumented)"


def _first_line(command: Any) -> str:
    return (command.help or "").strip().split("\n\n")[0].replace("\n", " ")


def test_every_command_and_option_is_documented() -> None:
    problems = missing()
    assert not problems, f"{len(problems)} gaps between the CLI and the docs:\n\n" + "\n".join(
        problems
    )


def test_the_walk_sees_commands_options_and_arguments() -> None:
    """The checker itself: it finds nested commands, their options and their arguments."""
    found = dict(commands())
    assert {"", "alerts show", "entities show", "screen batch", "exchange export"} <= set(found)
    assert parameters(found["alerts show"]) == ["ALERT_ID", "--top", "--typology", "--json"]
    assert "--remember" in parameters(found["screen batch"])
    assert parameters(found[""])[:3] == ["--home", "--verbose", "--user"]


def test_a_section_covers_only_its_own_command() -> None:
    sections = documented()
    assert "--top" in sections["alerts show"] and "alerts show" in sections
    assert not _mentions(sections["alerts export"], "--top")  # a neighbour's option does not count


if __name__ == "__main__":
    for wanted in sys.argv[1:] or [p for p, _ in commands()]:
        print(stub(wanted))
