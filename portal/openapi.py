"""The OpenAPI 3.1 description of the read-only JSON API, served at ``/api/v1/openapi.json``.

Written by hand beside the views in ``portal.public_views`` and kept true by ``tests/portal/test_openapi.py``,
which runs schemathesis against the running site (on SQLite and on PostgreSQL): every documented operation is
called with generated valid and invalid input and every answer must match what is written here. The filters'
allowed values (category slugs, item and department codes, academic years) are read from the database when the
document is asked for, so that a value the document offers is a value the API accepts.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from disclosures import search
from disclosures.filters import MAX_KEYWORD_LENGTH, academic_year_choices
from disclosures.models import Audience, Cadence, Category, Department, Disclosure, DisclosureItem, Validity

NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}


def _object(properties: dict, *, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, ref: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def _get(operation_id: str, summary: str, responses: dict, parameters: list | None = None) -> dict:
    operation = {"operationId": operation_id, "summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def _query(name: str, schema: dict, description: str, *, empty: bool = True) -> dict:
    """A query parameter; as in the item list's form, an empty value means the filter is not used."""
    if empty:
        schema = {"anyOf": [schema, {"type": "string", "const": ""}]}
        description += " An empty value: no filter."
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def components() -> dict:
    department = _object({"code": {"type": "string"}, "name": {"type": "string"}})
    item = _object(
        {
            "index_number": {"type": "string"},
            "title": {"type": "string"},
            "category": {"type": "string"},
            "disclosure_item": NULLABLE_STRING,
            "department": department,
            "document_number": {"type": "string"},
            "date_written": DATE,
            "published_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "validity": {"type": "string", "enum": list(Validity.values)},
            "url": URL,
            "api_url": URL,
        }
    )
    attachment = _object(
        {
            "title": {"type": "string"},
            "file_name": {"type": "string"},
            "content_type": {"type": "string"},
            "size": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string"},
            "url": URL,
        }
    )
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/Item"},
            _object(
                {
                    "summary": {"type": "string"},
                    "body_html": {"type": "string"},
                    "keywords": {"type": "string"},
                    "replaced_by": NULLABLE_STRING,
                    "attachments": {"type": "array", "items": attachment},
                }
            ),
        ]
    }
    compliance_item = _object(
        {
            "code": {"type": "string"},
            "title": {"type": "string"},
            "title_en": {"type": "string"},
            "category": {"type": "string"},
            "list_class": {
                "oneOf": [
                    _object({"number": {"type": "integer", "minimum": 1, "maximum": 10}, "name": {"type": "string"}}),
                    {"type": "null"},
                ],
                "description": "The class (1-10) of the MoE's 2014 list the item implements, or null.",
            },
            "basis": {"type": "string"},
            "cadence": {"type": "string", "enum": list(Cadence.values)},
            "month_due": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
            "department": department,
            "last_published": {"type": ["string", "null"], "format": "date-time"},
            "due": {"type": ["string", "null"], "format": "date"},
            "state": {
                "type": "string",
                "enum": ["current", "due", "overdue", "never_published"],
                "description": "current; due (its deadline is within 30 days); overdue; never_published.",
            },
            "url": URL,
        }
    )
    return {
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {"type": "string", "description": "What went wrong, in the request's language."},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        "description": "For a bad filter: the messages of each parameter that was refused.",
                    },
                },
                "required": ["error"],
            },
            "Category": _object(
                {
                    "code": {"type": "string"},
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "name_en": {"type": "string"},
                    "url": URL,
                }
            ),
            "CategoryList": _object(
                {
                    "count": {"type": "integer"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}},
                }
            ),
            "Item": item,
            "ItemPage": _object(
                {
                    "count": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "pages": {"type": "integer", "minimum": 1},
                    "next": {"type": ["string", "null"], "format": "uri"},
                    "previous": {"type": ["string", "null"], "format": "uri"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                }
            ),
            "ItemDetail": detail,
            "SearchPage": _object(
                {
                    "query": {"type": "string", "description": "The words searched, after corrections."},
                    "corrected": {
                        "type": ["string", "null"],
                        "description": "The corrected query when the one typed found little (您是不是要找).",
                    },
                    "dropped": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Words that matched nothing and were left out.",
                    },
                    "count": {
                        "type": "integer",
                        "minimum": 0,
                        "description": (
                            f"How many results are served: every match, or the best {search.MAX_RESULTS} when more "
                            "is true."
                        ),
                    },
                    "more": {
                        "type": "boolean",
                        "description": "More items match than are served: add a word to narrow the search down.",
                    },
                    "page": {"type": "integer", "minimum": 1},
                    "pages": {"type": "integer", "minimum": 1},
                    "next": {"type": ["string", "null"], "format": "uri"},
                    "previous": {"type": ["string", "null"], "format": "uri"},
                    "results": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                {"$ref": "#/components/schemas/Item"},
                                _object(
                                    {
                                        "title_html": {"type": "string"},
                                        "excerpt_html": {"type": "string"},
                                        "excerpt": {"type": "string"},
                                        "found_in_attachment": {"type": "boolean"},
                                    }
                                ),
                            ]
                        },
                    },
                },
                # describe=1 with nothing to search answers without paging.
                required=["query", "corrected", "dropped", "count", "more", "results"],
            ),
            "DisclosureItem": compliance_item,
            "DisclosureItemList": _object(
                {"count": {"type": "integer"}, "results": {"type": "array", "items": compliance_item}}
            ),
        }
    }


