"""Template helpers for applications: fees in the language's number format, texts kept in data."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from applications.schema import localized as localized_text
from core.dates import date_formatter, render_value_in_context, time_formatter
from core.field_rendering import field_html
from core.forms import field_specific_errors
from core.safe_html import format_html, format_html_join

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€"}


@register.simple_tag
def money(amount: Decimal, currency: str = "EUR") -> str:
    """480,00 € in Finnish and Swedish, €480.00 in English (no-break spaces keep it on one line)."""
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if (get_language() or "en")[:2] == "en":
        return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol}\u00a0{number}"
    return f"{number}\u00a0{symbol}"


@register.simple_tag
def money_cents(amount_cents: int, currency: str = "EUR") -> str:
    """An amount kept in cents (the fee table), formatted as `money`."""
    return money(Decimal(amount_cents) / 100, currency)


@register.filter
def label_of(labels: dict, code: str) -> str:
    """The label of a code in a {code: label} dict, or nothing (an attachment's kind)."""
    return labels.get(code, "")


@register.filter
def localized(texts) -> str:
    """A {fi, sv, en} text from a permit type's data, in the active language."""
    return localized_text(texts)


@register.simple_tag(takes_context=True)
def answer_list(context, answer_sections, editable=False, application=None) -> str:
    """Each section's heading and its answers as a summary list (applications.display), with a
    "Change" link per section where `editable`. Written here rather than as a template loop: a
    case's answers are dozens of rows, and the template engine's lookups and tags per row cost
    more than the page's other parts. Values are shown as `{{ value }}` shows them
    (render_value_in_context: localized dates and numbers, escaped)."""
    not_answered = format_html('<span class="hint">{}</span>', gettext("Not answered"))
    change = gettext("Change")
    parts = []
    for section in answer_sections:
        link = ""
        if editable:
            link = format_html(
                ' <a class="small" href="{}">{}<span class="visually-hidden"> – {}</span></a>',
                reverse("applications:section", args=[application.pk, section.key]),
                change,
                section.title,
            )
        rows = format_html_join(
            "\n",
            "  <dt>{}</dt>\n  <dd>{}</dd>",
            (
                (
                    row.label,
                    render_value_in_context(row.value, context) if row.answered else not_answered,
                )
                for row in section.rows
            ),
        )
        parts.append(
            format_html(
                '<h3>{}{}</h3>\n<dl class="answers summary-list">\n{}\n</dl>',
                section.title,
                link,
                rows,
            )
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - each part built by format_html


# A timeline has a row per event: written here, each row is two date formats and format_html,
# where the template loop resolved a dozen variables and filters per row. The dates are formatted
# as the `date` and `time` filters format them (in the page's time zone and language).


@register.simple_tag(takes_context=True)
def case_event_items(context, events) -> str:
    """The home page's timeline of one case: an <li> per event, its time and its kind."""
    items = []
    short_datetime = date_formatter("SHORT_DATETIME_FORMAT")
    for event in events:
        moment = template_localtime(event.at, context.use_tz)
        items.append(
            format_html(
                '\n      <li><time datetime="{}">{}</time> – {}</li>',
                moment.isoformat(),  # what the `date` filter writes for "c"
                short_datetime(moment),
                event.get_kind_display(),
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - each part built by format_html


@register.simple_tag(takes_context=True)
def timeline_list(context, entries) -> str:
    """The case page's timeline (casework.timeline entries): an <ol> with an <li> per entry, its
    time, and its label linked where it has an address."""
    items = []
    date_format, time_format = date_formatter(), time_formatter()
    for entry in entries:
        moment = template_localtime(entry.at, context.use_tz)
        label = (
            format_html('<a href="{}">{}</a>', entry.url, entry.label) if entry.url else entry.label
        )
        items.append(
            format_html(
                '  <li><time datetime="{}">{} {}</time> – {}</li>',
                moment.isoformat(),
                date_format(moment),
                time_format(moment),
                label,
            )
        )
    if not items:
        items.append(format_html("  <li>{}</li>", gettext("No events yet.")))
    return format_html('<ol class="timeline">\n{}\n</ol>', mark_safe("\n".join(items)))  # noqa: S308


@register.simple_tag
def schema_fields(form) -> str:
    """A section form's visible fields: a group of radios or checkboxes as a <fieldset> (named by
    its id, each option with its label), every other field as core.field_rendering writes it.
    Written here rather than as a template loop per field and per option; every value is escaped
    as the template escaped it."""
    return mark_safe(  # noqa: S308 - each part built by format_html or field_html
        "".join(
            _schema_fieldset(field) if field.use_fieldset else field_html(field)
            for field in form.visible_fields()
        )
    )


def _schema_fieldset(field) -> str:
    auto_id = field.auto_id
    help_text = field.help_text
    errors = field.errors
    described = ""
    if help_text or errors:
        ids = [f"{auto_id}_helptext"] if help_text else []
        ids += [f"{auto_id}_error"] if errors else []
        described = format_html(' aria-describedby="{}"', " ".join(ids))
    optional = ""
    if not field.field.required:
        optional = format_html(' <span class="optional">({})</span>', gettext("optional"))
    hint = ""
    if help_text:
        hint = format_html('<p class="hint" id="{}_helptext">{}</p>', auto_id, help_text)
    error = ""
    if errors:
        error = format_html(
            '<p class="error-message" id="{}_error">{}</p>',
            auto_id,
            # As the `join` filter joins them: each message escaped.
            mark_safe(" ".join(conditional_escape(item) for item in field_specific_errors(field))),  # noqa: S308
        )
    options = format_html_join(
        "",
        '<div class="option">{} <label for="{}">{}</label></div>',
        ((option.tag(), option.id_for_label, option.choice_label) for option in field),
    )
    return format_html(
        '\n  <fieldset class="field{}" id="{}"{}>\n    <legend>{}{}</legend>\n    {}\n    {}\n'
        "    {}\n  </fieldset>\n",
        " field-error" if errors else "",
        auto_id,
        described,
        field.label,
        optional,
        hint,
        error,
        options,
    )


@register.simple_tag
def steps_nav(nav, application, page="") -> str:
    """The application's parts (`nav`: each section's key, title and whether it is the current
    one), then attachments and review, the current one marked and the others linked. Written here
    rather than a template loop with a tag per part."""
    items = [
        format_html('<span aria-current="step"><strong>{}</strong></span>', item["title"])
        if item["current"]
        else format_html(
            '<a href="{}">{}</a>',
            reverse("applications:section", args=[application.pk, item["key"]]),
            item["title"],
        )
        for item in nav
    ]
    for name, label in (
        ("attachments", gettext("Attachments")),
        ("review", gettext("Check and send")),
    ):
        if page == name:
            items.append(format_html('<strong aria-current="step">{}</strong>', label))
        else:
            url = reverse(f"applications:{name}", args=[application.pk])
            items.append(format_html('<a href="{}">{}</a>', url, label))
    return format_html(
        '<nav aria-label="{}">\n  <ol class="steps">\n{}\n  </ol>\n</nav>',
        gettext("Parts of the application"),
        format_html_join("\n", "    <li>{}</li>", ((item,) for item in items)),
    )
