"""The administrators' topic page: list, add and change the topics a sender chooses from (each
routes to a unit), and deactivate one that should no longer be offered. Every change is audited
by the services; there is no Django admin in this project."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.submissions import accepted_once
from core.permissions import role_required
from core.roles import Role
from securemail.forms import TopicForm
from securemail.models import Topic
from securemail.selectors import topics_for_administration
from securemail.services import topic_create, topic_update

administrator_required = role_required(Role.ADMINISTRATOR)


@administrator_required
@require_GET
def topic_list(request):
    return render(request, "securemail/topics.html", {"topics": topics_for_administration()})


def _save(request, form: TopicForm, topic: Topic | None):
    try:
        if topic is None:
            topic_create(actor=request.user, request=request, **form.changes())
        else:
            topic_update(topic=topic, actor=request.user, request=request, **form.changes())
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("The topic was saved."))
    return redirect("securemail:topics")


def _form_page(request, form: TopicForm, topic: Topic | None):
    return render(
        request,
        "securemail/topic_form.html",
        {"form": form, "topic": topic},
        status=400 if form.errors else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
@accepted_once
def topic_new(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response is not None:
            return response
    return _form_page(request, form, None)


@administrator_required
@require_http_methods(["GET", "POST"])
@accepted_once
def topic_edit(request, topic_id: int):
    topic = get_object_or_404(Topic, pk=topic_id)
    # The form changes a copy: the page's heading keeps the saved names when the form is refused.
    form = TopicForm(request.POST or None, instance=Topic.objects.get(pk=topic.pk))
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, topic)
        if response is not None:
            return response
    return _form_page(request, form, topic)
