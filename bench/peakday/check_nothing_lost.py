"""Nothing lost: after a peak-day run, compare what the server accepted (the load users' journal)
and what it sent (the mail-sink folder) with the database and the document storage.

Runs through Django with the cluster's own settings (its cluster.env: DATABASE_URL,
KEY_ENCRYPTION_KEYS, the S3 storage settings...), so that every document is read back from the
cluster's S3 bucket, decrypted, and hashed.

    .venv/bin/python bench/peakday/check_nothing_lost.py --journal OUT/journal.jsonl \
        --cluster var/cluster [--json OUT/nothing_lost.json]

Checks (PASS/FAIL each; exit status 1 on any FAIL):
- applications: every accepted application is sent (case number, not a draft), has exactly one
  paid payment, and every attachment the user uploaded opens from the cluster's storage (S3;
  decrypted) with the SHA-256 the user computed; supplementary answers and Securemail files
  likewise;
- notifications: every outbound email of the run is sent, none queued or failed, and each is in
  the mail sink exactly once (matched by its Message-ID); no mail in the sink without its row;
  every text message of the run is sent and in the SMS gateway's folder exactly once (by its
  reference);
- payments: every payment of the run is in one final state (paid, failed, cancelled, refunded);
- audit: each application has its created, submitted and attachment events, each payment its
  started and paid events, each decision, supplement request and Securemail conversation its event;
- queue: no task runnable or running is left, and none failed.
"""

from __future__ import annotations

import argparse
import datetime
import email
import email.policy
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from deploy.launched import launched  # noqa: E402
from deploy.processes import without_django_settings  # noqa: E402

FINAL = {"paid", "failed", "cancelled", "refunded"}
# (journal record kind, the audit action each must have left on its application)
CASEWORK_EVENTS = (
    ("decision", "casework.decided"),
    ("supplement_request", "casework.supplement_requested"),
    ("supplement_answer", "application.supplement_answered"),
)


def read_journal(path: Path) -> dict[str, list[dict]]:
    records = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[record["kind"]].append(record)
    return records


def sink_message_ids(folder: Path, since: float) -> tuple[Counter, dict[str, str]]:
    """Message-IDs of the mails the sink received since `since` (a Unix time), with counts, and
    each one's recipient (to name a mail that should not be there)."""
    found, recipients = Counter(), {}
    for entry in os.scandir(folder):
        if not entry.name.endswith(".eml") or entry.stat().st_mtime < since:
            continue
        with open(entry.path, "rb") as handle:
            headers = email.message_from_binary_file(handle, policy=email.policy.compat32)
        message_id = (headers.get("Message-ID") or "").strip()
        found[message_id] += 1
        recipients[message_id] = str(headers.get("To", ""))
    return found, recipients


def _digest(document) -> str:
    from documents.services import document_open_stream

    digest = hashlib.sha256()
    for chunk in document_open_stream(document=document):
        digest.update(chunk)
    return digest.hexdigest()


def _open_all(documents, expected: list[str], problems: list[str], label: str) -> int:
    """Open each document; every expected hash must be among them. Returns documents opened."""
    from documents.services import DocumentUnavailable

    opened = Counter()
    for document in documents:
        try:
            opened[_digest(document)] += 1
        except DocumentUnavailable as error:
            problems.append(f"{label}: document {document.pk} does not open ({error})")
        except Exception as error:  # noqa: BLE001 (storage or decryption: report and go on)
            problems.append(f"{label}: document {document.pk} failed: {type(error).__name__}")
    for digest in expected:
        if opened[digest] <= 0:
            problems.append(f"{label}: an uploaded file is missing (sha256 {digest[:12]}…)")
        opened[digest] -= 1
    return sum(1 for _ in documents)


def storage_in_use() -> str:
    """Where the documents are read from (the S3 bucket and endpoint, or a folder)."""
    from django.conf import settings

    options = settings.STORAGES["documents"].get("OPTIONS", {})
    if "bucket_name" in options:
        return f"S3 bucket {options['bucket_name']} at {options.get('endpoint_url', 'AWS')}"
    return f"{settings.STORAGES['documents']['BACKEND']} {options.get('location', '')}".strip()


