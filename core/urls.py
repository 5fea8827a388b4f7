from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.index, name="index"),
    # /healthz is the deep check (the name load balancers probe by default); /livez the cheap one.
    path("livez", views.live, name="live"),
    path("healthz", views.ready, name="ready"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
