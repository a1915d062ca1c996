"""`jalur entities show ID`: one listed entity, what the lists say about it and who hit it.

The lists give the names in every script, birth dates, nationalities, identifiers, sanctions
(programme, legal basis) and the versions it appeared in (`lists.entity_profile`); screening
adds the stored hits on it, best first, so an analyst sees both sides of a match in one place.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jalur.clikit import (
    JsonFlag,
    console,
    not_found,
    open_store,
    plain,
    print_json,
    print_table,
    score_text,
)
from jalur.screening.fields import inert
from jalur.screening.store import entity_hits

entities_app = typer.Typer(
    help="Listed entities: everything known about one.", no_args_is_help=True
)


@entities_app.command("show")
def show_command(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="The entity id (as in a hit's entity_id).")],
    limit: Annotated[int, typer.Option("--hits", help="Most hits to show.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Names in all scripts, birth dates, nationalities, identifiers, sanctions, list versions
    and screening hits of one listed entity. Exit 1 when no list version ever held it."""
    from jalur.lists import entity_profile  # FollowTheMoney: not for the other commands

    with open_store(ctx) as store:
        profile = entity_profile(store, entity_id)
        if profile is None:
            raise not_found("listed entity", entity_id, "see `jalur lists show`; ids are in hits")
        profile["hits"] = entity_hits(store, entity_id, limit)
    if as_json:
        print_json(profile)
        return
    _print_profile(profile)


_FACTS = (("topics", "topics"), ("born", "birth_dates"), ("birth place", "birth_places"),
          ("nationality", "nationalities"))  # fmt: skip


def _print_profile(profile: dict[str, Any]) -> None:
    status = "" if profile["status"] == "listed" else " [red](removed from every list)[/]"
    console.print(
        f"[bold]{plain(profile['caption'])}[/] ({plain(profile['schema'])}) "
        f"{plain(profile['entity_id'])}{status}",
        highlight=False,
    )
    for label, key in _FACTS:
        if profile[key]:
            console.print(f"{label}: {', '.join(profile[key])}", highlight=False, markup=False)
    console.print("names:")
    print_table(
        ("name", "property", "scripts", "lists"),
        [(n["name"], n["property"], ", ".join(n["scripts"]), ", ".join(n["lists"]))
         for n in profile["names"]],
    )  # fmt: skip
    if profile["identifiers"]:
        console.print("identifiers:")
        print_table(
            ("type", "number", "country", "list"),
            [(i["type"], i["number"], i["country"], i["list"]) for i in profile["identifiers"]],
        )
    _print_sanctions(profile["sanctions"])
    console.print("list versions:")
    print_table(
        ("list", "version", "source id", "published", "retrieved", "current"),
        [(v["list"], v["version"], v["source_id"], v["published"], v["retrieved_at"],
          "yes" if v["current"] else "no") for v in profile["versions"]],
    )  # fmt: skip
    _print_hits(profile["hits"])


def _print_sanctions(sanctions: list[dict[str, Any]]) -> None:
    if not sanctions:
        console.print("sanctions: none recorded")
        return
    console.print("sanctions:")
    print_table(
        ("list", "authority", "programme", "legal basis", "listed", "reason"),
        [(s["list"], s["authority"], s["program"] or s["program_id"], "; ".join(s["legal_basis"]),
          s["listing_date"], "; ".join(s["reasons"])) for s in sanctions],
    )  # fmt: skip


def _print_hits(hits: list[dict[str, Any]]) -> None:
    if not hits:
        console.print("hits: none stored (`jalur screen parties` and `screen rescreen` keep them)")
        return
    console.print("hits:")
    print_table(
        ("score", "party", "name", "source", "list", "version", "screened", "explanation"),
        # a customer's id and name are as its file gave them: written out, never acting
        [(score_text(h["score"]), inert(h["party_id"]), inert(h["party_name"]), h["party_source"],
          h["list_name"], h["list_version"], h["screened_at"], h["explanation"]) for h in hits],
    )  # fmt: skip
