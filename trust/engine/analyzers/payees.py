"""Who is paid: a named sender that asks to be paid itself (a university's tuition fee) is no
alarm, whatever it says about the permit besides."""

from __future__ import annotations

import re

from ..domains import registrable_domain
from ..language import TOKEN
from ..policy import FREE_MAIL
from .claims import identified, own_name_words

# The sender invoices in the first person: "from our finance office", "vår ekonomiavdelning",
# "lähetämme laskun", "we will send you an invoice".
_OUR_INVOICE = re.compile(
    r"(?i)\b(?:(?:from|by)\s+our|från\s+(?:vår|vårt)|meidän\s+\w+|we\s+(?:will\s+)?"
    r"(?:send|invoice)|vi\s+skickar|lähetämme)\b"
)


def paid_on_senders_own_site(message, context) -> bool:
    """A sender that names itself asks to pay on its own site, and links nowhere else unofficial."""
    own = registrable_domain(message.from_domain)
    if not own or own in FREE_MAIL or not identified(message):
        return False
    foreign = [
        host_class.registrable
        for host_class in (context.policy.classify(link.host) for link in message.links[:50])
        if host_class.kind not in ("official", "other_official")
    ]
    return bool(foreign) and all(registrable == own for registrable in foreign)


def payee_is_sender(message, context, payments: list) -> bool:
    """A sender that names itself from its own domain asks to be paid itself: every payment
    sentence names it ("pay via Åbo Akademi's payment portal", "the University's payment service").
    A university's tuition fee, not a fee for the authority's decision."""
    own = registrable_domain(message.from_domain)
    if not own or own in FREE_MAIL or not identified(message):
        return False
    if context.policy.classify(own).kind != "unknown":
        return False
    names = own_name_words(message.from_display) | {own.split(".")[0]}
    names = {name for name in names if len(name) >= 4}
    if not names:
        return False
    sentences = context.sentences

    def named(sentence) -> bool:
        return _OUR_INVOICE.search(sentence.text) is not None or any(
            token.lower().startswith(name)
            for token in TOKEN.findall(sentence.text)
            for name in names
        )

    # "Pay the fee. The invoice comes from our finance office": the next sentence names the payee.
    following = {id(a): b for a, b in zip(sentences, sentences[1:], strict=False)}
    return all(
        named(sentence) or (id(sentence) in following and named(following[id(sentence)]))
        for sentence in payments
    )
