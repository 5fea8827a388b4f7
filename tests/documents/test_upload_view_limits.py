"""A view's own upload limits (documents.upload_handlers.upload_limit): per file and per request,
without weakening the e-service's limit on the other views, and a refusal leaves no file behind."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings

from documents.upload_handlers import UploadLimits, limits_for_view, upload_limit
from tests.documents.conftest import PDF_BYTES

pytestmark = pytest.mark.urls("tests.documents.upload_urls")

CHUNK = 64 * 1024
E_SERVICE_LIMIT = 50_000
FILE_LIMIT = 300_000
TOTAL_LIMIT = 500_000


@pytest.fixture(autouse=True)
def _limits(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = E_SERVICE_LIMIT
    settings.TEST_UPLOAD_FILE_BYTES = FILE_LIMIT
    settings.TEST_UPLOAD_TOTAL_BYTES = TOTAL_LIMIT
    # Every file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to this folder while the body arrives.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()


def _file(size: int, name: str = "big.pdf"):
    file = io.BytesIO(PDF_BYTES + b"%" * (size - len(PDF_BYTES)))
    file.name = name
    return file


def _left_in(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_view_with_its_own_limit_takes_a_file_over_the_e_services_limit(client, tmp_path):
    response = client.post("/large-upload/", {"file": _file(250_000)})
    assert response.status_code == 200, response.json()
    assert response.json()["file_sizes"] == [250_000]


def test_the_other_views_keep_the_e_services_limit(client, tmp_path):
    response = client.post("/upload/", {"file": _file(250_000)})
    assert response.status_code == 400
    assert response.json()["too_large"] is True
    assert response.json()["file_bytes_received"] <= E_SERVICE_LIMIT + CHUNK


def test_a_file_over_the_views_file_limit_is_stopped_at_the_limit_and_leaves_no_file(
    client, tmp_path
):
    # Under the headroom that Content-Length alone would refuse, so the running count stops it.
    response = client.post("/large-upload/", {"note": "kept", "file": _file(2_000_000)})
    body = response.json()
    assert response.status_code == 400
    assert body["refusal"] == "file"
    assert body["files"] == []
    assert FILE_LIMIT < body["file_bytes_received"] <= FILE_LIMIT + CHUNK
    assert body["note"] == "kept"
    assert _left_in(tmp_path / "incoming") == []
    assert _left_in(tmp_path) == []


def test_files_each_within_the_file_limit_but_over_the_total_are_refused_as_a_whole(
    client, tmp_path
):
    files = [_file(250_000, "one.pdf"), _file(250_000, "two.pdf"), _file(250_000, "three.pdf")]
    response = client.post("/large-upload/", {"file": files})
    body = response.json()
    assert response.status_code == 400
    assert body["refusal"] == "total"
    assert TOTAL_LIMIT < body["file_bytes_received"] <= TOTAL_LIMIT + CHUNK
    # The files that arrived whole before the stop are closed and removed with the request.
    assert _left_in(tmp_path) == []


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4096)
def test_a_body_declared_over_the_total_is_stopped_before_any_file_byte(client, tmp_path):
    response = client.post("/large-upload/", {"file": _file(TOTAL_LIMIT + 10_000)})
    body = response.json()
    assert body["refusal"] == "total"
    assert body["file_bytes_received"] == 0
    assert _left_in(tmp_path) == []


def test_a_file_limit_above_the_total_is_held_to_the_total(settings):
    settings.TEST_UPLOAD_FILE_BYTES = 10 * TOTAL_LIMIT

    @upload_limit("TEST_UPLOAD_TOTAL_BYTES", per_file_setting="TEST_UPLOAD_FILE_BYTES")
    def view(request):
        return None

    assert limits_for_view(view) == UploadLimits(total_bytes=TOTAL_LIMIT, file_bytes=TOTAL_LIMIT)


def test_a_view_without_limits_of_its_own_gets_the_e_services():
    assert limits_for_view(None) == UploadLimits(E_SERVICE_LIMIT, E_SERVICE_LIMIT)
