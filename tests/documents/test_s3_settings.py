"""Documents on S3 by settings alone: a process started with the DOCUMENTS_S3_* and AWS_*
environment (as deploy.seaweedfs gives it, and as an operator sets it) stores, streams back and
deletes its blobs on the real S3 server, as private objects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from documents.blobs import delete_blob, documents_storage, open_blob_for_reading, stored_blob_names
storage = documents_storage()
options = settings.STORAGES["documents"]["OPTIONS"]
name = storage.save("ab/" + "ab" * 16 + ".psdoc", ContentFile(b"ciphertext, in truth"))
stream = open_blob_for_reading(name)
read_back = b"".join(iter(lambda: stream.read(5), b""))
stream.close()
listed = list(stored_blob_names())
print(json.dumps({
    "class": type(storage).__name__,
    "bucket": options["bucket_name"], "endpoint": options["endpoint_url"],
    "region": options["region_name"], "acl": options["default_acl"],
    "overwrite": options["file_overwrite"], "name": name,
    "read_back": read_back.decode(), "listed": listed,
}))
"""


def test_a_process_configured_by_the_environment_alone_stores_on_s3(seaweedfs, tmp_path):
    bucket = f"settings-{uuid.uuid4().hex[:12]}"
    seaweedfs.create_bucket(bucket)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PERMITSAFE_", "DJANGO_", "DOCUMENTS_", "AWS_"))
    }
    env.update(
        seaweedfs.environment(bucket),
        DJANGO_SETTINGS_MODULE="config.settings",
        PERMITSAFE_MODE="development",
        PERMITSAFE_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["class"] == "S3Storage"
    assert (seen["bucket"], seen["endpoint"], seen["region"]) == (
        bucket,
        seaweedfs.endpoint_url,
        "us-east-1",
    )
    assert (seen["acl"], seen["overwrite"]) == (None, False)
    assert seen["read_back"] == "ciphertext, in truth"
    assert seen["listed"] == [seen["name"]]
    client = seaweedfs.client()
    [stored] = client.list_objects_v2(Bucket=bucket)["Contents"]
    assert stored["Key"] == seen["name"]
    # Nothing went to disk.
    assert not (tmp_path / "documents").exists()
