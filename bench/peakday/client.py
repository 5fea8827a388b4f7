"""What the peak-day load users share: reading forms from pages, codes from the mail sink, TOTP
codes, small valid PDF and JPEG files, and the journal of what the server accepted.

Plain Python (no Django): it runs inside locust. Everything here is read by one locust process
(gevent, one thread), so the shared state needs no locks.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import json
import os
import random
import re
import time
from base64 import b32decode
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django_otp.oath import TOTP
from requests.cookies import get_cookie_header

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"/\d+(?=/|$)")


def endpoint(method: str, path: str) -> str:
    """The endpoint of a request: ids and UUIDs in the path replaced, the query left out (the
    load's names in locust and the server's access log alike)."""
    path = _UUID.sub("<uuid>", urlsplit(path).path)
    return f"{method} {_NUMBER.sub('/<id>', path)}"


PASSWORD = "purple elephants dance quietly at the peak"  # noqa: S105 (load-test accounts)


# --- cookies through the loopback "TLS proxy" ---
def send_cookies_as_over_https(session) -> None:
    """Make `session` (locust's HttpSession, a requests.Session) send its Secure and __Host-
    cookies over the loopback's plain HTTP, as the TLS proxy it stands in for would receive them
    from a browser over https (the server believes X-Forwarded-Proto from TRUSTED_PROXIES).

    A cookie policy on session.cookies is not enough: requests copies the session's cookies into
    a fresh jar with the default policy for every request, which keeps Secure cookies off plain
    http; the sign-in's session cookie was then never sent back. So the Cookie header is
    computed again as for the https address of the same request."""
    prepare = session.prepare_request

    def prepare_as_https(request):
        prepared = prepare(request)
        if prepared.url.startswith("http://"):
            shadow = prepared.copy()
            shadow.url = "https://" + prepared.url.removeprefix("http://")
            shadow.headers.pop("Cookie", None)
            header = get_cookie_header(session.cookies, shadow)
            if header:
                prepared.headers["Cookie"] = header
        return prepared

    session.prepare_request = prepare_as_https


# --- forms ---------------------------------------------------------------------------------------
@dataclass
class Form:
    action: str
    method: str
    enctype: str
    # Every named input as a browser would send it untouched: hidden values, checked boxes, defaults.
    values: dict[str, list[str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)  # of selects, radios, checkboxes
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self, typed: dict[str, str | list[str]], button: tuple[str, str] | None = None):
        """(name, value) pairs: the untouched values, overridden by what the user typed."""
        merged = {name: list(values) for name, values in self.values.items()}
        for name, value in typed.items():
            merged[name] = list(value) if isinstance(value, list) else [value]
        pairs = [(name, value) for name, values in merged.items() for value in values]
        if button is not None:
            pairs.append(button)
        return pairs

    def first_choice(self, name: str) -> str:
        """The first non-empty option of a select, radio or checkbox group."""
        return next((value for value in self.options.get(name, []) if value), "")


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self._form = Form(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
                enctype=attributes.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        name = attributes.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                form.buttons.append((name, attributes.get("value", "")))
                return
            form.names.append(name)
            if kind in ("radio", "checkbox"):
                form.values.setdefault(name, [])
                form.options.setdefault(name, []).append(attributes.get("value", "on"))
                if "checked" in attributes:
                    form.values[name].append(attributes.get("value", "on"))
            elif kind != "file":
                form.values[name] = [attributes.get("value", "")]
        elif tag == "button" and name:
            form.buttons.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            form.names.append(name)
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            form.options.setdefault(self._select, []).append(value)
            if self._select_first is None:
                self._select_first = value
                form.values[self._select] = [value]
            if "selected" in attributes and not self._select_chosen:
                form.values[self._select] = [value]
                self._select_chosen = True
        elif tag == "textarea" and name:
            form.names.append(name)
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.values[self._textarea] = [self._text.lstrip("\n")]
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# Forms in every page's header: the language buttons and "sign out".
HEADER_FORMS = ("/i18n/setlang/", "/accounts/logout/")


def find_form(
    html: str, *, action: str = "", hidden: dict[str, str] | None = None, field: str = ""
) -> Form | None:
    """The first POST form of the page's content whose action contains `action`, whose values
    include `hidden` and which has the input `field`."""
    for form in forms_of(html):
        if action and action not in form.action:
            continue
        if not action and any(header in form.action for header in HEADER_FORMS):
            continue
        if field and field not in form.names:
            continue
        if hidden and any(form.values.get(k, [None])[0] != v for k, v in hidden.items()):
            continue
        if form.method == "post":
            return form
    return None


# --- TOTP ----------------------------------------------------------------------------------------
_SECRET = re.compile(r'<code class="qr-secret">([^<]+)</code>')


def secret_on_page(html: str) -> str | None:
    match = _SECRET.search(html)
    return unescape(match.group(1)).replace(" ", "").strip() if match else None


class Authenticator:
    """An authenticator app for one account: a code once accepted is never offered again (the
    server's replay guard), so a second sign-in in the same 30 s step waits for the next step."""

    def __init__(self, secret: str):
        self.key = b32decode(secret)
        self.last_step = -1

    def code(self) -> tuple[str, float]:
        """(the code, seconds waited for a fresh time step)."""
        waited = 0.0
        while int(time.time() // 30) <= self.last_step:
            pause = 30 - time.time() % 30 + 0.05
            time.sleep(pause)  # gevent-patched: other users run meanwhile
            waited += pause
        generator = TOTP(self.key, step=30, t0=0, digits=6, drift=0)
        generator.time = time.time()
        self.last_step = generator.t()
        return f"{generator.token():06d}", waited


# --- the mail sink -------------------------------------------------------------------------------
# Eight digits, as "12345678" (registration) or "1234 5678" (Securemail).
_EIGHT_DIGITS = re.compile(r"\b(\d{4})[ \u00a0]?(\d{4})\b")


class MailSink:
    """Reads the folder where the SMTP sink writes each received message as a file; finds the
    latest 8-digit code sent to an address. Rescans only new files, at most every 0.2 s."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.seen: set[str] = set()
        self.codes: dict[str, list[str]] = {}
        self.scanned_at = 0.0

    def _scan(self) -> None:
        if time.monotonic() - self.scanned_at < 0.2:
            return
        self.scanned_at = time.monotonic()
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        for entry in entries:
            if entry.name in self.seen or entry.name.startswith(".") or not entry.is_file():
                continue
            self.seen.add(entry.name)
            try:
                message = email.message_from_bytes(
                    Path(entry.path).read_bytes(), policy=email.policy.default
                )
            except OSError:
                self.seen.discard(entry.name)  # being written: read it next time
                continue
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            found = _EIGHT_DIGITS.search(text)
            if not found:
                continue
            for header in message.get_all("To", []):
                for address in getattr(header, "addresses", ()):
                    self.codes.setdefault(address.addr_spec.lower(), []).append(
                        found.group(1) + found.group(2)
                    )

    def wait_for_code(self, address: str, *, known: int = 0, timeout: float = 60.0) -> str | None:
        """The newest code to `address` once more than `known` messages with codes arrived."""
        deadline = time.monotonic() + timeout
        address = address.lower()
        while time.monotonic() < deadline:
            self._scan()
            codes = self.codes.get(address, [])
            if len(codes) > known:
                return codes[-1]
            time.sleep(0.25)
        return None

    def count(self, address: str) -> int:
        self._scan()
        return len(self.codes.get(address.lower(), []))


# --- files valid by content ----------------------------------------------------------------------
def pdf_bytes(label: str, size: int) -> bytes:
    """A small valid PDF (one page of text, cross-reference table with exact offsets), padded with
    a compressed-looking stream to about `size` bytes so that each file differs."""
    text = label.replace("(", "").replace(")", "").replace("\\", "")[:80]
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii", "replace")
    padding = os.urandom(max(0, size - 900)).hex().encode("ascii")[: max(0, size - 900)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def jpeg_bytes(size: int) -> bytes:
    """A valid JPEG photo of noise, about `size` bytes (Pillow, as a phone camera would write)."""
    from PIL import Image

    side = max(16, int((size / 1.2) ** 0.5))
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- the journal ---------------------------------------------------------------------------------
class Journal:
    """One JSON object a line: what the server accepted (the nothing-lost check reads it)."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path else None
        self._file = open(self.path, "a", encoding="utf-8") if self.path else None  # noqa: SIM115

    def write(self, kind: str, **record) -> None:
        if self._file is None:
            return
        self._file.write(json.dumps({"kind": kind, "at": time.time(), **record}) + "\n")
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def random_address(rng: random.Random) -> str:
    """A client address for X-Forwarded-For: documentation and private ranges only."""
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
