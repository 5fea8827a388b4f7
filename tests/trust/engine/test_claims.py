"""Who speaks: the authority named as the speaker, its role taken unnamed, or only a mention."""

from __future__ import annotations

import pytest

from .helpers import email, severity

POSITIVE = ("scam", "suspicious")


def claim_of(result) -> str:
    codes = {f.code for f in result.findings}
    for code in ("claims_authority", "claims_authority_role", "mentions_authority"):
        if code in codes:
            return code
    return ""


# --- customer service in direct messages, inflected --------------------------------------------


@pytest.mark.parametrize(
    "sender, text",
    [
        (
            "Asiakaspalvelu",
            "Hei! Olemme Maahanmuuttoviraston asiakaspalvelu. Hakemuksesi käsittely on kesken. "
            "Lähetä meille syntymäaikasi, passinumerosi ja siviilisäätysi tähän viestiin.",
        ),
        (
            "Asiakaspalvelu Suomi",
            "Hyvä asiakas, kirjoitamme Maahanmuuttovirastosta. Tarvitsemme tiliotteenne kolmelta "
            "kuukaudelta ja passinumeronne, lähettäkää ne vastauksena tähän viestiin.",
        ),
        (
            "Kundtjänst",
            "Hej! Vi är Migrationsverkets kundtjänst. För att slutföra ärendet behöver vi "
            "passnumret, födelsedatumet och civilståndet. Skicka även kontoutdragen här i chatten.",
        ),
        (
            "Customer Support Team",
            "Hello, we are the Finnish Immigration Service customer service. To continue "
            "processing your case please send your date of birth, passport number and marital "
            "status in this chat.",
        ),
        ("Support", "Hi, Migri customer service here. Please send your bank statements here."),
        (
            "Anna Virtanen",
            "Hei, kirjoitan Maahanmuuttoviraston puolesta. Vastaathan tähän viestiin "
            "syntymäajallasi ja passisi tiedoilla.",
        ),
    ],
)
def test_a_direct_message_as_the_authoritys_customer_service_asking_for_data_is_a_scam(
    engine, sender, text
):
    result = engine.check_text(text, "social", sender)
    assert claim_of(result) == "claims_authority"
    assert severity(result, "sensitive_data_request") == "high"
    assert result.verdict == "scam"


def test_the_authoritys_name_after_its_service_in_an_sms_opening_is_a_claim(engine):
    text = (
        "Migrin asiakaspalvelusta hei! Vastaa tähän viestiin syntymäajallasi ja passinumerollasi."
    )
    result = engine.check_text(text, "sms", "+358401112233")
    assert claim_of(result) == "claims_authority"
    assert result.verdict == "scam"


def test_a_named_person_who_writes_in_the_authoritys_name_claims_it(engine):
    raw = email(
        "Hej,\n\nvi på Migrationsverket behöver ditt passnummer och dina lönespecifikationer. "
        "Svara på detta mejl.\n\nMed vänliga hälsningar\nErik",
        sender="Erik Lund <erik.lund1984@gmail.com>",
    )
    result = engine.check_email(raw)
    assert claim_of(result) == "claims_authority"
    assert result.verdict == "scam"


# --- notices of an official message pointing elsewhere ------------------------------------------


@pytest.mark.parametrize(
    "sender, subject, text",
    [
        (
            "Migri <noreply@migri.fi>",
            "Uusi viesti",
            "Sinulle on uusi virallinen viesti turvapostissa. Lue se täältä: "
            "https://turvaposti-viestit.com/lue?id=83",
        ),
        (
            "noreply@migri.fi",
            "New message",
            "You have a new official message in Securemail. Read it here: "
            "https://secure-docs-view.net/m/8832",
        ),
        (
            "Migrationsverket <noreply@migri.fi>",
            "Nytt meddelande",
            "Du har ett nytt meddelande i den säkra posten. Läs det här: "
            "https://sakerpost-arende.com/las",
        ),
        (
            "Secure Mail <notify@securemail-service.com>",
            "Secure message",
            "You have received a new secure message from the Finnish Immigration Service. "
            "Open it here: https://securemail-service.com/open/1",
        ),
    ],
)
def test_a_new_official_message_to_read_elsewhere_is_a_scam(engine, sender, subject, text):
    result = engine.check_email(email(text, sender=sender, subject=subject))
    assert severity(result, "link_action_not_official") == "high"
    assert result.verdict == "scam"


