"""Does the message speak in the authority's name, or in its role, or only mention it?

Strong claims come from who sends (the sender's domain, display name or address), from what the
text says about who speaks ("we are ...", "on behalf of ...", "message from ...", a greeting or a
signature), and from the authority's role: a message that tells the reader about the processing,
state or delivery of *their* permit, or about a secure message waiting for them, speaks as only the
authority can, named or not. Words around the name are matched in fi, sv and en; the name itself
matches in any case form (policy.name_pattern), so "Maahanmuuttoviraston", "Migristä" and
"Migrationsverkets" count.
"""

from __future__ import annotations

import re
from itertools import islice

from ..language import TOKEN
from ..message import ParsedMessage, domain_of
from ..policy import SOCIAL_PLATFORMS, name_as_written
from ..result import Finding

# Who speaks, right before the name: "we are the", "on behalf of", "olemme", "vi på", "terveisin".
_CLAIM_BEFORE = re.compile(
    r"(?i)\b(?:we\s+are|we['’]re|i\s+am\s+(?:writing\s+)?(?:from|with|at)|"
    r"i['’]m\s+(?:writing\s+)?(?:from|with|at)|we\s+at|we\s+from|here\s+at|"
    r"writing\s+(?:to\s+you\s+)?from|contacting\s+you\s+from|on\s+behalf\s+of|in\s+the\s+name\s+of|"
    r"greetings\s+from|regards\s+from|regards|sincerely|"
    r"olemme|kirjoitamme|kirjoitan|otamme\s+yhteyttä|otan\s+yhteyttä|"
    r"terveisin|terveiset|tervehdys|"
    r"vi\s+är|vi\s+på|vi\s+från|vi\s+vid|jag\s+är\s+från|"
    r"på\s+uppdrag\s+av|i\s+namn\s+av|hälsningar|hälsning|hälsar)"
    r"\W{0,3}(?:the\s+|(?:(?:kind|best|warm)\s+)?regards,?\s+)?$"
)
# "This is Migri", "täällä Migri", "här är Migrationsverket": a presentation, so only where a
# sentence or a greeting begins ("this is Migri's answer" inside a news story is not one).
_PRESENTS = re.compile(
    r"(?i)(?:^|[.!?:\n]\s*|\b(?:hello|hi|dear\s+\w+|hei|moi|hyvä\s+\w+|hej|bästa\s+\w+)\W+)"
    r"(?:this\s+is|here\s+is|täällä|tässä|detta\s+är|det\s+här\s+är|här\s+är)\W{0,3}(?:the\s+)?$"
)
# A notice in the name: "new message from", "uusi viesti" + name, "meddelande från". A friend who
# got one ("I got a message from Migri") speaks for themselves: see _RETOLD.
_NOTICE_BEFORE = re.compile(
    r"(?i)\b(?:(?:message|notice|notification)\s+from|"
    r"(?:meddelande|besked|avisering)\s+från)\W{0,3}(?:the\s+)?$"
)
# Finnish says "from" with the name's case: "viesti Maahanmuuttovirastolta", not "viesti Migrille".
_FI_NOTICE_BEFORE = re.compile(r"(?i)\b(?:viesti|ilmoitus|tiedote)\W{0,3}$")
_FI_FROM_CASE = re.compile(r"(?i)^[\w-]*(?:lta|ltä|sta|stä)\b")
_RETOLD = re.compile(
    r"(?i)\b(?:i|i've|i'd|my|me|got|get|did\s+you|have\s+you|sain|saimme|saitko|minulle|mulle|"
    r"mä|minä|jag|mig|mitt|fick|fick\s+du|har\s+du\s+fått)\b"
)
_ROLE = (
    r"(?:customer\s+(?:service|support|care)|support(?:\s+team)?|help\s*desk|service\s+desk|"
    r"team|office|department|unit|asiakaspalvelu\w*|asiakastu\w*|neuvon\w*|palvelu\w*|tiimi\w*|"
    r"yksikkö\w*|kundtjänst\w*|kundservice\w*|kundsupport\w*|enhet\w*|avdelning\w*)"
)
# Who speaks, right after the name: "Migri customer service here", "Migrin asiakaspalvelusta hei",
# "Maahanmuuttoviraston puolesta", "på Migrationsverkets vägnar".
_CLAIM_AFTER = re.compile(
    r"(?i)^[\w'’-]*(?:\s+" + _ROLE + r")?\W{0,3}(?:here\b|täällä\b|tässä\b|hei\b|moi\b|hej\b|"
    r"här\b|puolesta\b|vägnar\b)"
)
# In the opening or the signature of an anonymous message: "Migri: ...", "Regards, Migri".
_SPEAKER_BEFORE = re.compile(
    r"(?i)(?:^\W{0,3}|\b(?:this is|from|on behalf of|här är|detta är|det här är|från|"
    r"på uppdrag av|tässä|täältä|täällä|"
    r"terveisin|hälsningar|regards)\W+(?:the\s+)?)$"
)
_SPEAKER_AFTER = re.compile(
    r"(?i)^[\w'’-]*(?:\s+" + _ROLE + r")?\W{0,3}(?::|\]|ilmoittaa|tiedottaa|muistuttaa|informerar|"
    r"meddelar|påminner|informs|notifies|here\b|täällä)"
)
# A person who says they work there: "olen Maahanmuuttoviraston virkailija", "I am your caseworker
# at Migri", "jag är handläggare på Migrationsverket".
_PERSON_ROLE = (
    r"(?:case\s*worker|case\s+officer|case\s+handler|officer|adviser|advisor|official|inspector|"
    r"virkailija\w*|käsittelijä\w*|neuvoja\w*|asiantuntija\w*|tarkastaja\w*|"
    r"handläggare\w*|tjänsteman\w*|rådgivare\w*|inspektör\w*)"
)
_I_AM_BEFORE = re.compile(r"(?i)\b(?:olen|i\s+am|i['’]m|jag\s+är)\W{1,3}(?:your\s+|the\s+)?$")
_ROLE_AFTER = re.compile(r"(?i)^[\w'’-]*\W{1,3}" + _PERSON_ROLE + r"\b")
_ROLE_THEN_NAME = re.compile(
    r"(?i)\b(?:i\s+am|i['’]m|jag\s+är)\s+(?:your\s+|the\s+|a\s+|an\s+|din\s+)?"
    + _PERSON_ROLE
    + r"\s+(?:at|from|of|with|in|på|vid|hos)\s+(?:the\s+)?$"
)
# A person presents themselves as working there: "this is Anna from Migri", "det här är Johanna,
# handläggare på Migri", "tässä Anna Maahanmuuttovirastosta" (the name's elative case says
# "from", see _FI_FROM_CASE). The person's name is one or two capitalised words.
_PRESENTS_PERSON = re.compile(
    r"(?:^|[.!?:\n]\s*|\b(?i:hello|hi|dear\s+\w+|hei|moi|hyvä\s+\w+|hej|bästa\s+\w+)\W+)"
    r"(?i:this\s+is|here\s+is|my\s+name\s+is|i\s+am|i['’]m|täällä|tässä|olen|nimeni\s+on|"
    r"detta\s+är|det\s+här\s+är|här\s+är|jag\s+heter|jag\s+är)\s+"
    r"[A-ZÅÄÖ][^\W\d_]+(?:\s+[A-ZÅÄÖ][^\W\d_]+)?,?\s+"
    r"(?P<role>(?i:(?:your\s+|the\s+|a\s+|an\s+|din\s+)?" + _PERSON_ROLE + r",?\s+))?"
    r"(?P<prep>(?i:at|from|with|of|in|på|vid|hos|från)\s+(?:the\s+)?)?$"
)
_PHONE_SENDER = re.compile(r"^\s*\+?[\d\s().-]{6,}$")
# A sender name made only of such words says what it is about, not who it is ("Customer Service",
# "Residence Permits Finland", "Kundtjänst"): the text decides who claims to speak.
_GENERIC_SENDER_WORDS = (
    "customer", "service", "support", "team", "help", "info", "notif", "notice", "official",
    "secure", "mail", "message", "center", "centre", "office", "desk", "department", "unit",
    "admin", "noreply", "no-reply", "donotreply", "system", "portal", "account", "security",
    "verif", "permit", "residence", "visa", "immigration", "application", "processing",
    "finland", "finnish", "eservice", "e-service", "online", "digital", "agency", "alert",
    "asiakas", "palvelu", "tuki", "neuvonta", "tiedot", "tiedote", "ilmoitu", "viesti", "posti",
    "turva", "lupa", "oleskelu", "hakemu", "virasto", "suomen", "kundtjänst", "kund", "tjänst",
    "meddelande", "tillstånd", "uppehåll", "ansök", "säker", "post", "myndighet", "verket",
    "handlägg", "käsittel", "behandl",
)  # fmt: skip
# Role words that say the signer handles permits: a message signed only with them ("Mvh
# handläggningen", "Terveisin lupakäsittely", "Regards, Residence Permit Unit") signs as the unit
# of an authority that processes permits.
_PERMIT_UNIT_WORDS = (
    "handlägg", "käsittel", "behandl", "processing", "permit", "residence", "immigration", "visa",
    "lupa", "oleskelu", "tillstånd", "uppehåll", "ansök", "hakemu", "virasto", "myndighet",
    "verket", "migration", "maahanmuutto",
)  # fmt: skip
_SIGN_OFF = re.compile(
    r"(?i)(?:^|\W)(?:mvh|med\s+vänlig\s+hälsning|vänliga\s+hälsningar|hälsningar|hälsning|"
    r"terveisin|ystävällisin\s+terveisin|t\.|regards|best\s+regards|kind\s+regards|sincerely)"
    r"\W{1,3}(?P<signer>[^\W\d_]+(?:[\s,-]+[^\W\d_]+){0,3})\W*$"
)
_POSSESSIVE_2ND = ("si", "nne", "sikin", "nnekin", "sihan", "nnehan")
_SECOND_PERSON = re.compile(r"(?i)\b(?:your|yours|sinun|teidän|din|ditt|dina|er|ert|era)\b")
_ADDRESSED = re.compile(
    r"(?i)\b(?:you|your|yours|sinä|sinun|sinulle|sinut|te|teidän|teille|du|dig|din|ditt|dina|ni|er)\b"
)
_NOT_A_CLAIM = frozenset({"scam_talk"})
_MAX_NAME_MATCHES = 50  # names examined per message: bounded cost on a text full of the name


