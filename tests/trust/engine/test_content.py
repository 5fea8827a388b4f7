"""The words: sensitive data, payment, threats and urgency in fi, sv and en, inflected forms too."""

from __future__ import annotations

import pytest

from trust.engine.language import Vocabulary

from .helpers import email, severity


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary()


@pytest.mark.parametrize(
    "text, concept",
    [
        ("Lähetä passinumerosi", "passport_number"),
        ("ja syntymäaikasi", "birth_date"),
        ("kolmen kuukauden tiliotteet", "bank_statement"),
        ("kuukausitiliotteesi", "bank_statement"),
        ("palkkalaskelmat", "pay_slip"),
        ("henkilötunnuksesi", "identity_code"),
        ("siviilisäätysi", "marital_status"),
        ("verkkopankkitunnuksesi", "bank_codes"),
        ("ditt passnummer", "passport_number"),
        ("dina kontoutdrag", "bank_statement"),
        ("lönespecifikationer", "pay_slip"),
        ("dina nätbankskoder", "bank_codes"),
        ("your date of birth", "birth_date"),
        ("a copy of your passport", "passport_number"),
        ("bank statements", "bank_statement"),
        ("the one-time password", "one_time_password"),
        ("Oleskelulupasi peruutetaan", "revocation"),
        ("karkotuspäätös", "threat"),
    ],
)
def test_inflected_and_compound_forms_are_recognised(vocabulary, text, concept):
    assert concept in vocabulary.concepts(text)


def test_a_verb_is_not_found_inside_an_unrelated_longer_word(vocabulary):
    assert "imperative" not in vocabulary.concepts("Olemme vastaanottaneet hakemuksesi")


def test_the_pay_of_a_pay_slip_is_not_a_request_to_pay(vocabulary):
    assert "pay_verb" not in vocabulary.concepts("your three latest pay slips")


@pytest.mark.parametrize(
    "text",
    [
        "Hei, täällä Maahanmuuttovirasto. Vastaa tähän viestiin ja kerro syntymäaikasi ja passinumerosi.",
        "Hej, detta är Migrationsverket. Svara med ditt passnummer och ditt civilstånd.",
        "Hello, this is the Finnish Immigration Service. Reply with your date of birth and passport number.",
    ],
)
def test_a_request_for_data_in_the_authoritys_name_is_a_scam_without_any_link(engine, text):
    result = engine.check_text(text, "sms", "+358401234567")
    assert severity(result, "sensitive_data_request") == "high"
    assert result.verdict in ("scam", "suspicious")


def test_a_warning_that_names_the_data_is_not_a_request(engine):
    text = (
        "Beware of scam messages. Scammers have asked for your passport number and bank "
        "statements. We never ask for personal data by email."
    )
    result = engine.check_text(text, "email", "Migri <noreply@migri.fi>")
    assert result.verdict == "unverified"


def test_an_employer_asking_for_a_bank_account_is_ordinary_life(engine):
    text = "Please fill in your bank account for salary payments in our HR portal."
    assert engine.check_text(text, "email", "HR <hr@employer.example>").verdict == "unverified"


def test_a_fee_with_an_amount_in_the_authoritys_name_is_a_payment_request(engine):
    text = "Migri: maksa käsittelymaksu 89 € heti, muuten oleskelulupasi peruutetaan."
    result = engine.check_text(text, "sms", "+358401234567")
    assert severity(result, "payment_request") == "high"
    assert result.has("threat")
    assert result.verdict == "scam"


def test_a_received_payment_is_not_a_payment_request(engine):
    text = "Olemme vastaanottaneet hakemuksesi maksun. Kirjoita enterfinland.fi itse. Maahanmuuttovirasto"
    assert not engine.check_text(text, "sms", "Migri").has("payment_request")


def test_a_payment_to_an_iban_from_someone_who_names_the_authority(engine):
    text = "I am a lawyer registered with Migri. Pay my fee to IBAN LT12 1000 0111 0100 1000 now."
    result = engine.check_text(text, "social", "Lawyer Mark")
    assert severity(result, "payment_request") == "high"


def test_a_guaranteed_permit_offer_naming_the_authority_is_suspicious(engine):
    text = "Finland work permit 100% guaranteed! Fast Migri approval. Call agent Ravi."
    result = engine.check_text(text, "sms", "+919820455718")
    assert result.has("permit_guarantee_offer")
    assert result.verdict in ("suspicious", "scam")


def test_urgency_alone_from_a_stranger_is_only_noted(engine):
    result = engine.check_text(
        "Reply immediately please, the pizza is getting cold!", "sms", "Sami"
    )
    assert result.verdict == "unverified"


