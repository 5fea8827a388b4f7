"""What account phishing says, in the languages it is written in: requests to sign in, verify or
update an account, payment or card details; threats to close an account or a mailbox; prizes to
claim; and the words of its buttons. en, fi, sv and the languages common in phishing sent to
Europe and Brazil (pt, es, de, nl, fr, it).

Regular expressions with bounded gaps only (`.{0,40}`), never nested quantifiers, so a match costs
time linear in the text. A sentence that warns ("we will never ask for your password") or negates
does not count.
"""

from __future__ import annotations

import re

# The patterns are written in lower case and matched against lower-cased text: IGNORECASE makes
# Python's re about three times slower on these alternations.
_FLAGS = re.UNICODE

# Asking the reader to hand over or re-enter access to an account, or payment details.
CREDENTIAL_REQUEST = re.compile(
    r"(?:"
    # en
    r"\b(?:verify|confirm|validate|re-?validate|update|reactivate|re-?activate|unlock|restore|"
    r"secure|authenticate)\s+(?:your|the|this)\s+[\w\s]{0,30}?(?:account|identity|e-?mail|"
    r"mailbox|password|login|credentials|details|information|info|payment|billing|card|"
    r"profile|address|wallet|access|membership|subscription)"
    r"|\b(?:log|sign)\s?-?in\s+(?:to\s+)?(?:your\s+\w*\s*account|to\s+(?:verify|confirm|"
    r"continue|keep|avoid|restore|update))"
    r"|\b(?:enter|provide|submit|re-?enter)\s+your\s+[\w\s]{0,20}?(?:password|pin|credentials|"
    r"card|login|otp|code|account\s+details|bank)"
    r"|\bpayment\s+(?:details|information|method)\s+(?:is\s+|are\s+)?(?:expired|outdated|"
    r"declined|failed|invalid)|\bupdate\s+(?:your\s+)?payment"
    # pt / es
    r"|\b(?:verifi|confirm|atualiz|actualic|actualiz|valid|regulariz|recadastr|desbloque)\w*\s+"
    r"[\w\s]{0,30}?(?:sua|seu|seus|suas|su|sus|tu|tus|os|as|o|a|la|el|los|las)\s+[\w\s]{0,20}?"
    r"(?:conta|cuenta|dados|datos|cadastro|identidade|identidad|senha|contraseña|cartão|"
    r"tarjeta|acesso|acceso|informações|información|e-?mail|correo|pagamento|pago)"
    r"|\b(?:informe|digite|insira|introduzca|ingrese)\s+[\w\s]{0,20}?(?:sua|seu|su)\s+"
    r"(?:senha|contraseña|token|cartão|tarjeta|código)"
    # de
    r"|\b(?:bestätigen|verifizieren|aktualisieren|überprüfen|entsperren)\s+sie\s+[\w\s]{0,30}?"
    r"(?:ihr|ihre|ihren|die|das|den)\s+[\w\s]{0,20}?\w*(?:konto|daten|identität|zugang|"
    r"e-?mail|passwort|kennwort|zahlung\w*|karte|angaben|adresse)"
    r"|\b(?:ihr|ihre)\s+\w*(?:konto|daten|angaben|identität)\w*\s+[\w\s]{0,40}?"
    r"(?:bestätigen|verifizieren|aktualisieren|überprüfen)"
    # nl
    r"|\b(?:bevestig|verifieer|controleer|update|activeer)\w*\s+[\w\s]{0,30}?(?:uw|je|jouw)\s+"
    r"[\w\s]{0,20}?(?:account|gegevens|identiteit|e-?mail|wachtwoord|betaal\w*|adres|rekening)"
    # fr / it
    r"|\b(?:confirm|vérifi|verifi|mett|valid|réactiv|aggiorn|conferm)\w*\s+[\w\s]{0,30}?"
    r"(?:votre|vos|ton|tes|il\s+tuo|i\s+tuoi|la\s+tua|le\s+tue)\s+[\w\s]{0,20}?(?:compte|"
    r"identité|données|informations|adresse|mot\s+de\s+passe|paiement|account|dati|identità|"
    r"password|pagamento|carte|carta|coordonnées)"
    # fi / sv
    r"|\b(?:vahvista|päivitä|tarkista|todenna)\s+[\w\s]{0,20}?\w*(?:tilisi|tunnuksesi|"
    r"henkilöllisyytesi|tietosi|salasanasi|korttitietosi|maksutietosi|sähköpostisi)"
    r"|\b(?:verifiera|bekräfta|uppdatera|logga\s+in\s+och\s+bekräfta)\s+[\w\s]{0,20}?"
    r"(?:ditt|din|dina)\s+[\w\s]{0,20}?\w*(?:konto|identitet|uppgifter|lösenord|e-?post|"
    r"betalning\w*)"
    r")",
    _FLAGS,
)

