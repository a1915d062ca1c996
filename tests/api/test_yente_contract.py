"""yente-compatible matching: the request and response shapes of yente's documented examples.

The models below restate yente's response schema (EntityMatchResponse, SearchResponse) as a
client would validate it; the requests are shaped as yente's documentation shows them (a
`queries` object of FtM entity examples; a `q` for search). A bank's yente client that
validates these models works against jalur unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import World
from pydantic import BaseModel, ConfigDict, Field


class Total(BaseModel):
    value: int
    relation: str


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None


class ScoredEntityResponse(EntityResponse):
    score: float
    features: dict[str, float]
    match: bool


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: str | None
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]


class EntityMatches(BaseModel):
    status: int
    results: list[ScoredEntityResponse]
    total: Total
    query: EntityExample


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, dict[str, Any]]
    limit: int


class SearchResponse(BaseModel):
    results: list[EntityResponse]
    facets: dict[str, Any]
    total: Total
    limit: int
    offset: int


#: Shaped as yente's documented match request: several named queries, properties as lists or
#: as single strings, a Person with a birth date and nationality, a company by name.
MATCH_EXAMPLE = {
    "queries": {
        "q1": {"schema": "Person",
               "properties": {"name": ["Abu Rusdan"], "birthDate": ["1960"],
                              "nationality": ["id"]}},
        "q2": {"schema": "Company", "properties": {"name": "Toko Sembako Sejahtera"}},
    }
}  # fmt: skip


@pytest.mark.parametrize("dataset", ["default", "dttot"])
def test_match_answers_in_yentes_shape(world: World, dataset: str) -> None:
    answer = world.post("client", f"/match/{dataset}", json=MATCH_EXAMPLE, params={"limit": 3})
    assert answer.status_code == 200, answer.text
    parsed = EntityMatchResponse.model_validate(answer.json())
    assert parsed.limit == 3 and set(parsed.responses) == {"q1", "q2"}
    best = parsed.responses["q1"].results[0]
    assert (best.id, best.schema_, best.datasets, best.match) == (
        "dttot-rusdan", "Person", ["dttot"], True)  # fmt: skip
    assert 0.9 < best.score <= 1 and best.features and best.properties["name"] == ["Abu Rusdan"]
    assert parsed.responses["q1"].query.properties["nationality"] == ["id"]
    assert parsed.responses["q2"].query.properties["name"] == ["Toko Sembako Sejahtera"]
    assert all(not r.match for r in parsed.responses["q2"].results)
    assert set(best.features) <= set(parsed.matcher)


def test_search_answers_in_yentes_shape(world: World) -> None:
    answer = world.get("client", "/search/default", params={"q": "Abu Rusdan", "limit": 5})
    parsed = SearchResponse.model_validate(answer.json())
    assert parsed.results[0].id == "dttot-rusdan" and parsed.total.value >= 1


def test_unknown_datasets_and_bad_queries_are_clear_4xx(world: World) -> None:
    unknown = world.post("client", "/match/no-such-list", json=MATCH_EXAMPLE)
    assert unknown.status_code == 404 and unknown.json()["detail"] == "no list no-such-list"
    for queries, words in (
        ({"q": {"schema": "Dragon", "properties": {"name": ["x"]}}}, "not a FollowTheMoney"),
        ({"q": {"schema": "Person", "properties": {"birthDate": ["1960"]}}}, "properties.name"),
    ):
        answer = world.post("client", "/match/default", json={"queries": queries})
        assert answer.status_code == 400 and words in answer.json()["detail"]
    assert world.post("client", "/match/default", json={"queries": {}}).status_code == 422
    assert world.post("client", "/match/default", json={"q": 1}).status_code == 422
