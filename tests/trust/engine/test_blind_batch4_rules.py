"""Rules added when tuning to blind batch 4: each holds for messages beyond the batch."""

from __future__ import annotations

import pytest

from trust.engine.analyzers.claims import _sender_is_generic

from .conftest import SEED_CONFIG
from .helpers import email, severity

POSITIVE = ("scam", "suspicious")


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# --- an official account's address with the platform's path before the handle -----------------


@pytest.fixture(scope="module")
def linkedin_engine():
    from dataclasses import replace

    from trust.engine import CheckEngine

    accounts = (*SEED_CONFIG.social_media_accounts, ("linkedin", "maahanmuuttovirasto"))
    return CheckEngine(replace(SEED_CONFIG, social_media_accounts=accounts))


_EMPLOYER_POSTS = [
    "Rekryterar ni specialister? Målet är ett beslut inom två veckor. Läs mer: migri.fi/snabbspar",
    "Rekrytoitteko erityisasiantuntijoita? Tavoite on päätös kahdessa viikossa. Lue lisää: migri.fi",
    "Hiring specialists from abroad? The goal is a decision within two weeks. Read more: migri.fi",
]


@pytest.mark.parametrize("text", _EMPLOYER_POSTS)
@pytest.mark.parametrize(
    "sender",
    [
        "Maahanmuuttovirasto (linkedin.com/company/maahanmuuttovirasto)",
        "Migri (https://www.linkedin.com/company/maahanmuuttovirasto/)",
    ],
)
def test_the_official_account_with_its_company_page_address_is_official(
    linkedin_engine, sender, text
):
    result = linkedin_engine.check_text(text, "social", sender)
    assert not codes(result) & {"social_account_impersonation", "social_media_request"}
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "sender",
    [
        "Maahanmuuttovirasto (linkedin.com/company/maahanmuuttovirasto-rekry)",
        "Migri (linkedin.com/company/migri-support)",
        "Maahanmuuttovirasto (linkedin.com/in/maahanmuuttovirasto1)",
    ],
)
def test_the_authoritys_name_with_another_page_address_is_an_impersonation(linkedin_engine, sender):
    result = linkedin_engine.check_text(_EMPLOYER_POSTS[2], "social", sender)
    assert "social_account_impersonation" in codes(result)
    assert result.verdict == "scam"


# --- the official account's post about a deadline asks nothing ---------------------------------

_DEADLINE_POSTS = [
    "Onko oleskelulupasi vanhenemassa? Hae jatkolupaa ennen kuin lupa vanhenee: kirjoita "
    "enterfinland.fi selaimeen.",
    "Löper ditt uppehållstillstånd ut snart? Ansök om fortsatt tillstånd i Enter Finland innan "
    "tillståndet löper ut.",
    "Is your residence permit about to expire? Apply for an extended permit in Enter Finland "
    "before it expires.",
]


@pytest.mark.parametrize("text", _DEADLINE_POSTS)
@pytest.mark.parametrize("sender", ["@migri_fi", "Migri (@MigriFI)"])
def test_an_official_accounts_deadline_post_is_no_threat(engine, sender, text):
    result = engine.check_text(text, "social", sender)
    assert severity(result, "threat") in ("", "info")
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize("text", _DEADLINE_POSTS)
def test_the_same_post_from_another_account_in_the_name_is_a_scam(engine, text):
    result = engine.check_text(text, "social", "Migri Support")
    assert result.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        "Is your residence permit about to expire? Pay the renewal fee of 120 EUR to "
        "FI21 1234 5600 0007 85 today.",
        "Löper ditt uppehållstillstånd ut? Skicka ditt passnummer i ett privatmeddelande.",
    ],
)
def test_an_official_accounts_post_that_asks_keeps_its_weight(engine, text):
    result = engine.check_text(text, "social", "@migri_fi")
    assert result.verdict == "scam"


