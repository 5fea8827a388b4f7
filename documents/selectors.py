"""Reads of documents, scoped by the user, and the rules for which documents may be served."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from documents.models import Document


def documents_for_owner(*, user):
    return Document.objects.filter(owner=user)


def document_for_owner(*, user, document_id) -> Document:
    """The user's own document; any other id (someone else's, or none) raises Http404."""
    return get_object_or_404(documents_for_owner(user=user), pk=document_id)


def servable(document: Document) -> bool:
    """Only files scanned clean are ever served; pending, failed and infected ones never."""
    return document.is_servable