_MIN_ABBREVIATION = 5  # "IMMIGR" abbreviates; "Finn" or "Post" is a name or a word of its own


def _generic_word(word: str) -> bool:
    # SMS sender ids hold 11 characters, so role words come cut short: "FI-IMMIGR", "RESID-PERM".
    return word.startswith(_GENERIC_SENDER_WORDS) or (
        len(word) >= _MIN_ABBREVIATION
        and any(prefix.startswith(word) for prefix in _GENERIC_SENDER_WORDS)
    )


def _sender_is_generic(value: str) -> bool:
    words = re.findall(r"[^\W\d_]+", value.lower())
    generic = [word for word in words if _generic_word(word)]
    # Short words ("of", "fi", "hr") neither name anyone nor make a name generic on their own.
    return bool(generic) and all(len(word) <= 3 or word in generic for word in words)


def own_name_words(display: str) -> set[str]:
    """The words of a display name that name someone ("Åbo Akademi – Antagningen": åbo, akademi,
    antagningen), without the role words that name nobody ("Customer Service")."""
    words = re.findall(r"[^\W\d_]+", display.lower())
    return {word for word in words if not _generic_word(word)}


def sent_from_a_number(message: ParsedMessage) -> bool:
    """An SMS or a post whose sender is a bare phone number: the reader reaches it by replying."""
    return bool(message.sender and _PHONE_SENDER.match(message.sender))


def identified(message: ParsedMessage) -> bool:
    """The sender names itself (a person, an organisation), so the text's opening is not a claim.

    A bare phone number, no sender, or a name that is only a role ("Customer Service") names
    nobody."""
    shown = message.from_display or message.sender or ""
    if _PHONE_SENDER.match(shown):
        return False
    if message.from_display and _sender_is_generic(message.from_display):
        return False
    if not message.from_display and message.sender and _sender_is_generic(message.sender):
        return False
    # A bare address whose mailbox is a role ("oleskelulupakortti@", "support@") names nobody.
    if not message.from_display and _sender_is_generic(message.from_address.partition("@")[0]):
        return False
    return bool(message.from_address or message.from_display or message.sender)


# An account's address as the platform writes it, with the platform's own path before the handle
# where it has one: linkedin.com/company/<handle>, youtube.com/c/<handle>, facebook.com/pages/<handle>.
_ACCOUNT_URL = re.compile(
    r"(?:https?://)?(?:www\.|m\.)?(?P<platform>[a-z0-9-]+\.[a-z]{2,})/"
    r"(?:(?:company|school|showcase|in|pages|c|user|channel)/)?@?(?P<handle>[\w.]+)/?"
)
_ACCOUNT_SEPARATORS = re.compile(r"[\s@_.\-–—|/:()]+")


