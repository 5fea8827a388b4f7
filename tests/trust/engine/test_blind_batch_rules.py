"""Rules added when tuning to blind batches 2 and 3: each holds for messages beyond the batch."""

from __future__ import annotations

import pytest

from .helpers import email, severity

POSITIVE = ("scam", "suspicious")


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# --- an official account shown with its handle is the official account --------------------------


@pytest.mark.parametrize(
    "sender",
    ["Migri (@MigriFI)", "Maahanmuuttovirasto @MigriFI", "Migrationsverket (@migri_fi)"],
)
def test_the_authoritys_name_with_its_own_handle_is_the_official_account(engine, sender):
    text = "Huoltokatko: Enter Finland ei ole käytössä sunnuntaina. Palvelu toimii taas enterfinland.fi."
    result = engine.check_text(text, "social", sender)
    assert "social_account_impersonation" not in codes(result)
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "sender", ["Migri (@MigriFI_help)", "Migri (@MigriFl)", "Migri (@migri_official)"]
)
def test_the_authoritys_name_with_another_handle_is_an_impersonation(engine, sender):
    result = engine.check_text("Service break on Sunday.", "social", sender)
    assert "social_account_impersonation" in codes(result)


# --- an official account's warning names lures and the seed's advice; it asks nothing ----------


@pytest.mark.parametrize(
    "text",
    [
        "Vi skickar aldrig privatmeddelanden. Bedragare ber om ditt passnummer. "
        "Om du har lämnat ut bankkoder, kontakta din bank.",
        "Emme koskaan lähetä yksityisviestejä. Huijarit kysyvät passinumeroa. "
        "Jos olet antanut pankkitunnuksesi, ota heti yhteyttä pankkiisi.",
        "We never send private messages. Scammers ask for your passport number. "
        "If you gave out your bank codes, contact your bank at once.",
    ],
)
def test_an_official_accounts_warning_is_not_a_request(engine, text):
    result = engine.check_text(text, "social", "migri_fi")
    assert "social_media_request" not in codes(result)
    assert result.verdict not in POSITIVE


def test_an_official_accounts_post_that_asks_for_data_is_still_a_request(engine):
    text = "Lähetä passinumerosi ja syntymäaikasi meille yksityisviestillä."
    result = engine.check_text(text, "social", "migri_fi")
    assert "social_media_request" in codes(result)
    assert result.verdict == "scam"


# --- Finnish negation fused with "että" --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Pyydän, ettet lähetä passikopioita sähköpostilla.",
        "Toivomme, ettei kukaan lähetä tiliotteita tavallisella sähköpostilla.",
    ],
)
def test_a_finnish_please_do_not_send_is_not_a_request(engine, sentence):
    result = engine.check_text(sentence, "email", "")
    assert "sensitive_data_request" not in codes(result)


def test_swedish_ett_is_not_a_finnish_negation(engine):
    text = (
        "Jag kan hjälpa dig. Ett arvode på 450 euro måste betalas i dag, Migrationsverket väntar."
    )
    assert "payment_request" in codes(engine.check_text(text, "email", ""))


# --- the reader's own earlier message quoted in a reply ----------------------------------------

_REPLY = (
    "Hei,\n\nkiitos viestistäsi. Toimita asiakirjat Enter Finland -palvelussa: kirjoita "
    "enterfinland.fi selaimeen.\n\nTerveisin\nMaahanmuuttovirasto\n\n"
    "-----Alkuperäinen viesti-----\n"
    "Lähettäjä: Sara Reader <{quoted}>\n"
    "Aihe: hakemus\n\n"
    "Liitteenä passini kopio ja tiliotteet, voitteko liittää ne hakemukseen? Soita {phone}.\n"
)


@pytest.mark.parametrize(
    "sender",
    ["Laine Katja <katja.laine@migri.fi>", "Oppilaitos <info@example-school.fi>"],
)
def test_the_readers_own_quoted_message_is_not_the_senders_request(engine, sender):
    raw = email(
        _REPLY.format(quoted="sara.reader@gmail.com", phone="040 123 4567"),
        sender=sender,
        to="Sara Reader <sara.reader@gmail.com>",
    )
    result = engine.check_email(raw)
    assert not codes(result) & {
        "sensitive_data_request",
        "contact_address_not_official",
        "contact_phone_not_official",
        "official_sender_unsigned",
    }
    assert result.verdict not in POSITIVE


