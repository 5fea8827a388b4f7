"""Well-known brands that phishing imitates, and the hosts that anyone can publish a page on.

Written by hand from general knowledge (no scraped list): banks, parcel services, mail and cloud
providers, streaming, shops, payment and crypto services, social networks, telecoms, security
software and tax or benefit authorities. Each brand has the names people see in a sender's
display name and the words its own sending domains contain ("facebookmail.com" is Facebook's).
Names that are also common words or first names (Chase, Target, Orange, Wise) are left out: a
friend called Chase writing from Gmail is not an impersonation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .confusables import fold
from .domains import registrable_domain

# (display names, words of the brand's own domains)
_BRANDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # Mail, cloud and software providers
    (("microsoft", "outlook", "office 365", "office365", "microsoft 365", "onedrive",
      "sharepoint", "hotmail", "windows live", "azure"), ("microsoft", "outlook", "office",
      "live", "hotmail", "sharepoint", "onedrive", "azure", "msn", "skype", "bing", "xbox")),
    (("google", "gmail", "google drive", "google docs", "youtube"),
     ("google", "gmail", "youtube", "googlemail")),
    (("apple", "icloud", "itunes", "app store", "apple pay"), ("apple", "icloud", "itunes")),
    (("yahoo",), ("yahoo", "yahoodns")),
    (("proton mail", "protonmail", "proton"), ("proton", "protonmail")),
    (("aol",), ("aol",)),
    (("zimbra",), ("zimbra",)),
    (("roundcube",), ("roundcube",)),
    (("cpanel",), ("cpanel",)),
    (("dropbox",), ("dropbox",)),
    (("docusign",), ("docusign",)),
    (("adobe", "adobe sign", "acrobat"), ("adobe",)),
    (("wetransfer",), ("wetransfer",)),
    (("zoom",), ("zoom",)),
    (("norton",), ("norton", "gen", "nortonlifelock")),
    (("mcafee",), ("mcafee",)),
    (("avast",), ("avast",)),
    (("kaspersky",), ("kaspersky",)),
    (("bitdefender",), ("bitdefender",)),
    # Social networks and messaging
    (("facebook", "meta for business", "meta support"), ("facebook", "facebookmail", "meta")),
    (("instagram",), ("instagram", "facebookmail")),
    (("whatsapp",), ("whatsapp",)),
    (("linkedin",), ("linkedin",)),
    (("twitter",), ("twitter", "x")),
    (("tiktok",), ("tiktok",)),
    (("telegram",), ("telegram",)),
    (("snapchat",), ("snapchat",)),
    (("discord",), ("discord",)),
    (("steam",), ("steampowered", "steamcommunity")),
    # Streaming
    (("netflix",), ("netflix",)),
    (("disney+", "disney plus"), ("disney", "disneyplus")),
    (("spotify",), ("spotify",)),
    (("hbo max",), ("hbo", "hbomax", "max")),
    # Shops and marketplaces
    (("amazon", "amazon prime", "prime video"), ("amazon", "primevideo")),
    (("ebay",), ("ebay",)),
    (("walmart",), ("walmart",)),
    (("costco",), ("costco",)),
    (("ikea",), ("ikea",)),
    (("lidl",), ("lidl",)),
    (("aldi",), ("aldi",)),
    (("shein",), ("shein",)),
    (("temu",), ("temu",)),
    (("aliexpress",), ("aliexpress", "alibaba")),
    (("zalando",), ("zalando",)),
    (("mercado livre", "mercado libre", "mercadolivre"), ("mercadolivre", "mercadolibre")),
    (("magazine luiza", "magalu"), ("magazineluiza", "magalu")),
    (("americanas",), ("americanas",)),
    (("best buy",), ("bestbuy",)),
    (("lowe's", "lowes"), ("lowes",)),
    (("home depot",), ("homedepot",)),
    (("sam's club", "sams club"), ("samsclub",)),
    (("booking.com",), ("booking",)),
    (("airbnb",), ("airbnb",)),
    # Payments and crypto
    (("paypal",), ("paypal",)),
    (("mastercard",), ("mastercard",)),
    (("american express", "amex"), ("americanexpress", "amex", "aexp")),
    (("klarna",), ("klarna",)),
    (("revolut",), ("revolut",)),
    (("venmo",), ("venmo",)),
    (("cash app",), ("cash", "square")),
    (("coinbase",), ("coinbase",)),
    (("binance",), ("binance",)),
    (("metamask",), ("metamask",)),
    (("trust wallet",), ("trustwallet",)),
    (("kraken",), ("kraken",)),
    (("crypto.com",), ("crypto",)),
    (("trezor",), ("trezor",)),
    (("ledger live", "ledger"), ("ledger", "ledgerwallet")),
    # Parcel services and posts
    (("dhl",), ("dhl",)),
    (("fedex",), ("fedex",)),
    (("ups",), ("ups",)),
    (("usps",), ("usps",)),
    (("royal mail",), ("royalmail",)),
    (("evri", "hermes"), ("evri", "hermes", "myhermes")),
    (("dpd",), ("dpd",)),
    (("gls",), ("gls",)),
    (("postnl",), ("postnl",)),
    (("postnord",), ("postnord",)),
    (("posti",), ("posti",)),
    (("bring",), ("bring", "posten")),
    (("correios",), ("correios",)),
    (("la poste", "colissimo", "chronopost"), ("laposte", "colissimo", "chronopost")),
    (("poste italiane",), ("poste", "posteitaliane")),
    (("correos",), ("correos",)),
    (("ctt",), ("ctt",)),
    (("inpost",), ("inpost",)),
    (("canada post", "postes canada"), ("canadapost", "postescanada")),
    (("australia post",), ("auspost",)),
    (("deutsche post",), ("deutschepost", "dhl")),
    # Banks
    (("bank of america",), ("bankofamerica", "bofa")),
    (("wells fargo",), ("wellsfargo",)),
    (("jpmorgan chase", "chase bank"), ("chase", "jpmorgan")),
    (("citibank",), ("citi", "citibank")),
    (("hsbc",), ("hsbc",)),
    (("barclays",), ("barclays",)),
    (("lloyds bank",), ("lloydsbank", "lloyds")),
    (("santander",), ("santander",)),
    (("bbva",), ("bbva",)),
    (("caixabank",), ("caixabank",)),
    (("rabobank",), ("rabobank",)),
    (("abn amro",), ("abnamro",)),
    (("sparkasse",), ("sparkasse",)),
    (("deutsche bank",), ("deutsche-bank", "db")),
    (("commerzbank",), ("commerzbank",)),
    (("postbank",), ("postbank",)),
    (("volksbank",), ("volksbank",)),
    (("bnp paribas",), ("bnpparibas", "bnp")),
    (("societe generale", "société générale"), ("societegenerale", "sg")),
    (("credit agricole", "crédit agricole"), ("credit-agricole", "ca")),
    (("intesa sanpaolo",), ("intesasanpaolo",)),
    (("unicredit",), ("unicredit",)),
    (("nordea",), ("nordea",)),
    (("danske bank",), ("danskebank",)),
    (("handelsbanken",), ("handelsbanken",)),
    (("swedbank",), ("swedbank",)),
    (("osuuspankki", "op financial"), ("op",)),
    (("s-pankki",), ("s-pankki", "spankki")),
    (("aktia",), ("aktia",)),
    (("itaú", "itau"), ("itau",)),
    (("bradesco",), ("bradesco",)),
    (("banco do brasil",), ("bb",)),
    (("caixa econômica", "caixa economica"), ("caixa",)),
    (("nubank",), ("nubank",)),
    (("n26",), ("n26",)),
    # Telecoms
    (("t-mobile",), ("t-mobile",)),
    (("verizon",), ("verizon",)),
    (("at&t",), ("att",)),
    (("vodafone",), ("vodafone",)),
    (("deutsche telekom",), ("telekom",)),
    (("telia",), ("telia",)),
    # Famous people whose names sell investment and giveaway fraud
    (("elon musk",), ("tesla", "spacex", "x")),
    # Authorities and public services
    (("irs", "internal revenue service"), ("irs",)),
    (("hmrc",), ("hmrc", "gov")),
    (("receita federal",), ("receita", "fazenda")),
    (("dvla",), ("dvla", "gov")),
    (("social security administration",), ("ssa", "gov")),
    (("medicare",), ("medicare", "gov")),
    (("finanzamt",), ("finanzamt", "elster")),
    (("skatteverket",), ("skatteverket",)),
    (("verohallinto",), ("vero",)),
    (("kela",), ("kela",)),
    (("detran",), ("detran", "gov")),
)  # fmt: skip


def _build() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    owners: dict[str, tuple[str, ...]] = {}
    for names, domain_words in _BRANDS:
        for name in names:
            owners[name] = domain_words
    alternatives = sorted(owners, key=len, reverse=True)

    def pattern(names: list[str]) -> str:
        # Words and spaces inside a name may be written with any separator ("Microsoft-365").
        return "|".join(r"[\s._-]?".join(re.escape(word) for word in n.split()) for n in names)

    long_names = pattern([name for name in alternatives if len(name) >= 5])
    short_names = pattern([name for name in alternatives if len(name) < 5])
    # A long name may run into a capitalised word ("MetaMaskTeam"); a short one ("UPS") must
    # stand alone, or "UPSTAIRS" would be a parcel service.
    return re.compile(
        r"(?<![^\W_])(?:(?:" + long_names + r")(?-i:(?![a-z0-9]))"
        r"|(?:" + short_names + r")(?![^\W_]))",
        re.IGNORECASE,
    ), owners


_PATTERN, _OWNERS = _build()
_SEPARATORS = re.compile(r"[\s._-]")


# Letters spaced out one by one ("C o i n b a s e"), which a reader joins and a filter does not.
SPACED_LETTERS = re.compile(r"(?<!\w)(?:\w[ .]){3,30}\w(?!\w)")
LETTER_SPACED_WORD = re.compile(r"(?<!\w)(?:[^\W\d_] ){3,30}[^\W\d_](?!\w)")


def visible_text(text: str) -> str:
    """The text as a reader sees it: invisible format characters and combining marks removed
    ("Mi\u200dcro\u0336soft" reads as Microsoft), compatibility forms folded (bold letters),
    letters spaced out joined."""
    folded = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Mn", "Me"))
    return SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", "").replace(".", ""), plain)


@lru_cache(maxsize=4096)
def brand_in(text: str) -> str:
    """The first well-known brand named in `text` (its name as listed), or ''. Also through
    lookalike letters: Cyrillic ones ("Lеdgеr"), a capital I for a small l ("PayPaI")."""
    visible = visible_text(text)[:300]
    for candidate in (visible, visible.replace("I", "l"), fold(visible)):
        match = _PATTERN.search(candidate)
        if match:
            return _normalized_name(match.group(0))
    return ""


@lru_cache(maxsize=1024)
def _normalized_name(written: str) -> str:
    compact = _SEPARATORS.sub("", written.lower())
    for name in _OWNERS:
        if _SEPARATORS.sub("", name) == compact:
            return name
    return written.lower()


# Words that make a display name a financial institution's, whatever its name.
_INSTITUTION = re.compile(
    r"(?i)(?<![^\W_])(bank|banco|banque|pankki|sparkasse|crédit|credit\s+union|wallet)(?![^\W_])"
)


def institution_in(text: str) -> str:
    """The word that names a bank-like institution in `text` ("TF-Bank Service": "bank"), or
    ''."""
    visible = visible_text(text)[:300]
    match = _INSTITUTION.search(visible)
    if not match:
        return ""
    return match.group(1).lower()


def shares_a_word(text: str, domain: str) -> bool:
    """True when one word of `text` (3+ letters) or the joined words appear in `domain`."""
    words = [w.lower() for w in re.findall(r"[^\W_]{3,}", visible_text(text)[:300])]
    compact = domain.replace("-", "").replace(".", "")
    joined = "".join(re.findall(r"[^\W_]+", visible_text(text)[:300].lower()))
    return any(w in compact for w in words) or bool(joined and joined in compact)


def domain_belongs_to(brand: str, domain: str) -> bool:
    """True when `domain` plausibly is the brand's own: the label of its registrable domain is
    one of the brand's words, or starts or ends with one ("facebookmail", "paypal-service").
    A subdomain does not count: whoever owns content-host.example names "dhl.content-host.example"."""
    words = _OWNERS.get(brand, ())
    if not words or not domain:
        return False
    label = registrable_domain(domain).split(".")[0].replace("-", "")
    for word in words:
        plain = word.replace("-", "")
        if label == plain or (
            len(plain) >= 4 and (label.startswith(plain) or label.endswith(plain))
        ):
            return True
    return False


# Hosts where anyone can publish a page or a file under a shared domain: a login page of a bank
# there is never the bank's. Registrable domains (by the Public Suffix List) or their parents.
FREE_HOSTING = frozenset({
    "web.app", "firebaseapp.com", "github.io", "gitlab.io", "blogspot.com", "weebly.com",
    "wixsite.com", "wix.com", "godaddysites.com", "r2.dev", "pages.dev", "workers.dev",
    "ngrok.io", "ngrok-free.app", "ngrok.app", "netlify.app", "vercel.app", "herokuapp.com",
    "glitch.me", "repl.co", "replit.app", "surge.sh", "000webhostapp.com", "azurewebsites.net",
    "web.core.windows.net", "blob.core.windows.net", "storage.googleapis.com",
    "firebasestorage.googleapis.com", "appspot.com", "run.app", "cloudfunctions.net",
    "amazonaws.com", "s3.amazonaws.com", "ipfs.io", "dweb.link", "cloudflare-ipfs.com",
    "ipfs.w3s.link", "sites.google.com", "jimdosite.com",
    "wordpress.com", "squarespace.com", "webflow.io", "framer.website", "strikingly.com",
    "yolasite.com", "tilda.ws", "carrd.co", "notion.site", "typedream.app", "mystrikingly.com",
    "onrender.com", "fly.dev", "deno.dev", "codesandbox.io", "csb.app", "selcdn.ru",
    "myqcloud.com", "aliyuncs.com", "digitaloceanspaces.com", "backblazeb2.com", "linodeobjects.com",
    "translate.goog", "onmicrosoft.com", "mailchi.mp",
    "ukit.me", "site123.me", "webnode.page", "mobirisesite.com", "blogspot.pt", "blogspot.com.br",
})  # fmt: skip


def free_hosting(host: str) -> str:
    """The shared hosting domain `host` is published on, or ''."""
    host = (host or "").lower().strip(".")
    if host.startswith("blogspot.") or ".blogspot." in host:
        return "blogspot"
    labels = host.split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in FREE_HOSTING:
            return candidate
    return ""


# Newsletter services whose click-tracking addresses stand between a genuine sender and its own
# site: a button through them is not a sign of a foreign destination by itself.
MAILING_SERVICES = frozenset({
    "list-manage.com", "mailchimp.com", "mcusercontent.com", "sendgrid.net", "hubspotlinks.com",
    "hs-sites.com", "mandrillapp.com", "sparkpostmail.com", "mailgun.org", "exacttarget.com",
    "exct.net", "rs6.net", "createsend.com", "cmail19.com", "cmail20.com", "klclick.com",
    "klclick1.com", "klclick2.com", "mjt.lu", "sendibt3.com", "sendibm1.com", "brevo.com",
    "mlsend.com", "emlnk.com", "campaign-archive.com", "salesforce.com", "marketo.com",
    "mktoweb.com", "pstmrk.it", "awstrack.me", "ct.sendgrid.net", "acemlna.com", "acemlnb.com",
    "acemlnc.com", "activehosted.com",
})  # fmt: skip

# Public suffixes where most new domains are throwaway ones (cheap, registered in bulk for one
# campaign), as abuse trackers rank them; a genuine sender there is possible, so this is weak.
ABUSED_SUFFIXES = frozenset({
    "click", "top", "icu", "xyz", "shop", "online", "site", "buzz", "best", "cyou", "rest",
    "monster", "quest", "sbs", "cfd", "bond", "lat", "autos", "bar", "beauty", "hair", "skin",
    "makeup", "boats", "homes", "motorcycles", "yachts", "mom", "lol", "tk", "ml", "ga", "cf",
    "gq", "sa.com", "za.com", "ru.com", "br.com", "cn.com", "us.com", "biz.ua", "co.ua", "pp.ua",
    "su",
})  # fmt: skip
