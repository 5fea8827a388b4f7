"""Forms that are safe to submit twice: a double click, a resent request or the back button.

Each state-changing form carries a random one-time token ({% submission_token %}). The first POST
with a token records it in the same transaction as the change it makes; a second POST with the
same token finds the record and is sent to the page the first one led to, changing nothing. The
record's unique key does the work under concurrency: on PostgreSQL the second insert waits for
the first transaction and then fails; SQLite runs one writing transaction at a time.

A POST without a token (a page from before this rule, a script) is handled as before; the services
stay safe on their own where that is natural (a removed attachment is not removed again).

The table forgets a token after RETENTION_FORM_SUBMISSION_HOURS, in the periodic retention job
(accounts.retention.form_submissions_delete_expired), not in the request that submits a form.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FormSubmission

FIELD_NAME = "submission_token"
_TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def submission_token_new() -> str:
    return secrets.token_urlsafe(24)


def _owner_key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def accepted_once(view):
    """Decorate a view whose POST changes state and answers with a redirect when it succeeds.

    A POST that does not succeed (a form with errors, answered 200) forgets its token, so that the
    corrected form can be sent again.
    """

    @wraps(view)
    def accepting_once(request, *args, **kwargs):
        token = request.POST.get(FIELD_NAME, "") if request.method == "POST" else ""
        if not _TOKEN_FORMAT.fullmatch(token):
            return view(request, *args, **kwargs)
        owner_key = _owner_key(request)
        digest = hashlib.sha256(token.encode("ascii")).hexdigest()
        with transaction.atomic():
            now = timezone.now()
            try:
                with transaction.atomic():
                    submission = FormSubmission.objects.create(
                        owner_key=owner_key, token_digest=digest, created_at=now
                    )
            except IntegrityError:
                earlier = FormSubmission.objects.filter(
                    owner_key=owner_key, token_digest=digest
                ).first()
                messages.info(request, _("This form has already been sent. Here is the result."))
                return redirect(earlier.result_url if earlier else request.get_full_path())
            response = view(request, *args, **kwargs)
            location = (
                response.get("Location", "") if response.status_code in (301, 302, 303) else ""
            )
            if location and len(location) <= FormSubmission.RESULT_URL_MAX_LENGTH:
                submission.result_url = location
                submission.save(update_fields=["result_url"])
            else:
                submission.delete()
        return response

    return accepting_once
