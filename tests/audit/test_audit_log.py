import pytest

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record


@pytest.mark.django_db
def test_an_event_records_actor_action_and_object(applicant):
    event = audit_record(action="case.viewed", actor=applicant, object_type="case", object_id=7)
    assert (event.actor_id, event.actor_role, event.object_id) == (applicant.pk, "applicant", "7")


@pytest.mark.django_db
def test_an_event_cannot_be_changed_or_deleted(applicant):
    event = audit_record(action="case.viewed", actor=applicant, object_type="case", object_id=7)
    event.action = "something.else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get().action == "case.viewed"


@pytest.mark.django_db
def test_free_text_details_are_refused_so_personal_data_stays_out_of_the_log(applicant):
    with pytest.raises(ValueError):
        audit_record(
            action="x", actor=applicant, details={"note": "Matti Meikäläinen, born 1.1.1990 " * 3}
        )


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_updates_to_the_log_in_the_database(applicant):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only; SQLite relies on the model")
    audit_record(action="case.viewed", actor=applicant)
    with pytest.raises(DatabaseError):
        AuditEvent.objects.update(action="tampered")


@pytest.mark.django_db
def test_administrators_see_the_log(administrator_client, applicant):
    audit_record(action="case.viewed", actor=applicant, object_type="case", object_id=7)
    response = administrator_client.get("/audit/")
    assert response.status_code == 200
    assert b"case.viewed" in response.content


@pytest.mark.django_db
def test_applicants_are_refused_the_log(applicant_client):
    assert applicant_client.get("/audit/").status_code == 403
