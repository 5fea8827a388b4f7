"""Account phishing in any brand's name: a request to sign in, verify or update payment details,
a threat to close the account, a prize to claim, buttons that lead to pages anyone can publish,
and the reader's own address used as their name.

Each sign alone is weak (a genuine shop also says "update your payment details"), so alone it is
low; a request or a threat together with a button that leaves the sender's own domain is medium.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..brands import ABUSED_SUFFIXES, MAILING_SERVICES, free_hosting
from ..domains import public_suffix, registrable_domain
from ..link_extraction import parse_address
from ..message import domain_of
from ..phishing_phrases import (
    ACCOUNT_THREAT,
    ADVANCE_FEE,
    CONGRATULATION,
    CREDENTIAL_REQUEST,
    MAX_SCANNED,
    PRIZE_CLAIM,
    PRIZE_WON,
    PRIZE_WORD,
    find_request,
    is_action_text,
)
from ..policy import FREE_MAIL
from ..result import Finding

# A greeting that names the reader by an address: "Dear ann@example.com", "Olá ann@...".
_GREETING = re.compile(
    r"(?i)\b(?:hi|hello|hey|dear|attention|hallo|liebe[rs]?|sehr\s+geehrte[r]?|beste|"
    r"bonjour|cher|chère|hola|estimad[oa]|olá|ola|oi|prezad[oa]|car[oa]|ciao|gentile|"
    r"hej|hei|moi|terve|user|usuário|usuario|benutzer)\b[\s:,]{0,3}"
)
_ADDRESS_FIRST = re.compile(r"\s{0,3}[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\s{0,2}[,!:]")
_REDIRECT = re.compile(
    r"(?i)[?&](?:url|q|u|redirect|redirect_uri|redir|target|dest|destination|link|goto|next|"
    r"continue|returnurl|return_to)=((?:https?%3a|https?:)[^&#\s]{4,})"
)
# A machine-made address: five or more consonants in a row ("kqzvbt"), which names rarely have.
_CONSONANT_RUN = re.compile(r"(?i)[bcdfghjklmnpqrstvwxzy]{5}")
_TOKEN = re.compile(r"[A-Za-z0-9]{8,40}")
# Weak signs from this module, each common enough in genuine mail to be only low on its own.
WEAK_SIGNS = frozenset({
    "credential_request", "account_threat", "prize_claim", "advance_fee_lure", "link_free_hosting",
    "link_action_elsewhere", "domain_abused_suffix", "message_mostly_links",
    "recipient_address_as_name", "sender_random_name", "recipients_hidden",
    "subject_random_token",
})  # fmt: skip
# Click-throughs of search engines and ad networks that forward anywhere: phishing hides its
# target behind them so that filters see only a famous name.
_SEARCH_ENGINES = frozenset({"google", "bing", "googleadservices", "yandex", "baidu"})
_SEARCH_REDIRECT_PATHS = ("/url", "/ck/a", "/pagead/aclk", "/aclk", "/amp/s/", "/redirect", "/link")
_SCRIPT_LINK = re.compile(r"(?i)href\s*=\s*[\"']?\s*(?:javascript|data|vbscript):")
MAX_HTML_SCANNED = 200_000


def _recipient_addresses(message) -> list[str]:
    return [a for a in dict.fromkeys(a.strip().lower() for a in message.to) if "@" in a][:5]


def _recipient_named(message) -> str:
    """Where the reader's own address stands in for their name: subject or greeting."""
    recipients = _recipient_addresses(message)
    # Sent to many in blind copy, the reader's address still opens the subject: "ann@x.org, ...".
    if _ADDRESS_FIRST.match(message.subject):
        return "subject"
    if not recipients:
        return ""
    subject = message.subject.lower()
    body = message.body_text[:3000].lower()
    for address in recipients:
        if address in subject:
            return "subject"
        position = body.find(address)
        while position >= 0:
            before = body[max(0, position - 40) : position]
            greeting = list(_GREETING.finditer(before))
            if greeting and greeting[-1].end() == len(before):
                return "greeting"
            position = body.find(address, position + len(address))
    return ""


