"""HTML parts: their text, the links with their visible text, and the forms they hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "head", "title", "noscript", "template"})
_BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "td", "table", "section"})


@dataclass
class HtmlForm:
    action: str
    fields: list[str] = field(default_factory=list)  # input names and types


@dataclass
class HtmlContent:
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, visible text)
    forms: list[HtmlForm] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.forms: list[HtmlForm] = []
        self._skip_depth = 0
        self._anchor: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value or "") for name, value in attrs if name}
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag in _BLOCK:
            self.chunks.append("\n")
        if tag in ("a", "area") and attributes.get("href"):
            if self._anchor is not None:
                self._close_anchor()
            self._anchor = [attributes["href"], []]
            if tag == "area":
                self._anchor[1].append(attributes.get("alt", ""))
                self._close_anchor()
        elif tag == "form":
            self.forms.append(HtmlForm(action=attributes.get("action", "")))
        elif tag in ("input", "select", "textarea") and self.forms:
            self.forms[-1].fields.append(
                f"{attributes.get('type', tag).lower()}:{attributes.get('name', '').lower()}"
            )
        elif tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            _, _, target = attributes.get("content", "").partition("=")
            if target.strip():
                self.links.append((target.strip().strip("'\""), ""))
        elif tag == "img" and self._anchor is not None:
            self._anchor[1].append(attributes.get("alt", ""))

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "a" and self._anchor is not None:
            self._close_anchor()
        elif tag in _BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data):
        if self._skip_depth:
            return
        self.chunks.append(data)
        if self._anchor is not None:
            self._anchor[1].append(data)

    def _close_anchor(self):
        href, text = self._anchor
        self.links.append((href.strip(), " ".join("".join(text).split())))
        self._anchor = None


def parse_html(html: str) -> HtmlContent:
    """Extract text, links and forms; malformed HTML gives what could be read. Never raises."""
    extractor = _Extractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # noqa: BLE001, S110 (html.parser can fail on pathological input; keep what was read)
        pass
    if extractor._anchor is not None:
        extractor._close_anchor()
    text = "".join(extractor.chunks)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return HtmlContent(
        text="\n".join(line for line in lines if line),
        links=extractor.links,
        forms=extractor.forms,
    )