def official_social_account(sender: str, config) -> bool:
    """The sender is one of the official handles, or only the authority's names, possibly with
    the official account's own address ("Maahanmuuttovirasto (facebook.com/maahanmuuttovirasto)",
    "Maahanmuuttovirasto (linkedin.com/company/maahanmuuttovirasto)")."""
    normalized = sender.strip().lstrip("@").lower()
    handles = {handle.lower() for _, handle in config.social_media_accounts}
    if normalized in handles:
        return True
    rest = normalized
    for url in _ACCOUNT_URL.finditer(normalized):
        # Only the official account's own address may be removed; any other keeps it foreign.
        if url.group("platform") in SOCIAL_PLATFORMS and url.group("handle") in handles:
            rest = rest.replace(url.group(0), " ")
    # The account's handle as the platform shows it beside the name: "Migri (@MigriFI)". Only a
    # whole official handle goes; "@MigriFI_help" or "@MigriFl" keep the sender foreign.
    for handle in handles:
        rest = re.sub(r"(?<![\w.])@" + re.escape(handle) + r"(?![\w.])", " ", rest)
    rest = _ACCOUNT_SEPARATORS.sub(" ", rest)
    for name in sorted(config.authority_names, key=len, reverse=True):
        rest = rest.replace(name.lower(), " ")
    # An empty sender, or one of separators only, names no account: it is not the official one.
    return not rest.strip() and bool(_ACCOUNT_SEPARATORS.sub("", normalized).strip())


def _quoted_warning(context, text: str, start: int, end: int) -> bool:
    """The name sits in a sentence about scams: a warning quoting a lure, not a claim."""
    window = text[max(0, start - 160) : end + 160]
    return bool(context.vocabulary.concepts(window) & _NOT_A_CLAIM)


class _NameMatches:
    """The authority's name found in each text once per find_claim: it reads the body for a claim
    and for a mention, and the opening and the closing for a speaker, and in a short message those
    are one and the same text (the name pattern is a long case-insensitive alternation, which re
    tries at every position)."""

    def __init__(self, pattern: re.Pattern):
        self._pattern = pattern
        # text -> (its first matches, whether they are all of them)
        self._found: dict[str, tuple[list[re.Match], bool]] = {}

    def first(self, text: str, count: int) -> list[re.Match]:
        """pattern.finditer(text)'s first `count` matches."""
        found = self._found.get(text)
        if found is None or (len(found[0]) < count and not found[1]):
            matches = list(islice(self._pattern.finditer(text), count))
            found = self._found[text] = (matches, len(matches) < count)
        return found[0][:count]

    def every(self, text: str) -> list[re.Match]:
        # A match holds at least one letter, so a text has fewer matches than characters plus one.
        return self.first(text, len(text) + 1)


def _explicit_claim(context, text: str, names: _NameMatches) -> str:
    """The text says the authority is who speaks, wherever it says it and whoever sends it."""
    for match in names.first(text, _MAX_NAME_MATCHES):
        before = text[max(0, match.start() - 60) : match.start()]
        after = text[match.end() : match.end() + 60]
        person = _PRESENTS_PERSON.search(before)
        if person and not (person.group("role") or person.group("prep")):
            # "tässä Anna Maahanmuuttovirastosta": only the from-case joins the person to the name.
            person = person if _FI_FROM_CASE.match(text[match.start() : match.end() + 40]) else None
        claimed = bool(
            person
            or _CLAIM_BEFORE.search(before)
            or _PRESENTS.search(before)
            or _CLAIM_AFTER.match(after)
            or _ROLE_THEN_NAME.search(before)
            or (_I_AM_BEFORE.search(before) and _ROLE_AFTER.match(after))
        )
        notice = _NOTICE_BEFORE.search(before) or (
            _FI_NOTICE_BEFORE.search(before) and _FI_FROM_CASE.match(text[match.start() :])
        )
        if not claimed and notice:
            sentence_start = max(before.rfind(". "), before.rfind("\n"), before.rfind("! "))
            claimed = not _RETOLD.search(before[sentence_start + 1 :])
        if claimed and not _quoted_warning(context, text, match.start(), match.end()):
            return name_as_written(text, match)
    return ""


def _signed_as(policy, lines: list[str]) -> str:
    """A signature line that is the authority's name, alone or with a unit ("Maahanmuuttovirasto",
    "Finnish Immigration Service | Customer Service"), among the last lines of any message."""
    for line in lines[-4:]:
        if len(line) > 80:
            continue
        match = policy.name_pattern.search(line)
        if not match or re.search(r"[^\W\d_]", line[: match.start()]):
            continue
        rest = line[match.end() :]
        rest = rest[len(re.match(r"[\w'’-]*", rest).group(0)) :]  # the name's own ending
        if not re.search(r"[^\W\d_]", rest) or _sender_is_generic(rest):
            return name_as_written(line, match)
    return ""


def _speaks_as(names: _NameMatches, text: str) -> str:
    for match in names.every(text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 40]
        if _SPEAKER_BEFORE.search(before) or _SPEAKER_AFTER.search(after):
            return name_as_written(text, match)
    return ""