# --- inflection the stemmer leaves: possessives, clitics, gradation, Swedish definite forms ------


@pytest.mark.parametrize(
    "text, concept",
    [
        ("passinumerosikin", "passport_number"),
        ("tiliotteenikin", "bank_statement"),
        ("syntymäajan", "birth_date"),
        ("syntymäajallasi", "birth_date"),
        ("oleskeluluvan", "permit"),
        ("passisi tiedot", "passport_number"),
        ("passnumret", "passport_number"),
        ("passuppgifterna", "passport_number"),
        ("födelsedatumet", "birth_date"),
        ("kontoutdragen", "bank_statement"),
        ("personuppgifterna", "personal_data"),
        ("your passport information", "passport_number"),
    ],
)
def test_possessive_clitic_gradation_and_definite_forms_are_recognised(vocabulary, text, concept):
    assert concept in vocabulary.concepts(text)


@pytest.mark.parametrize("word", ["vastaathan", "lähetäthän", "lähetättehän", "ilmoitathan"])
def test_a_polite_finnish_request_with_han_is_an_imperative(vocabulary, word):
    assert "imperative" in vocabulary.concepts(word)


# --- paid agents: speed, guarantees and jobs for money, without the authority's name -------------


@pytest.mark.parametrize(
    "channel, sender, text",
    [
        (
            "social",
            "Visa Consultant Ali",
            "Faster processing of your residence permit! Pay 300 EUR in Bitcoin and send your "
            "passport details on WhatsApp +447700900123.",
        ),
        (
            "social",
            "Jobs Europe",
            "Job offer in Finland with work permit included! Fee 200 euros in gift cards. Send "
            "passport data on Telegram @eurojobs_hr",
        ),
        (
            "sms",
            "+447700900123",
            "Nopeampi käsittely oleskelulupahakemukselle! Maksu 150 € lahjakortteina. Lähetä "
            "passisi tiedot WhatsAppilla +447700900123.",
        ),
        (
            "social",
            "Nordic Work",
            "Jobb i Finland med arbetstillstånd! Avgift 250 euro i presentkort eller krypto. "
            "Skicka passuppgifterna på Telegram.",
        ),
        (
            "sms",
            "+447911123456",
            "Work permit Finland in 3 weeks, no waiting! Fee 400 EUR in Bitcoin. Send passport "
            "scan on Telegram @fastpermit",
        ),
    ],
)
def test_a_permit_sold_for_gift_cards_or_crypto_is_flagged_without_the_authoritys_name(
    engine, channel, sender, text
):
    result = engine.check_text(text, channel, sender)
    assert severity(result, "permit_guarantee_offer") == "high"
    assert result.verdict in ("suspicious", "scam")


@pytest.mark.parametrize(
    "text",
    [
        "Oleskelulupa nopeasti! Takaamme myönteisen päätöksen. Soita 045 230 8871 -Tiina",
        "Vi garanterar ett positivt beslut om ditt uppehållstillstånd. Ring 070 812 44 19.",
        "Waiting for your permit? We speed up residence permits. Message us on WhatsApp.",
    ],
)
def test_an_agent_who_guarantees_or_speeds_up_a_permit_is_suspicious(engine, text):
    result = engine.check_text(text, "sms", "+358452308871")
    assert result.has("permit_guarantee_offer")
    assert result.verdict in ("suspicious", "scam")


@pytest.mark.parametrize(
    "channel, sender, text",
    [
        (
            "social",
            "Kotihoito Aalto Oy",
            "Haemme lähihoitajia! Työpaikka Espoossa, autamme oleskelulupa-asioissa. Kysy lisää "
            "WhatsAppissa +358401234567.",
        ),
        (
            "social",
            "migri_fi",
            "We have sped up processing of work permits: most decisions now in 2 weeks. Read "
            "more: migri.fi/en/processing-times",
        ),
        (
            "email",
            "News <news@yle.fi>",
            "Scammers promise faster processing of residence permits for a fee in gift cards. "
            "Never pay anyone for a permit.",
        ),
    ],
)
def test_employers_the_authoritys_news_and_warnings_about_agents_are_not_offers(
    engine, channel, sender, text
):
    result = engine.check_text(text, channel, sender)
    assert not result.has("permit_guarantee_offer")
    assert result.verdict == "unverified"


def test_a_link_to_act_on_in_a_warning_about_fraud_is_still_a_scam(engine):
    text = (
        "We have detected fraud attempts on your residence permit account. Never share your "
        "code. Log in here to protect your account: https://secure-login-portal.net/in"
    )
    result = engine.check_email(email(text, sender="Migri <noreply@migri.fi>"))
    assert severity(result, "link_action_not_official") == "high"
    assert result.verdict == "scam"