def _redirect_target(link) -> str:
    """The host an open redirect in `link` forwards to, when it is another one ("?" when the
    target is encoded, as a search engine's click-through hides it)."""
    registrable = registrable_domain(link.host)
    label = registrable.split(".", 1)[0]
    path = link.url.split(link.host, 1)[-1][:40].lower()
    if label in _SEARCH_ENGINES and path.startswith(_SEARCH_REDIRECT_PATHS):
        return "?"
    match = _REDIRECT.search(link.url[:2000])
    if not match:
        return ""
    target = parse_address(unquote(match.group(1))[:500])
    if not target or registrable_domain(target.host) == registrable_domain(link.host):
        return ""
    return target.host


def _abused_suffix(message, away) -> str:
    hosts = [domain_of(message.from_address), *(domain_of(a) for a in message.reply_to[:5])]
    hosts.extend(link.host for link in away[:50])
    for host in hosts:
        suffix = public_suffix(host) if host else ""
        if suffix in ABUSED_SUFFIXES:
            return suffix
    return ""


def _random_name(local_part: str) -> bool:
    return bool(_CONSONANT_RUN.search(local_part[:64]))


def _random_token(subject: str) -> str:
    """A token that mixes small and capital letters and digits ("FnEj4oJmgo"): bulk senders add
    one to every copy so that filters do not see the same subject twice."""
    for match in _TOKEN.finditer(subject[:300]):
        token = match.group(0)
        classes = ["d" if c.isdigit() else "u" if c.isupper() else "l" for c in token]
        changes = sum(a != b for a, b in zip(classes, classes[1:], strict=False))
        # Words run together ("iPhone15Pro", "McDonald2024") change class less than half as
        # often as random letters do.
        if {"d", "u", "l"} <= set(classes) and changes >= 0.55 * (len(token) - 1):
            return token
    return ""


def _combined(message, findings: list[Finding], shortened: bool) -> list[Finding]:
    """Two weak signs of phishing together are a medium one: each is common in genuine mail,
    both at once are not."""
    if any(f.severity in ("medium", "high") for f in findings):
        return []
    signs = {f.code for f in findings if f.code in WEAK_SIGNS}
    if shortened:
        signs.add("link_shortener")
    from_registrable = registrable_domain(domain_of(message.from_address))
    if any(registrable_domain(domain_of(a)) != from_registrable for a in message.reply_to):
        signs.add("reply_to_elsewhere")
    if len(signs) < 2:
        return []
    return [Finding("phishing_signs_combined", "medium", {"signs": ", ".join(sorted(signs))})]


def _links_away(message, context) -> tuple[list, list]:
    """(links that leave the sender's own domain for an unknown one, links to free hosting)."""
    from_registrable = registrable_domain(domain_of(message.from_address))
    away, hosted = [], []
    for link in message.links[:300]:
        if link.source == "header":
            continue
        host_class = context.policy.classify(link.host)
        if host_class.kind in ("official", "other_official", "messaging"):
            continue
        if free_hosting(link.host):
            hosted.append(link)
        elif host_class.registrable in MAILING_SERVICES:
            continue  # a newsletter's tracked link: where it ends is unknown, not foreign
        if host_class.registrable != from_registrable:
            away.append(link)
    return away, hosted


