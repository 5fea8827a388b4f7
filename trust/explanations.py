"""What each finding of the check engine means, in a translated sentence the reader understands."""

from __future__ import annotations

from collections import defaultdict

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.authority import authority
from trust.engine import Finding

# Findings whose "name" is the authority's name as the message wrote it ("Migrin", a shortening):
# the reader is told the authority's own name, in the reader's language, instead.
_NAMES_THE_AUTHORITY = frozenset({"claims_authority", "mentions_authority"})

FINDING_TITLES = {
    "claims_authority": _("Speaks in the authority's name"),
    "mentions_authority": _("Mentions the authority"),
    "claims_authority_role": _("Acts as the authority without naming it"),
    "from_official_domain": _("Sender address of the authority"),
    "sender_domain_lookalike": _("Sender domain imitates the authority"),
    "sender_impersonation": _("Sender pretends to be the authority"),
    "reply_to_elsewhere": _("Replies go elsewhere"),
    "return_path_elsewhere": _("Bounces go elsewhere"),
    "dkim_missing": _("No digital signature"),
    "dkim_not_checked": _("Signature not checked"),
    "dkim_unverifiable": _("Signature could not be checked"),
    "dkim_invalid": _("Signature does not match"),
    "dkim_valid_official": _("Signed by the authority"),
    "dkim_valid_aligned": _("Signed by the sender's domain"),
    "dkim_valid_not_aligned": _("Signed by another domain"),
    "dmarc_fail": _("Sender check failed (DMARC)"),
    "dmarc_pass_reported": _("Sender check passed (DMARC)"),
    "spf_fail": _("Sending server not allowed (SPF)"),
    "spf_pass_reported": _("Sending server allowed (SPF)"),
    "authentication_results_ignored": _("Unreliable check results ignored"),
    "social_account_impersonation": _("Account imitates the authority"),
    "social_media_request": _("Request in a social-media message"),
    "sms_sender_not_official": _("Text message from an unofficial number"),
    "sms_sender_name_unproven": _("Sender name can be faked"),
    "link_ip_address": _("Link to a bare IP address"),
    "link_lookalike": _("Link to a lookalike address"),
    "link_shortener": _("Shortened link"),
    "unofficial_contact_channel": _("Unofficial contact channel"),
    "link_mixed_script": _("Address mixes alphabets"),
    "link_userinfo_trick": _("Address disguised with @"),
    "link_text_mismatch": _("Link text shows another address"),
    "html_form": _("Form inside the message"),
    "link_not_official": _("Links to other sites"),
    "links_official": _("Links to official sites"),
    "email_address_lookalike": _("Email address imitates the authority"),
    "contact_address_not_official": _("Unofficial email address"),
    "contact_phone_not_official": _("Unofficial phone number"),
    "sensitive_data_request": _("Asks for sensitive data"),
    "payment_request": _("Asks for money"),
    "threat": _("Threats"),
    "urgency": _("Pressure to hurry"),
    "permit_guarantee_offer": _("Promises a permit or a faster decision"),
    "link_action_not_official": _("Asks you to act on another site"),
    "attachment_double_extension": _("Attachment with a disguised name"),
    "attachment_executable": _("Attachment that runs a program"),
    "attachment_macro_document": _("Document with macros"),
    "attachment_archive": _("Compressed attachment"),
    "attachment_html_form": _("Attachment with a form"),
    "attachment_html": _("Web-page attachment"),
    "verification_code_valid": _("Valid verification code"),
    "verification_code_invalid": _("Unknown verification code"),
    "verification_code_unchecked": _("Verification code not checked"),
    "verification_code_in_altered_message": _("Genuine code in an altered message"),
    "message_malformed": _("Damaged message"),
    "url_official": _("Official address"),
    "url_other_official": _("Official address of another authority"),
    "url_unknown": _("Unknown address"),
    "url_invalid": _("Not a web address"),
    # Verification codes vouch only against the address the person typed; official senders sign.
    "verification_code_ours_unconfirmed": _("Our code, not confirmed for you"),
    "verification_code_other_recipient": _("Code sent to someone else"),
    "verification_code_confirmed_email": _("Code sent to you"),
    "verification_codes_too_many": _("Too many codes"),
    "official_sender_unsigned": _("Official sender without our signature"),
    # Bounded cost (trust/engine/limits.py): the check did not read everything.
    "input_limit_reached": _("Too large to check in full"),
    "check_time_budget_exceeded": _("Check stopped for lack of time"),
    # Messages in other brands' names (issue 7): brand-independent signs of phishing.
    "sender_brand_mismatch": _("Sender uses a brand's name"),
    "sender_address_invalid": _("Sender address is not valid"),
    "sender_display_address": _("Sender name shows another address"),
    "sender_free_hosting": _("Sent from a free hosting service"),
    "disguised_letters": _("Disguised letters"),
    "reply_to_free_mail": _("Replies go to a free-mail box"),
    "credential_request": _("Asks to sign in or confirm details"),
    "account_threat": _("Threatens to close an account"),
    "prize_claim": _("Prize or gift to claim"),
    "advance_fee_lure": _("Promises a large sum of money"),
    "link_free_hosting": _("Link to a free hosting service"),
    "link_action_redirect": _("Button hides where it goes"),
    "link_action_elsewhere": _("Button leads to another site"),
    "domain_abused_suffix": _("Address with a much-abused ending"),
    "message_mostly_links": _("Little text, mostly links"),
    "recipient_address_as_name": _("Your address used as your name"),
    "sender_random_name": _("Machine-made sender address"),
    "phishing_signs_combined": _("Several signs of phishing"),
    "link_script": _("Link that runs code"),
    "recipients_hidden": _("Not addressed to you"),
    "subject_random_token": _("Random code in the subject"),
}


