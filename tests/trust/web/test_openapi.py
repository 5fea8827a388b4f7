import base64
import json

import pytest

from trust.openapi import openapi_document

from .helpers import SCAM_TEXT, small_eml
from .schema_check import errors

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _all_refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _all_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_refs(value)


def test_the_document_has_the_openapi_3_1_structure(document):
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] and document["info"]["version"]
    assert set(document["paths"]) >= {"/api/v1/check"}
    for path_item in document["paths"].values():
        for method, operation in path_item.items():
            assert method in HTTP_METHODS
            assert operation["responses"]
            for status, response in operation["responses"].items():
                assert status.isdigit() and response["description"]


def test_every_reference_points_to_a_schema_that_exists(document):
    schemas = document["components"]["schemas"]
    refs = set(_all_refs(document))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas


def test_the_check_operation_has_a_json_request_body(document):
    operation = document["paths"]["/api/v1/check"]["post"]
    body = operation["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CheckRequest"
    }
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_every_example_validates_against_its_schema(document):
    checked = 0
    for path_item in document["paths"].values():
        for operation in path_item.values():
            bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
            for body in bodies:
                for media in body.get("content", {}).values():
                    for name, example in media.get("examples", {}).items():
                        assert errors(example["value"], media["schema"], document) == [], name
                        checked += 1
    assert checked >= 6


def test_the_checker_catches_an_invalid_example():
    document = openapi_document()
    schema = {"$ref": "#/components/schemas/CheckResponse"}
    assert errors({"verdict": "maybe"}, schema, document)
    assert errors(
        {"text": "x", "url": "y"}, {"$ref": "#/components/schemas/CheckRequest"}, document
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"text": SCAM_TEXT, "channel": "sms"},
        {"raw_email": base64.b64encode(small_eml()).decode()},
        {"url": "https://migri-fi.com/login"},
    ],
    ids=["text", "raw_email", "url"],
)
def test_real_requests_and_answers_follow_the_document(client, document, payload):
    request_schema = document["paths"]["/api/v1/check"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    assert errors(payload, request_schema, document) == []
    response = client.post("/api/v1/check", payload, content_type="application/json")
    assert response.status_code == 200
    schema = document["paths"]["/api/v1/check"]["post"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert errors(json.loads(response.content), schema, document) == []


def test_a_real_error_answer_follows_the_document(client, document):
    response = client.post("/api/v1/check", "{not json", content_type="application/json")
    assert response.status_code == 400
    schema = document["paths"]["/api/v1/check"]["post"]["responses"]["400"]["content"][
        "application/json"
    ]["schema"]
    assert errors(json.loads(response.content), schema, document) == []


def test_the_base64_field_and_the_recipient_are_declared(document):
    schemas = document["components"]["schemas"]
    raw_email = schemas["RawEmailCheckRequest"]["properties"]["raw_email"]
    assert raw_email["contentEncoding"] == "base64" and raw_email["format"] == "byte"
    root = document
    assert errors({"raw_email": "00"}, {"$ref": "#/components/schemas/CheckRequest"}, root)
    assert not errors(
        {"raw_email": "RnJvbTo=", "recipient": "a@b.fi"},
        {"$ref": "#/components/schemas/CheckRequest"},
        root,
    )
    for name in ("TextCheckRequest", "RawEmailCheckRequest"):
        assert schemas[name]["properties"]["recipient"]["type"] == "string"


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "hello", "recipent": "a@b.fi"},
        {"raw_email": "RnJvbTo=", "channel": "sms"},
        {"url": "https://migri.fi", "recipient": "a@b.fi"},
    ],
    ids=["misspelt", "channel-of-raw-email", "recipient-of-url"],
)
def test_keys_the_schema_does_not_allow_are_refused(client, document, payload):
    schema = {"$ref": "#/components/schemas/CheckRequest"}
    assert errors(payload, schema, document)
    response = client.post("/api/v1/check", payload, content_type="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == "bad_request"


def test_a_recipient_longer_than_the_schema_allows_is_refused_even_if_it_is_mostly_spaces(
    client, db
):
    payload = {"text": "hello", "recipient": "a" + "\u00a0" * 400}
    response = client.post("/api/v1/check", payload, content_type="application/json")
    assert response.status_code == 400
