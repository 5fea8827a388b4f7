"""SMS and social-media senders."""

from __future__ import annotations

from .helpers import severity


def test_a_private_social_message_in_the_authoritys_name_that_asks_is_a_scam(engine):
    text = "Hello from Migri. Send us a photo of your passport to continue your case."
    result = engine.check_text(text, "social", "Migri Customer Service")
    assert result.has("social_account_impersonation")
    assert result.has("social_media_request")
    assert result.verdict == "scam"


def test_an_official_accounts_public_post_that_asks_nothing_is_fine(engine):
    text = "Did you know? You can answer a request for additional information in Enter Finland."
    result = engine.check_text(text, "social", "migri_fi")
    assert result.verdict == "unverified"


def test_the_official_page_name_is_not_an_impersonation(engine):
    result = engine.check_text(
        "Our offices are closed on Friday.", "social", "Maahanmuuttovirasto – Migri"
    )
    assert not result.has("social_account_impersonation")


def test_an_sms_from_a_private_number_that_names_the_authority_in_its_sender(engine):
    result = engine.check_text(
        "Your case needs action.", "sms", "+358 46 552 0391 (Migri Official)"
    )
    assert severity(result, "sms_sender_not_official") == "high"


def test_the_sms_sender_name_is_noted_as_something_anyone_can_set(engine):
    result = engine.check_text("You have new information in the e-service.", "sms", "Migri")
    assert result.has("sms_sender_name_unproven")
    assert result.verdict == "unverified"


def test_a_private_social_message_asking_by_obligation_alone_is_a_request(engine):
    # No imperative and no question: only "is required" asks, and only in the authority's name.
    # (The last line of the channel analyzer's _asks, which looked unreachable.)
    text = "This is Migri. Your passport number is required for the renewal."
    result = engine.check_text(text, "social", "Matti Virtanen")
    assert result.has("social_media_request")
    plain = engine.check_text("Your passport number is required.", "social", "Matti Virtanen")
    assert not plain.has("social_media_request")
