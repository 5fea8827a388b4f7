"""Small builders of test messages."""

from __future__ import annotations


def email(
    body: str,
    sender: str = "Someone <someone@example.org>",
    subject: str = "Hello",
    headers: str = "",
    to: str = "reader@example.com",
) -> bytes:
    head = f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n{headers}"
    head += "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    return (head + body + "\r\n").encode("utf-8")


def severity(result, code: str) -> str:
    return next((f.severity for f in result.findings if f.code == code), "")