def analyze(message, context) -> list[Finding]:
    if message.kind == "url":
        return []
    findings: list[Finding] = []
    # The sender's name is read too: "Account blocked - notice" <someone@gmail.com>.
    text = f"{message.from_display}\n{message.body_text}"[:MAX_SCANNED]
    lowered = text.lower()
    away, hosted = _links_away(message, context)
    action_away = [link for link in away if is_action_text(link.text)]
    shortened = any(context.policy.classify(link.host).kind == "shortener" for link in away)
    # Where the reader is sent to act: a button to another site, a page anyone can publish, a
    # shortened address that hides its target, a form, or a document to open.
    documents = [a for a in message.attachments if not a.content_type.startswith("image/")]
    way_out = bool(action_away or hosted or shortened or message.forms or documents)
    lures = []
    for code, pattern in (
        ("credential_request", CREDENTIAL_REQUEST),
        ("account_threat", ACCOUNT_THREAT),
        ("prize_claim", PRIZE_CLAIM),
    ):
        sentence = find_request(pattern, text, lowered)
        if sentence:
            lures.append(code)
            # Gifts and congratulations are everyday marketing: only a prize *won* is medium.
            severity = "medium" if way_out and code != "prize_claim" else "low"
            findings.append(Finding(code, severity, {"text": sentence}))
    if "prize_claim" not in lures:
        congratulation = find_request(CONGRATULATION, text, lowered)
        if congratulation and PRIZE_WORD.search(f"{message.subject}\n{lowered}"):
            lures.append("prize_claim")
            findings.append(Finding("prize_claim", "low", {"text": congratulation}))
    won = find_request(PRIZE_WON, text, lowered)
    if won and "prize_claim" not in lures:
        findings.append(Finding("prize_claim", "medium", {"text": won}))
    elif won:
        findings = [
            f if f.code != "prize_claim" else Finding(f.code, "medium", f.evidence)
            for f in findings
        ]
    fee = find_request(ADVANCE_FEE, text, lowered)
    if fee:
        from_free_mail = registrable_domain(domain_of(message.from_address)) in FREE_MAIL
        replies_free_mail = any(
            registrable_domain(domain_of(a)) in FREE_MAIL
            for a in [*message.reply_to, *message.email_addresses[:20]]
        )
        severity = "medium" if from_free_mail or replies_free_mail else "low"
        findings.append(Finding("advance_fee_lure", severity, {"text": fee}))
    if hosted:
        action_hosted = [link for link in hosted if is_action_text(link.text)]
        severity = "medium" if action_hosted or lures else "low"
        chosen = (action_hosted or hosted)[0]
        evidence = {"domain": chosen.host, "hosting": free_hosting(chosen.host)}
        findings.append(Finding("link_free_hosting", severity, evidence))
    redirects = [link for link in away[:100] if _redirect_target(link)]
    hidden = redirects + [
        link for link in action_away if context.policy.classify(link.host).kind == "shortener"
    ]
    if hidden:
        evidence = {"text": hidden[0].text[:60], "domain": hidden[0].host}
        findings.append(Finding("link_action_redirect", "medium", evidence))
    elif action_away and not hosted:
        evidence = {"text": action_away[0].text[:60], "domain": action_away[0].host}
        findings.append(Finding("link_action_elsewhere", "low", evidence))
    suffix = _abused_suffix(message, away)
    if suffix:
        findings.append(Finding("domain_abused_suffix", "low", {"suffix": suffix}))
    if message.html_parts and away and len(message.body_text) - len(message.subject) < 120:
        findings.append(Finding("message_mostly_links", "low", {"links": str(len(away))}))
    where = _recipient_named(message) if message.kind == "email" else ""
    if where:
        findings.append(Finding("recipient_address_as_name", "low", {"where": where}))
    if message.kind == "email" and message.headers and not _recipient_addresses(message):
        findings.append(Finding("recipients_hidden", "low", {}))
    token = _random_token(message.subject)
    if token:
        findings.append(Finding("subject_random_token", "low", {"token": token}))
    if _random_name(message.from_address.partition("@")[0]):
        findings.append(Finding("sender_random_name", "low", {"address": message.from_address}))
    findings.extend(_combined(message, findings, shortened))
    for html in message.html_parts:
        head = html[:MAX_HTML_SCANNED]
        lowered_head = head.lower()
        if "script:" not in lowered_head and "data:" not in lowered_head:
            continue
        match = _SCRIPT_LINK.search(head)
        if match:
            findings.append(Finding("link_script", "medium", {"scheme": match.group(0)[-12:]}))
            break
    return findings