def check_applications(journal) -> tuple[list[str], dict]:
    from applications.models import Application, Attachment
    from payments.models import Payment

    problems: list[str] = []
    answers = defaultdict(list)
    for record in journal["supplement_answer"]:
        answers[record["application_id"]].append(record["sha256"])
    documents = 0
    for record in journal["application"]:
        application_id = record["application_id"]
        application = Application.objects.filter(pk=application_id).first()
        if application is None:
            problems.append(f"application {application_id}: not in the database")
            continue
        if application.is_draft or not application.case_number:
            problems.append(f"application {application_id}: not sent ({application.status})")
        paid = Payment.objects.filter(application_id=application_id, status="paid").count()
        if record.get("payment") and paid != 1:
            problems.append(f"application {application_id}: {paid} paid payments, not 1")
        expected = [item["sha256"] for item in record["attachments"]] + answers[application_id]
        attachments = [
            item.document
            for item in Attachment.objects.filter(application_id=application_id).select_related(
                "document"
            )
        ]
        documents += _open_all(attachments, expected, problems, f"application {application_id}")
    figures = {
        "applications": len(journal["application"]),
        "documents_opened": documents,
        "storage": storage_in_use(),
    }
    return problems, figures


def check_securemail(journal) -> tuple[list[str], dict]:
    from securemail.models import Attachment, Conversation

    problems: list[str] = []
    opened = 0
    for record in journal["securemail"]:
        conversation = Conversation.objects.filter(pk=record["conversation_id"]).first()
        if conversation is None:
            problems.append(f"conversation {record['conversation_id']}: not in the database")
            continue
        documents = [
            item.document
            for item in Attachment.objects.filter(
                message__conversation=conversation
            ).select_related("document")
        ]
        opened += _open_all(documents, [record["sha256"]], problems, "securemail conversation")
    for record in journal["case_message"]:
        documents = [
            item.document
            for item in Attachment.objects.filter(
                message__conversation__case_id=record["application_id"]
            ).select_related("document")
        ]
        label = f"case message of application {record['application_id']}"
        if not documents:
            problems.append(f"{label}: no conversation with its file")
            continue
        opened += _open_all(documents, [record["sha256"]], problems, label)
    figures = {
        "conversations": len(journal["securemail"]),
        "case_messages": len(journal["case_message"]),
        "documents_opened": opened,
    }
    return problems, figures


def gateway_references(folder: Path) -> Counter:
    """References of the text messages the cluster's SMS gateway wrote (one file each)."""
    found = Counter()
    if not folder.exists():
        return found
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or not entry.name.endswith(".json"):
            continue
        with open(entry.path, encoding="utf-8") as handle:
            found[json.load(handle).get("reference", "")] += 1
    return found


def check_notifications(
    since: datetime.datetime, mail_dir: Path, sms_dir: Path
) -> tuple[list[str], dict]:
    from notifications.models import OutboundEmail, OutboundSMS
    from notifications.services import outbound_message_id
    from notifications.sms.tasks import sms_reference

    problems: list[str] = []
    rows = list(OutboundEmail.objects.filter(created_at__gte=since).values_list("pk", "status"))
    statuses = Counter(status for _pk, status in rows)
    for status, count in statuses.items():
        if status != "sent":
            problems.append(f"{count} outbound emails {status}, not sent")
    in_sink, recipients = sink_message_ids(mail_dir, since.timestamp() - 1)
    expected = {outbound_message_id(pk): pk for pk, status in rows if status == "sent"}
    # Rows made shortly before the run (its caseworkers' set-up) may be delivered within it.
    earlier = OutboundEmail.objects.filter(
        created_at__gte=since - datetime.timedelta(minutes=10), created_at__lt=since
    ).values_list("pk", flat=True)
    known = set(expected) | {outbound_message_id(pk) for pk in earlier}
    missing = [pk for message_id, pk in expected.items() if in_sink[message_id] == 0]
    duplicated = [pk for message_id, pk in expected.items() if in_sink[message_id] > 1]
    unknown = [message_id for message_id in in_sink if message_id not in known]
    if missing:
        problems.append(f"{len(missing)} sent emails not in the mail sink (rows {missing[:5]})")
    if duplicated:
        problems.append(f"{len(duplicated)} emails in the sink more than once ({duplicated[:5]})")
    if unknown:
        to = ", ".join(recipients[message_id] for message_id in unknown[:3])
        problems.append(f"{len(unknown)} mails in the sink without an outbound row (to {to})")
    # Text messages: each sent once through the gateway, found in its folder by its reference.
    sms_rows = list(OutboundSMS.objects.filter(created_at__gte=since).values_list("pk", "status"))
    texts = Counter(status for _pk, status in sms_rows)
    problems += [
        f"{count} text messages {status}, not sent"
        for status, count in texts.items()
        if status != "sent"
    ]
    written = gateway_references(sms_dir)
    for pk, status in sms_rows:
        if status == "sent" and written[sms_reference(pk)] != 1:
            problems.append(f"text message {pk}: {written[sms_reference(pk)]} times at the gateway")
    figures = {
        "outbound_emails": len(rows),
        "by_status": dict(statuses),
        "in_sink": len(in_sink),
        "text_messages": dict(texts),
        "texts_at_gateway": sum(written.values()),
    }
    return problems, figures


