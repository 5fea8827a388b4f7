"""The check's result written by trust.templatetags.check_result: every value escaped as a
template escapes it, the explanations' own HTML kept, each mode's content in its hidden fields."""

from __future__ import annotations

from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import override

from trust.templatetags.check_result import report_fields, verdict_section


def _section(**context) -> str:
    return str(verdict_section(Context(context)))


def test_the_verdict_section_escapes_text_and_keeps_the_explanations_html():
    html = _section(
        verdict="scam",
        verdict_label="Scam & <b>",
        explanations=[{"text": mark_safe('Asks for <span lang="en">"money"</span>')}],
        advice=[
            {"text": "Don't <click>", "url": "", "link_text": ""},
            {"text": "Report it", "url": "https://example.com/?a=1&b=2", "link_text": "Police <"},
        ],
    )
    assert '<section class="verdict verdict-scam" aria-labelledby="verdict-title">' in html
    assert '<h2 id="verdict-title">Scam &amp; &lt;b&gt;</h2>' in html
    assert '<li>Asks for <span lang="en">"money"</span></li>' in html
    assert "<li>Don&#x27;t &lt;click&gt;</li>" in html
    assert '<a href="https://example.com/?a=1&amp;b=2" rel="noopener">Police &lt;</a>' in html


def test_the_headings_are_in_the_pages_language_and_only_with_items():
    with override("fi"):
        advice = [{"text": "a", "url": "", "link_text": ""}]
        html = _section(verdict="genuine", verdict_label="x", explanations=[], advice=advice)
    assert "<h3>" in html and "What to do" not in html
    assert html.count("<h3>") == 1  # nothing found: no "What we found" heading


def test_the_section_is_the_template_it_replaced():
    """The markup of the former trust/_result.html, byte for byte."""
    former = Template(
        '{% load i18n %}<section class="verdict verdict-{{ verdict }}" '
        'aria-labelledby="verdict-title">\n'
        '  <h2 id="verdict-title">{{ verdict_label }}</h2>\n'
        "  {% if explanations %}\n"
        '    <h3>{% translate "What we found" %}</h3>\n'
        "    <ul>{% for item in explanations %}<li>{{ item.text }}</li>{% endfor %}</ul>\n"
        "  {% endif %}\n"
        "  {% if advice %}\n"
        '    <h3>{% translate "What to do" %}</h3>\n'
        "    <ul>{% for item in advice %}<li>{{ item.text }}{% if item.url %} "
        '<a href="{{ item.url }}" rel="noopener">{{ item.link_text }}</a>{% endif %}</li>'
        "{% endfor %}</ul>\n"
        "  {% endif %}\n"
        "</section>\n"
    )
    context = {
        "verdict": "suspicious",
        "verdict_label": "Suspicious",
        "explanations": [{"text": mark_safe("<em>a</em>")}, {"text": "b & c"}],
        "advice": [{"text": "t", "url": "/u?x=1&y=2", "link_text": "l"}],
    }
    for language in ("fi", "sv", "en"):
        with override(language):
            assert _section(**context) == former.render(Context(context))


def test_the_report_fields_carry_each_modes_content_escaped():
    text = str(
        report_fields(
            {"mode": "text", "text": "</textarea><b>", "channel": "sms", "sender": '"x"',
             "recipient": ""},
            "en",
        )
    )  # fmt: skip
    assert (
        '<textarea name="text-text" hidden lang="en">\n&lt;/textarea&gt;&lt;b&gt;</textarea>'
        in text
    )
    assert '<input type="hidden" name="text-sender" value="&quot;x&quot;">' in text
    assert '<input type="hidden" name="from_check" value="1">' in text
    eml = str(report_fields({"mode": "eml", "raw_b64": "QUJD", "recipient": "a@b"}))
    assert '<input type="hidden" name="eml-raw_b64" value="QUJD">' in eml and "textarea" not in eml
    url = str(report_fields({"mode": "url", "url": "https://x.example/?a=1&b=2"}))
    assert '<input type="hidden" name="url-url" value="https://x.example/?a=1&amp;b=2">' in url
    assert "lang=" not in str(
        report_fields(
            {"mode": "text", "text": "t", "channel": "sms", "sender": "", "recipient": ""}
        )
    )
