"""A small form-filling browser over Django's test client: it reads the rendered forms, sends what a
user would (hidden fields and the CSRF token included, CSRF checks on), and follows redirects."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client, TestCase


@dataclass
class FormField:
    name: str
    kind: str  # an <input> type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)  # select options, radio or checkbox values
    default: list[str] = field(default_factory=list)  # what a browser sends when nothing is typed


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: dict[str, FormField] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def hidden(self, name: str) -> str:
        item = self.fields.get(name)
        return item.value if item is not None and item.kind == "hidden" else ""

    def typed_names(self) -> list[str]:
        """Fields a user fills in: everything but hidden inputs and the CSRF token."""
        return [name for name, item in self.fields.items() if item.kind != "hidden"]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None
        self._option: dict | None = None

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
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                self._form.buttons.append((name, attributes.get("value", "")))
                return
            existing = self._form.fields.get(name)
            if kind in ("radio", "checkbox"):
                item = existing or FormField(name=name, kind=kind)
                self._form.fields[name] = item
                value = attributes.get("value", "on")
                item.options.append(value)
                if "checked" in attributes:
                    item.default.append(value)
            else:
                value = attributes.get("value", "")
                self._form.fields[name] = FormField(name, kind, value, default=[value])
        elif tag == "button" and name:
            self._form.buttons.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = FormField(name=name, kind="select")
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._option = {"value": attributes.get("value"), "selected": "selected" in attributes}
            self._option["text"] = ""
        elif tag == "textarea" and name:
            self._textarea = FormField(name=name, kind="textarea")
            self._form.fields[name] = self._textarea

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.value += data

    def _close_option(self):
        if self._option is None or self._select is None:
            return
        value = self._option["value"]
        value = self._option["text"].strip() if value is None else value
        self._select.options.append(value)
        if self._option["selected"]:
            self._select.default = [value]
        self._option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            if not self._select.default and self._select.options:
                self._select.default = [self._select.options[0]]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops nothing here; a browser drops one leading newline.
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea.default = [self._textarea.value]
            self._textarea = None
        elif tag == "form":
            self._form = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


@dataclass
class Page:
    url: str
    status: int
    html: str
    response: object
    redirects: list[str]

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def forms(self) -> list[Form]:
        return parse_forms(self.html)

    def form(self, *, action: str | None = None, where: dict[str, str] | None = None) -> Form:
        """The one post form whose action resolves to `action` (default: this page) and whose
        hidden fields hold the values in `where`."""
        wanted = urlsplit(urljoin(self.url, action or self.url)).path
        found = [
            form
            for form in self.forms()
            if form.method == "post"
            and urlsplit(urljoin(self.url, form.action or self.url)).path == wanted
            and all(form.hidden(name) == value for name, value in (where or {}).items())
        ]
        assert len(found) == 1, f"expected one form for {wanted} {where or ''} on {self.url}"
        return found[0]


class Browser:
    """Drives Django's test client like a person with a browser: CSRF enforced, forms read from
    the page, redirects followed. After each request the transaction's on-commit callbacks run
    (as they would on commit outside a test), so emails and tasks go out as in production."""

    def __init__(self, client: Client | None = None):
        self.client = client or Client(enforce_csrf_checks=True)
        self.page: Page | None = None

    def _page(self, response) -> Page:
        url = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING", "")
        if query:
            url += "?" + query
        self.page = Page(
            url=url,
            status=response.status_code,
            html=response.content.decode("utf-8")
            if response.get("Content-Type", "").startswith("text/html")
            else "",
            response=response,
            redirects=[location for location, _status in getattr(response, "redirect_chain", [])],
        )
        return self.page

    def open(self, url: str) -> Page:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.client.get(url, follow=True)
        return self._page(response)

    def submit(
        self,
        form: Form,
        typed: dict[str, object] | None = None,
        *,
        button: tuple[str, str] | None = None,
        follow: bool = True,
    ) -> Page:
        """Post `form` with the values a user typed or chose; a name not in the form, or a choice
        the form does not offer, is a mistake in the test and fails it."""
        data: dict[str, object] = {}
        for name, item in form.fields.items():
            if item.default and item.kind not in ("file",):
                data[name] = item.default if len(item.default) > 1 else item.default[0]
        for name, value in (typed or {}).items():
            assert name in form.fields, f"the form has no field {name!r}"
            item = form.fields[name]
            if item.options:
                chosen = value if isinstance(value, list) else [value]
                for choice in chosen:
                    assert choice in item.options, f"{name!r} offers no choice {choice!r}"
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        if button is not None:
            assert button in form.buttons, f"the form has no button {button!r}"
            data[button[0]] = button[1]
        target = urljoin(self.page.url, form.action or self.page.url)
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.client.post(target, data, follow=follow)
        return self._page(response)
