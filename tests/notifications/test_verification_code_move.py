"""The verification codes moved from the trust center to notifications without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.verification import verification_code_check

BEFORE = [
    ("trust", "0003_published_warnings_and_feedback_limits"),
    ("notifications", "0003_outboundemail_payload_sealed_and_more"),
]


# Transactional: migrations cannot run inside the transaction an ordinary test is wrapped in.
@pytest.mark.django_db(transaction=True)
def test_a_code_issued_before_the_move_is_still_confirmed_after_it():
    from notifications import verification

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_state = executor.loader.project_state(BEFORE)
        OldVerificationCode = old_state.apps.get_model("trust", "VerificationCode")
        OldVerificationCode.objects.create(
            code_digest=verification._digest("code", "7K3MQ9TX2HDA"),
            recipient_digest=verification._digest("recipient", "person@example.org"),
            channel="email",
            kind="case.received",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    answer = verification_code_check(code="7K3M-Q9TX-2HDA", recipient="person@example.org")
    assert answer is not None
    assert answer.channel == "email"
