"""The official channels written by trust.templatetags.official_channels: the markup of the former
trust/_channels.html include, byte for byte, whatever the registry holds."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.template import Context, Template
from django.utils.translation import override

from core.authority import authority
from trust.selectors import OfficialChannels, SocialAccount
from trust.templatetags.official_channels import official_channels_list

# The former include, as it was.
FORMER = Template(
    "{% load i18n %}{% if authority.channels_unconfirmed %}\n"
    "{# The shipped profile fills in examples the authority has not confirmed (core.W005): "
    "say so. #}\n"
    '<div class="notice"><p>{% blocktranslate trimmed with name=authority.name_in_text %}Some of '
    "the channels below are examples that {{ name }} has not confirmed yet. Until it does, do not "
    "take them as proof that a message is genuine.{% endblocktranslate %}</p></div>\n"
    "{% endif %}\n"
    "<dl>\n"
    '  <dt>{% translate "Websites" %}</dt>\n'
    "  <dd>{% for domain in channels.web_domains %}<strong>{{ domain }}</strong>"
    "{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</dd>\n"
    '  <dt>{% translate "Email: genuine messages come only from addresses ending in" %}</dt>\n'
    "  <dd>{% for domain in channels.email_domains %}<strong>@{{ domain }}</strong>"
    "{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</dd>\n"
    '  <dt>{% translate "Text messages (SMS) come from the sender" %}</dt>\n'
    "  <dd>{% for name in channels.sms_sender_names %}<strong>{{ name }}</strong>"
    "{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</dd>\n"
    '  <dt>{% translate "Phone numbers" %}</dt>\n'
    "  <dd>{% for number in channels.phone_numbers %}{{ number }}{% if not forloop.last %}, "
    "{% endif %}{% empty %}–{% endfor %}</dd>\n"
    '  <dt>{% translate "Social media accounts" %}</dt>\n'
    "  <dd>\n"
    "    <ul>\n"
    "    {% for account in channels.social_media_accounts %}\n"
    '      <li>{{ account.platform|capfirst }}: {% if account.url %}<a href="{{ account.url }}" '
    'rel="noopener">{{ account.handle }}</a>{% else %}{{ account.handle }}{% endif %}</li>\n'
    "    {% empty %}<li>–</li>{% endfor %}\n"
    "    </ul>\n"
    "  </dd>\n"
    "</dl>\n"
    '<p>{% translate "We never ask for personal or sensitive data on social media and never '
    'send private messages there." %}</p>\n'
)

SEVERAL = OfficialChannels(
    web_domains=("migri.fi", "enterfinland.fi", "a&b<c>.example"),
    other_official_web_domains=("suomi.fi",),
    email_domains=("migri.fi", "x\"y'.example"),
    social_media_accounts=(
        SocialAccount("facebook", "maahanmuuttovirasto", "https://www.facebook.com/m?a=1&b=2"),
        SocialAccount("x", "<MigriFI>", ""),
        SocialAccount("éblog", "h & h", 'https://example.com/"q"'),
    ),
    phone_numbers=("+358295430431", "+358 29 54 & 1"),
    sms_sender_names=("Migri",),
)
ONE_EACH = OfficialChannels(
    web_domains=("migri.fi",),
    other_official_web_domains=(),
    email_domains=("migri.fi",),
    social_media_accounts=(SocialAccount("youtube", "MigriFinland", "https://youtube.com/x"),),
    phone_numbers=("+358295430431",),
    sms_sender_names=("Migri",),
)
NONE = OfficialChannels((), (), (), (), (), ())


@pytest.mark.parametrize("channels", [SEVERAL, ONE_EACH, NONE])
@pytest.mark.parametrize("unconfirmed", [True, False])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_list_is_the_template_it_replaced(channels, unconfirmed, language):
    profile = authority()
    if not unconfirmed:
        profile = replace(profile, unconfirmed_facts=())
    else:
        assert profile.channels_unconfirmed  # the shipped profile's examples
    assert profile.channels_unconfirmed is unconfirmed
    context = {"authority": profile, "channels": channels}
    with override(language):
        former = FORMER.render(Context(context))
        written = official_channels_list(Context(context), channels)
    assert written == former


def test_the_values_are_escaped():
    html = str(official_channels_list(Context({"authority": authority()}), SEVERAL))
    assert "<strong>a&amp;b&lt;c&gt;.example</strong>" in html
    assert "<strong>@x&quot;y&#x27;.example</strong>" in html
    assert '<a href="https://www.facebook.com/m?a=1&amp;b=2" rel="noopener">' in html
    assert "<li>X: &lt;MigriFI&gt;</li>" in html
