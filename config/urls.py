from django.urls import include, path

from accounts.views import language as accounts_language

urlpatterns = [
    # Before Django's own: the switch also saves a signed-in user's language (accounts).
    path("i18n/setlang/", accounts_language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("documents/", include("documents.urls")),
    path("casework/", include("casework.urls")),
    path("cases/", include("casework.applicant_urls")),
    path("payments/", include("payments.urls")),
    path("securemail/", include("securemail.urls")),
    path("audit/", include("audit.urls")),
    path("", include("trust.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
