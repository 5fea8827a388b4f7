"""The seed's advice for the reader of a checked message, in the reader's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from core.authority import authority


def advice_for(result, language: str | None = None) -> list[str | dict]:
    """What to do now: strings, or dicts {"text", "url", "link_text"} where a link helps."""
    if not language or language == translation.get_language():
        return _advice(result)  # a page's own language: no switching there and back
    with translation.override(language):
        return _advice(result)


def _advice(result) -> list[str | dict]:
    profile = authority()
    eservice = profile.eservice_address
    if result.verdict == "genuine":
        return [
            gettext("This message is genuine."),
            gettext("To act on it, type %(address)s in the address bar yourself and sign in.")
            % {"address": eservice},
        ]
    items: list[str | dict] = []
    if result.verdict in ("scam", "suspicious"):
        items += [
            gettext("Do not reply to the message."),
            gettext("Do not fill in any fields and do not send any information."),
            gettext("Do not click the links or open the attachments."),
        ]
    else:
        items.append(
            gettext(
                "We could not prove who sent this. Do not use its links: type %(address)s in "
                "the address bar yourself."
            )
            % {"address": eservice}
        )
    if result.has("verification_code_ours_unconfirmed"):
        # Our code proves only that we sent it to someone: the reader's own address decides.
        items.append(
            {
                "text": gettext(
                    "The message shows a verification code of ours. To know whether we sent this "
                    "message to you, check the code with the email address or phone number it "
                    "came to, or check the message again and type that address in the field for "
                    "it."
                ),
                "url": reverse("trust:verify"),
                "link_text": gettext("Did we send this?"),
            }
        )
    items += [
        gettext("If you sent money or gave your online-bank codes, call your bank at once."),
        gettext("If your bank card or its details fell into the wrong hands, block the card."),
    ]
    if profile.police_report_url:
        items.append(
            {
                "text": gettext(
                    "If you gave out card details or bank codes, report the fraud to the police."
                ),
                "url": profile.police_report_url,
                "link_text": gettext("Report a crime online (%(police)s)")
                % {"police": profile.police_name()},
            }
        )
    items.append(
        gettext("You can report the message to %(authority)s on this page so others are warned.")
        % {"authority": profile.name_in_text()}
    )
    return items
