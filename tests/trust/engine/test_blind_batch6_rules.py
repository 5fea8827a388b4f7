"""Rules added when tuning to blind batch 6: each holds for messages beyond the batch."""

from __future__ import annotations

import pytest

from .helpers import email, severity

POSITIVE = ("scam", "suspicious")


# --- a lookalike written out in a warning is evidence about the scam, not a lure ----------------

_WARNINGS_NAMING_A_LOOKALIKE = [
    "Warning! My husband got an email from Migri about a refund. The sender was migri-refund.net, "
    "not migri.fi. We didn't click anything, stay safe.",
    "Varoitus! Mulle tuli viesti, jossa lähettäjä oli migri-palvelu.net eikä migri.fi. Älkää "
    "avatko linkkiä.",
    "Varning! Jag fick ett mejl från migri-tjanst.net och inte från migri.fi. Öppna inte länken.",
]


@pytest.mark.parametrize("text", _WARNINGS_NAMING_A_LOOKALIKE)
def test_a_lookalike_named_in_a_warning_is_no_lure(engine, text):
    result = engine.check_text(text, "social", "Anna Virtanen")
    assert severity(result, "link_lookalike") == "info"
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    ("text", "channel", "sender"),
    [
        # One warning word does not make a lure a warning: in the authority's name it stays one.
        (
            "Migri: Warning! Your permit expires. Beware of scams and log in at migri-renew.net "
            "today.",
            "sms",
            "Migri",
        ),
        # No warning at all: the lookalike is a lure.
        ("Your permit expires. Log in at migri-renew.net today.", "social", "Anna Virtanen"),
    ],
)
def test_a_lookalike_outside_a_third_partys_warning_keeps_its_weight(engine, text, channel, sender):
    result = engine.check_text(text, channel, sender)
    assert severity(result, "link_lookalike") == "high"
    assert result.verdict == "scam"


def test_a_lookalike_behind_an_html_link_keeps_its_weight_in_a_warning(engine):
    raw = (
        "From: Anna <anna@example.org>\r\nTo: reader@example.com\r\nSubject: Varoitus\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Varoitus! Sain viestin, älkää vastatko huijaukseen.</p>"
        '<p><a href="https://migri-palvelu.net/login">Lue lisää</a></p>\r\n'
    ).encode()
    result = engine.check_email(raw)
    assert severity(result, "link_lookalike") == "high"
    assert result.verdict == "scam"


# --- a From whose display name holds an unquoted comma ------------------------------------------


@pytest.mark.parametrize(
    "sender",
    [
        "Helsingin kaupunki, Kasvatus ja koulutus <opetus@example.org>",
        "Stad, Service <service@example.org>",
        "City of Espoo, Services <services@example.org>",
    ],
)
def test_an_unquoted_comma_in_the_from_name_is_no_invalid_address(engine, sender):
    result = engine.check_email(email("Tervetuloa tapaamiseen tiistaina klo 10.", sender=sender))
    assert severity(result, "sender_address_invalid") == ""


@pytest.mark.parametrize(
    "sender",
    [
        "Kundenservice, jehd <service@example.org>",  # junk after the comma
        "Message from Shop, <info@example.org>",  # a trailing comma
        '"Shop", <info@example.org>',  # a quoted name before it
    ],
)
def test_a_phishers_malformed_from_stays_invalid(engine, sender):
    result = engine.check_email(email("Hello.", sender=sender))
    assert severity(result, "sender_address_invalid") == "medium"


def test_a_from_with_two_real_addresses_is_not_merged(engine):
    raw = email("Hello.", sender="someone@ex ample, Other <other@example.org>")
    result = engine.check_email(raw)
    assert severity(result, "sender_address_invalid") == "medium"


# --- in the authority's name, "appeal here: <link>" is an action link ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Migri: Your application was rejected. You can appeal within 24 h here: "
        "http://migri-appeal.com Later the decision cannot be changed.",
        "Migri: Hakemuksesi on hylätty. Voit tehdä oikaisuvaatimuksen 24 h kuluessa täällä: "
        "http://migri-oikaisu.com Sen jälkeen päätöstä ei voi muuttaa.",
        "Migri: Din ansökan har avslagits. Du kan överklaga inom 24 h här: "
        "http://migri-overklaga.com Sedan kan beslutet inte ändras.",
    ],
)
def test_an_appeal_link_elsewhere_in_the_authoritys_name_is_a_scam(engine, text):
    result = engine.check_text(text, "sms", "Migri")
    assert severity(result, "link_action_not_official") == "high"
    assert result.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        # The colon clause warns instead of asking: no action.
        "Migri: Do not appeal through sites like this: http://migri-appeal.com Log in to "
        "enterfinland.fi yourself.",
        # No clause before the link asks to act.
        "Migri: Decisions are explained at http://example.org in several languages.",
    ],
)
def test_a_link_not_introduced_as_an_action_is_no_action_link(engine, text):
    result = engine.check_text(text, "sms", "Migri")
    assert severity(result, "link_action_not_official") == ""