def _enum(values) -> dict:
    return {"type": "string", "enum": [str(value) for value in values]}


def item_filters() -> list[dict]:
    """The item list's query parameters, with the values the database holds now."""
    years = [value for value, _label in academic_year_choices()]
    return [
        _query("category", _enum(Category.objects.values_list("slug", flat=True)), "A category's slug."),
        _query("item", _enum(DisclosureItem.objects.values_list("code", flat=True)), "A disclosure item's code."),
        _query("department", _enum(Department.objects.values_list("code", flat=True)), "A department's code."),
        _query("year", _enum(years), "The first year of an academic year (1 September to 31 August)."),
        _query("date_from", DATE, "Published on or after this day (YYYY-MM-DD)."),
        _query("date_to", DATE, "Published on or before this day (YYYY-MM-DD)."),
        _query(
            "q",
            {"type": "string", "maxLength": MAX_KEYWORD_LENGTH},
            "Words the title contains (all of them).",
            empty=False,
        ),
        _query("sort", _enum(["-date", "date"]), "Newest (-date, the default) or oldest first."),
        _query(
            "page",
            {"type": "integer", "minimum": 1},
            "The page, 50 items a page; past the last is an error.",
            empty=False,
        ),
    ]


def _latest_example() -> dict:
    """The newest public item's index number as the path parameter's example, when there is one."""
    latest = (
        Disclosure.objects.published()
        .filter(audience=Audience.PUBLIC)
        .order_by("-published_at", "-id")
        .values_list("index_number", flat=True)
        .first()
    )
    return {"example": latest} if latest else {}


def openapi_document(request) -> dict:
    errors = {
        "405": _error_response("Any method but GET and HEAD (the API is read-only)."),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.PORTAL_SITE_NAME} API",
            "version": "1",
            "description": (
                "Read-only JSON API of the college's information disclosure portal. Public items only (published, "
                'not campus-only), whoever asks. Errors are JSON: {"error": ...} in the request\'s language '
                '(Accept-Language), with "fields" for refused filters.'
            ),
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/") + request.META.get("SCRIPT_NAME", "")}],
        "paths": {
            reverse("portal:api-categories"): _get(
                "listCategories",
                "The catalogue's categories.",
                {"200": _json("The categories.", "CategoryList"), **errors},
            ),
            reverse("portal:api-items"): _get(
                "listItems",
                "Published public items, newest first, with the item list's filters.",
                {
                    "200": _json("A page of items.", "ItemPage"),
                    "400": _error_response("A filter or the page could not be used; each is named in fields."),
                    "404": _error_response("A page past the last one."),
                    **errors,
                },
                item_filters(),
            ),
            reverse("portal:api-item-detail", args=["INDEX"]).replace("INDEX", "{index_number}"): _get(
                "getItem",
                "One published public item with its body and attachments.",
                {
                    "200": _json("The item.", "ItemDetail"),
                    "404": _error_response("No published public item has this index number."),
                    **errors,
                },
                [
                    {
                        "name": "index_number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": r"^[A-Za-z0-9]+-\d{4}-\d{4,}$"},
                        "description": "The item's index number (索引号), e.g. HCVC-2024-0001.",
                        **_latest_example(),
                    }
                ],
            ),
            reverse("portal:api-search"): _get(
                "search",
                "The search page's rules as JSON: words in any order, traditional characters, pinyin, corrections, "
                "synonyms; the item list's filters; public items only.",
                {
                    "200": _json("A page of results.", "SearchPage"),
                    "400": _error_response("The query, a filter, the size or the page could not be used."),
                    **errors,
                },
                [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 100},
                        "description": "What to search for (at most 100 characters, 12 words), e.g. 招生章程, 预算 "
                        "2024 or yusuan. A missing or empty query, or one of symbols only, is refused (400).",
                    },
                    _query(
                        "describe",
                        {"type": "string", "enum": ["1"]},
                        "1: q is free text (an applicant's "
                        "description): its telling words are searched, the last left out until something is "
                        "found.",
                    ),
                    _query("size", {"type": "integer", "minimum": 1, "maximum": 50}, "Results per page (20)."),
                    _query("page", {"type": "integer", "minimum": 1}, "The page (1)."),
                    *[parameter for parameter in item_filters() if parameter["name"] not in {"q", "page"}],
                ],
            ),
            reverse("portal:api-disclosure-items"): _get(
                "listDisclosureItems",
                "Every disclosure item of the catalogue: its class of the 2014 list, cadence, responsible "
                "department, last publication and state (compliance).",
                {"200": _json("The disclosure items.", "DisclosureItemList"), **errors},
            ),
            reverse("portal:api-openapi"): _get(
                "getOpenAPI", "This document.", {"200": {"description": "The OpenAPI 3.1 document."}, **errors}
            ),
        },
        "components": components(),
    }