# The sentence of each finding, naming its evidence; translated when one is shown (translating
# the whole table for each finding cost a hundred gettext calls, half a result page's CPU).
SENTENCES = {
    "claims_authority": _("The message speaks in the name of %(name)s."),
    "mentions_authority": _("The message mentions %(name)s but is not sent in its name."),
    "claims_authority_role": _(
        "The message acts as the authority without naming it: “%(text)s”. Only the "
        "authority handles your permit, and it tells you about it only in the e-service."
    ),
    "link_action_not_official": _(
        "In the authority's name, the message asks you to open, sign in or pay at "
        "%(domain)s, which is not the authority's site. The authority never does this."
    ),
    "from_official_domain": _(
        "The sender address ends in %(domain)s. A sender address alone can be forged; "
        "only a valid signature proves it."
    ),
    "sender_domain_lookalike": _("The sender's domain %(domain)s imitates %(imitates)s."),
    "sender_impersonation": _(
        "The sender calls itself “%(display_name)s” but writes from %(domain)s, which is not "
        "an address of the authority."
    ),
    "reply_to_elsewhere": _(
        "Replies would go to %(address)s, not to the sender's domain %(from)s."
    ),
    "return_path_elsewhere": _(
        "Undelivered mail goes back to %(address)s, not to the sender's domain %(from)s."
    ),
    "dkim_missing": _("The message has no digital signature (DKIM)."),
    "dkim_not_checked": _("The digital signature of %(domains)s was not checked."),
    "dkim_unverifiable": _(
        "The signature of %(domain)s could not be checked because its key could not be "
        "fetched in time. Try again later."
    ),
    "dkim_invalid": _(
        "The digital signature of %(domain)s does not match the message: it was changed "
        "after signing or the signature is forged."
    ),
    "dkim_valid_official": _(
        "The message is signed by %(domain)s, the authority's own domain, and the signature "
        "is valid."
    ),
    "dkim_valid_aligned": _("The message is signed by the sender's domain %(domain)s."),
    "dkim_valid_not_aligned": _(
        "The message is signed by %(domain)s, which is not the sender's domain."
    ),
    "dmarc_fail": _(
        "The receiving server %(receiver)s found that the sender's domain did not send it."
    ),
    "dmarc_pass_reported": _(
        "The receiving server %(receiver)s reports that the sender check passed."
    ),
    "spf_fail": _(
        "The receiving server %(receiver)s reports that the sending server was not allowed "
        "to send for this domain."
    ),
    "spf_pass_reported": _(
        "The receiving server %(receiver)s reports that the sending server was allowed."
    ),
    "authentication_results_ignored": _(
        "%(count)s check results written further down in the message were ignored: a sender "
        "can write them."
    ),
    "social_account_impersonation": _(
        "The account “%(sender)s” uses the authority's name but is not one of its official "
        "accounts."
    ),
    "social_media_request": _(
        "The authority sends no private messages on social media and never asks for anything there."
    ),
    "sms_sender_not_official": _(
        "The text message comes from %(sender)s, which is not a number of the authority."
    ),
    "sms_sender_name_unproven": _(
        "The sender name %(sender)s can be set by anyone who sends text messages."
    ),
    "link_ip_address": _("A link goes to the bare IP address %(ip)s instead of a name."),
    "link_lookalike": _("The link goes to %(domain)s, which imitates %(imitates)s."),
    "link_shortener": _("A shortened link (%(domain)s) hides where it really goes."),
    "unofficial_contact_channel": _(
        "The message asks you to get in touch through %(via)s, which the authority does not use."
    ),
    "link_mixed_script": _(
        "The address %(domain)s mixes letters of different alphabets to look like another."
    ),
    "link_userinfo_trick": _(
        "The link shows %(shown)s at its start but really goes to %(domain)s."
    ),
    "link_text_mismatch": _("The link shows %(shown)s but goes to %(domain)s."),
    "html_form": _("The message has a form that sends what you type to %(domain)s."),
    "link_not_official": _("Links go to %(domains)s, which are not the authority's sites."),
    "links_official": _("Links go to %(domains)s, which are official sites."),
    "email_address_lookalike": _(
        "The address %(address)s imitates the authority's domain %(imitates)s."
    ),
    "contact_address_not_official": _(
        "The message gives %(address)s as a contact, which is not an address of the authority."
    ),
    "contact_phone_not_official": _(
        "The message gives the phone number %(phone)s, which is not a number of the authority."
    ),
    "sensitive_data_request": _(
        "The message asks for %(data)s. The authority never asks for these by email, text "
        "message or social media."
    ),
    "payment_request": _("The message asks you to pay outside the e-service: “%(text)s”"),
    "threat": _("The message threatens you: “%(text)s”"),
    "urgency": _("The message pressures you to act at once: “%(text)s”"),
    "permit_guarantee_offer": _(
        "The message promises a permit, a faster decision or a prize: “%(text)s”. Nobody can "
        "buy or win the authority's decisions."
    ),
    "attachment_double_extension": _(
        "The attachment %(filename)s hides its real type behind a second extension."
    ),
    "attachment_executable": _(
        "The attachment %(filename)s is a program: opening it can take over your device."
    ),
    "attachment_macro_document": _(
        "The attachment %(filename)s is a document with macros that can run programs."
    ),
    "attachment_archive": _(
        "The attachment %(filename)s is a compressed archive, a common way to hide programs."
    ),
    "attachment_html_form": _(
        "The attachment %(filename)s is a web page with a form that sends what you type elsewhere."
    ),
    "attachment_html": _("The attachment %(filename)s is a web page."),
    "verification_code_valid": _(
        "The verification code %(code)s was issued by us for this message."
    ),
    "verification_code_invalid": _("The verification code %(code)s was not issued by us."),
    "verification_code_unchecked": _(
        "The message shows the code %(code)s; check it on the “Did we send this?” page."
    ),
    "verification_code_in_altered_message": _(
        "The verification code %(code)s is genuine, but the message was changed: it now "
        "contains things we never send."
    ),
    "message_malformed": _("Part of the message is damaged and could not be read."),
    "url_official": _("%(domain)s is an official address of the authority."),
    "url_other_official": _("%(domain)s is an official address of another public authority."),
    "url_unknown": _("%(domain)s is not an address of the authority."),
    "url_invalid": _("This is not a web address."),
    # Verification codes vouch only against the address the person typed; official senders sign.
    "verification_code_ours_unconfirmed": _(
        "The code %(code)s was issued by us, but a code only proves that we sent it to one "
        "person: anyone can copy their own code into a message of their own, so the text "
        "cannot be vouched for. To verify it, check the code with the email address or phone "
        "number the message came to on the “Did we send this?” page, or check the message "
        "again and type that address in the field for it."
    ),
    "verification_code_other_recipient": _(
        "The code %(code)s was issued by us, but not to the address you gave: this message "
        "was not sent to you by us."
    ),
    "verification_code_confirmed_email": _(
        "The code %(code)s was sent by us to the address you gave. In an email file only our "
        "valid digital signature proves that the text is unchanged."
    ),
    "verification_codes_too_many": _(
        "The message holds %(count)s verification codes; our messages carry exactly one. "
        "Only %(checked)s were checked."
    ),
    "official_sender_unsigned": _(
        "The sender address ends in %(domain)s, but the message has no valid signature of "
        "ours. Our own mail is always signed, so this message was forged or altered on the "
        "way."
    ),
    # Bounded cost (trust/engine/limits.py): the check did not read everything.
    "input_limit_reached": _(
        "The message is larger than the check reads in full; the part left unread cannot "
        "be vouched for."
    ),
    "check_time_budget_exceeded": _(
        "The check ran out of time before it had looked at everything; what it did not "
        "check cannot be vouched for."
    ),
    # Messages in other brands' names (issue 7).
    "sender_brand_mismatch": _(
        "The sender's name says %(brand)s, but the address is at %(domain)s, which is not theirs."
    ),
    "sender_address_invalid": _(
        "The sender address %(address)s is not a real email address: it was forged."
    ),
    "sender_display_address": _(
        "The sender's name shows %(shown)s, but the message really comes from %(address)s."
    ),
    "sender_free_hosting": _(
        "The message comes from %(domain)s, a free service where anyone can create an address."
    ),
    "disguised_letters": _(
        "The sender's name or the subject hides its words with invisible characters, lookalike letters or letters spaced out, so that filters do not recognise them."
    ),
    "reply_to_free_mail": _(
        "The message is sent from %(address)s, but replies go to the free-mail address %(reply_to)s."
    ),
    "credential_request": _(
        "The message asks you to sign in, verify an account or give payment details: “%(text)s”"
    ),
    "account_threat": _(
        "The message says an account or a service will be closed or is blocked: “%(text)s”"
    ),
    "prize_claim": _("The message offers a prize, a gift or money to claim: “%(text)s”"),
    "advance_fee_lure": _(
        "The message promises a large sum of money, a classic way to ask for fees later: “%(text)s”"
    ),
    "link_free_hosting": _(
        "A link goes to %(domain)s, on %(hosting)s, where anyone can publish a page."
    ),
    "link_action_redirect": _(
        "The button “%(text)s” goes through %(domain)s, which forwards you to an address it hides."
    ),
    "link_action_elsewhere": _(
        "The button “%(text)s” leads to %(domain)s, not to the sender's own site."
    ),
    "domain_abused_suffix": _(
        "An address in the message ends in .%(suffix)s, where most new domains are made for one campaign."
    ),
    "message_mostly_links": _(
        "The message has almost no text, only links or pictures that lead elsewhere."
    ),
    "recipient_address_as_name": _(
        "The message calls you by your email address: the sender does not know your name."
    ),
    "sender_random_name": _(
        "The sender address %(address)s looks machine-made, as throwaway addresses are."
    ),
    "phishing_signs_combined": _(
        "Several weak signs of phishing appear together, which genuine messages rarely show."
    ),
    "link_script": _(
        "A link runs code or opens hidden content (%(scheme)s) instead of going to a web page."
    ),
    "recipients_hidden": _(
        "The message names no recipient: it was sent in hidden copy to many people."
    ),
    "subject_random_token": _(
        "The subject carries the random code %(token)s, which bulk senders add so that filters do not recognise their messages."
    ),
}