def _about_readers_permit(context, sentence) -> bool:
    if _SECOND_PERSON.search(sentence.text):
        return True
    # Finnish says "your" with a suffix on the noun itself: oleskelulupasi, hakemuksenne.
    for token in TOKEN.findall(sentence.text):
        lowered = token.lower()
        if lowered.endswith(_POSSESSIVE_2ND) and "permit_object" in context.vocabulary.concepts(
            lowered
        ):
            return True
    return False


def speaks_in_role(context) -> str:
    """The sentence in which the message acts as the authority without naming it, or ''."""
    for sentence in context.sentences:
        concepts = sentence.concepts
        # "Could not be delivered" still tells of the card; a warning about scams does not act.
        if "scam_talk" in concepts:
            continue
        official_notice = "message_notice" in concepts or (
            "new_message" in concepts and concepts & {"official_channel", "permit_object"}
        )
        handles_permit = (
            "permit_object" in concepts
            and concepts & {"case_status", "revocation", "fee"}
            and _about_readers_permit(context, sentence)
        ) or (
            # "Your e-service account will be closed", "ditt konto i e-tjänsten har spärrats".
            "official_channel" in concepts
            and concepts & {"case_status", "revocation"}
            and _SECOND_PERSON.search(sentence.text)
        )
        # "Pay a fine of 250 EUR today to avoid deportation": only the state deports, and a demand
        # for money under that threat, in a message about the reader's stay, takes its role.
        punishes = (
            "threat" in concepts
            and concepts & {"fee", "pay_verb"}
            and context.concepts & {"permit", "permit_object"}
            and (_ADDRESSED.search(sentence.text) or concepts & {"imperative", "open_verb"})
        )
        if official_notice or handles_permit or punishes:
            return " ".join(sentence.text.split())[:160]
    return ""


def signed_as_permit_unit(context, text: str) -> str:
    """The message ends signed by a permit-processing unit and nobody else, in a message about a
    permit: the authority's role, unnamed ("... så rättar vi det idag. Mvh handläggningen")."""
    match = _SIGN_OFF.search(text[-120:])
    if not match or not context.concepts & {"permit", "permit_object"}:
        return ""
    signer = match.group("signer")
    words = re.findall(r"[^\W\d_]+", signer.lower())
    if _sender_is_generic(signer) and any(w.startswith(_PERMIT_UNIT_WORDS) for w in words):
        return " ".join(match.group(0).split())
    return ""


def find_claim(message: ParsedMessage, context):
    from . import Claim

    policy = context.policy
    domain = domain_of(message.from_address)
    if domain and policy.is_official_email_domain(domain):
        return Claim("strong", "from_domain", domain)
    for where, value in (
        ("sender", message.sender),
        ("display_name", message.from_display),
        ("from_address", message.from_address.partition("@")[0]),
    ):
        name = policy.names_authority(value)
        if name and policy.domain_carries_name(domain, name):
            return Claim("weak", "namesake", name)
        if name:
            return Claim("strong", where, name)
    if domain and policy.classify(domain).kind == "lookalike":
        return Claim("strong", "from_domain", domain)
    body = message.body_text.strip()
    if not body:
        return Claim()
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    names = _NameMatches(policy.name_pattern)
    name = _explicit_claim(context, body, names) or _signed_as(policy, lines)
    if name:
        return Claim("strong", "text", name)
    # A sender that names itself (an address, an account) is who speaks; only an anonymous one
    # (a bare phone number, a role, no sender at all) lets the text's opening and signature, or
    # the role it takes, say who it claims to be.
    if not identified(message):
        opening = " ".join(lines[:2])[:160]
        name = _speaks_as(names, opening) or _speaks_as(names, " ".join(lines[-2:])[-120:])
        if name:
            return Claim("strong", "text", name)
        role = speaks_in_role(context) or signed_as_permit_unit(context, body)
        if role:
            return Claim("strong", "role", role)
    # policy.names_authority(body): its first match.
    first = names.first(body, 1)
    name = name_as_written(body, first[0]) if first else ""
    name = name or policy.names_authority(message.subject)
    if name:
        return Claim("weak", "mention", name)
    return Claim()


def analyze(message, context) -> list[Finding]:
    claim = context.claim
    if claim.strength == "none":
        return []
    if claim.where == "role":
        return [Finding("claims_authority_role", "info", {"text": claim.name})]
    code = "claims_authority" if claim.strong else "mentions_authority"
    return [Finding(code, "info", {"where": claim.where, "name": claim.name})]
