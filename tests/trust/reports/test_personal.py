"""Finding people's own addresses and numbers in forwarded text (trust.personal)."""

import time

import pytest

from trust.personal import forwarded_personal_identifiers, report_personal_identifiers

from ..web.helpers import small_eml

NESTED = """FYI, see below.

---------- Forwarded message ---------
From: Anna Ahonen <anna@example.fi>
Date: Tue, 3 Nov 2026 at 9.00
Subject: Fwd: permit
To: Pekka <pekka@example.fi>

Got this, weird.

---------- Forwarded message ---------
From: Migri <info@migri-fi.com>
Date: Mon, 2 Nov 2026 at 10.00
Subject: permit
To: Anna Ahonen <anna@example.fi>

Pay at migri-fi.com or call 044 987 6543.
"""


def test_in_a_chain_of_forwards_only_the_original_sender_is_not_a_person():
    found = forwarded_personal_identifiers(NESTED)
    assert found == {"anna@example.fi", "pekka@example.fi"}


def test_quoted_and_bold_header_labels_are_read():
    text = (
        "> *From:* Migri <info@migri-fi.com>\n"
        "> *Sent:* Monday, 2 November 2026 10:00\n"
        "> *To:* Liisa <liisa@example.org>; Kalle <kalle@example.org>\n"
        ">     ville@example.org\n"
        "> *Subject:* permit\n"
    )
    assert forwarded_personal_identifiers(text) == {
        "liisa@example.org",
        "kalle@example.org",
        "ville@example.org",
    }


def test_swedish_outlook_headers_flattened_into_one_line():
    text = (
        "Från: Migri <info@migri-fi.com> Skickat: 2 nov Till: Eva <eva@example.se> Ämne: tillstånd"
    )
    assert forwarded_personal_identifiers(text) == {"eva@example.se"}


def test_a_text_without_forwarded_headers_has_no_people_in_it():
    scam = "Migri customer service. Call 040 111 2222 or write to help@migri-fi.com. Regards, Migri"
    assert forwarded_personal_identifiers(scam) == set()
    assert forwarded_personal_identifiers("From: help@migri-fi.com\nPay now.") == set()


def test_the_recipients_of_a_reported_email_are_people():
    found = report_personal_identifiers(
        content_kind="eml",
        content=small_eml(to="Victim <Victim@Example.org>"),
        reporter_address="Reporter@Example.net ",
    )
    assert found == {"victim@example.org", "reporter@example.net"}


@pytest.mark.parametrize(
    "text",
    [
        "From: a@example.org To: b@example.org Cc: c@example.org\n" * 90_000,
        "Regards " + "x" * 5_000_000 + "\n---------- Forwarded message ---------\nTo: c@d.fi\n",
        "Thanks\n" + "tel 040 123 4567 " * 300_000 + "\n-----Original Message-----\nTo: c@d.fi\n",
        "From: a@b.fi\nTo: c@d.fi\n\nhi\n" * 200_000,
    ],
    ids=["header-lines", "giant-line", "giant-signature", "many-blocks"],
)
def test_five_megabytes_of_adversarial_text_cost_little(text):
    started = time.perf_counter()
    forwarded_personal_identifiers(text)
    # Measured at about 0.3 s at most on one core; the bound leaves room for a slow machine.
    assert time.perf_counter() - started < 3.0
