"""A national peak day, replayed (issue 12): locust users that do what people do on the platform.

Started by `bench/peakday/run.py`, which writes the plan (PEAKDAY_PLAN, a JSON file): how many
applications, sign-ins, checks and Securemail conversations, the caseworkers' accounts, the mail-sink
folder and the journal. Each kind of work is a quota; users take one unit at a time and idle when
their quota is spent; the run stops itself once every quota is done (or at locust's --run-time).

- ApplicantUser: registers (code from the mail sink), sets up TOTP, fills the work-permit form,
  uploads a JPEG and a PDF, confirms, pays with the embedded provider; a tenth also writes to the
  authority from the case page (signed-in Securemail). Each accepted application goes to the journal.
- ReturningUser: signs in again (password + TOTP) to an account made in this run, reads the home
  page and the case, answers a request for supplementary information when one waits, signs out.
- CaseworkerUser: signs in with TOTP, takes cases from the queue, opens an attachment, requests
  supplementary information for some and decides others (preview, then confirm).
- SecuremailUser: the public side: address, one-time code from the mail sink, a message with a file.
- ScamWaveUser: anonymous checks of a scam SMS, half on the check page, half through the API.

Every user sends its own X-Forwarded-For (the server must list 127.0.0.1 in TRUSTED_PROXIES) and
keeps its own cookies. 429 answers are counted apart and are not failures; any other status >= 400,
an unexpected page or a missing code is a failure.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import gevent
from applicants import ApplicantUser, ReturningUser
from authority import CaseworkerUser, ScamWaveUser, SecuremailUser
from locust import events
from shared import ANSWERED, AWAITING_ANSWER, COUNTS, JOURNAL, PLAN, QUOTAS, RATE_LIMITED

# The user classes locust runs (each with its fixed count from the plan).
__all__ = ["ApplicantUser", "CaseworkerUser", "ReturningUser", "ScamWaveUser", "SecuremailUser"]


def _all_done() -> bool:
    base = ("applications", "sign_ins", "checks", "securemail", "case_messages")
    if not all(QUOTAS.spent(name) for name in base):
        return False
    if AWAITING_ANSWER or QUOTAS.in_flight["answers"]:
        return False
    casework = QUOTAS.spent("supplements") and QUOTAS.spent("decisions") and not ANSWERED
    return casework or QUOTAS.in_flight["decisions"] + QUOTAS.in_flight["supplements"] == 0


@events.test_start.add_listener
def _watch(environment, **_kwargs):
    def watcher():
        idle_since = None
        while True:
            gevent.sleep(1)
            if _all_done():
                # The caseworkers may still find cases: give them a moment once all else is done.
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 3 or (
                    QUOTAS.spent("supplements") and QUOTAS.spent("decisions")
                ):
                    environment.runner.quit()
                    return
            else:
                idle_since = None

    JOURNAL.write("start", plan=PLAN["quotas"])
    gevent.spawn(watcher)


@events.quitting.add_listener
def _summary(environment, **_kwargs):
    summary = {
        "rate_limited": dict(RATE_LIMITED),
        "counts": dict(COUNTS),
        "done": dict(QUOTAS.done),
        "left": {name: value for name, value in QUOTAS.left.items() if value > 0},
        "awaiting_answer": len(AWAITING_ANSWER),
    }
    JOURNAL.write("end", **summary)
    JOURNAL.close()
    Path(PLAN["summary"]).write_text(json.dumps(summary, indent=2), encoding="utf-8")
