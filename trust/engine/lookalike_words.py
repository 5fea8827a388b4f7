"""Words that lookalike domains add to an official name, and the top-level domains they move to.

`TRICK_WORDS` are the words of phishing domains in English, Finnish and Swedish: dnstwist's list of
"the most common words used in targeted phishing campaigns" (dictionaries/english.dict, Apache-2.0)
and the e-service vocabulary of a Finnish authority, with the words of what authorities collect
(fees, invoices, fines: poliisi-sakot.com). A short official name joined to one of them
(migri-login, asiointimigri) is a lookalike; joined to any other word it is not, as common words
contain short names (keski-suomi, suomi24).
"""

from __future__ import annotations

_DNSTWIST_ENGLISH = (
    "auth", "access", "account", "admin", "agree", "blue", "business", "cdn", "choose", "claim",
    "cl", "click", "confirm", "confirmation", "connect", "download", "enroll", "find", "group",
    "http", "https", "install", "login", "mobile", "mail", "my", "online", "pay", "payment",
    "payments", "portal", "recovery", "register", "ssl", "safe", "secure", "security", "service",
    "services", "signin", "signup", "support", "summary", "update", "user", "verify",
    "verification", "view", "ww", "www", "web",
)  # fmt: skip
_ENGLISH = (
    "accounts", "alert", "app", "apply", "application", "appointment", "approve", "booking",
    "card", "case", "center", "centre", "check", "citizen", "citizenship", "confirm", "customer",
    "decision", "desk",
    "document", "documents", "eservice", "fee", "fees", "file", "fines", "penalty", "form", "gov", "govt", "help",
    "helpdesk", "id", "identity", "immigration", "inbox", "info", "invoice", "logon",
    "message", "messages", "migration", "notice", "passport", "office", "official", "permit",
    "permits", "refund", "renew", "renewal", "residence", "site", "status", "team", "ticket",
    "track", "upload", "validate", "validation", "visa", "visas", "webmail",
)  # fmt: skip
_FINNISH = (
    "ajanvaraus", "asiakas", "asiakaspalvelu", "asiointi", "asioi", "hakemus", "hakemukset",
    "henkilollisyys", "ilmoitus", "kirjaudu", "kirjautuminen", "kortti", "lomake", "lupa",
    "luvat", "maksa", "maksu", "maksut", "ohje", "ohjeet", "oleskelukortti", "oleskelulupa",
    "palautus", "palvelu", "palvelut", "passi", "paatos", "sahkoinen", "sakko", "sakot",
    "sakkomaksu", "lasku", "laskut", "tarkistus", "tiedote",
    "tietoturva", "tili", "tuki", "tunnistautuminen", "tunnistus", "turva", "vahvista",
    "vahvistus", "verkkopalvelu", "viesti", "viestit", "virasto",
)  # fmt: skip
_SWEDISH = (
    "ansokan", "ansokningar", "avgift", "avgifter", "behorighet", "beslut", "bekrafta", "betala",
    "betalning", "boter", "faktura",
    "etjanst", "inloggning", "konto", "kundtjanst", "logga", "loggain", "meddelande", "sakerhet",
    "tidsbokning", "tillstand", "tjanst", "tjanster", "uppehallskort", "uppehallstillstand",
    "verifiera",
)  # fmt: skip
TRICK_WORDS = tuple(dict.fromkeys(_DNSTWIST_ENGLISH + _ENGLISH + _FINNISH + _SWEDISH))
# Words that stand for the country or the state in a label, as a top-level domain would.
COUNTRY_WORDS = ("fi", "finland", "suomi", "finnish", "gov", "eu")
# Subdomain labels that most sites have: before a name they are no sign of a lookalike.
SITE_LABELS = frozenset({
    "www", "www1", "www2", "www3", "ww", "m", "mobile", "mail", "email", "webmail", "smtp",
    "imap", "pop", "mx", "ftp", "api", "cdn", "static", "img", "news", "blog", "shop", "en", "fi",
    "sv",
})  # fmt: skip
SWAP_TLDS = (
    "com", "net", "org", "info", "eu", "fi", "se", "ee", "de", "co", "io", "biz", "online", "site",
    "xyz", "top", "app", "me", "us", "ru", "cn", "nl", "fr", "es", "it", "pl", "no", "dk", "lt",
    "live", "click", "link", "services", "support", "help", "gov", "shop", "cc", "icu", "cloud",
)  # fmt: skip