# Telling the reader that an account, a mailbox or a service is about to be cut off.
ACCOUNT_THREAT = re.compile(
    r"(?:"
    r"\b(?:account|mailbox|e-?mail|password|subscription|membership|card|access|storage|cloud|"
    r"photos|videos|files|documents|data)"
    r"\s+[\w\s]{0,30}?(?:will\s+be|has\s+been|is|was|have\s+been)\s+[\w\s]{0,20}?(?:suspended|"
    r"deactivated|disabled|closed|locked|blocked|terminated|deleted|limited|restricted|"
    r"expired|full|on\s+hold|compromised|shut\s*down)"
    r"|\b(?:mailbox|storage|inbox|quota|cloud)\s+(?:is\s+)?(?:almost\s+)?(?:full|exceeded)"
    r"|\bpassword\s+(?:will\s+)?expire|\bunusual\s+(?:sign-?\s?in|login|activity)"
    r"|\bpayment\s+(?:has\s+)?(?:failed|declined|was\s+declined)"
    r"|\b(?:out\s+of|run\s+out\s+of|no\s+more)\s+(?:storage|space)"
    r"|\b(?:conta|cuenta|cartão|tarjeta|senha|acesso|cadastro|caixa\s+postal)\s+[\w\s]{0,30}?"
    r"(?:será|foi|está|ha\s+sido|será|fue|está)\s+[\w\s]{0,20}?(?:bloquead[oa]|suspens[oa]|"
    r"suspendid[oa]|desativad[oa]|desactivad[oa]|cancelad[oa]|expirad[oa]|encerrad[oa])"
    r"|\b(?:konto|zugang|postfach|karte|abonnement|passwort)\s+[\w\s]{0,30}?"
    r"(?:wird|wurde|ist)\s+[\w\s]{0,20}?(?:gesperrt|deaktiviert|eingeschränkt|gelöscht|"
    r"abgelaufen|voll|blockiert|geschlossen)"
    r"|\b(?:account|rekening|mailbox|abonnement|pas)\s+[\w\s]{0,30}?(?:wordt|is|werd)\s+"
    r"[\w\s]{0,20}?(?:geblokkeerd|opgeschort|gedeactiveerd|verwijderd|verlopen|vol)"
    r"|\bgeen\s+(?:opslag)?ruimte\s+meer"
    r"|\b(?:compte|boîte|abonnement|carte|accès)\s+[\w\s]{0,30}?(?:sera|a\s+été|est)\s+"
    r"[\w\s]{0,20}?(?:suspendu|bloqué|désactivé|supprimé|expiré|plein|fermé|limité)"
    r"|\b(?:account|casella|abbonamento|carta)\s+[\w\s]{0,30}?(?:sarà|è\s+stato|è\s+stata)\s+"
    r"[\w\s]{0,20}?(?:sospes[oa]|bloccat[oa]|disattivat[oa]|chius[oa]|scadut[oa])"
    r"|\b(?:tilisi|postilaatikkosi|korttisi|tunnuksesi)\s+[\w\s]{0,20}?(?:suljetaan|lukitaan|"
    r"on\s+lukittu|on\s+suljettu|jäädytetään|vanhenee)"
    r"|\b(?:ditt\s+konto|din\s+brevlåda|ditt\s+kort)\s+[\w\s]{0,20}?(?:stängs|spärras|har\s+"
    r"spärrats|kommer\s+att\s+stängas|är\s+full)"
    r")",
    _FLAGS,
)

# The reader is told that they have won or been picked, or that money waits for them: no genuine
# sender announces a prize that way.
PRIZE_WON = re.compile(
    r"(?:"
    r"\byou(?:'ve|\s+have|\s+are)\s+(?:been\s+)?(?:won|a\s+winner|selected\s+(?:as|to\s+"
    r"(?:win|receive|get))|chosen\s+(?:as|to\s+(?:win|receive|get)))|"
    r"\bclaim\s+your\s+(?:reward|prize|gift|bonus|tokens|airdrop|payout|funds)|"
    r"\bfree\s+spins|\bairdrop\b|\bwithdraw\s+your\b|\byour\s+(?:payout|winnings)\b"
    r"|\b(?:você|vc)\s+(?:ganhou|foi\s+sortead[oa])|"
    r"\bvalores\s+a\s+receber|\bcrédito\s+em\s+conta|\bhas\s+(?:ganado|sido\s+seleccionad[oa])"
    r"|\bsie\s+haben\s+[\w\s]{0,20}?gewonnen|\bfreispiele"
    r"|\b(?:je|u)\s+(?:hebt|heeft)\s+[\w\s]{0,20}?gewonnen"
    r"|\bvous\s+avez\s+gagné|\bhai\s+vinto"
    r"|\bolet\s+voittanut|\bdu\s+har\s+vunnit"
    r")",
    _FLAGS,
)

# A prize, reward, gift or payout waiting to be claimed. A congratulation alone claims nothing:
# admissions, job offers and friends congratulate ("Grattis! Du har antagits"); the prize decides.
PRIZE_CLAIM = re.compile(
    r"(?:"
    r"\b(?:you(?:'ve|\s+have)\s+(?:been\s+selected|won|been\s+chosen)|"
    r"claim\s+(?:your|now|it|the)|your\s+(?:reward|prize|gift|bonus|payout)|free\s+spins|"
    r"airdrop|winner|giveaway)"
    r"|\b(?:você\s+(?:ganhou|foi\s+selecionad[oa])|resgat[ae]|prêmio|brinde|"
    r"has\s+ganado|premio|reclam[ae])"
    r"|\b(?:gewonnen|gewinn\w*|gutschein|freispiele|ausgewählt|prämie)"
    r"|\b(?:gewonnen|prijs|cadeaubon|geselecteerd|beloning)"
    r"|\b(?:gagné|cadeau|sélectionnée?|récompense|réclame)"
    r"|\b(?:vinto|premio|omaggio|selezionat[oa])"
    r"|\b(?:voittanut|palkinto|lahjakortti|vunnit|vinst|presentkort)"
    r")",
    _FLAGS,
)

# A congratulation counts as a prize claim only in a message that also speaks of something to
# claim or receive as a gift: "Congratulations on receiving your reward", "Grattis! Hämta din
# present". An admission letter or a friend's "onnittelut" names no prize.
CONGRATULATION = re.compile(
    r"\b(?:congratulations|congrats|parabéns|felicidades|felicitaciones|glückwunsch|"
    r"gefeliciteerd|félicitations|congratulazioni|onnittelut|onneksi\s+olkoon|grattis|"
    r"gratulerar)\b",
    _FLAGS,
)
PRIZE_WORD = re.compile(
    r"\b(?:claim\w*|rewards?|prizes?|gifts?|bonus\w*|vouchers?|coupons?|surprise|winners?|"
    r"won|jackpot|free\s+(?:iphone|gift|trial)|palkin\w*|lahj\w*|voit\w*|lunast\w*|"
    r"belöning\w*|present\w*|gåv\w*|vinst\w*|vunnit|hämta\s+ut|prêmio|brinde|premio|"
    r"gewinn\w*|gutschein\w*|prämie|prijs|cadeau\w*|récompense)\b",
    _FLAGS,
)

