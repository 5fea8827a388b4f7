"""SMS and social-media senders: the authority sends no private messages and asks nothing there."""

from __future__ import annotations

import re

from core.phones import normalize_phone

from ..awareness import is_awareness_message
from ..result import Finding
from .claims import official_social_account
from .content import NOT_A_REQUEST, payment_requests, sensitive_requests

_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}")


def _asks(context) -> bool:
    for sentence in context.sentences:
        if sentence.concepts & NOT_A_REQUEST:
            continue
        if sentence.concepts & {"imperative", "open_verb", "payment"} or "?" in sentence.text:
            return True
    return bool(sensitive_requests(context))


def _asks_what_the_authority_never_does(context) -> bool:
    # A warning names the lures it warns of and the seed's own advice ("if you gave out your bank
    # codes, contact your bank"); the content analyzer plays those down, and so does this one.
    if is_awareness_message(context):
        return False
    return bool(sensitive_requests(context) or payment_requests(context)[0])


def analyze(message, context) -> list[Finding]:
    if message.kind != "text" or message.channel not in ("sms", "social"):
        return []
    findings: list[Finding] = []
    sender = message.sender
    sender_names_authority = context.policy.names_authority(sender)
    # A message that only acts as the authority unnamed ("your permit is approved") may come from
    # an employer or a friend; it is the authority's role only when it also asks what the
    # authority never asks there.
    role = context.claim.where == "role"
    if message.channel == "social":
        official_account = official_social_account(sender, context.config)
        if sender_names_authority and not official_account:
            findings.append(Finding("social_account_impersonation", "high", {"sender": sender}))
        # The official accounts post in public and point to the e-service; a message that asks
        # for data or money in the authority's name is a private message, which it never sends.
        asks = (
            _asks_what_the_authority_never_does(context)
            if official_account or role
            else _asks(context)
        )
        if context.claim.strong and asks:
            findings.append(Finding("social_media_request", "high", {"sender": sender or "?"}))
        return findings
    phone = _PHONE_LIKE.match(sender)
    if phone:
        number = normalize_phone(phone.group(0), context.config.phone_region)
        official = context.policy.official_phone_numbers
        claims = context.claim.strong and (not role or _asks_what_the_authority_never_does(context))
        if number not in official and (sender_names_authority or claims):
            severity = "high" if sender_names_authority else "medium"
            findings.append(Finding("sms_sender_not_official", severity, {"sender": sender}))
    elif sender and sender.strip().lower() in {n.lower() for n in context.config.sms_sender_names}:
        findings.append(Finding("sms_sender_name_unproven", "info", {"sender": sender}))
    elif sender_names_authority:
        findings.append(Finding("sms_sender_not_official", "medium", {"sender": sender}))
    return findings
