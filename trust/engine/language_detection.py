"""Which of fi, sv, en and de a message is written in, told by its function words; "" when unsure.

Pages mark quoted text with its language (WCAG 3.1.2), and a wrong `lang` is worse than none: a
screen reader would read Finnish with English rules. So the answer is a language only when enough
of the text's words are the function words of one language and clearly more than of any other;
a short text, a mixed one or one in another language (Danish, Spanish...) gets "". The other
languages' words are counted so that, say, Danish ("det", "som", "på") is not taken for Swedish.
German is answered too: scams aimed at people in Finland come in it, its function words are
distinct from the three site languages' and it is a voice every screen reader has. No library for
this is installed (langdetect, lingua); four languages and a "not sure" need no model.
"""

from __future__ import annotations

import re
from itertools import islice

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# The commonest words of each language that carry no topic: pronouns, conjunctions, prepositions,
# auxiliaries, the polite forms of phishing. Words shared by two lists count for neither.
_WORDS = {
    "fi": """ja on ei se että ovat oli olet olen olemme olette ole olla tai kun jos mutta myös
        sinun teidän sinä minä me he hän tämä tämän tästä tätä nyt vain voit voitte voi kanssa
        kautta jälkeen ennen mukaan meidän siitä sitä niin kuin vielä jo joka jotka mikä mitä
        heti tänään tai eli sekä koska jotta vaan ettei emme ette eivät olisi ollut tulee pitää
        täytyy kaikki kiitos hyvä ystävällisin terveisin tervetuloa yli alla alle tässä siis
        sillä myöskään kuitenkin ilman välillä""",
    "sv": """och att det är som på för med till av inte har du ni vi den om var från eller kan
        ska skall din ditt dina er ert era detta här nu också men så vid hos eller efter innan
        enligt vår våra vårt ditt dig oss dem deras sig sin sitt sina är inom utan mellan idag
        omedelbart vänliga hälsningar tack välkommen måste bör blir har hade varit skulle finns
        inga ingen något några vad vilket vilka när där nedan länken klicka genom över senast
        annars eftersom därför alltid aldrig redan ert bekräfta uppdatera uppgifter dagar
        timmar ansökan ärende tillstånd""",
    "en": """the and to of is you your for that on with are be this it we will not or by from
        have has as at please an our can was were been would should must if but all any
        which who what when where there their they them he she his her its us my me do does
        did about into after before now today immediately regards dear thank thanks welcome
        than then these those here""",
    "de": """der die das und ist nicht ich sie wir ihr ein eine einen mit von zu den dem des
        auf für sich auch werden wird wurde haben hat bitte ihre ihren ihnen oder aber wenn
        dass noch nach bei aus um sind kann können müssen muss wurden durch über unter vom zum
        zur im am sehr geehrte geehrter geehrten freundlichen grüßen ihrem ihres heute sofort
        jetzt keine kein diese dieser dieses wie wer damit sowie falls sonst innerhalb bis
        gegen ohne zwischen bereits unsere unser unseren bestätigen""",
    # Guards: counted, never answered.
    "da": """og ikke jeg hun han vi de er det som på med til af for har kan skal vil fra eller
        meget også efter hvis hvad hvor deres dig mig os venlig hilsen tak""",
    "nb": """og ikke jeg hun han vi de er det som på med til av for har kan skal vil fra eller
        meget også etter hvis hva hvor deres deg meg oss vennlig hilsen takk""",
    "nl": """de het een en is niet ik je jij wij zij van op te met voor dat die aan zijn heeft
        hebben worden wordt uw u ook maar als naar bij om""",
    "es": """el la los las de del y que en un una por con para es su sus se no al lo como más
        pero o sí usted ha este esta""",
    "fr": """le la les de des du et est un une pour que qui dans sur avec pas vous votre vos
        nous ce cette il elle sont être au aux ou mais""",
    "it": """il lo la gli le di del della e è un una per che con non si sono suo sua questo
        questa come anche ma o""",
    "pt": """o a os as de do da dos das e é um uma para que com não se seu sua por mais como
        mas ou você""",
    "et": """see ka kui või aga oma mis kes olete teie teile teid meie
        palun tänan""",
}
ANSWERED = ("fi", "sv", "en", "de")


def _shared(lists: dict[str, frozenset[str]]) -> frozenset[str]:
    seen: dict[str, int] = {}
    for words in lists.values():
        for word in words:
            seen[word] = seen.get(word, 0) + 1
    return frozenset(word for word, count in seen.items() if count > 1)


_RAW = {language: frozenset(words.split()) for language, words in _WORDS.items()}
_SHARED = _shared(_RAW)
FUNCTION_WORDS = {language: words - _SHARED for language, words in _RAW.items()}
# No word is in two lists now: one lookup per word.
_LANGUAGE_OF = {word: language for language, words in FUNCTION_WORDS.items() for word in words}

_ALL_LISTED = frozenset().union(*_RAW.values())
# Finnish says with case endings what the others say with function words ("osoitteessa", "at the
# address"), so a word with a Finnish ending or a long ä/ö/y counts for Finnish too. Only endings
# no Swedish or English word has are used ("-sta" is left out: första, nästa).
_FI_ENDINGS = (
    "ssa", "ssä", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nsa", "nsä", "mme",
    # Possessive "your" (hakemuksesi, passisi) and the passive participle (lähetetty, käsitelty).
    "asi", "äsi", "esi", "isi", "osi", "usi", "ysi", "tty", "ttu", "lty",
)  # fmt: skip
_FI_VOWELS = ("ää", "öö", "yy")
# Swedish definite plurals and nouns in -ning/-het, which neither Danish nor Norwegian spell so.
_SV_ENDINGS = ("arna", "erna", "orna", "ningen", "ningar", "heten", "ligen")

# The least evidence for an answer: this many function words of the language, of this many
# different ones, making up this share of the words, and this many times the runner-up's count.
MIN_HITS = 4
MIN_DISTINCT = 3
MIN_SHARE = 0.12
MIN_LEAD = 2.5
# The first words decide: a language does not change halfway often enough to read further.
MAX_WORDS = 2000


def detect_language(text: str) -> str:
    """ "fi", "sv", "en" or "de" when the text is certainly in that language, else ""."""
    words = _words(text or "")
    if not words:
        return ""
    hits = {language: 0 for language in FUNCTION_WORDS}
    distinct: dict[str, set[str]] = {language: set() for language in FUNCTION_WORDS}
    for word in words:
        language = _LANGUAGE_OF.get(word)
        if language:
            hits[language] += 1
            distinct[language].add(word)
        if word in _ALL_LISTED or len(word) <= 5:
            continue
        if _finnish_form(word):
            hits["fi"] += 1
            distinct["fi"].add(word)
        elif word.endswith(_SV_ENDINGS):
            hits["sv"] += 1
            distinct["sv"].add(word)
    ranked = sorted(hits, key=hits.get, reverse=True)
    best, runner_up = ranked[0], hits[ranked[1]]
    if (
        best not in ANSWERED
        or hits[best] < MIN_HITS
        or len(distinct[best]) < MIN_DISTINCT
        or hits[best] < MIN_SHARE * len(words)
        or hits[best] < MIN_LEAD * runner_up
    ):
        return ""
    return best


def _words(text: str) -> list[str]:
    """The text's first MAX_WORDS words, lower-cased."""
    # Words are separated by at least one character: a text this short holds at most MAX_WORDS,
    # and findall, which makes no match objects, finds the same ones.
    if len(text) < 2 * MAX_WORDS:
        return [word.lower() for word in _WORD.findall(text)]
    return [match.group().lower() for match in islice(_WORD.finditer(text), MAX_WORDS)]


def _finnish_form(word: str) -> bool:
    return word.endswith(_FI_ENDINGS) or any(pair in word for pair in _FI_VOWELS)
