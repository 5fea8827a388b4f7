"""The payment pages, read with html.parser by the accessibility rules of the site (one h1,
headings in order, a label on every field, <html lang>, no script), in the states people meet."""

import pytest

from tests.accessibility.html_rules import structure_problems


def _problems(pages: dict) -> dict:
    found = {}
    for name, response in pages.items():
        problems = structure_problems(response.content.decode())
        if problems:
            found[name] = problems
    return found


def test_the_applicants_payment_pages_are_well_formed(applicant_client, embedded, start_payment):
    payment = start_payment()
    pages = {
        "payment": applicant_client.get(f"/payments/{payment.public_id}/"),
        "embedded provider": applicant_client.get(f"/payments/embedded/{payment.public_id}/"),
        "embedded provider with errors": applicant_client.post(
            f"/payments/embedded/{payment.public_id}/", {"choice": "nonsense"}
        ),
        "refused return": applicant_client.get(
            "/payments/return/embedded/success/?checkout-status=ok"
        ),
    }
    assert [response.status_code for response in pages.values()] == [200, 200, 200, 400]
    assert 'class="error-summary"' in pages["embedded provider with errors"].content.decode()
    assert _problems(pages) == {}


@pytest.mark.usefixtures("fee")
def test_the_administrators_fee_pages_are_well_formed(administrator_client):
    pages = {
        "fees": administrator_client.get("/payments/fees/"),
        "new fee": administrator_client.get("/payments/fees/new/"),
        "new fee with errors": administrator_client.post("/payments/fees/new/", {"amount": "x"}),
    }
    assert [response.status_code for response in pages.values()] == [200, 200, 200]
    assert _problems(pages) == {}