def check_payments(since: datetime.datetime) -> tuple[list[str], dict]:
    from payments.models import Payment

    statuses = Counter(
        Payment.objects.filter(created_at__gte=since).values_list("status", flat=True)
    )
    problems = [
        f"{count} payments still {status}"
        for status, count in statuses.items()
        if status not in FINAL
    ]
    return problems, {"payments": sum(statuses.values()), "by_status": dict(statuses)}


def check_audit(journal) -> tuple[list[str], dict]:
    from audit.models import AuditEvent
    from payments.models import Payment

    problems: list[str] = []

    def events(object_type: str, object_ids) -> dict[tuple[str, str], int]:
        ids = [str(item) for item in object_ids]
        rows = AuditEvent.objects.filter(object_type=object_type, object_id__in=ids)
        return Counter(rows.values_list("object_id", "action"))

    application_ids = [record["application_id"] for record in journal["application"]]
    casework_ids = {
        record["application_id"] for kind, _action in CASEWORK_EVENTS for record in journal[kind]
    }
    found = events("applications.application", set(application_ids) | casework_ids)
    for record in journal["application"]:
        key = str(record["application_id"])
        for action in ("application.created", "application.submitted"):
            if found[(key, action)] < 1:
                problems.append(f"application {key}: no {action} event")
        if found[(key, "application.attachment_added")] < len(record["attachments"]):
            problems.append(f"application {key}: attachment events missing")
    for kind, action in CASEWORK_EVENTS:
        for record in journal[kind]:
            if found[(str(record["application_id"]), action)] < 1:
                problems.append(f"application {record['application_id']}: no {action} event")
    payments = dict(
        Payment.objects.filter(application_id__in=application_ids, status="paid").values_list(
            "pk", "application_id"
        )
    )
    found_payments = events("payments.payment", payments)
    for pk in payments:
        for action in ("payments.started", "payments.paid"):
            if found_payments[(str(pk), action)] < 1:
                problems.append(f"payment {pk}: no {action} event")
    conversations = [record["conversation_id"] for record in journal["securemail"]]
    found_conversations = events("securemail.conversation", conversations)
    for conversation in conversations:
        if found_conversations[(conversation, "securemail.conversation_started")] < 1:
            problems.append(f"conversation {conversation}: no conversation_started event")
    figures = {
        "application_events": sum(found.values()),
        "payment_events": sum(found_payments.values()),
        "conversation_events": sum(found_conversations.values()),
    }
    return problems, figures


def check_queue() -> tuple[list[str], dict]:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects
    runnable = rows.filter(status="READY", run_after__lte=timezone.now()).count()
    running = rows.filter(status="RUNNING").count()
    failed = rows.filter(status="FAILED").count()
    problems = []
    if runnable or running:
        problems.append(f"queue not drained: {runnable} runnable, {running} running")
    if failed:
        problems.append(f"{failed} tasks failed")
    return problems, {"runnable": runnable, "running": running, "failed": failed}


def run_checks(journal_path: Path, mail_dir: Path, sms_dir: Path) -> dict:
    sys.path.insert(0, str(HERE))
    from prepare import setup_django

    setup_django()
    journal = read_journal(journal_path)
    starts = [record["at"] for record in journal["start"]] or [
        min(record["at"] for records in journal.values() for record in records)
    ]
    since = datetime.datetime.fromtimestamp(min(starts) - 5, tz=datetime.UTC)
    results = {}
    for name, check in (
        ("applications and attachments", lambda: check_applications(journal)),
        ("securemail messages and files", lambda: check_securemail(journal)),
        ("notifications sent exactly once", lambda: check_notifications(since, mail_dir, sms_dir)),
        ("payments in one final state", lambda: check_payments(since)),
        ("audit records present", lambda: check_audit(journal)),
        ("task queue drained", check_queue),
    ):
        problems, figures = check()
        results[name] = {"pass": not problems, "problems": problems[:20], "figures": figures}
    return {"pass": all(result["pass"] for result in results.values()), "checks": results}


def print_results(results: dict) -> None:
    for name, result in results["checks"].items():
        print(f"{'PASS' if result['pass'] else 'FAIL'}  {name}  {json.dumps(result['figures'])}")
        for problem in result["problems"]:
            print(f"      {problem}")
    print("nothing lost: " + ("PASS" if results["pass"] else "FAIL"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, required=True)
    parser.add_argument(
        "--cluster", type=Path, required=True, metavar="VAR_DIR", help="the cluster's var folder"
    )
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(argv)
    cluster = launched(args.cluster)
    # The cluster's own settings, whatever the calling shell says.
    environment = {**without_django_settings(os.environ), **cluster.environment}
    os.environ.clear()
    os.environ.update(environment)
    results = run_checks(args.journal, cluster.mail_dir, cluster.sms_dir)
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if results["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