def _sentence(code: str) -> str | None:
    sentence = SENTENCES.get(code)
    return None if sentence is None else str(sentence)


def _sensitive_data_labels() -> dict[str, str]:
    return {
        "birth_date": gettext("birth date"),
        "identity_code": gettext("personal identity code"),
        "passport_number": gettext("passport number"),
        "marital_status": gettext("marital status"),
        "bank_statement": gettext("bank statements"),
        "pay_slip": gettext("pay slips"),
        "bank_codes": gettext("online-bank codes"),
        "card_number": gettext("card details"),
        "one_time_password": gettext("one-time passwords"),
        "personal_data": gettext("personal data"),
    }


def _translated_evidence(finding: Finding) -> dict[str, str]:
    evidence = {k: str(v) for k, v in (finding.evidence or {}).items()}
    if finding.code in _NAMES_THE_AUTHORITY:
        evidence["name"] = authority().name_in_text()
    if finding.code == "sensitive_data_request" and "data" in evidence:
        labels = _sensitive_data_labels()
        evidence["data"] = ", ".join(
            labels.get(code, code) for code in evidence["data"].split(",") if code
        )
    return evidence


def explain(finding: Finding) -> str:
    """A translated sentence for the finding, naming its evidence."""
    template = _sentence(finding.code)
    evidence = defaultdict(lambda: "?", _translated_evidence(finding))
    if template is None:
        return str(FINDING_TITLES.get(finding.code, finding.code.replace("_", " ")))
    try:
        return template % evidence
    except (TypeError, ValueError, KeyError):
        return template


# Evidence that quotes the message's own words; the rest are addresses, codes, file names and the
# authority's name, which have no language of their own.
QUOTED_EVIDENCE = frozenset({"text", "display_name"})


def explain_html(finding: Finding, quote_language: str = "") -> SafeString:
    """explain() as HTML for a page, the message's quoted words in a span with `lang` when
    `quote_language` is given (the message's detected language, when it is not the page's:
    WCAG 3.1.2). With no language the sentence is only escaped: no `lang` beats a wrong one."""
    template = _sentence(finding.code)
    quoted = QUOTED_EVIDENCE & set(finding.evidence or {})
    if not quote_language or template is None or not quoted:
        return escape(explain(finding))
    evidence = defaultdict(
        lambda: "?", {key: escape(value) for key, value in _translated_evidence(finding).items()}
    )
    for key in quoted:
        evidence[key] = format_html('<span lang="{}">{}</span>', quote_language, evidence[key])
    try:
        # Both sides are escaped: the translated sentence here, the evidence above.
        return mark_safe(escape(template) % evidence)  # noqa: S308
    except (TypeError, ValueError, KeyError):
        return escape(template)
