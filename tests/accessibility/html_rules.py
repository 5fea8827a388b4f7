"""Structural accessibility rules read from a page's HTML with the standard library's parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

NOT_LABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
# WCAG 1.3.5: fields for the person's own data say what they hold, so browsers can fill them.
AUTOCOMPLETE_INPUT_TYPES = {"email", "tel"}
# Elements a <label for=...> can name (HTML's labelable elements that forms here use).
LABELABLE = {"input", "select", "textarea", "button", "meter", "output", "progress"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _browser_checks(tag: str, attributes: dict[str, str]) -> bool:
    """Whether the browser would stop the form with its own message for this control."""
    if tag not in ("input", "select", "textarea"):
        return False
    kind = attributes.get("type", "text").lower() if tag == "input" else tag
    if kind in NOT_LABELLED_INPUT_TYPES:
        return False
    constraints = {"required", "pattern", "min", "max", "minlength"}
    return bool(constraints & attributes.keys()) or kind in {"email", "url", "number"}


@dataclass
class PageStructure:
    html_lang: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    controls: list[dict[str, str]] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    ids: list[str] = field(default_factory=list)
    # Ids of elements a label can name, and the names of radio or checkbox groups (two or more
    # options of one name) found outside a <fieldset> with a <legend>.
    labelable_ids: set[str] = field(default_factory=set)
    options_outside_fieldset: list[str] = field(default_factory=list)
    scripts: int = 0
    # The error summary: its attributes, the ids its links go to, and what came before it.
    error_summary: dict[str, str] | None = None
    error_summary_links: list[str] = field(default_factory=list)
    before_error_summary: list[str] = field(default_factory=list)
    autofocus: list[str] = field(default_factory=list)
    # Each form: its attributes and whether it holds a field the browser could check itself.
    forms: list[dict] = field(default_factory=list)
    # Language switch buttons and links: (lang, hreflang) of each, and the languages marked current.
    language_choices: list[dict[str, str]] = field(default_factory=list)
    current_languages: list[str] = field(default_factory=list)
    # Cells of tables that turn into cards on a phone (class responsive-table): their data-label,
    # and whether the cell holds a link or button (an action needs no label of its own).
    responsive_cells: list[dict[str, object]] = field(default_factory=list)


class _StructureParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.structure = PageStructure()
        self._heading: list | None = None
        self._summary_depth = 0  # open <div>s inside the error summary; 0 outside it
        self._heading_in_summary = False
        self._responsive_depth = 0
        self._table_stack: list[bool] = []
        self._in_language_switch = 0
        self._cell: dict[str, object] | None = None
        self._fieldsets: list[bool] = []  # one per open <fieldset>: whether it has a <legend>

    def _track_summary(self, tag: str, attributes: dict[str, str]) -> None:
        structure = self.structure
        if self._summary_depth:
            if tag == "div":
                self._summary_depth += 1
            if tag == "a" and attributes.get("href", "").startswith("#"):
                structure.error_summary_links.append(attributes["href"][1:])
        elif "error-summary" in attributes.get("class", "").split():
            structure.error_summary = attributes
            self._summary_depth = 1
        elif tag == "main":
            structure.before_error_summary.clear()  # the header's language form is not content
        elif structure.error_summary is None and tag in ("h1", "section", "form", "fieldset"):
            structure.before_error_summary.append(tag)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if "id" in attributes:
            self.structure.ids.append(attributes["id"])
            if tag in LABELABLE:
                self.structure.labelable_ids.add(attributes["id"])
        self._track_fieldset(tag, attributes)
        if "autofocus" in attributes:
            self.structure.autofocus.append(f"<{tag} id={attributes.get('id')!r}>")
        self._track_summary(tag, attributes)
        if tag == "form":
            self.structure.forms.append({**attributes, "checkable": False})
        elif self.structure.forms and _browser_checks(tag, attributes):
            self.structure.forms[-1]["checkable"] = True
        self._read_layout(tag, attributes)
        if tag == "html":
            self.structure.html_lang = attributes.get("lang")
        elif tag == "script":
            self.structure.scripts += 1
        elif tag in HEADINGS:
            self._heading = [HEADINGS[tag], ""]
            self._heading_in_summary = bool(self._summary_depth)
        elif tag == "label" and attributes.get("for"):
            self.structure.label_targets.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            kind = attributes.get("type", "text").lower() if tag == "input" else tag
            if kind not in NOT_LABELLED_INPUT_TYPES and "hidden" not in attributes:
                self.structure.controls.append({"tag": tag, **attributes})

    def _track_fieldset(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "fieldset":
            self._fieldsets.append(False)
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1] = True
        elif (
            tag == "input"
            and attributes.get("type", "").lower() in ("radio", "checkbox")
            and not (self._fieldsets and self._fieldsets[-1])
        ):
            self.structure.options_outside_fieldset.append(attributes.get("name", ""))

    def _read_layout(self, tag: str, attributes: dict[str, str]) -> None:
        classes = attributes.get("class", "").split()
        if tag == "table":
            self._table_stack.append("responsive-table" in classes)
        elif tag == "td" and self._table_stack and self._table_stack[-1]:
            self._cell = {"label": attributes.get("data-label", ""), "action": False}
            self.structure.responsive_cells.append(self._cell)
        elif tag in ("a", "button") and self._cell is not None:
            self._cell["action"] = True
        if tag == "form" and "language-links" in classes:
            self._in_language_switch = 1
        elif self._in_language_switch and tag in ("a", "button"):
            self.structure.language_choices.append(attributes)
        if self._in_language_switch and attributes.get("aria-current") not in (None, "false"):
            self.structure.current_languages.append(attributes.get("lang", ""))

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if tag == "div" and self._summary_depth:
            self._summary_depth -= 1
        # The summary's own heading comes before the h1 by design (as on GOV.UK): it is left
        # out of the heading order.
        if tag == "table" and self._table_stack:
            self._table_stack.pop()
        elif tag == "td":
            self._cell = None
        elif tag == "form":
            self._in_language_switch = 0
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        if tag in HEADINGS and self._heading is not None:
            if not self._heading_in_summary:
                text = " ".join(self._heading[1].split())
                self.structure.headings.append((self._heading[0], text))
            self._heading = None


def page_structure(html: str) -> PageStructure:
    parser = _StructureParser()
    parser.feed(html)
    parser.close()
    return parser.structure


def structure_problems(html: str) -> list[str]:
    """Every broken rule, as a sentence naming the element; an empty list for a good page."""
    structure = page_structure(html)
    problems = []
    if not structure.html_lang:
        problems.append("<html> has no lang attribute")
    if structure.scripts:
        problems.append(f"{structure.scripts} <script> element(s)")
    levels = [level for level, _text in structure.headings]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} <h1> elements instead of one")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}, not h1")
    for (before, _), (level, text) in zip(structure.headings, structure.headings[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} ({text!r}): a level is skipped")
    for control in structure.controls:
        control_id = control.get("id", "")
        labelled = control_id and control_id in structure.label_targets
        labelled_by = control.get("aria-labelledby", "").split()
        labelled_by_present = labelled_by and all(item in structure.ids for item in labelled_by)
        if not (labelled or control.get("aria-label") or labelled_by_present):
            problems.append(f"<{control['tag']} name={control.get('name')!r}> has no label")
        kind = control.get("type", "text").lower()
        own_data = control["tag"] == "input" and kind in AUTOCOMPLETE_INPUT_TYPES
        if own_data and not control.get("autocomplete"):
            problems.append(f"<input type={kind} name={control.get('name')!r}> has no autocomplete")
    for target in sorted(structure.label_targets & set(structure.ids)):
        if target not in structure.labelable_ids:
            problems.append(f"<label for={target!r}> names an element that is not a form control")
    names = structure.options_outside_fieldset
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(f"the options of {name!r} are not in a <fieldset> with a <legend>")
    problems.extend(_layout_problems(structure))
    duplicates = sorted({item for item in structure.ids if structure.ids.count(item) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {', '.join(duplicates)}")
    problems.extend(_error_summary_problems(structure))
    problems.extend(_form_problems(structure))
    return problems


def _error_summary_problems(structure: PageStructure) -> list[str]:
    """The summary is the first thing in <main>, takes the focus without a script, and each of
    its links goes to an element on the page."""
    problems = []
    if len(structure.autofocus) > 1:
        problems.append(f"several elements ask for the focus: {', '.join(structure.autofocus)}")
    summary = structure.error_summary
    if summary is None:
        return problems
    if "autofocus" not in summary or summary.get("tabindex") != "-1":
        problems.append("the error summary does not take the focus (tabindex=-1 autofocus)")
    if structure.before_error_summary:
        first = structure.before_error_summary[0]
        problems.append(f"the error summary comes after a <{first}>: it belongs at the top")
    for target in structure.error_summary_links:
        if target not in structure.ids:
            problems.append(f"the error summary links to #{target}, which is not on the page")
    return problems


def _form_problems(structure: PageStructure) -> list[str]:
    """The browser's own required-field bubbles speak the browser's language, not the page's:
    every form with fields is checked by the server alone."""
    return [
        f"<form action={form.get('action')!r}> has fields but no novalidate"
        for form in structure.forms
        if form["checkable"] and "novalidate" not in form
    ]


def _layout_problems(structure: PageStructure) -> list[str]:
    problems = []
    for choice in structure.language_choices:
        if not choice.get("lang"):
            problems.append(
                f"a language choice ({choice.get('value') or choice.get('href')}) has no lang"
            )
        if "href" in choice and not choice.get("hreflang"):
            problems.append(f"the language link {choice['href']} has no hreflang")
    if structure.language_choices and len(structure.current_languages) != 1:
        problems.append(
            f"{len(structure.current_languages)} languages marked aria-current instead of one"
        )
    for cell in structure.responsive_cells:
        if not cell["label"] and not cell["action"]:
            problems.append("a cell of a responsive table has no data-label for its card")
    return problems
