"""Administrators download the lookalike watchlist of every official domain."""

import csv
import io

import pytest

from trust.engine_factory import current_engine


@pytest.mark.django_db
def test_an_administrator_downloads_the_watchlist_as_csv_and_json(administrator_client):
    response = administrator_client.get("/trust/watchlist.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["imitates"] for row in rows} >= {"migri.fi", "enterfinland.fi"}
    assert {"homoglyph", "tld-swap", "omission"} <= {row["family"] for row in rows}
    as_json = administrator_client.get("/trust/watchlist.json").json()
    assert len(as_json) == len(rows)


@pytest.mark.django_db
def test_every_downloaded_candidate_is_recognised_by_the_check(administrator_client):
    rows = list(
        csv.DictReader(
            io.StringIO(administrator_client.get("/trust/watchlist.csv").content.decode())
        )
    )
    engine = current_engine()
    sample = rows[:: max(1, len(rows) // 60)]
    for row in sample:
        result = engine.check_url(f"https://{row['ascii']}/login")
        assert result.verdict in {"scam", "suspicious"}, row


@pytest.mark.django_db
def test_applicants_cannot_download_the_watchlist(applicant_client, client):
    assert applicant_client.get("/trust/watchlist.csv").status_code == 403
