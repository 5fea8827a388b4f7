"""Is the message about scams rather than one: a warning, a police bulletin, news, or a friend who
retells a lure they received? Such a message names the lures' fees and data without asking for them,
so its requests weigh little (content.analyze plays them down, channel.analyze too)."""

from __future__ import annotations

import re

from .vocabulary import CONCEPTS

_SENSITIVE = frozenset(c for c, (category, _) in CONCEPTS.items() if category == "sensitive")
# A sentence with one of these talks about scams or says what is never done: it asks for nothing.
WARNING_CONCEPTS = frozenset({"scam_talk", "negation"})

# Someone tells of a message they (or the reader, asked) received: "I got a text", "did you also
# get that SMS", "sain tekstiviestin", "jag fick ett sms". Only the first person or a question: "you
# have received a new message" is how a notification itself speaks.
_RETOLD_MESSAGE = re.compile(
    r"(?i)\b(?:(?:i|we)\s+(?:also\s+|just\s+)?(?:got|received|had)|"
    r"(?:did|have|has)\s+(?:you|u|anyone|anybody|someone)\s+(?:else\s+)?(?:also\s+)?"
    r"(?:get|got|receive|received)|"
    r"sain|saimme|saitko|saitteko|saiko|minulle\s+tuli|mulle\s+tuli|meille\s+tuli|"
    r"jag\s+fick|vi\s+fick|fick\s+(?:du|ni|någon)|(?:har|hade)\s+(?:du|ni|någon)\s+"
    r"(?:också\s+)?fått|"
    # Someone close to the writer got it: "my wife got", "mun miehelle tuli", "min man fick".
    r"(?:my|our)\s+(?:\w+\s+){1,2}?(?:got|received)|"
    r"(?:mun|minun|meidän|meiän)\s+\w+lle\s+tuli|(?:mun|minun|meidän)\s+\w+\s+sai|"
    r"(?:min|mitt|mina|vår|vårt|våra)\s+\w+\s+fick)\b"
    r"[^.!?\n]{0,60}?\b(?:texts?|sms\w*|messages?|e-?mails?|mails?|calls?|letters?|dms?|"
    r"tekstiviest\w*|viest\w*|tekstar\w*|sähköpost\w*|puhelu\w*|soit\w*|kirje\w*|"
    r"meddelande\w*|mejl\w*|e-post\w*|samtal\w*|brev\w*)"
)
# A warning besides the retelling: "varoitus", "don't click", "be careful", "olkaa varovaisia".
_CAUTION = re.compile(
    r"(?i)\b(?:warning|beware|be\s+careful|careful|watch\s+out|psa|stay\s+safe|varoitus|varo\w*|"
    r"varning|var\s+försiktig\w*|akta\s+er|akta\s+dig)\b"
)


_WARNED_ACTS = frozenset({"imperative", "pay_verb", "fee", "open_verb", *_SENSITIVE})


def _retells_a_lure(context) -> bool:
    """A friend or a group member retells a message they received and warns about it: the lure's
    fee and data are what the sender of *that* message wanted, asked of nobody here."""
    if context.claim.strong:
        return False
    retold = any(_RETOLD_MESSAGE.search(s.text) for s in context.sentences)
    # "Don't click it", "betala inte", "Migri ei koskaan pyydä maksua": a negated act or request;
    # "don't miss the deadline" negates nothing the lure asks.
    warned = any(
        _CAUTION.search(s.text) or ("negation" in s.concepts and s.concepts & _WARNED_ACTS)
        for s in context.sentences
    )
    return retold and warned


def is_awareness_message(context) -> bool:
    """A message about scams (a warning, a police bulletin, news) names the lures it warns of."""
    scam_talk = sum(1 for s in context.sentences if "scam_talk" in s.concepts)
    negations = sum(1 for s in context.sentences if "negation" in s.concepts)
    return scam_talk >= 2 or bool(scam_talk and negations) or _retells_a_lure(context)


def names_lure_address(context, link) -> bool:
    """A lookalike address written out in a warning or a retelling ("the sender was
    migri-finland.org, not migri.fi") is evidence about the scam warned of, not a lure. Only as
    plain text, and only when the message does not speak in the authority's name: an HTML link's
    target is hidden from the reader, and a lure in the authority's name stays a lure."""
    return link.source == "text" and not context.claim.strong and is_awareness_message(context)
