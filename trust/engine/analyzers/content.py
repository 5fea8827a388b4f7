"""The words: requests for sensitive data, for payment outside the e-service, urgency and threats.

How much a request weighs depends on who speaks: in the authority's name (a strong claim) it is
impersonation; from a third party that only mentions the authority it is a warning sign; from
someone unrelated it is ordinary life (employers ask for bank accounts). Sentences that warn about
scams or say what the authority never does are not requests.
"""

from __future__ import annotations

import re

from ..awareness import WARNING_CONCEPTS, is_awareness_message
from ..domains import registrable_domain
from ..language import TOKEN
from ..policy import SOCIAL_PLATFORMS
from ..result import Finding
from ..vocabulary import CONCEPTS, SENSITIVE_LABELS
from .claims import identified, official_social_account, sent_from_a_number
from .payees import paid_on_senders_own_site, payee_is_sender
from .wanted_data import wanted_data

SENSITIVE = frozenset(c for c, (category, _) in CONCEPTS.items() if category == "sensitive")
# Data a stranger can empty an account with: asking for it is fraud whoever asks.
CRITICAL = frozenset({"bank_codes", "card_number", "one_time_password"})
NOT_A_REQUEST = WARNING_CONCEPTS | {"official_channel"}
_LEVEL = {"strong": 2, "weak": 1, "none": 0}
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")
# Private channels an agent asks to be reached on, inflected too ("WhatsAppilla", "Telegramissa").
_PRIVATE_CHANNEL = re.compile(
    r"(?i)\b(?:whats\s?app|telegram|viber|wechat)\w*|\b(?:dm|pm|inbox)\b|yksityisviesti\w*|"
    r"privat\s?meddelande\w*|direct\s+message"
)
# A warning about scams names lures but neither sells permits nor sends readers to act elsewhere.
_NEVER_A_WARNING = frozenset({"permit_guarantee_offer", "link_action_not_official"})
_PROMISED_TIME = re.compile(
    r"(?i)\b(?:in|within|inom|på)\s+\d{1,2}\s+(?:days?|weeks?|dagar|veckor)\b|"
    r"\b\d{1,2}\s+(?:päivässä|viikossa)\b"
)
_ACTING = frozenset({"imperative", "open_verb", "pay_verb", "message_notice", "new_message"})
_MAX_FOREIGN_HOSTS = 20  # link targets looked for in the sentences: bounded cost per message
_AMOUNT = re.compile(
    r"(?i)(?:[€$£]\s?\d|\d[\d\s.,]*\s?(?:€|\$|£|eur\b|euro|euroa|usd|sek|kr\b|kronor|dollars?))"
)


# The reader already has it: "you received your login details when you applied", "inloggnings-
# uppgifterna har du fått", "olet saanut tunnukset". Telling what was given asks for nothing.
_ALREADY_RECEIVED = re.compile(
    r"(?i)\b(?:you(?:['’]ve|\s+have)?\s+(?:already\s+)?(?:received|got|been\s+given)|"
    r"(?:har|hade)\s+(?:du|ni)\s+(?:redan\s+)?fått|(?:du|ni)\s+(?:har\s+|hade\s+)?"
    r"(?:redan\s+)?fått|(?:du|ni)\s+fick|"
    r"olet\s+(?:jo\s+)?saanut|olette\s+(?:jo\s+)?saaneet|sait|saitte)\b"
)


def _requests(sentence, level: int) -> bool:
    concepts = sentence.concepts
    if concepts & NOT_A_REQUEST:
        return False
    # In the authority's name even "you received a code, reply with it" stays its request.
    if level < 2 and _ALREADY_RECEIVED.search(sentence.text) and "?" not in sentence.text:
        return False
    if "imperative" in concepts or "?" in sentence.text:
        return True
    # "Open an account and get your bank codes" asks for nothing; in the authority's name, "open
    # the form: passport number, birth date" is still its request.
    if level >= 2 and "open_verb" in concepts:
        return True
    # "Your passport number is required": an obligation counts only in the authority's name.
    return level >= 2 and "obligation" in concepts