# --- a private channel named in a negated sentence is no invitation -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Your employer has completed their part of your work permit application. Please send "
        "me a copy of your passport. Migri will never ask for your passport number by WhatsApp.",
        "Uuden työpaikkasi työnantaja on tehnyt osansa työlupahakemuksestasi. Lähetä minulle "
        "passikopio. Migri ei koskaan kysy passinumeroa WhatsAppissa.",
        "Arbetsgivaren för ditt nya jobb har gjort sin del av ansökan om arbetstillstånd. "
        "Skicka mig en passkopia. Migri ber aldrig om passnummer på WhatsApp.",
    ],
)
def test_a_private_channel_in_a_negated_sentence_sells_nothing(engine, text):
    result = engine.check_email(email(text, sender="Kirsi <kirsi@relocation-example.fi>"))
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "We speed up your work permit application. Send your passport number by WhatsApp.",
        "Nopeutamme työlupahakemuksesi käsittelyä. Lähetä passinumerosi WhatsAppissa.",
        "Vi snabbar upp din ansökan om arbetstillstånd. Skicka passnumret på WhatsApp.",
    ],
)
def test_a_private_channel_offered_with_speed_is_still_a_sale(engine, text):
    result = engine.check_email(email(text, sender="Agent <agent@visa-example.com>"))
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


# --- opening (an account, a link) is not a request for the data named --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tid: tisdag kl. 14.00. Ärende: öppna konto och nätbankskoder.",
        "Aika: tiistai klo 14. Asia: avaa tili ja verkkopankkitunnukset.",
        "Time: Tuesday at 2 pm. Purpose: open an account and online banking codes.",
    ],
)
def test_opening_an_account_does_not_ask_for_bank_codes(engine, text):
    result = engine.check_email(email(text, sender="Bank <service@bank-example.fi>"))
    assert "sensitive_data_request" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "Skicka dina nätbankskoder till oss i dag.",
        "Lähetä verkkopankkitunnuksesi meille tänään.",
        "Send us your online banking codes today.",
    ],
)
def test_a_verb_of_giving_still_asks_for_bank_codes(engine, text):
    result = engine.check_email(email(text, sender="Bank <service@bank-example.fi>"))
    assert "sensitive_data_request" in codes(result)
    assert result.verdict in POSITIVE


def test_in_the_authoritys_name_opening_still_asks(engine):
    text = "This is Migri. Open the form with your passport number and birth date."
    result = engine.check_text(text, "sms", "+358 40 765 4321")
    assert severity(result, "sensitive_data_request") == "high"
    assert result.verdict == "scam"


# --- a price named as a fee, a discount; contacts inside ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Work permit and job contract GUARANTEED. Processing fee only 1800 EUR.",
        "Työlupa ja työsopimus TAATTU. Käsittelymaksu vain 1800 euroa.",
        "Arbetstillstånd och anställning GARANTERAT. Handläggningsavgift endast 1800 euro.",
    ],
)
def test_a_guaranteed_permit_with_a_processing_fee_is_a_sale(engine, text):
    result = engine.check_text(text, "social", "@work.abroad.now")
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "The processing fee of the work permit application is paid in Enter Finland.",
        "Työlupahakemuksen käsittelymaksu maksetaan Enter Finlandissa.",
        "Handläggningsavgiften för ansökan om arbetstillstånd betalas i Enter Finland.",
    ],
)
def test_a_processing_fee_without_a_promise_sells_nothing(engine, text):
    result = engine.check_text(text, "social", "@expat.helper")
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "I waited 8 months, then I paid an agent and got my permit in 3 weeks, they know people "
        "inside. DM them, they give a discount.",
        "Odotin 8 kuukautta, sitten maksoin agentille ja sain oleskeluluvan 3 viikossa, heillä "
        "on tuttuja sisällä. Laita heille yksityisviesti, saat alennusta.",
        "Jag väntade 8 månader, sen betalade jag en agent och fick mitt uppehållstillstånd på "
        "3 veckor, de har kontakter inne. Skriv till dem på WhatsApp, de ger rabatt.",
    ],
)
def test_a_paid_agent_with_contacts_inside_is_suspicious(engine, text):
    result = engine.check_text(text, "social", "@someone_in_helsinki")
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