# Advance-fee fraud: unclaimed millions, a beneficiary, an inheritance, a fund to share.
ADVANCE_FEE = re.compile(
    r"(?:"
    r"\b(?:next\s+of\s+kin|beneficiary|inheritance|unclaimed\s+(?:fund|amount|sum)|"
    r"compensation\s+fund|consignment\s+box|atm\s+card|western\s+union|moneygram|"
    r"fund\s+(?:transfer|manager)|mutual(?:ly)?\s+benefi\w+|business\s+proposal|"
    r"my\s+late\s+(?:husband|father|client)|(?:usd|us\$|\$|€|£|eur)\s?\d[\d,.]{0,15}\s?"
    r"(?:million|mio|m\b)|\d[\d,.]{0,15}\s?(?:million|mio)\s?(?:usd|us\s+dollars|dollars|"
    r"euros?|pounds|£|€|\$))"
    r"|\b(?:million\s+(?:us\s+)?dollars|milhões\s+de\s+dólares|millones\s+de\s+dólares|"
    r"millionen\s+(?:dollar|euro)|miljoen\s+(?:dollar|euro)|millions\s+de\s+dollars|"
    r"doação|donation|donación|spende|donazione)"
    r"|(?:us\$|usd|\$|€|£)\s?\d{1,3}(?:[.,]\d{3}){2,4}"
    r"|\b(?:herança|beneficiário|nicht\s+beanspruchte\w*|erbschaft|nalatenschap|héritage|"
    r"eredità|perintö|arv\s+efter)"
    r")",
    _FLAGS,
)

# The words on a button that takes the reader to act on an account, a parcel, a document or a
# prize. A link whose whole text is one of these.
ACTION_TEXT = re.compile(
    r"^\W{0,4}(?:"
    r"(?:verify|confirm|validate|update|log\s?-?in|sign\s?-?in|login|access|unlock|restore|"
    r"reactivate|review|view|open|download|track|claim|redeem|collect|release|activate|"
    r"check|secure|continue|pay|resolve|get|keep|upgrade|renew|reschedule|schedule|submit|"
    r"participate|join|start|apply|register|exchange)\b"
    r"|(?:verifi|confirm|atualiz|acess|acompanh|rastre|resgat|regulariz|desbloque|ver\s|baix|"
    r"entr|valid|pag|recuper|actualiz|acced|consult|reclam|particip|cadastr|inscrev)\w*"
    r"|(?:bestätig|verifizier|aktualisier|anmeld|einlog|ansehen|öffnen|überprüf|freischalt|"
    r"verfolg|abholen|jetzt|hier\s+bestätig|sichern|zahl)\w*"
    r"|(?:bevestig|verifieer|inlog|log\s+in|bekijk|open|volg|activeer|claim|ontgrendel|"
    r"betaal|pakket)\w*"
    r"|(?:confirm|vérifi|connect|accéd|consult|suivre|récupér|réclam|télécharg|pay|valid|"
    r"conferm|accedi|verific|scaric|aggiorn|ritir|riscatt|sblocc)\w*"
    r"|(?:vahvista|kirjaudu|päivitä|tarkista|avaa|lunasta|seuraa|maksa|verifiera|bekräfta|"
    r"logga\s+in|uppdatera|öppna|hämta|spåra|betala)\w*"
    r"|(?:click\s+here|klik\s+hier|hier\s+klicken|clique\s+aqui|cliquez\s+ici|haga\s+clic|"
    r"clicca\s+qui|klicka\s+här|klikkaa\s+tästä)"
    r")",
    _FLAGS,
)

# Sentences that warn about phishing or negate the request are not requests.
_WARNING = re.compile(
    r"\b(?:never|do\s+not|don't|nunca|jamais|jamás|niemals|nooit|mai|koskaan|aldrig|älä|"
    r"ignore|ignorieren|ignoreer|ignorez|ignore\s+this|if\s+you\s+did(?:\s+not|n't)|"
    r"phishing|scam|fraud|golpe|fraude|betrug|oplichting|arnaque|truffa|huijau\w*|bedrägeri\w*|"
    r"bluff\w*)\b",
    _FLAGS,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
MAX_SCANNED = 20_000  # characters of the text read; phishing says what it wants early


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return text[left + 1 : right]


# Every match of a pattern holds one of its anchors: a substring test in C skips the regular
# expression for most texts (a large alternation costs about 0.5 us a character in Python's re).
_ANCHORS: dict[re.Pattern, tuple[str, ...]] = {
    CREDENTIAL_REQUEST: (
        "verif", "confirm", "validat", "updat", "activ", "unlock", "restor", "secure",
        "authentic", "log", "sign", "enter", "provid", "submit", "payment", "atualiz", "actualiz",
        "actualic", "valid", "regulariz", "recadastr", "desbloque", "informe", "digite", "insira",
        "introduzca", "ingrese", "bestätig", "verifizier", "aktualisier", "überprüf", "entsperr",
        "bevestig", "verifieer", "controleer", "update", "activeer", "vérifi", "mett", "réactiv",
        "aggiorn", "conferm", "vahvista", "päivitä", "tarkista", "todenna", "verifiera",
        "bekräfta", "uppdatera", "logga",
    ),
    ACCOUNT_THREAT: (
        "account", "mail", "password", "subscription", "membership", "card", "access", "storage",
        "cloud", "photo", "video", "file", "document", "data", "quota", "inbox", "expire",
        "unusual", "payment", "space", "conta", "cuenta", "cartão", "tarjeta", "senha", "acesso",
        "cadastro", "caixa", "konto", "zugang", "postfach", "karte", "abonnement", "passwort",
        "rekening", "pas", "ruimte", "compte", "boîte", "carte", "accès", "casella",
        "abbonamento", "carta", "tili", "postilaatikko", "kortti", "tunnu", "brevlåda", "kort",
    ),
    PRIZE_WON: (
        "won", "winner", "selected", "chosen", "claim", "spins", "airdrop", "withdraw", "payout",
        "winnings", "ganhou", "sortead", "valores a receber", "crédito em conta", "ganado",
        "gewonnen", "freispiele", "gagné", "vinto", "voittanut", "vunnit",
    ),
    CONGRATULATION: (
        "congrat", "parabéns", "felicidades", "felicitaciones", "glückwunsch", "gefeliciteerd",
        "félicitations", "congratulazioni", "onnittelut", "onneksi olkoon", "grattis", "gratulerar",
    ),
    PRIZE_CLAIM: (
        "selected", "won", "chosen", "claim", "reward", "prize", "gift",
        "bonus", "payout", "spins", "airdrop", "winner", "giveaway", "ganhou",
        "selecionad", "resgat", "prêmio", "brinde", "ganado",
        "premio", "reclam", "gewonnen", "gewinn", "gutschein", "freispiele",
        "ausgewählt", "prämie", "prijs", "cadeaubon", "geselecteerd",
        "beloning", "gagné", "cadeau", "sélectionn", "récompense", "réclame",
        "vinto", "omaggio", "selezionat", "voittanut",
        "palkinto", "lahjakortti", "vunnit", "vinst", "presentkort",
    ),
    ADVANCE_FEE: (
        "kin", "beneficiar", "inheritance", "unclaimed", "compensation", "consignment", "atm",
        "western union", "moneygram", "fund", "mutual", "business proposal", "my late",
        "million", "mio", "$", "€", "£", "usd", "milhões", "millones", "miljoen", "doação",
        "donation", "donación", "spende", "donazione", "herança", "beneficiário", "beanspruch",
        "erbschaft", "nalatenschap", "héritage", "eredità", "perintö", "arv efter",
    ),
}  # fmt: skip


def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """A pattern that finds one of `words` where `any(word in text for word in words)` does: the
    words grouped by their first character, so that re tries at each place only the words that
    can start there (about half the cost of the loop of substring tests, six times a check)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    return re.compile(
        "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    )


_ANCHOR_PATTERNS: dict[re.Pattern, re.Pattern] = {
    pattern: _any_of(anchors) for pattern, anchors in _ANCHORS.items()
}


def find_request(pattern: re.Pattern, text: str, lowered: str | None = None) -> str:
    """The first sentence of `text` where `pattern` matches outside a warning or negation.
    `lowered`: text[:MAX_SCANNED].lower() when the caller checks several patterns."""
    text = text[:MAX_SCANNED]
    lowered = text.lower() if lowered is None else lowered
    anchors = _ANCHOR_PATTERNS.get(pattern)
    if anchors is not None and not anchors.search(lowered):
        return ""
    # Lower-casing keeps positions except for a few letters (İ): then quote the lowered text.
    original = text if len(text) == len(lowered) else lowered
    for count, match in enumerate(pattern.finditer(lowered)):
        if count >= 20:
            break
        if not _WARNING.search(_sentence_around(lowered, match.start(), match.end())):
            sentence = _sentence_around(original, match.start(), match.end())
            return " ".join(sentence.split())[:160]
    return ""


def is_action_text(text: str) -> bool:
    text = (text or "").strip().lower()
    return bool(text) and len(text) <= 60 and bool(ACTION_TEXT.search(text))
