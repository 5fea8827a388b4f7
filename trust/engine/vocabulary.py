"""Words the content analyzers look for, in Finnish, Swedish and English, in their base forms.

The base forms are stemmed with Snowball at start-up (see language.py), so inflected forms and
compounds ending in them match too: "passinumerosi", "tiliotteet", "lönespecifikationer".
"""

from __future__ import annotations

# concept -> (category, {language: base forms or phrases})
CONCEPTS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "birth_date": ("sensitive", {
        "fi": ("syntymäaika", "syntymäpäivä", "syntymäaikasi"),
        "sv": ("födelsedatum", "födelsedag", "födelsetid"),
        "en": ("birth date", "date of birth", "birthdate", "dob", "birthday"),
    }),
    "identity_code": ("sensitive", {
        "fi": ("henkilötunnus", "hetu", "sotu"),
        "sv": ("personnummer", "personbeteckning"),
        "en": ("personal identity code", "identity code", "social security number",
               "personal identity number", "national id number", "ssn"),
    }),
    "passport_number": ("sensitive", {
        "fi": ("passinumero", "passikopio", "passin numero", "passin kopio", "passikuva",
               "passitieto", "passin tiedot", "passin kuva"),
        "sv": ("passnummer", "passkopia", "passets nummer", "kopia av passet", "passfoto",
               "passuppgift", "passets uppgifter", "bild på passet", "kopia på passet"),
        "en": ("passport number", "passport copy", "copy of passport", "passport details",
               "scan of passport", "photo of passport", "picture of passport", "passport data",
               "passport photo", "passport picture", "image of passport", "passport information",
               "passport info", "passport scan", "passport page", "passport image"),
    }),
    "personal_data": ("sensitive", {
        "fi": ("henkilötieto", "henkilötiedot", "henkilöllisyystieto"),
        "sv": ("personuppgift", "personuppgifter", "personliga uppgifter"),
        "en": ("personal data", "personal details", "personal information", "personal info"),
    }),
    "marital_status": ("sensitive", {
        "fi": ("siviilisääty",),
        "sv": ("civilstånd",),
        "en": ("marital status", "civil status"),
    }),
    "bank_statement": ("sensitive", {
        "fi": ("tiliote", "pankkiote", "tilitapahtuma"),
        "sv": ("kontoutdrag", "bankutdrag", "kontohistorik"),
        "en": ("bank statement", "account statement", "statement of account"),
    }),
    "pay_slip": ("sensitive", {
        "fi": ("palkkalaskelma", "palkkakuitti", "palkkatosite"),
        "sv": ("lönespecifikation", "lönebesked", "lönebesked", "lönekvitto"),
        "en": ("pay slip", "payslip", "salary slip", "pay stub", "payroll statement"),
    }),
    "bank_codes": ("sensitive", {
        "fi": ("pankkitunnus", "verkkopankkitunnus", "tunnusluku", "tunnuslukulista",
               "avainlukulista", "verkkopankki", "mobiilivarmenne"),
        "sv": ("bankkod", "nätbankskod", "bankkoder", "nätbankskoder", "inloggningsuppgift",
               "nyckeltalslista", "bankid"),
        "en": ("bank codes", "online banking", "bank credentials", "banking credentials",
               "online bank", "bank login", "login credentials", "bank id", "netbank"),
    }),
    "card_number": ("sensitive", {
        "fi": ("kortinnumero", "korttinumero", "luottokortti", "pankkikortti", "turvakoodi",
               "cvv", "cvc", "voimassaoloaika"),
        "sv": ("kortnummer", "kreditkort", "bankkort", "säkerhetskod", "cvv", "cvc"),
        "en": ("card number", "credit card", "debit card", "card details", "security code",
               "cvv", "cvc", "expiry date", "expiration date"),
    }),
    "one_time_password": ("sensitive", {
        "fi": ("kertakäyttösalasana", "kertakäyttökoodi", "vahvistuskoodi", "salasana",
               "pin-koodi", "tekstiviestikoodi"),
        "sv": ("engångslösenord", "engångskod", "lösenord", "pinkod", "pin-kod", "sms-kod"),
        "en": ("one-time password", "one time password", "otp", "password", "pin code",
               "sms code", "one-time code"),
    }),
    "fee": ("payment", {
        "fi": ("käsittelymaksu", "maksu", "lasku", "sakko", "maksamaton", "rekisteröintimaksu",
               "palkkio", "eräpäivä"),
        "sv": ("avgift", "handläggningsavgift", "faktura", "böter", "obetald",
               "registreringsavgift",
               "arvode"),
        "en": ("fee", "processing fee", "invoice", "unpaid", "outstanding", "registration fee",
               "penalty fee", "charge", "eur", "euro", "euros"),
    }),
    "pay_verb": ("payment", {
        "fi": ("maksa", "maksakaa", "maksaa", "maksettava", "tilisiirto", "siirrä",
               "vahvista maksu", "maksuvahvistus"),
        "sv": ("betala", "betalas", "överför", "överföring", "bekräfta betalningen",
               "betalningsbekräftelse"),
        "en": ("pay", "bank transfer", "wire transfer", "transfer the", "confirm the payment",
               "confirm your payment", "payment confirmation", "send money", "to be paid"),
    }),
    "threat": ("threat", {
        "fi": ("karkotus", "karkottaa", "karkotetaan", "karkotuspäätös", "maasta poistaminen",
               "poistetaan maasta", "käännytys", "käännytetään", "pidätetään", "pidätys",
               "oikeustoimet", "rikosilmoitus", "sakko"),
        "sv": ("utvisning", "utvisas", "utvisningsbeslut", "avvisning", "avvisas", "gripas",
               "rättsliga åtgärder", "polisanmälan", "böter"),
        "en": ("deportation", "deported", "deport", "expelled", "expulsion", "removal from finland",
               "arrest", "arrested", "legal action", "criminal charges", "penalty"),
    }),
    "revocation": ("revocation", {
        "fi": ("peruutetaan", "peruuttaa", "peruutettu", "mitätöidään", "lakkautetaan", "hylätään",
               "hylätty", "raukeaa", "vanhenee", "suljetaan", "lukitaan", "jäädytetään",
               "lukittu", "suljettu", "poistetaan käytöstä"),
        "sv": ("återkallas", "återkalla", "återkallat", "makuleras", "annulleras", "spärras",
               "upphör", "avslås", "stängs", "löper ut", "låst", "låses", "spärrat",
               "inaktiverat"),
        "en": ("cancelled", "canceled", "revoked", "revoke", "suspended", "terminated", "blocked",
               "locked", "deactivated", "disabled",
               "invalidated", "rejected", "expire", "expires", "expired", "frozen", "closed"),
    }),
    "permit": ("permit", {
        "fi": ("oleskelulupa", "työlupa", "lupa", "oleskelukortti", "oleskelulupakortti",
               "hakemus", "viisumi", "kansalaisuus", "asiakastili", "perheenyhdistäminen",
               "perheside"),
        "sv": ("uppehållstillstånd", "arbetstillstånd", "tillstånd", "uppehållskort", "ansökan",
               "visum", "medborgarskap", "familjeåterförening", "familjeband"),
        "en": ("permit", "residence permit", "work permit", "residence card", "application",
               "visa", "citizenship", "account", "family reunification", "family ties"),
    }),
    # What only the authority does with a permit: its processing, its state, its delivery. A message
    # that tells the reader this about *their* permit speaks in the authority's role.
    "permit_object": ("permit", {
        "fi": ("oleskelulupa", "työlupa", "oleskelulupakortti", "oleskelukortti", "lupakortti",
               "oleskelulupahakemus", "lupahakemus", "kansalaisuushakemus", "asiointitili",
               "viisumihakemus"),
        "sv": ("uppehållstillstånd", "arbetstillstånd", "uppehållskort", "tillståndskort",
               "uppehållstillståndskort", "medborgarskapsansökan", "tillståndsansökan",
               "visumansökan", "e-tjänstkonto"),
        "en": ("residence permit", "work permit", "permit card", "residence card", "permit",
               "permit application", "citizenship application", "visa application",
               "e-service account", "enter finland account"),
    }),
    "case_status": ("status", {
        "fi": ("käsittely", "käsitellään", "käsittelyssä", "kesken", "keskeytetty", "keskeytynyt",
               "puutteellinen", "puuttuu", "odottaa", "valmis", "valmistunut", "noudettavissa",
               "toimitus", "toimitettavaksi", "hyväksytty", "myönnetty", "tarkistus",
               "pysäytetty", "vahvistamatta", "maksamatta", "vanhentunut", "tarkastettava"),
        "sv": ("handläggning", "handläggs", "behandling", "behandlas", "pausad", "pausats",
               "vilande", "ofullständig", "saknas", "väntar", "klar", "klart", "färdig",
               "leverans", "levereras", "godkänd", "godkänts", "beviljad", "beviljats",
               "granskning", "granskas", "avbruten", "obetald"),
        "en": ("processing", "processed", "being processed", "under review", "reviewed",
               "on hold", "pending", "incomplete", "missing", "ready", "delivery", "delivered",
               "dispatch", "dispatched", "approved", "granted", "paused", "awaiting",
               "requires verification", "unpaid", "verification"),
    }),
    # Notices of a message waiting somewhere official: secure mail, an official message.
    "message_notice": ("status", {
        "fi": ("turvaposti", "turvaviesti", "suojattu viesti", "virallinen viesti",
               "virallinen ilmoitus", "uusi asiakirja", "salattu viesti"),
        "sv": ("säker post", "säkert meddelande", "officiellt meddelande", "krypterat meddelande",
               "nytt dokument", "säkra posten"),
        "en": ("secure message", "secure mail", "securemail", "official message",
               "official notice", "encrypted message", "new document", "official letter"),
    }),
    "new_message": ("status", {
        "fi": ("uusi viesti", "uutta viestiä", "lukematon viesti"),
        "sv": ("nytt meddelande", "olästa meddelande", "oläst meddelande"),
        "en": ("new message", "unread message", "message waiting"),
    }),
    # Appealing a decision is done in the e-service or at a court, never on a linked site.
    "appeal_verb": ("request", {
        "fi": ("valittaa", "valitus", "oikaisuvaatimus"),
        "sv": ("överklaga", "överklagan", "överklagande"),
        "en": ("appeal",),
    }),
    "read_verb": ("request", {
        "fi": ("lue", "lukea", "luettavissa", "katso", "näet"),
        "sv": ("läs", "läsa"),
        "en": ("read", "view", "see"),
    }),
    "more": ("request", {
        "fi": ("lisää", "lisätietoa", "lisätietoja"),
        "sv": ("mer", "mera", "mer information"),
        "en": ("more", "further information"),
    }),
    # Offers that sell what only the authority grants: speed, or a job that brings a permit.
    "speed_offer": ("guarantee", {
        "fi": ("nopeampi käsittely", "nopeutettu käsittely", "pikakäsittely", "nopea käsittely",
               "nopeuttaa käsittelyä", "pikapalvelu", "etusijalla", "vip"),
        "sv": ("snabbare handläggning", "snabb handläggning", "expresshandläggning",
               "snabba upp", "förtur", "expresstjänst", "vip"),
        "en": ("faster processing", "fast processing", "express processing",
               "priority processing", "speed up", "quick processing", "express service",
               "priority service", "within days", "vip"),
    }),
    "job_offer": ("guarantee", {
        "fi": ("työtarjous", "työpaikka", "työpaikkatarjous", "työsopimus"),
        "sv": ("jobberbjudande", "jobb", "anställning", "arbetserbjudande"),
        "en": ("job offer", "job", "employment", "vacancy", "work contract"),
    }),
    # Someone other than the authority says they will get the reader a permit: "työlupa
    # järjestetään", "arbetstillstånd ordnas av oss", "our team handles everything". Counts only
    # in a sentence about a permit that neither negates nor points to the e-service
    # (content._offer_for_sale).
    "permit_arranged": ("guarantee", {
        "fi": ("järjestetään", "järjestämme"),
        "sv": ("ordnas", "ordnar"),
        "en": ("we arrange", "arranged by us", "we handle", "handles everything",
               "handle everything", "we take care of", "we get you", "we will get you"),
    }),
    # A price for a service, not a salary or a currency alone: with a permit promised, a sale.
    # The phrases of "fee" are here too: a phrase's words count only in it ("processing fee" is no
    # longer "fee" alone), so a price named as a processing fee must be a price itself. A discount
    # is a price bargained.
    "price": ("payment", {
        "fi": ("hinta", "maksu", "kertamaksu", "palkkio", "kustannus", "ei ilmainen",
               "ei ilmaista", "käsittelymaksu", "palvelumaksu", "alennus", "alennusta"),
        "sv": ("pris", "avgift", "arvode", "kostnad", "kostar", "inte gratis",
               "handläggningsavgift", "serviceavgift", "rabatt"),
        "en": ("price", "fee", "cost", "costs", "charge", "not free", "processing fee",
               "handling fee", "service fee", "registration fee", "discount"),
    }),
    "guarantee": ("guarantee", {
        "fi": ("taattu", "takuu", "taatusti", "100 %", "jonon ohi", "ohittaa jonon", "pikakaista",
               "nopeampi päätös", "nopea päätös", "sisäpiiri", "arvonta", "arpajaiset",
               "premium-palvelu", "jonon kärkeen", "jonon kärki",
               "voittanut", "takaamme", "taataan", "onnistumisprosentti",
               "tuttuja sisällä", "suhteita sisällä", "tuttu sisällä"),
        "sv": ("garanterat", "garanterad", "garanti", "100 %", "förbi kön", "hoppa över kön",
               "snabbare beslut", "snabbt beslut", "lotteri", "vunnit", "premiumtjänst",
               "längst fram i kön", "först i kön", "garanterar", "framgångsgrad",
               "kontakter inne", "kontakter på insidan", "känner folk inne",
               "känner någon inne"),
        "en": ("guaranteed", "guarantee", "100%", "100 %", "skip the queue", "jump the queue",
               "fast track", "fast approval", "faster decision", "connection inside",
               "inside contact", "know people inside", "knows people inside",
               "know someone inside", "knows someone inside", "contacts inside",
               "connections inside",
               "to the top of the pile", "premium service", "lottery",
               "front of the queue", "top of the queue",
               "you have won", "we guarantee", "success rate"),
    }),
    "imperative": ("request", {
        "fi": ("vastaa", "vastaamalla", "lähetä", "lähettäkää", "toimita", "ilmoita", "antakaa",
               "täytä", "vahvista", "päivitä", "syötä", "klikkaa", "napsauta", "soita",
               "kirjaudu", "lataa", "tarkista", "kirjoita", "ota yhteyttä", "maksa", "siirrä",
               "liitä", "kerro"),
        "sv": ("svara", "skicka", "uppge", "ange", "fyll", "bekräfta", "uppdatera", "klicka",
               "ring", "logga", "ladda", "lämna", "skriv", "kontakta", "verifiera",
               "betala", "överför", "bifoga", "berätta"),
        "en": ("reply", "send", "provide", "fill", "confirm", "verify", "update", "enter",
               "give", "click", "tap", "call", "log in", "login", "sign in", "download",
               "share", "tell", "submit", "contact", "complete", "upload", "pay", "transfer",
               "attach", "dm", "message me", "whatsapp"),
    }),
    # Opening asks the reader to go somewhere (a link, an attachment, a new bank account), not to
    # hand over what the sentence names: "Ärende: öppna konto och nätbankskoder" books a meeting to
    # get bank codes. It acts like an imperative everywhere except as a request for data
    # (content._requests).
    "open_verb": ("request", {
        "fi": ("avaa", "avatkaa"),
        "sv": ("öppna",),
        "en": ("open",),
    }),
    "obligation": ("request", {
        "fi": ("tarvitsemme", "pyydämme", "tarvitaan", "pakollinen", "vaaditaan", "tulee",
               "täytyy", "pitää"),
        "sv": ("behöver", "begär", "krävs", "måste", "obligatorisk"),
        "en": ("need", "needed", "required", "require", "must", "mandatory"),
    }),
    "scam_talk": ("warning", {
        "fi": ("huijaus", "huijari", "huijausviesti", "tietojenkalastelu", "väärennetty",
               "huijaussivu", "petos", "rikollinen", "rikosilmoitus", "huijausyritys"),
        "sv": ("bedrägeri", "bedragare", "bluff", "bluffmeddelande", "nätfiske", "falsk",
               "bedrägeriförsök", "brottsanmälan", "brott"),
        "en": ("scam", "scammer", "fraud", "fraudster", "phishing", "fake", "fraudulent",
               "criminal", "beware", "crime"),
    }),
    "negation": ("warning", {
        # The negative verb with "että" fused: "pyydän, ettei kukaan lähetä" (see EXACT_WORDS).
        "fi": ("älä", "älkää", "ei koskaan", "emme koskaan", "koskaan", "emme", "ei", "eivät",
               "ettei", "ettette", "etteivät"),
        "sv": ("aldrig", "inte", "ej", "varken", "inget", "inga", "ingen", "ingenting"),
        "en": ("never", "not", "don't", "do not", "doesn't", "no one", "nobody", "nothing",
               "no need"),
    }),
    "urgency": ("urgency", {
        "fi": ("heti", "välittömästi", "kiireellinen", "kiireesti", "viimeistään tänään",
               "24 tunnin", "48 tunnin", "viimeinen mahdollisuus", "viimeinen varoitus",
               "määräaika umpeutuu", "tänään klo"),
        "sv": ("omedelbart", "genast", "brådskande", "inom 24 timmar", "inom 48 timmar",
               "sista chansen", "sista varningen", "senast idag", "senast i dag"),
        "en": ("immediately", "urgent", "urgently", "within 24 hours", "within 48 hours",
               "final notice", "final warning", "last chance", "last warning", "right away",
               "time is short", "today at the latest", "by midnight"),
    }),
    "money_channel": ("payment", {
        "fi": ("bitcoin", "kryptovaluutta", "lahjakortti", "western union", "moneygram", "krypto",
               "usdt", "ethereum", "lompakko-osoite"),
        "sv": ("bitcoin", "kryptovaluta", "presentkort", "western union", "moneygram", "krypto",
               "usdt", "ethereum", "plånboksadress"),
        "en": ("bitcoin", "crypto", "cryptocurrency", "gift card", "western union", "moneygram",
               "wallet address", "usdt", "tether", "ethereum", "btc", "google play card",
               "itunes card", "steam card", "paysafecard"),
    }),
    "official_channel": ("eservice", {
        "fi": ("asiointipalvelu", "sähköinen asiointi", "enter finland", "enterfinland",
               "asiointitili", "palvelupiste"),
        "sv": ("e-tjänst", "e-tjänsten", "enter finland", "enterfinland", "tjänsteställe"),
        "en": ("e-service", "enter finland", "enterfinland", "service point", "securemail"),
    }),
}  # fmt: skip

# Matched as written, not stemmed: their stem is another language's word ("ettet", that you do
# not, stems to "et"; Swedish "ett" stems to it too).
EXACT_WORDS = {"ettet": "negation", "etten": "negation", "ettemme": "negation"}

SENSITIVE_LABELS = {
    "birth_date": "birth date",
    "identity_code": "personal identity code",
    "passport_number": "passport number",
    "marital_status": "marital status",
    "bank_statement": "bank statements",
    "pay_slip": "pay slips",
    "bank_codes": "online-bank codes",
    "card_number": "card details",
    "one_time_password": "one-time passwords",
    "personal_data": "personal data",
}
