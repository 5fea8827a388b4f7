from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.health, name="health"),
    path("readyz", views.ready, name="ready"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
