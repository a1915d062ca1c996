"""yente-compatible matching: `POST /match/{dataset}` and `GET /search/{dataset}`.

A bank's system that calls yente can call jalur instead: the same request and response shapes
(queries of FollowTheMoney entities with `schema` and `properties`; results with `id`,
`caption`, `schema`, `properties`, `datasets`, `score`, `match`, `features`). `dataset` is a
list name (`un-sc`, `ofac-sdn`, …) or `default` for every list the caller sees. Unlike yente,
a caller must authenticate (an API key for machines) and sees only the lists their agency may.
Scores are jalur's (screening's calibrated model), not nomenklatura's; `features` carries
jalur's feature values and `matcher` their weights.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from followthemoney import model
from pydantic import BaseModel, Field

from jalur.api.access import Access
from jalur.api.deps import access_for, in_worker
from jalur.api.errors import BadRequestError
from jalur.screening import Hit, read_query
from jalur.screening import Query as NameQuery
from jalur.users import SCREEN

router = APIRouter(tags=["yente-compatible matching"])
Client = Annotated[Access, Depends(access_for(SCREEN))]
DEFAULT = "default"
_COUNTRY = ("nationality", "country", "citizenship", "jurisdiction")
_IDS = ("idNumber", "passportNumber", "registrationNumber", "innCode", "taxNumber", "ogrnCode")
_SCREENED = ("Person", "Organization", "Company", "LegalEntity")


class EntityExample(BaseModel):
    id: str | None = Field(None, max_length=200)
    schema_: str = Field(alias="schema", max_length=64)
    properties: dict[str, str | list[Any]] = Field(max_length=100)


class MatchRequest(BaseModel):
    queries: dict[str, EntityExample] = Field(min_length=1, max_length=500)
    weights: dict[str, float] = Field(default_factory=dict)


@router.post("/match/{dataset}")
async def match(
    dataset: str,
    body: MatchRequest,
    access: Client,
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
    cutoff: Annotated[float | None, Query(ge=0, le=1)] = None,
    algorithm: Annotated[str, Query(max_length=64)] = "jalur",
) -> dict[str, Any]:
    """Match each query entity against the dataset; `match` is score ≥ threshold."""
    return await in_worker(_answer, access, dataset, body, limit, threshold, cutoff, algorithm)


def _answer(
    access: Access, dataset: str, body: MatchRequest, limit: int, threshold: float | None,
    cutoff: float | None, algorithm: str,
) -> dict[str, Any]:  # fmt: skip
    chosen = None if dataset == DEFAULT else dataset
    config = access.service.screening.config
    match_at = config.threshold if threshold is None else threshold
    keep_at = min(match_at, config.threshold if cutoff is None else cutoff)
    responses: dict[str, Any] = {}
    weights: dict[str, float] = {}
    for key, example in body.queries.items():
        hits = _match_one(access, key, example, chosen, keep_at, limit)
        listed = access.listed(h.entity.entity_id for h in hits)
        results = [_scored(h, listed, match_at) for h in hits if h.entity.entity_id in listed]
        for hit in hits:
            weights.update({c.feature: c.weight for c in hit.features})
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": {
                "id": example.id, "schema": example.schema_,
                "properties": _as_lists(example.properties),
            },
        }  # fmt: skip
    matcher = {
        name: {"description": f"jalur screening feature {name}", "coefficient": weight, "url": ""}
        for name, weight in sorted((weights or config.weights).items())
    }
    return {"responses": responses, "matcher": matcher, "limit": limit, "algorithm": algorithm}


@router.get("/search/{dataset}")
def search(
    dataset: str,
    access: Client,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    schema: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Listed entities whose names resemble `q`, in yente's search response shape."""
    chosen = None if dataset == DEFAULT else dataset
    hits = access.search(NameQuery(q, schema=_screened_schema(schema)), chosen, 500)
    listed = access.listed(h.entity.entity_id for h in hits[offset : offset + limit])
    page = [
        listed[h.entity.entity_id]
        for h in hits[offset : offset + limit]
        if h.entity.entity_id in listed
    ]
    return {
        "results": [_entity(e) for e in page],
        "facets": {},
        "total": {"value": len(hits), "relation": "eq"},
        "limit": limit,
        "offset": offset,
    }


def _match_one(
    access: Access, key: str, example: EntityExample, dataset: str | None, cutoff: float,
    limit: int,
) -> list[Hit]:  # fmt: skip
    if model.get(example.schema_) is None:
        raise BadRequestError(f"query {key}: {example.schema_!r} is not a FollowTheMoney schema")
    props = _as_lists(example.properties)
    names = [str(n) for n in props.get("name", []) if str(n).strip()]
    if not names:
        raise BadRequestError(f"query {key}: give at least one properties.name")
    best: dict[str, Hit] = {}
    for name in names[:10]:
        query, _warnings = read_query(
            name, _first(props, ("birthDate",)), _first(props, _COUNTRY), _first(props, _IDS),
            _screened_schema(example.schema_),
        )  # fmt: skip
        for hit in access.screen(query, cutoff, dataset, limit):
            known = best.get(hit.entity.entity_id)
            if known is None or hit.score > known.score:
                best[hit.entity.entity_id] = hit
    return sorted(best.values(), key=lambda h: -h.score)[:limit]


def _scored(hit: Hit, listed: dict[str, dict[str, Any]], threshold: float) -> dict[str, Any]:
    return {
        **_entity(listed[hit.entity.entity_id]),
        "score": round(hit.score, 4),
        "match": hit.score >= threshold,
        "features": {c.feature: round(c.value, 4) for c in hit.features if c.weight},
        "explanation": hit.explanation(),
    }


def _entity(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "caption": data.get("caption") or _caption(data),
        "schema": data["schema"],
        "properties": data.get("properties", {}),
        "datasets": data.get("datasets", []),
        "referents": data.get("referents", []),
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }


def _caption(data: dict[str, Any]) -> str:
    names = data.get("properties", {}).get("name") or [data["id"]]
    return str(names[0])


def _as_lists(properties: dict[str, str | list[Any]]) -> dict[str, list[Any]]:
    return {k: v if isinstance(v, list) else [v] for k, v in properties.items()}


def _first(props: dict[str, list[Any]], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for value in props.get(key, []):
            if str(value).strip():
                return str(value)
    return None


def _screened_schema(schema: str | None) -> str | None:
    return schema if schema in _SCREENED else None
