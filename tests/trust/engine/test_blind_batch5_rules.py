"""Rules added when tuning to blind batch 5: each holds for messages beyond the batch."""

from __future__ import annotations

import pytest

from .helpers import email, severity

POSITIVE = ("scam", "suspicious")


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# --- a friend or a group member retells a lure they received, and warns ------------------------

_RETOLD_WARNINGS = [
    "Did you also get that Migri text about a 3,50€ card fee? They wanted my bank details too. "
    "Don't pay anything, Migri never sends payment links.",
    "Sain tänään tekstiviestin Migriltä, että lupakortin toimitus maksaa 3,50 €. En maksanut, "
    "Migri ei koskaan pyydä maksua tekstiviestillä. Olkaa varovaisia!",
    "Jag fick ett sms från Migri om en avgift på 3,50 € för kortet. Betala inte, Migri skickar "
    "aldrig betalningslänkar per sms.",
]


@pytest.mark.parametrize("text", _RETOLD_WARNINGS)
def test_a_retold_lure_with_a_warning_is_no_payment_request(engine, text):
    result = engine.check_text(text, "social", "Anna Virtanen")
    assert severity(result, "payment_request") in ("", "info", "low")
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        # No one retells anything: the same words ask.
        "Migri: your card delivery costs 3,50€. Pay the fee today at migri-card.info.",
        # A retelling without a warning is not one: the reader is still asked to pay.
        "I got a message from Migri about your card. Pay the fee of 3,50€ to FI21 1234 5600 "
        "0007 85 today. Do not miss the deadline.",
    ],
)
def test_without_a_retold_warning_the_payment_is_still_asked(engine, text):
    result = engine.check_text(text, "sms", "+358401234567")
    assert result.verdict in POSITIVE


# --- data the reader has already received is not asked for ---------------------------------------

_ALREADY_RECEIVED = [
    "Du har antagits till programmet. Ansök om uppehållstillstånd i Enter Finland. "
    "Inloggningsuppgifterna har du fått när du skickade in din ansökan till oss.",
    "You have been admitted. Apply for your residence permit in Enter Finland. You received "
    "your login credentials when you submitted your application to us.",
    "Sinut on hyväksytty ohjelmaan. Hae oleskelulupaa Enter Finlandissa. Olet saanut "
    "verkkopankkitunnukset pankista, kun avasit tilin.",
]


@pytest.mark.parametrize("text", _ALREADY_RECEIVED)
def test_data_the_reader_already_received_is_not_requested(engine, text):
    result = engine.check_email(email(text, sender="Admissions <admissions@univ-example.fi>"))
    assert "sensitive_data_request" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "Ansök om uppehållstillstånd i Enter Finland. Skicka dina inloggningsuppgifter till oss.",
        "Apply for your residence permit in Enter Finland. Send us your login credentials.",
    ],
)
def test_asking_for_the_same_data_is_still_a_request(engine, text):
    result = engine.check_email(email(text, sender="Admissions <admissions@univ-example.fi>"))
    assert "sensitive_data_request" in codes(result)
    assert result.verdict in POSITIVE


# --- a congratulation alone claims no prize ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Grattis! Du har antagits till magisterprogrammet. Välkommen!",
        "Onnittelut! Sinut on hyväksytty maisteriohjelmaan. Tervetuloa!",
        "Congratulations! You have been admitted to the master's programme. Welcome!",
    ],
)
def test_a_congratulation_alone_is_no_prize_claim(engine, text):
    result = engine.check_email(email(text, sender="Admissions <admissions@univ-example.fi>"))
    assert "prize_claim" not in codes(result)


@pytest.mark.parametrize(
    "text",
    [
        "Grattis! Du har vunnit ett presentkort. Hämta din vinst här.",
        "Onnittelut! Olet voittanut lahjakortin. Lunasta palkinto tästä.",
        "Congratulations! Claim your reward now.",
        # The congratulation with a prize named elsewhere in the message.
        "Grattis! Din belöning väntar på dig.",
        "Onneksi olkoon! Lahjasi odottaa sinua.",
        "Congratulations on being our customer of the month. A surprise is waiting for you.",
    ],
)
def test_a_congratulation_with_a_prize_is_still_a_prize_claim(engine, text):
    result = engine.check_email(email(text, sender="Shop <news@shop-example.com>"))
    assert "prize_claim" in codes(result)


# --- a guarantee that is a sum of money sells no permit ------------------------------------------

_DEPOSITS = [
    "Ta med uppehållstillståndskortet till kontoret. Hyresgarantin, 1 200 €, betalas till "
    "kontot i avtalet. Nycklarna får du när garantin har kommit in.",
    "Ota oleskelulupakortti mukaan toimistolle. Vuokravakuus, 1 200 €, maksetaan "
    "sopimuksen tilille. Avaimet saat, kun takuu on maksettu.",
    "Bring your residence permit card to the office. The rent deposit of 1,200 € is paid to "
    "the account in the lease. You get the keys once the guarantee has arrived.",
]


@pytest.mark.parametrize("text", _DEPOSITS)
def test_a_rent_guarantee_is_no_permit_for_sale(engine, text):
    result = engine.check_email(email(text, sender="Landlord Oy <rent@landlord-example.fi>"))
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "Guaranteed residence permit in 3 weeks. The fee of 1,200 € is paid to our account.",
        "Taattu oleskelulupa 3 viikossa. Maksu 1 200 € maksetaan tilillemme.",
        "Garanterat uppehållstillstånd på 3 veckor. Avgiften 1 200 € betalas till vårt konto.",
    ],
)
def test_a_guaranteed_permit_for_a_fee_is_still_a_sale(engine, text):
    result = engine.check_email(email(text, sender="Agent <agent@visa-example.com>"))
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


# --- an unknown number that sells a faster decision is reached by replying ------------------------

_NUMBER_SALES = [
    "Odotatko oleskelulupaa? Meidän kautta päätös 3 viikossa, hinta sovitaan. Soita tähän "
    "numeroon.",
    "Väntar du på uppehållstillstånd? Genom oss kommer beslutet på 3 veckor, priset kommer vi "
    "överens om. Ring det här numret.",
    "Waiting for your residence permit? Through us the decision comes in 3 weeks, price "
    "agreed separately. Call this number.",
]


@pytest.mark.parametrize("text", _NUMBER_SALES)
def test_a_decision_sold_by_sms_from_a_number_is_suspicious(engine, text):
    result = engine.check_text(text, "sms", "+358 50 123 4567")
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        # A friend tells how long it took, with no price: nothing sold.
        "Sain oleskeluluvan 3 viikossa! Soita kun ehdit.",
        "Jag fick mitt uppehållstillstånd på 3 veckor! Ring när du hinner.",
        "Got my residence permit in 3 weeks! Call me when you can.",
    ],
)
def test_a_number_that_names_a_time_but_no_price_sells_nothing(engine, text):
    result = engine.check_text(text, "sms", "+358 50 123 4567")
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE
