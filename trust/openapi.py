"""The OpenAPI 3.1 description of the public check API, served at /api/v1/openapi.json."""

from __future__ import annotations

import copy

from core.authority import authority

SCHEMA_REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": SCHEMA_REF + name}


_STRING_LIST = {"type": "array", "items": {"type": "string"}}
# Standard base64 (RFC 4648 section 4) with padding and no line breaks: what the API decodes.
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
# The API refuses a field that holds only white space. Spelled out rather than \S: Python's and
# ECMAScript's white space differ (\x1c-\x1f, U+FEFF), and the view tests with this same pattern.
NOT_BLANK_PATTERN = r"[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_RECIPIENT = {
    "type": "string",
    "maxLength": 320,
    "description": (
        "The email address or phone number the message came to, as the person knows it. A "
        "verification code in the message is confirmed only against this, never against the "
        "message's own headers; without it a code of ours says only that we issued it."
    ),
}

SCHEMAS: dict[str, dict] = {
    "TextCheckRequest": {
        "type": "object",
        "description": "Pasted text of a message, without headers.",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 1, "pattern": NOT_BLANK_PATTERN},
            "channel": {"type": "string", "enum": ["email", "sms", "social"], "default": "email"},
            "sender": {"type": "string", "description": "The sender as shown, if known."},
            "recipient": _RECIPIENT,
        },
        "additionalProperties": False,
    },
    "RawEmailCheckRequest": {
        "type": "object",
        "description": "A complete RFC 5322 message (an .eml file), base64-encoded.",
        "required": ["raw_email"],
        "properties": {
            "raw_email": {
                "type": "string",
                "contentEncoding": "base64",
                "contentMediaType": "message/rfc822",
                "format": "byte",
                "pattern": BASE64_PATTERN,
                "minLength": 4,
            },
            "recipient": _RECIPIENT,
        },
        "additionalProperties": False,
    },
    "UrlCheckRequest": {
        "type": "object",
        "description": "One web address.",
        "required": ["url"],
        "properties": {
            "url": {
                "type": "string",
                "minLength": 1,
                "maxLength": 2048,
                "pattern": NOT_BLANK_PATTERN,
            }
        },
        "additionalProperties": False,
    },
    "CheckRequest": {
        "oneOf": [_ref("TextCheckRequest"), _ref("RawEmailCheckRequest"), _ref("UrlCheckRequest")]
    },
    "Finding": {
        "type": "object",
        "required": ["code", "severity", "evidence"],
        "properties": {
            "code": {"type": "string"},
            "severity": {"type": "string", "enum": ["info", "low", "medium", "high", "proof"]},
            "evidence": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "additionalProperties": False,
    },
    "Indicators": {
        "type": "object",
        "required": ["domains", "urls", "email_addresses", "phone_numbers"],
        "properties": {
            "domains": _STRING_LIST,
            "urls": _STRING_LIST,
            "email_addresses": _STRING_LIST,
            "phone_numbers": _STRING_LIST,
        },
    },
    "VerificationCodeFound": {
        "type": "object",
        "required": ["code", "valid"],
        "properties": {
            "code": {"type": "string"},
            "valid": {
                "type": "boolean",
                "description": "True only when the code vouches for the message: confirmed "
                "against the recipient given in the request, in pasted text.",
            },
            "status": {
                "type": "string",
                "enum": ["confirmed", "ours", "other_recipient", "unknown", "unchecked"],
                "description": "confirmed: sent by us to the recipient given; ours: issued by "
                "us, but no recipient was given to confirm it; other_recipient: issued by us to "
                "someone else; unknown: not issued by us; unchecked: not looked up.",
            },
        },
    },
    "Explanation": {
        "type": "object",
        "required": ["code", "severity", "text"],
        "properties": {
            "code": {"type": "string"},
            "severity": {"type": "string"},
            "text": {"type": "string", "description": "A sentence in the response's language."},
        },
        "additionalProperties": False,
    },
    "CheckResponse": {
        "type": "object",
        "required": [
            "verdict",
            "findings",
            "indicators",
            "verification_codes",
            "explanations",
            "advice",
            "language",
        ],
        "properties": {
            "verdict": {"type": "string", "enum": ["genuine", "scam", "suspicious", "unverified"]},
            "findings": {"type": "array", "items": _ref("Finding")},
            "indicators": _ref("Indicators"),
            "verification_codes": {"type": "array", "items": _ref("VerificationCodeFound")},
            "explanations": {"type": "array", "items": _ref("Explanation")},
            "advice": {
                "type": "array",
                "description": "What to do now, in the response's language.",
                "items": {"anyOf": [{"type": "string"}, {"type": "object"}]},
            },
            "language": {"type": "string", "enum": ["fi", "sv", "en"]},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                "additionalProperties": False,
            }
        },
        "additionalProperties": False,
    },
}