def test_a_secure_message_notice_about_the_readers_permit_speaks_in_the_role_unnamed(engine):
    text = (
        "You have a new secure message about your residence permit. Read it here: "
        "https://read-msg.info/x"
    )
    result = engine.check_text(text, "sms", "+358451234567")
    assert claim_of(result) == "claims_authority_role"
    assert result.verdict == "scam"


def test_the_authoritys_own_notification_that_says_type_the_address_yourself_is_not_flagged(
    engine,
):
    text = (
        "You have a new message in the e-service. Type enterfinland.fi in your browser yourself "
        "and sign in."
    )
    result = engine.check_email(email(text, sender="Migri <noreply@migri.fi>"))
    assert result.verdict == "unverified"


def test_the_authoritys_post_that_links_to_a_recruitment_site_to_read_more_is_not_flagged(
    engine,
):
    text = "We are hiring advisers! Read more and apply by 15 June: valtiolle.fi #jobs"
    assert engine.check_text(text, "social", "Maahanmuuttovirasto").verdict == "unverified"


def test_a_newspaper_that_links_to_its_own_article_is_not_acting_for_the_authority(engine):
    raw = email(
        "This is the Finnish Immigration Service's new guidance on processing. Read the full "
        "article: https://www.hs.fi/kotimaa/art-123.html",
        sender="Helsingin Sanomat <uutiset@hs.fi>",
    )
    assert engine.check_email(raw).verdict == "unverified"


# --- the permit, the card or the e-service without the authority's name --------------------------


@pytest.mark.parametrize(
    "language_text",
    [
        "Oleskelulupakorttisi on valmis toimitettavaksi. Vahvista syntymäaikasi ja passinumerosi "
        "vastaamalla tähän viestiin.",
        "Ditt uppehållstillståndskort är klart. Svara på detta meddelande med ditt passnummer och "
        "födelsedatum för leverans.",
        "Your residence permit card is ready. To arrange delivery, pay the 2.90 EUR delivery fee: "
        "https://card-delivery.info/pay",
        "Ditt uppehållstillstånd har pausats. Betala handläggningsavgiften 15 € här: "
        "https://tillstand-avgift.com",
        "Oleskelulupahakemuksesi käsittelymaksu 4,90 € on maksamatta. Maksa: "
        "https://lupamaksu.com/pay",
    ],
)
def test_a_message_that_handles_the_readers_permit_unnamed_and_asks_is_a_scam(
    engine, language_text
):
    result = engine.check_text(language_text, "sms", "+358401234000")
    assert claim_of(result) == "claims_authority_role"
    assert result.verdict == "scam"


def test_a_role_mailbox_and_a_role_signature_name_nobody(engine):
    text = (
        "Hyvä hakija,\n\nOleskelulupahakemuksenne käsittely on keskeytetty. Toimittakaa "
        "tiliotteenne ja palkkalaskelmanne vastaamalla tähän viestiin.\n\nYstävällisin terveisin\n"
        "Asiakaspalvelu"
    )
    raw = email(text, sender="asiakaspalvelu@lupa-asiat.com")
    result = engine.check_email(raw)
    assert claim_of(result) == "claims_authority_role"
    assert result.verdict == "scam"


def test_an_employer_that_names_itself_and_tells_of_the_permit_does_not_take_the_role(engine):
    raw = email(
        "Hi Maria, your work permit application is being processed by the Finnish Immigration "
        "Service. Please send your passport copy through our HR portal.",
        sender="Lumivaara HR <hr@lumivaara.fi>",
    )
    result = engine.check_email(raw)
    assert claim_of(result) == "mentions_authority"
    assert result.verdict == "unverified"


def test_good_news_about_the_permit_from_a_phone_number_that_asks_nothing_is_not_flagged(engine):
    text = (
        "Hei Maria, Jukka Lumivaarasta. Oleskelulupasi on myönnetty, onneksi olkoon! Nähdään "
        "maanantaina."
    )
    assert engine.check_text(text, "sms", "+358401234567").verdict == "unverified"


# --- what only talks about the authority --------------------------------------------------------


@pytest.mark.parametrize(
    "channel, sender, text",
    [
        (
            "email",
            "Police <info@poliisi.fi>",
            "Fraudsters send messages saying 'we are the Finnish Immigration Service, send your "
            "passport number'. Never reply.",
        ),
        (
            "sms",
            "Laura",
            "Sain viestin Migriltä, oleskelulupani on valmis! Mitä sinun hakemuksellesi kuuluu?",
        ),
        (
            "sms",
            "Ahmed",
            "Got a message from Migri today, my permit is approved!! Did you send them your bank "
            "statements already?",
        ),
        (
            "social",
            "Mina Karimi",
            "Har du fått ditt uppehållstillståndskort? Mitt är klart nu. Skicka ditt passnummer så "
            "bokar jag biljetterna.",
        ),
        (
            "social",
            "Finland Newcomers Group",
            "Remember: Migri never sends private messages. If someone contacts you on WhatsApp or "
            "Telegram asking for your passport number, it is a scam.",
        ),
        (
            "email",
            "Aalto University Admissions <admissions@aalto.fi>",
            "Your residence permit application: the university sends you the acceptance letter. "
            "Please upload your passport copy in our applicant portal: https://apply.aalto.fi",
        ),
    ],
)
def test_messages_that_only_talk_about_the_authority_or_the_data_are_not_flagged(
    engine, channel, sender, text
):
    assert claim_of(engine.check_text(text, channel, sender)) != "claims_authority"
    assert engine.check_text(text, channel, sender).verdict == "unverified"


def test_a_namesake_agency_on_its_own_domain_does_not_claim_ours(engine):
    raw = email(
        "Du har fått ett nytt meddelande från Migrationsverket. Logga in på Mina sidor på "
        "https://www.migrationsverket.se för att läsa det.",
        sender="Migrationsverket <noreply@migrationsverket.se>",
    )
    result = engine.check_email(raw)
    assert not result.has("claims_authority")
    assert result.verdict == "unverified"


def test_the_official_account_written_with_its_own_address_is_the_official_account(engine):
    text = (
        "Visste du att Migrationsverket aldrig skickar privatmeddelanden? Om någon kontaktar dig "
        "via WhatsApp och ber om dina personuppgifter är det ett bluffmeddelande. Mer info: "
        "migri.fi/sv"
    )
    official = engine.check_text(
        text, "social", "Maahanmuuttovirasto (facebook.com/maahanmuuttovirasto)"
    )
    assert official.verdict == "unverified"
    other = engine.check_text(text, "social", "Maahanmuuttovirasto (facebook.com/migri.help)")
    assert other.has("social_account_impersonation")


@pytest.mark.parametrize(
    "sender, text",
    [
        (
            "Elina | Customer Care",
            "Good afternoon! I am your caseworker at the Finnish Immigration Service. Kindly send "
            "me your passport number and your latest bank statement so I can finish your file.",
        ),
        (
            "Handläggare Sara",
            "Hej, jag är handläggare på Migrationsverket. Kan du skicka mig dina "
            "lönespecifikationer och ditt födelsedatum?",
        ),
        (
            "Virkailija Mikko",
            "Moi! Olen Maahanmuuttoviraston virkailija. Voisitko lähettää kuvan passistasi ja "
            "tiliotteesi tänne?",
        ),
    ],
)
def test_a_person_who_says_they_work_for_the_authority_speaks_in_its_name(engine, sender, text):
    result = engine.check_text(text, "social", sender)
    assert claim_of(result) == "claims_authority"
    assert result.verdict == "scam"


def test_a_friend_who_is_the_authoritys_customer_does_not_speak_for_it(engine):
    text = "Hei, olen Migrin asiakas kuten sinäkin. Lähetätkö passinumerosi, niin varaan ajat?"
    assert claim_of(engine.check_text(text, "sms", "+358401234567")) != "claims_authority"


def test_a_notice_whose_html_link_text_says_read_the_message_is_an_action_link(engine):
    html = (
        "<p>Hei,</p><p>sinulle on saapunut uusi viesti asiointipalveluun.</p>"
        "<p><a href='https://viestikeskus-online.com/login'>Lue viesti</a></p>"
    )
    raw = (
        "From: Maahanmuuttovirasto <noreply@migri.fi>\r\nTo: r@example.com\r\nSubject: Viesti\r\n"
        f"Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    ).encode()
    result = engine.check_email(raw)
    assert result.has("link_action_not_official")
    assert result.verdict == "scam"


def test_a_link_on_its_own_line_after_a_new_message_notice_is_an_action_link(engine):
    raw = email(
        "Du har ett nytt meddelande.\nhttps://meddelande-portal.com/x",
        sender="Migri <noreply@migri.fi>",
    )
    assert engine.check_email(raw).has("link_action_not_official")


@pytest.mark.parametrize(
    "sender, text",
    [
        (
            "+447000001111",
            "Your Enter Finland account has been locked. Verify your identity: "
            "https://ef-verify.com",
        ),
        (
            "Permit Services",
            "Your permit card could not be delivered. Please pay 2 EUR redelivery fee via this "
            "link: https://redeliver-card.com",
        ),
        (
            "+358401231231",
            "Asiointitilisi suljetaan tänään. Vahvista tietosi: https://asiointi-tarkistus.com",
        ),
    ],
)
def test_an_account_or_card_of_the_reader_handled_elsewhere_is_a_scam(engine, sender, text):
    channel = "sms" if sender.startswith("+") else "social"
    result = engine.check_text(text, channel, sender)
    assert claim_of(result) == "claims_authority_role"
    assert result.verdict == "scam"


def test_a_university_that_asks_its_fee_on_its_own_site_and_mentions_the_permit_is_not_flagged(
    engine,
):
    raw = email(
        "Your admission has been confirmed! Pay the tuition fee of 12000 EUR by 1 June: "
        "https://pay.aalto.fi. Remember to apply for your residence permit in Enter Finland.",
        sender="Aalto Admissions <admissions@aalto.fi>",
    )
    assert engine.check_email(raw).verdict == "unverified"


def test_a_signature_in_the_authoritys_name_from_a_personal_address_is_a_claim(engine):
    raw = email(
        "Hei,\n\nhakemuksesi käsittelyä varten tarvitsen vielä passinumerosi ja "
        "palkkalaskelmasi. Vastaa tähän viestiin.\n\nYstävällisin terveisin\nAnna Korhonen\n"
        "Ylitarkastaja\nMaahanmuuttovirasto",
        sender="Anna Korhonen <anna.korhonen77@outlook.com>",
    )
    result = engine.check_email(raw)
    assert claim_of(result) == "claims_authority"
    assert result.verdict == "scam"


def test_a_signature_that_only_mentions_the_authority_in_a_sentence_is_not_a_claim(engine):
    raw = email(
        "Hi Maria,\n\nplease send us your bank statements for the rental application.\n\n"
        "Best,\nKotiasunnot\nWe help newcomers after the Finnish Immigration Service's decision",
        sender="Kotiasunnot <vuokraus@kotiasunnot.fi>",
    )
    assert claim_of(engine.check_email(raw)) == "mentions_authority"


def test_a_finnish_message_to_the_authority_is_not_a_message_from_it(engine):
    text = "Kirjoita viesti Migrille ja kysy, tarvitaanko passinumero?"
    assert claim_of(engine.check_text(text, "social", "Kalle Virtanen")) == "mentions_authority"


def test_a_finnish_message_from_the_authority_in_the_ablative_is_a_notice_in_its_name(engine):
    text = "Sinulle on uusi viesti Maahanmuuttovirastolta. Avaa: https://x-msg.com/a"
    result = engine.check_text(text, "social", "Kalle Virtanen")
    assert claim_of(result) == "claims_authority"
    assert result.verdict == "scam"