# --- "no one can promise a faster decision" warns; it offers nothing ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We use no agents, and no one can guarantee you a faster decision on your residence permit.",
        "Emme käytä agentteja, eikä kukaan voi luvata nopeampaa päätöstä oleskeluluvasta.",
        "Vi använder inga agenter, och ingen kan lova dig ett snabbare beslut om uppehållstillstånd.",
    ],
)
def test_no_one_can_promise_a_decision_is_no_guarantee_offer(engine, text):
    result = engine.check_email(email(text, sender="Admissions <admissions@example-uni.fi>"))
    assert severity(result, "permit_guarantee_offer") == ""


def test_nobody_else_can_guarantee_is_still_an_offer(engine):
    text = (
        "Nobody else can guarantee your residence permit decision in 2 weeks like we do. "
        "Fee 900 EUR, write to us on WhatsApp."
    )
    result = engine.check_text(text, "social", "Permit Helpers")
    assert result.verdict in POSITIVE


# --- the sender invoices itself; others' requests are warned of -----------------------------------

_OWN_INVOICES = [
    "You have been admitted to Example University. Pay the tuition fee of 10 000 €. The invoice "
    "comes from our finance office. Apply for your residence permit at Migri in Enter Finland.",
    "Sinut on hyväksytty Esimerkkiyliopistoon. Maksa lukuvuosimaksu 10 000 €. Lähetämme laskun "
    "sähköpostilla. Hae oleskelulupaa Migriltä Enter Finlandissa.",
    "Du har antagits till Exempeluniversitetet. Betala läsårsavgiften 10 000 €. Fakturan skickas "
    "från vår ekonomiavdelning. Ansök om uppehållstillstånd hos Migri i Enter Finland.",
]


@pytest.mark.parametrize("text", _OWN_INVOICES)
def test_a_fee_the_sender_invoices_itself_is_no_alarm(engine, text):
    sender = "Admissions, Example University <admissions@example-uni.fi>"
    result = engine.check_email(email(text, sender=sender))
    assert severity(result, "payment_request") in ("low", "info")
    assert result.verdict not in POSITIVE


def test_a_fee_paid_to_someone_else_keeps_its_weight(engine):
    text = (
        "You have been admitted to Example University. Pay the permit fee of 500 € to the agent "
        "today. Apply for your residence permit at Migri in Enter Finland."
    )
    result = engine.check_email(email(text, sender="Admissions <admissions@example-uni.fi>"))
    assert severity(result, "payment_request") == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "If someone asks you for fees for the permit, contact us.",
        "Jos joku pyytää sinulta maksuja luvasta, ota yhteyttä meihin.",
        "Om någon begär avgifter för tillståndet, kontakta oss.",
    ],
)
def test_if_someone_asks_for_fees_is_no_payment_request(engine, text):
    body = f"Your residence permit application at Migri is pending. {text} Fees are 500 €."
    result = engine.check_email(email(body, sender="Advice <advice@example-city.fi>"))
    assert severity(result, "payment_request") == ""


# --- a bank's own update notice: the reader's own way in, the permit's validity ------------------

_OWN_WAY_IN = [
    "Log in to your online bank as usual (type the address yourself) and update your customer "
    "details by 30 November.",
    "Kirjaudu verkkopankkiin tavalliseen tapaan (kirjoita osoite itse selaimeen) ja päivitä "
    "asiakastietosi 30.11. mennessä.",
    "Logga in i nätbanken som vanligt (skriv in adressen själv) och uppdatera dina kunduppgifter "
    "senast 30.11.",
]


@pytest.mark.parametrize("text", _OWN_WAY_IN)
def test_logging_in_by_typing_the_address_yourself_asks_for_no_codes(engine, text):
    result = engine.check_email(email(text, sender="Customer service <service@example-bank.fi>"))
    assert severity(result, "sensitive_data_request") == ""


def test_a_login_with_a_link_still_asks_for_codes(engine):
    text = "Kirjoita osoite itse selaimeen: https://example-bank-login.net ja kirjaudu pankkitunnuksilla."
    result = engine.check_email(email(text, sender="Customer service <service@example-bank.fi>"))
    assert "bank_codes" in next(
        f.evidence["data"] for f in result.findings if f.code == "sensitive_data_request"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Päivitä oleskeluluvan voimassaoloaika asiakastietoihisi.",
        "Update the expiry date of your residence permit in your customer details.",
    ],
)
def test_a_permits_validity_is_no_card_data(engine, text):
    result = engine.check_email(email(text, sender="Customer service <service@example-bank.fi>"))
    assert severity(result, "sensitive_data_request") == ""


@pytest.mark.parametrize(
    "text",
    [
        # No permit beside it: a card's expiry date.
        "Päivitä kortin voimassaoloaika ja turvakoodi tänään.",
        # A card word beside the permit: card data asked for.
        "Update your residence permit details: card number and expiry date.",
    ],
)
def test_a_cards_expiry_date_is_still_card_data(engine, text):
    result = engine.check_email(email(text, sender="Customer service <service@example-bank.fi>"))
    data = next(
        (f.evidence["data"] for f in result.findings if f.code == "sensitive_data_request"), ""
    )
    assert "card_number" in data