_RAW_EMAIL_EXAMPLE = "RnJvbTogPG5vcmVwbHlAbWlncmkuZmk+DQoNCkhlbGxvDQo="
_SCAM_EXAMPLE = {
    "verdict": "scam",
    "findings": [
        {
            "code": "lookalike_domain",
            "severity": "high",
            "evidence": {"domain": "migri-fi.com", "imitates": "migri.fi"},
        }
    ],
    "indicators": {
        "domains": ["migri-fi.com"],
        "urls": ["https://migri-fi.com/login"],
        "email_addresses": [],
        "phone_numbers": [],
    },
    "verification_codes": [],
    "explanations": [
        {
            "code": "lookalike_domain",
            "severity": "high",
            "text": "The link goes to migri-fi.com, which imitates migri.fi.",
        }
    ],
    "advice": ["Do not reply to the message, fill in nothing and click no links."],
    "language": "en",
}


def _error_example(code: str, message: str) -> dict:
    return {"value": {"error": {"code": code, "message": message}}}


def _json(schema: dict, examples: dict) -> dict:
    return {"application/json": {"schema": schema, "examples": examples}}


def openapi_document(server_url: str = "/") -> dict:
    """The document (a fresh copy each call, so that callers may change it)."""
    profile = authority()
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": f"{profile.short_name} trust center API",
            "version": "1.0.0",
            "description": (
                "Check whether a message or a web address really comes from "
                f"{profile.name_in_text('en')}. No account is needed; requests are rate-limited per client "
                "address. Responses are in the language of the Accept-Language header (fi, sv, en)."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/check": {
                "post": {
                    "operationId": "check",
                    "summary": "Check a message, a raw email or a web address",
                    "parameters": [
                        {
                            "name": "Accept-Language",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": _json(
                            _ref("CheckRequest"),
                            {
                                "text": {
                                    "value": {
                                        "text": "Send your passport number to migri-fi.com",
                                        "channel": "sms",
                                    }
                                },
                                "raw_email": {"value": {"raw_email": _RAW_EMAIL_EXAMPLE}},
                                "url": {"value": {"url": "https://migri-fi.com/login"}},
                            },
                        ),
                    },
                    "responses": {
                        "200": {
                            "description": "The verdict, the explained findings, and advice.",
                            "content": _json(
                                _ref("CheckResponse"), {"scam": {"value": _SCAM_EXAMPLE}}
                            ),
                        },
                        "400": {
                            "description": "Not valid JSON, a field missing, or too large.",
                            "content": _json(
                                _ref("Error"),
                                {
                                    "bad_json": _error_example(
                                        "bad_json", "The request body is not valid JSON."
                                    ),
                                    "too_large": _error_example(
                                        "too_large", "The message is larger than 25 MB."
                                    ),
                                },
                            ),
                        },
                        "429": {
                            "description": "Too many requests from this client; try again later.",
                            "headers": {
                                "Retry-After": {
                                    "description": "Seconds to wait.",
                                    "schema": {"type": "integer"},
                                }
                            },
                            "content": _json(
                                _ref("Error"),
                                {
                                    "rate_limited": _error_example(
                                        "rate_limited", "Too many requests."
                                    )
                                },
                            ),
                        },
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
    return copy.deepcopy(document)