def test_a_quoted_message_by_someone_else_is_still_read(engine):
    # A forwarded message names its own writer, not the reader: its words still count.
    raw = email(
        _REPLY.format(quoted="agent.sales@gmail.com", phone="040 123 4567"),
        sender="Laine Katja <katja.laine@migri.fi>",
        to="sara.reader@gmail.com",
    )
    result = engine.check_email(raw)
    assert "official_sender_unsigned" in codes(result)
    assert result.verdict == "scam"


def test_an_english_wrote_line_starts_the_quote(engine):
    body = (
        "Thank you, we received your documents.\n\nFinnish Immigration Service\n\n"
        "On Mon, 3 Mar 2025, Sam Reader <sam@example.com> wrote:\n"
        "> Do you need my bank statements and my passport number? Call me on +44 7700 900123.\n"
    )
    raw = email(body, sender="Kirjaamo <kirjaamo@migri.fi>", to="sam@example.com")
    result = engine.check_email(raw)
    assert "official_sender_unsigned" not in codes(result)
    assert result.verdict not in POSITIVE


# --- a third party that asks to be paid itself ------------------------------------------------


@pytest.mark.parametrize(
    "sender, text",
    [
        (
            "Åbo Akademi – Antagningen <antagning@abo.fi>",
            "Läsårsavgiften 6 000 € betalar du via Åbo Akademis betalningsportal. Ansök om "
            "uppehållstillstånd i Migrationsverkets e-tjänst.",
        ),
        (
            "Tampereen yliopisto <hakijapalvelut@tuni.fi>",
            "Maksa lukuvuosimaksu 8 000 euroa Tampereen yliopiston maksupalvelussa. Hae "
            "oleskelulupaa Maahanmuuttoviraston Enter Finland -palvelussa.",
        ),
        (
            "Metropolia Admissions <admissions@metropolia.fi>",
            "Please pay the tuition fee of 10,000 EUR in the Metropolia payment portal. Then "
            "apply for a residence permit in the Finnish Immigration Service's e-service.",
        ),
    ],
)
def test_a_named_organisation_asking_to_be_paid_itself_is_not_an_alarm(engine, sender, text):
    result = engine.check_email(email(text, sender=sender))
    assert severity(result, "payment_request") == "low"
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "sender",
    ["Permit Helpers <info@permit-helpers.example>", "Maria <maria.k@gmail.com>"],
)
def test_a_payment_to_someone_else_in_the_authoritys_matter_stays_a_warning(engine, sender):
    text = (
        "Please pay the processing fee of 450 EUR to our agent today. The Finnish Immigration "
        "Service will then handle your residence permit."
    )
    result = engine.check_email(email(text, sender=sender))
    assert severity(result, "payment_request") == "medium"
    assert result.verdict in POSITIVE


# --- a link whose text names another site ------------------------------------------------------


def _html_email(sender: str, links: str) -> bytes:
    head = f"From: {sender}\r\nTo: reader@example.com\r\nSubject: Admission\r\n"
    head += "Content-Type: text/html; charset=utf-8\r\n\r\n"
    return (head + f"<html><body><p>Welcome!</p>{links}</body></html>\r\n").encode()


def test_an_organisation_linking_to_its_own_site_may_name_another_site(engine):
    links = (
        '<p>Accept your place in <a href="https://opintopolku.fi/konfo/en/">Studyinfo.fi</a>.</p>'
        '<p><a href="https://www.helsinki.fi/en/admissions">Arrival information</a></p>'
    )
    result = engine.check_email(_html_email("Admissions <admissions@helsinki.fi>", links))
    assert severity(result, "link_text_mismatch") == "low"
    assert result.verdict not in POSITIVE


@pytest.mark.parametrize(
    "sender",
    [
        "Admissions <admissions@helsinki.fi>",  # no link to its own site
        "Admissions <admissions.helsinki@gmail.com>",  # free mail has no own site
    ],
)
def test_a_link_text_naming_another_site_is_suspicious_otherwise(engine, sender):
    links = '<p>Log in at <a href="https://secure-login.example.net/">www.nordea.fi</a>.</p>'
    if "helsinki.fi" in sender and "gmail" in sender:
        links += '<a href="https://www.helsinki.fi/">Home</a>'
    result = engine.check_email(_html_email(sender, links))
    assert severity(result, "link_text_mismatch") in ("medium", "high")
    assert result.verdict in POSITIVE


def test_a_link_text_showing_an_official_domain_is_high_whoever_sends(engine):
    links = (
        '<a href="https://pay-permit.example.net/">migri.fi</a>'
        '<a href="https://www.helsinki.fi/">Home</a>'
    )
    result = engine.check_email(_html_email("Admissions <admissions@helsinki.fi>", links))
    assert severity(result, "link_text_mismatch") == "high"


def test_swedish_inga_is_a_negation(engine):
    raw = email(
        "Vi har tagit emot betalningen. Det här meddelandet innehåller inga länkar eller "
        "personuppgifter. Du kan kontrollera meddelandet på migri.fi.",
        sender="Migrationsverket <noreply@migri.fi>",
    )
    result = engine.check_email(raw)
    assert "sensitive_data_request" not in codes(result)
    assert result.verdict not in POSITIVE


# --- a person who presents themselves as working at the authority ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hej! Det här är Johanna, handläggare på Migri. Svara med ditt passnummer.",
        "Hei, tässä Anna Maahanmuuttovirastosta. Lähetä passinumerosi tähän numeroon.",
        "Hi, this is Mark from the Finnish Immigration Service. Please reply with your date of "
        "birth.",
        "Hello, my name is Sara Lind, your case officer at Migri. Send your bank statements.",
    ],
)
def test_a_person_presenting_themselves_from_the_authority_speaks_in_its_name(engine, text):
    result = engine.check_text(text, "sms", "+358 40 111 2233")
    assert "claims_authority" in codes(result)
    assert result.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        "Hei, tässä Anna. Kävin eilen Maahanmuuttovirastossa ja sain passin takaisin.",
        "Hi, this is Mark. I called the Finnish Immigration Service yesterday about my permit.",
        "Hej, det här är Johanna. Migri har inte svarat mig än, har du fått svar?",
    ],
)
def test_a_person_who_only_mentions_the_authority_does_not_speak_for_it(engine, text):
    result = engine.check_text(text, "sms", "+358 40 111 2233")
    assert "claims_authority" not in codes(result)
    assert result.verdict not in POSITIVE


# --- in the authority's name, data named in one sentence and asked for in the next ------------


@pytest.mark.parametrize(
    "text",
    [
        "Migri: I ditt ärende saknas passnumret och ditt födelsedatum. Kan du svara med uppgifterna?",
        "Migri: Hakemuksestasi puuttuu passinumero ja syntymäaika. Vastaa tähän viestiin.",
        "Migri: Your passport number and marital status are missing. Reply with the details today.",
    ],
)
def test_data_named_then_asked_for_in_the_authoritys_name_is_a_request(engine, text):
    result = engine.check_text(text, "sms", "+358 40 111 2233")
    assert severity(result, "sensitive_data_request") == "high"
    assert result.verdict == "scam"


def test_data_named_then_a_request_from_someone_who_only_mentions_the_authority_is_low(engine):
    text = "Migri kysyi minulta passinumeroa ja syntymäaikaa. Soita minulle illalla."
    result = engine.check_text(text, "sms", "Äiti")
    assert severity(result, "sensitive_data_request") in ("", "low", "info")
    assert result.verdict not in POSITIVE


# --- a fine demanded under threat of deportation takes the authority's role --------------------


@pytest.mark.parametrize(
    "text",
    [
        "NOTICE: a problem was found in your residence permit. You must pay a fine of 300 EUR "
        "today to avoid deportation. Call +358 45 000 1111.",
        "Oleskeluluvassasi on havaittu puute. Maksa 250 euron maksu tänään, muuten sinut "
        "karkotetaan. Soita 045 000 1111.",
        "Ditt uppehållstillstånd har granskats. Du måste betala en avgift på 300 euro i dag "
        "för att undvika utvisning.",
    ],
)
def test_a_fine_demanded_under_threat_of_deportation_is_a_scam(engine, text):
    result = engine.check_text(text, "sms", "+358 45 000 1111")
    assert "claims_authority_role" in codes(result)
    assert result.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        # A debt collector's threat without the reader's stay in it.
        "Your invoice of 120 EUR is unpaid. Pay it within 14 days or we will take legal action.",
        # A friend retelling a scam: the warning decides.
        "Beware, scammers told me to pay a fine of 300 EUR or be deported. It is a fraud, my "
        "permit is fine.",
    ],
)
def test_a_payment_with_another_threat_does_not_take_the_authoritys_role(engine, text):
    result = engine.check_text(text, "sms", "+358 45 000 1111")
    assert "claims_authority_role" not in codes(result)


# --- lookalikes: an authority's name joined to the word for what it collects -------------------


@pytest.mark.parametrize(
    "host",
    [
        "poliisi-sakot.com",
        "migri-sakko.net",
        "migri-fines.com",
        "migrationsverket-boter.se",
        "enterfinland-lasku.com",
        "migri-faktura.eu",
    ],
)
def test_a_name_joined_to_a_word_for_fines_or_invoices_is_a_lookalike(engine, host):
    assert engine.policy.classify(host).kind == "lookalike"


@pytest.mark.parametrize("host", ["lasku.fi", "sakko.fi", "fines.com", "keski-suomi.fi"])
def test_those_words_alone_are_no_lookalike(engine, host):
    assert engine.policy.classify(host).kind != "lookalike"


def test_a_police_fine_sms_threatening_the_permit_with_a_lookalike_link_is_a_scam(engine):
    text = (
        "Poliisi: sinulla on maksamaton sakko 90 EUR. Se voi estää oleskelulupasi jatkamisen. "
        "Maksa tänään: https://poliisi-sakot.com/maksu"
    )
    result = engine.check_text(text, "sms", "POLIISI")
    assert "link_lookalike" in codes(result)
    assert result.verdict == "scam"


# --- a permit or a decision sold for a price, the authority not named --------------------------


@pytest.mark.parametrize(
    "channel, sender, text",
    [
        (
            "social",
            "Rekry Nordic",
            "Haemme hitsaajia Ouluun! Työlupa järjestetään. Kertamaksu 800 € kattaa kaiken. "
            "Kirjoita meille.",
        ),
        (
            "social",
            "Jobb i Finland",
            "Vi söker städare. Arbetstillstånd ordnas av oss, avgiften är 1 200 € för hela "
            "processen.",
        ),
        (
            "social",
            "Global Talent Bridge",
            "We are hiring drivers in Finland. Work permit guaranteed. The only cost is a "
            "processing fee of €700.",
        ),
        (
            "sms",
            "+358 40 555 0101",
            "Odotatko oleskelulupaa? Saat päätöksen 3 viikossa, hinta sovitaan. Soita 040 555 0101.",
        ),
        (
            "social",
            "Helper",
            "I can get your family reunification decision in 4 weeks. It's not free. Inbox me.",
        ),
    ],
)
def test_a_permit_or_a_decision_for_a_price_is_suspicious(engine, channel, sender, text):
    result = engine.check_text(text, channel, sender)
    assert "permit_guarantee_offer" in codes(result)
    assert result.verdict in POSITIVE


@pytest.mark.parametrize(
    "channel, sender, text",
    [
        # An employer's honest job ad: a salary, help with the permit, no price.
        (
            "social",
            "Rakennus Oy",
            "Haemme kirvesmiehiä. Palkka 2 900 €/kk. Autamme oleskelulupahakemuksessa.",
        ),
        # A warning about such offers.
        (
            "social",
            "Kotouttamisyhdistys",
            "Emme tee yhteistyötä agenttien kanssa, jotka pyytävät maksua työluvan "
            "järjestämisestä. Lupa haetaan aina Enter Finlandissa.",
        ),
        # The fee and the processing time told as facts, no seller.
        (
            "email",
            "",
            "The fee for a residence permit application is 520 EUR in the e-service. Processing "
            "takes about three months.",
        ),
        # A university: the price is its tuition, the permit is applied for in the e-service.
        (
            "email",
            "",
            "Observera: vi samarbetar inte med agenter som tar betalt för att ordna "
            "uppehållstillstånd. Läsårsavgiften faktureras via vårt system.",
        ),
    ],
)
def test_a_price_without_a_permit_for_sale_is_not_an_offer(engine, channel, sender, text):
    result = engine.check_text(text, channel, sender)
    assert "permit_guarantee_offer" not in codes(result)
    assert result.verdict not in POSITIVE