def sensitive_requests(context) -> set[str]:
    """Sensitive data the message asks for (not what a warning names); cached per check."""
    if "sensitive_request" not in context.facts:
        level = _LEVEL[context.claim.strength]
        asked: set[str] = set()
        sentences = context.sentences
        for index, sentence in enumerate(sentences):
            wanted = wanted_data(sentence)
            if not wanted:
                continue
            # "Reply with the following:" followed by a list: the request is in the sentence before.
            previous = sentences[index - 1] if index else None
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            if (
                _requests(sentence, level)
                or (
                    previous is not None
                    and not sentence.concepts & NOT_A_REQUEST
                    and previous.text.rstrip().endswith(":")
                    and _requests(previous, level)
                )
                # In the authority's name, "your passport number is missing." then "Can you reply
                # with the details?": the data is named, then asked for.
                or (
                    level >= 2
                    and following is not None
                    and not (sentence.concepts | following.concepts) & NOT_A_REQUEST
                    and (following.concepts & {"imperative", "open_verb"} or "?" in following.text)
                )
            ):
                asked |= wanted
        context.facts["sensitive_request"] = asked
    return context.facts["sensitive_request"]


def payment_requests(context) -> tuple[list, bool]:
    """(sentences asking for money, whether bank details or untraceable means are named); cached.

    Asking for money names a sum or where to send it; "we received your payment" does neither."""
    if "payment_request" not in context.facts:
        level = _LEVEL[context.claim.strength]
        body = context.message.own_text
        payments = [
            s
            for s in _plain(context, "pay_verb")
            + [s for s in _plain(context, "fee") if _requests(s, level)]
            if not _IF_SOMEONE.search(s.text)
        ]
        bank_details = bool(_plain(context, "money_channel") or _IBAN.search(body))
        if not (bank_details or _AMOUNT.search(body)):
            payments = []
        context.facts["payment_request"] = (payments, bank_details)
    return context.facts["payment_request"]


def _plain(context, *concepts: str) -> list:
    return [
        s
        for s in context.sentences
        if all(c in s.concepts for c in concepts) and not s.concepts & NOT_A_REQUEST
    ]


def _mentioned(context, concept: str) -> list:
    """Sentences with the concept that do not talk about scams."""
    return [s for s in context.sentences if concept in s.concepts and "scam_talk" not in s.concepts]


def _acts(sentence) -> bool:
    concepts = sentence.concepts
    if concepts & WARNING_CONCEPTS:
        return False
    # "Read it here" asks to follow; "read more" only offers background.
    return bool(concepts & _ACTING) or ("read_verb" in concepts and "more" not in concepts)


def _introduced_as_action(context, lowered: str, host: str) -> bool:
    """ "You can appeal within 24 h here: <link>": the clause that ends in a colon right before
    the link says what to do there, whatever the rest of the sentence says after it."""
    before = lowered.split(host, 1)[0]
    before = re.sub(r"(?:https?://)?(?:www\.)?$", "", before).rstrip()
    if not before.endswith(":"):
        return False
    concepts = context.vocabulary.concepts(before)
    return not concepts & WARNING_CONCEPTS and bool(concepts & (_ACTING | {"appeal_verb"}))


def action_link_elsewhere(message, context) -> str:
    """A site outside the official domains that the message asks the reader to go to, or ''.

    The link's sentence (or the one before it that ends in ':') asks to act: open, log in, pay,
    read the waiting message. An HTML link is found by its visible text."""
    policy = context.policy
    # A sender that names itself may send readers to its own site (a newspaper to its article).
    own = registrable_domain(message.from_domain) if identified(message) else ""
    targets: dict[str, str] = {}  # what the reader sees in the text -> the host it goes to
    for link in message.links:
        if len(targets) >= _MAX_FOREIGN_HOSTS:
            break
        host_class = policy.classify(link.host)
        if host_class.kind not in ("unknown", "shortener"):
            continue
        # Videos and posts on social platforms are shared, not logged in to.
        if host_class.registrable in SOCIAL_PLATFORMS or host_class.registrable == own:
            continue
        shown = link.text.strip().lower() if link.source == "html" else link.host
        if len(shown) >= 2:
            targets.setdefault(shown, link.host)
    if not targets:
        return ""
    sentences = context.sentences
    for index, sentence in enumerate(sentences):
        lowered = sentence.text.lower()
        host = next((h for shown, h in targets.items() if shown in lowered), "")
        if not host:
            continue
        previous = sentences[index - 1] if index else None
        # The link on a line of its own belongs to the sentence before it: "Read it here:" or
        # "You have a new message." followed by the address.
        alone = len(TOKEN.findall(lowered.replace(host, " "))) <= 3
        if (
            _introduced_as_action(context, lowered, host)
            or _acts(sentence)
            or (
                previous is not None
                and (alone or previous.text.rstrip().endswith(":"))
                and _acts(previous)
            )
        ):
            return host
    return ""


# "No one", "ingen", "kukaan" as the subject that cannot promise; "nobody else" still sells.
_NOBODY = re.compile(
    r"(?i)\b(?:no\s+one|no-one|nobody|ingen|kukaan)\b(?!\s+(?:else|annan|annat|muu|muuta)\b)"
)
# "If someone asks you for fees, contact us": others' requests warned of, not one made here.
_IF_SOMEONE = re.compile(r"(?i)\b(?:if\s+(?:someone|anyone|somebody)|om\s+någon|jos\s+joku)\b")
_DECISION = frozenset({"permit", "permit_object", "case_status", "speed_offer", "job_offer"})


def _guarantees_of_a_decision(context) -> list:
    """Guarantee words about a permit or a decision, in their sentence or the one next to it.

    A landlord's or a bank's guarantee is money ("the keys once the rent guarantee has come in",
    "kun takuu on maksettu"): it promises no decision, even in a message that mentions a permit."""
    sentences = context.sentences
    found = []
    for index, sentence in enumerate(sentences):
        if "guarantee" not in sentence.concepts or "scam_talk" in sentence.concepts:
            continue
        if "negation" in sentence.concepts and _NOBODY.search(sentence.text):
            continue  # "No one can promise you a faster decision": a warning, not an offer.
        near = sentences[max(0, index - 1) : index + 2]
        if any(s.concepts & _DECISION for s in near):
            found.append(sentence)
    return found


def _offer_for_sale(context, message, level: int, asked: set[str], paid: bool):
    """Someone sells what only the authority grants: a guaranteed permit, a faster decision, a job
    that brings a permit. Suspicious even when the authority is not named, once money, a private
    channel or the reader's data come into it."""
    # "Not with agents who arrange permits", "applications are handled in Enter Finland": no sale.
    arranged = [
        s for s in _plain(context, "permit_arranged") if s.concepts & {"permit", "permit_object"}
    ]
    guarantees = _guarantees_of_a_decision(context) + arranged
    speed = _mentioned(context, "speed_offer")
    sales = guarantees or speed or _mentioned(context, "job_offer")
    in_kind = bool(_mentioned(context, "money_channel"))  # gift cards, crypto: untraceable
    # A price named ("hinta sovitaan", "a one-time fee of 950 EUR", "it's not free").
    priced = bool(_mentioned(context, "price"))
    promised = [s for s in context.sentences if _PROMISED_TIME.search(s.text)]
    if not sales and (paid or in_kind or priced):
        # "Your work permit in 2 weeks" for a fee: a promised time sells speed too.
        sales = promised
    # In the authority's own name, speed is news ("we have sped up processing"), not a sale.
    if level == 2 or not sales or not context.concepts & {"permit", "permit_object"}:
        return None
    # "Migri never asks for your passport number by WhatsApp" names the app without inviting to it.
    private = any(
        _PRIVATE_CHANNEL.search(sentence.text)
        for sentence in context.sentences
        if not sentence.concepts & WARNING_CONCEPTS
    ) or any(context.policy.classify(link.host).kind == "messaging" for link in message.links[:50])
    # A guaranteed decision is a lie whoever promises it; it needs only a way to reach the seller.
    # An unknown number's "call or text this number" reaches the seller as a number in the text does.
    numbers = bool(message.phone_numbers) or sent_from_a_number(message)
    reachable = private or numbers or bool(message.links or message.email_addresses)
    # A permit or a decision for a price: what only the authority grants, sold.
    for_a_price = priced and bool(guarantees or speed or (promised and (private or numbers)))
    if not (
        in_kind
        or paid
        or for_a_price
        or (private and (asked or speed))
        or (guarantees and (reachable or asked))
    ):
        return None
    text = sales[0].text.strip()[:160]
    return Finding("permit_guarantee_offer", "high" if in_kind else "medium", {"text": text})


_PRESSURE = frozenset({"threat", "urgency"})
_ASKING = frozenset({"sensitive_data_request", "payment_request", "link_action_not_official"})


def _official_notice(message, context, findings: list[Finding]) -> bool:
    """A post of one of the authority's own social-media accounts that asks nothing."""
    if message.channel != "social" or not message.sender:
        return False
    if any(f.code in _ASKING or f.code == "permit_guarantee_offer" for f in findings):
        return False
    return official_social_account(message.sender, context.config)


def _downgrade(severity: str) -> str:
    return {"high": "low", "medium": "low", "low": "info"}.get(severity, severity)


def analyze(message, context) -> list[Finding]:
    if message.kind == "url":
        return []
    findings: list[Finding] = []
    level = _LEVEL[context.claim.strength]
    asked = sensitive_requests(context)
    threats = _plain(context, "threat") + _plain(context, "revocation", "permit")
    urgent = _plain(context, "urgency")
    pressure = bool(threats or urgent)
    if asked:
        # Codes, not words: the reader's language is chosen where the finding is explained.
        data = ",".join(c for c in SENSITIVE_LABELS if c in asked)
        critical = bool(asked & CRITICAL)
        if level == 2 or (level == 1 and critical):
            severity = "high"
        elif (level == 1 and pressure) or critical:
            severity = "medium"
        else:
            severity = "low"
        findings.append(Finding("sensitive_data_request", severity, {"data": data}))
    payments, bank_details = payment_requests(context)
    paid = bool(payments)
    if paid:
        if level and bank_details:
            severity = "high"
        elif level == 2:
            severity = "high" if pressure else "medium"
        elif level == 1 and (
            paid_on_senders_own_site(message, context)
            or payee_is_sender(message, context, payments)
        ):
            # A university's tuition fee on its own payment page, with a word about the permit.
            severity = "low"
        else:
            severity = "medium" if level == 1 else "info"
        findings.append(
            Finding("payment_request", severity, {"text": payments[0].text.strip()[:160]})
        )
    if threats:
        severity = "medium" if level == 2 else "low" if level == 1 else "info"
        findings.append(Finding("threat", severity, {"text": threats[0].text.strip()[:160]}))
    if urgent:
        severity = "low" if level else "info"
        findings.append(Finding("urgency", severity, {"text": urgent[0].text.strip()[:160]}))
    offers = _plain(context, "guarantee")
    if offers and level:
        # The authority's decisions cannot be bought, hurried or won: such offers are at best lies.
        findings.append(
            Finding("permit_guarantee_offer", "medium", {"text": offers[0].text.strip()[:160]})
        )
    else:
        offer = _offer_for_sale(context, message, level, asked, paid)
        if offer:
            findings.append(offer)
    if level == 2:
        # The authority's own messages send nobody elsewhere to act: they say "type enterfinland.fi
        # yourself". In its name, a link elsewhere to open, log in or pay is the scam itself.
        host = action_link_elsewhere(message, context)
        if host:
            findings.append(Finding("link_action_not_official", "high", {"domain": host}))
    if _official_notice(message, context, findings):
        # The official account's public post about deadlines ("is your permit about to expire?
        # apply in time") informs; it sends no private messages and, asking nothing, threatens no one.
        findings = [
            Finding(f.code, "info", f.evidence) if f.code in _PRESSURE else f for f in findings
        ]
    if is_awareness_message(context):
        findings = [
            Finding(f.code, _downgrade(f.severity), f.evidence)
            if f.code not in _NEVER_A_WARNING
            else f
            for f in findings
        ]
    return findings
