"""Senders dressed up as a well-known brand, and names that hide or borrow an address."""

from __future__ import annotations

from trust.engine.analyzers.brand_sender import disguised_letters
from trust.engine.brands import brand_in, domain_belongs_to, free_hosting

from .helpers import email, severity


def test_a_brand_in_the_name_of_an_unrelated_domain_is_medium(engine):
    raw = email("Your parcel is waiting.", sender='"DHL Express" <info@parcel-notice-center.com>')
    result = engine.check_email(raw)
    finding = next(f for f in result.findings if f.code == "sender_brand_mismatch")
    assert finding.severity == "medium"
    assert finding.evidence == {"brand": "dhl", "domain": "parcel-notice-center.com"}
    assert result.verdict == "suspicious"


def test_a_brand_in_the_name_of_a_free_mail_address_is_high(engine):
    raw = email("Hello.", sender='"PayPal Service" <paypal.service.team@gmail.com>')
    assert severity(engine.check_email(raw), "sender_brand_mismatch") == "high"


def test_a_brand_sending_from_its_own_domains_is_not_flagged(engine):
    for sender in (
        '"Netflix" <info@mailer.netflix.com>',
        '"Facebook" <security@facebookmail.com>',
        '"Microsoft account team" <account-security-noreply@accountprotection.microsoft.com>',
        '"Posti" <noreply@posti.fi>',
    ):
        result = engine.check_email(email("Your monthly summary.", sender=sender))
        assert not result.has("sender_brand_mismatch"), sender
        assert result.verdict == "unverified", sender


def test_brand_names_are_found_through_disguises():
    assert brand_in("Lеdgеr Support") == "ledger"  # Cyrillic e
    assert brand_in("PayPaI") == "paypal"  # capital I for a small l
    assert brand_in("C o i n b a s e") == "coinbase"
    assert brand_in("Mi\u200bcro\u200bsoft 365") == "microsoft 365"
    assert brand_in("MetaMaskTeam") == "metamask"


def test_common_words_and_first_names_are_not_brands():
    assert brand_in("Chase Miller") == ""
    assert brand_in("UPSTAIRS gallery") == ""
    assert brand_in("Amazonas tours") == ""


def test_a_brand_owns_the_domains_that_carry_its_word():
    assert domain_belongs_to("amazon", "marketplace.amazon.de")
    assert domain_belongs_to("dhl", "notification.dhl.com")
    assert domain_belongs_to("facebook", "facebookmail.com")
    assert not domain_belongs_to("dhl", "parcel-tracking.example")
    # A subdomain is named by whoever owns the domain under it.
    assert not domain_belongs_to("fedex", "fedex.content-host.com")
    assert not domain_belongs_to("paypal", "secure-update.example")


def test_a_bank_like_name_over_an_unrelated_domain_is_a_mismatch(engine):
    raw = email("Card notice.", sender='"TF-Bank Kundenservice" <service@norsk-design-shop.com>')
    assert severity(engine.check_email(raw), "sender_brand_mismatch") == "medium"
    own = email("Card notice.", sender='"Nordic Savings Bank" <news@nordicsavingsbank.com>')
    assert not engine.check_email(own).has("sender_brand_mismatch")


def test_an_address_that_is_not_one_is_medium(engine):
    for sender in ("microsoft", "Notices <contato@correios>", "x <support@%atendimento.com>"):
        result = engine.check_email(email("Hello.", sender=sender))
        assert severity(result, "sender_address_invalid") == "medium", sender


def test_a_display_name_showing_another_address_is_medium(engine):
    raw = email("Sign-in alert.", sender='"security@bank-alerts.com" <alerts@random-host-mail.com>')
    result = engine.check_email(raw)
    finding = next(f for f in result.findings if f.code == "sender_display_address")
    assert finding.evidence["shown"] == "security@bank-alerts.com"
    assert finding.severity == "medium"


def test_a_mailing_list_showing_the_authors_address_is_not_flagged(engine):
    raw = email("Minutes.", sender='"ann@example.org via Board" <board@lists.example.net>')
    assert not engine.check_email(raw).has("sender_display_address")


def test_the_readers_own_address_as_the_senders_name_is_medium(engine):
    raw = email("Hi.", sender='"reader@example.com" <x@other-sender.com>', to="reader@example.com")
    assert severity(engine.check_email(raw), "sender_display_address") == "medium"


def test_disguised_letters_in_a_senders_name_are_medium(engine):
    raw = email("Notice.", sender='"Nᴏᴛɪғɪᴄᴀᴛɪᴏɴ" <news@letters-daily.com>')
    assert severity(engine.check_email(raw), "disguised_letters") == "medium"


def test_disguised_letters_are_counted_but_emoji_and_soft_hyphens_are_not():
    assert disguised_letters("Pay\u200dPal") == 1
    assert disguised_letters("Lеdgеr") == 1  # one word with Cyrillic letters
    assert disguised_letters("𝗣𝗮𝘆𝗣𝗮𝗹") == 6
    assert disguised_letters("Family 👨\u200d👩\u200d👧 photos") == 0
    assert disguised_letters("Sanna\u00adkirja") == 0
    assert disguised_letters("Ольга Smith") == 0
    assert disguised_letters("U S A") == 0


def test_a_borrowed_account_answering_to_free_mail_is_medium(engine):
    raw = email(
        "I have a business proposal for you.",
        sender='"Dr Andrew Black" <procurement@town-council.org>',
        headers="Reply-To: dr.andrew.black@gmail.com\r\n",
    )
    assert severity(engine.check_email(raw), "reply_to_free_mail") == "medium"


def test_a_freelancer_answering_from_free_mail_under_their_own_name_is_not_flagged(engine):
    raw = email(
        "New course out.",
        sender='"maxart" <no-reply@maxart.com>',
        headers="Reply-To: max.art@gmail.com\r\n",
    )
    assert not engine.check_email(raw).has("reply_to_free_mail")


def test_a_sender_on_a_free_hosting_domain_is_low(engine):
    raw = email("Hello.", sender='"Promo" <noreply@promo-8fb71.firebaseapp.com>')
    assert severity(engine.check_email(raw), "sender_free_hosting") == "low"


def test_free_hosting_is_recognised_by_its_shared_domain():
    assert free_hosting("login-update.web.app") == "web.app"
    assert free_hosting("storage.googleapis.com") == "storage.googleapis.com"
    assert free_hosting("secure-bank.blogspot.pt") == "blogspot"
    assert free_hosting("pub-123.r2.dev") == "r2.dev"
    assert free_hosting("www.example.com") == ""


def test_a_name_written_in_raw_utf8_bytes_is_read_as_written():
    from trust.engine.message import parse_email

    message = parse_email(email("Hi.", sender='"Olá Jörg Ᵽ" <jorg@letters-daily.com>'))
    assert message.from_display == "Olá Jörg Ᵽ"