@pytest.mark.parametrize(
    "text",
    [
        "I waited 8 months and then got my permit in 3 weeks after sending the missing papers "
        "in Enter Finland.",
        "Odotin 8 kuukautta ja sain oleskeluluvan 3 viikossa, kun lähetin puuttuvat liitteet "
        "Enter Finlandissa.",
        "Jag väntade 8 månader och fick mitt uppehållstillstånd på 3 veckor när jag skickade "
        "de saknade bilagorna i Enter Finland.",
    ],
)
def test_a_quick_decision_told_as_news_sells_nothing(engine, text):
    result = engine.check_text(text, "social", "@someone_in_helsinki")
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE


# --- an SMS sender id that abbreviates role words names nobody ---------------------------------


@pytest.mark.parametrize("sender", ["FI-IMMIGR", "IMMIGRAT", "RESID-INFO", "OLESK-LUPA"])
def test_an_abbreviated_role_sender_id_is_generic(sender):
    assert _sender_is_generic(sender)


@pytest.mark.parametrize("sender", ["Finn", "Immonen", "Aktia", "Kalle Post"])
def test_a_name_is_not_an_abbreviation(sender):
    assert not _sender_is_generic(sender)


@pytest.mark.parametrize(
    "text",
    [
        "Your residence permit card is on hold due to an unpaid handling fee (2,99 EUR). Pay "
        "now: https://permitcard-track.com/p?id=1",
        "Oleskelulupakorttisi toimitus on pysäytetty maksamattoman käsittelymaksun (2,99 €) "
        "vuoksi. Maksa nyt: https://permitcard-track.com/p?id=1",
        "Leveransen av ditt uppehållstillståndskort väntar på en obetald avgift (2,99 €). "
        "Betala nu: https://permitcard-track.com/p?id=1",
    ],
)
def test_a_card_fee_from_an_abbreviated_sender_id_takes_the_authoritys_role(engine, text):
    result = engine.check_text(text, "sms", "FI-IMMIGR")
    assert "claims_authority_role" in codes(result)
    assert result.verdict == "scam"


# --- signed by a permit-processing unit ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hej! Gäller din ansökan om uppehållstillstånd. Uppgifterna stämmer inte. Svara med "
        "passnumret och födelsedatum så rättar vi det. Mvh handläggningen",
        "Hei! Koskee oleskelulupahakemustasi. Tiedoissa on virhe. Vastaa passinumerolla ja "
        "syntymäajalla niin korjaamme sen. Terveisin lupakäsittely",
        "Hi! About your residence permit application. The details are wrong. Reply with your "
        "passport number and date of birth and we will fix it. Regards, Permit Processing",
    ],
)
def test_a_message_signed_by_a_permit_unit_takes_the_authoritys_role(engine, text):
    result = engine.check_text(text, "sms", "+358 41 936 0472")
    assert "claims_authority_role" in codes(result)
    assert result.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        "Hej! Gäller din ansökan om uppehållstillstånd. Har du passnumret nära till hands? "
        "Mvh Anna",
        "Hei! Koskee oleskelulupahakemustasi. Onko passinumero sinulla tallessa? Terveisin Anna",
        "Hi! About your residence permit application. Do you have your passport number at "
        "hand? Regards, Customer Service",
    ],
)
def test_a_person_or_a_plain_service_signature_is_no_permit_unit(engine, text):
    result = engine.check_text(text, "sms", "+358 41 936 0472")
    assert "claims_authority_role" not in codes(result)


@pytest.mark.parametrize(
    "text",
    [
        "The service point was full of people inside waiting for their permits. Book at migri.fi.",
        "Palvelupisteessä oli paljon ihmisiä sisällä hakemassa oleskelulupia. Varaa aika migri.fi.",
        "Det var mycket folk inne på tjänstestället för uppehållstillstånd. Boka tid på migri.fi.",
    ],
)
def test_people_inside_a_building_are_no_inside_contact(engine, text):
    result = engine.check_text(text, "social", "@someone_in_helsinki")
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE
