"""Account phishing in any brand's name: requests, threats, prizes, buttons that lead away."""

from __future__ import annotations

from trust.engine.phishing_phrases import (
    ACCOUNT_THREAT,
    ADVANCE_FEE,
    CREDENTIAL_REQUEST,
    PRIZE_WON,
    find_request,
    is_action_text,
)

from .helpers import email, severity


def html_email(body_html: str, sender: str = "Service <notice@service-mailer.com>", **kw) -> bytes:
    subject = kw.get("subject", "Notice")
    to = kw.get("to", "reader@example.com")
    head = f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
    head += "Content-Type: text/html; charset=utf-8\r\n\r\n"
    return (head + body_html + "\r\n").encode("utf-8")


def test_credential_requests_are_found_in_the_languages_phishing_uses():
    for text in (
        "Please verify your account within 24 hours.",
        "Confirm your identity to keep access.",
        "Update your payment details to avoid interruption.",
        "Por favor, atualize seus dados cadastrais.",
        "Confirme su cuenta ahora.",
        "Bitte bestätigen Sie Ihre Daten.",
        "Bevestig uw gegevens via de onderstaande knop.",
        "Veuillez confirmer votre identité.",
        "Vahvista tunnuksesi heti.",
        "Verifiera ditt konto i dag.",
    ):
        assert find_request(CREDENTIAL_REQUEST, text), text


def test_warnings_and_negations_are_not_requests():
    for text in (
        "We will never ask you to verify your account by email.",
        "Do not confirm your details on a page you reached from a message.",
        "Nunca confirme seus dados por e-mail.",
        "Pankki ei koskaan pyydä: vahvista tunnuksesi sähköpostilla.",
        "Beware of phishing that asks you to update your payment details.",
    ):
        assert not find_request(CREDENTIAL_REQUEST, text), text


def test_account_threats_prizes_and_advance_fees_are_found():
    assert find_request(ACCOUNT_THREAT, "Your mailbox is almost full.")
    assert find_request(ACCOUNT_THREAT, "Sua conta será bloqueada hoje.")
    assert find_request(ACCOUNT_THREAT, "Ihr Konto wurde vorübergehend gesperrt.")
    assert find_request(PRIZE_WON, "You have won an iPhone!")
    assert find_request(PRIZE_WON, "Você ganhou um prêmio.")
    assert not find_request(PRIZE_WON, "You have been selected for admission to the programme.")
    assert find_request(ADVANCE_FEE, "A fund of USD 4,500,000 awaits the next of kin.")


def test_button_texts_are_recognised():
    for text in ("Verify now", "Log in", "UPDATE", "View document", "Acessar", "Jetzt bestätigen"):
        assert is_action_text(text), text
    for text in ("Our history", "Privacy policy", "A long sentence that is not a button at all"):
        assert not is_action_text(text), text


def test_a_credential_request_with_a_button_to_another_site_is_suspicious(engine):
    raw = html_email(
        "<p>Dear customer, please verify your account to keep using it.</p>"
        '<p><a href="https://account-check-portal.com/x">Verify now</a></p>'
    )
    result = engine.check_email(raw)
    assert severity(result, "credential_request") == "medium"
    assert result.verdict == "suspicious"


def test_the_same_request_linking_to_the_senders_own_site_is_only_low(engine):
    raw = html_email(
        "<p>Welcome! Please confirm your email address.</p>"
        '<p><a href="https://www.service-mailer.com/confirm?t=1">Confirm</a></p>'
    )
    result = engine.check_email(raw)
    assert severity(result, "credential_request") == "low"
    assert result.verdict == "unverified"


def test_a_button_to_free_hosting_is_medium(engine):
    raw = html_email(
        "<p>Your document is ready.</p>"
        '<a href="https://shared-docs-7781.web.app/view">View document</a>'
    )
    finding = next(f for f in engine.check_email(raw).findings if f.code == "link_free_hosting")
    assert finding.severity == "medium"
    assert finding.evidence == {"domain": "shared-docs-7781.web.app", "hosting": "web.app"}


def test_a_button_behind_a_search_engine_redirect_is_medium(engine):
    raw = html_email(
        "<p>Your parcel is on hold.</p>"
        '<a href="https://www.google.com/url?q=https://parcel-fee.com/pay">Track parcel</a>'
    )
    assert severity(engine.check_email(raw), "link_action_redirect") == "medium"


def test_a_prize_won_is_medium(engine):
    raw = email("Congratulations! You have won a coffee machine. Reply to claim it.")
    assert severity(engine.check_email(raw), "prize_claim") == "medium"


def test_a_newsletter_with_a_gift_is_not_flagged(engine):
    raw = html_email(
        "<p>Our winter collection is here, with a small gift for every order.</p>"
        '<a href="https://www.service-mailer.com/shop">Shop now</a>',
    )
    assert engine.check_email(raw).verdict == "unverified"


def test_an_advance_fee_lure_answering_to_free_mail_is_medium(engine):
    raw = email(
        "I am the lawyer of your late relative. An inheritance of USD 4,500,000 awaits you. "
        "Write to me at lawyer.james.office@gmail.com",
        sender="James Office <office@law-partners-intl.com>",
    )
    assert severity(engine.check_email(raw), "advance_fee_lure") == "medium"


def test_the_readers_address_as_greeting_is_low(engine):
    raw = email("Hello reader@example.com, we have news for you.", to="reader@example.com")
    assert severity(engine.check_email(raw), "recipient_address_as_name") == "low"
    subject = email("News.", subject="reader@example.com, your storage", to="x@example.com")
    assert severity(engine.check_email(subject), "recipient_address_as_name") == "low"


def test_the_readers_address_in_a_footer_is_not_a_greeting(engine):
    raw = email("News of the week.\n\nThis email was sent to reader@example.com.")
    assert not engine.check_email(raw).has("recipient_address_as_name")


def test_two_weak_signs_together_are_medium(engine):
    raw = html_email(
        "<p>Hello reader@example.com, we have something for you.</p>"
        '<a href="https://offers-daily.click/x">Get it</a>',
        sender="Offers <news@offer-sender.com>",
    )
    result = engine.check_email(raw)
    finding = next(f for f in result.findings if f.code == "phishing_signs_combined")
    assert "recipient_address_as_name" in finding.evidence["signs"]
    assert result.verdict == "suspicious"


def test_a_javascript_or_data_link_is_medium(engine):
    raw = html_email('<a href="javascript:alert(1)">Open</a> <a href="https://a.com">a</a>')
    assert severity(engine.check_email(raw), "link_script") == "medium"


def test_a_genuine_bank_notice_is_not_flagged(engine):
    raw = html_email(
        "<p>Hello Anna,</p><p>Your card statement for April is ready. You can read it when you log in "
        "to our service.</p>"
        '<p><a href="https://www.nordicsavingsbank.com/login">Log in</a></p>',
        sender='"Nordic Savings Bank" <noreply@nordicsavingsbank.com>',
        to="anna@example.com",
    )
    result = engine.check_email(raw)
    assert result.verdict == "unverified", result.codes()


def test_a_genuine_parcel_notice_is_not_flagged(engine):
    raw = html_email(
        "<p>Your parcel JJFI123 is waiting at the pickup point until 12 May.</p>"
        '<p><a href="https://www.posti.fi/track?id=JJFI123">Track parcel</a></p>',
        sender='"Posti" <noreply@posti.fi>',
    )
    assert engine.check_email(raw).verdict == "unverified"


def test_a_random_token_in_the_subject_is_low_but_product_names_are_not(engine):
    raw = email("Your balance is blocked.", subject="Notice - FnEj4oJmgo")
    finding = next(f for f in engine.check_email(raw).findings if f.code == "subject_random_token")
    assert finding.evidence == {"token": "FnEj4oJmgo"}
    assert finding.severity == "low"
    for subject in ("Your iPhone15Pro order GZ301ZC-PS73", "McDonald2024Rewards week"):
        assert not engine.check_email(email("Hi.", subject=subject)).has("subject_random_token")


def test_a_message_addressed_to_nobody_visible_is_low(engine):
    raw = b"From: Someone <someone@example.org>\r\nSubject: Hi\r\n\r\nHello.\r\n"
    assert severity(engine.check_email(raw), "recipients_hidden") == "low"
    assert not engine.check_email(email("Hello.")).has("recipients_hidden")


def test_every_finding_of_the_new_analyzers_has_a_title_and_a_sentence():
    import re
    from pathlib import Path

    from trust.engine.analyzers import account_phishing, brand_sender
    from trust.explanations import FINDING_TITLES, SENTENCES

    for module in (account_phishing, brand_sender):
        source = Path(module.__file__).read_text(encoding="utf-8")
        codes = set(re.findall(r'Finding\(\s*"([a-z_]+)"', source))
        assert codes, module.__name__
        for code in codes:
            assert code in FINDING_TITLES and code in SENTENCES, code
