from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from conformo.api import api
from conformo.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("accounts/", include("conformo.accounts.urls")),
    path("organizations/", include("conformo.organizations.urls")),
    path("notifications/", include("conformo.notifications.urls")),
    path("standards/", include("conformo.standards.urls")),
    path("tools/", include("conformo.tools.urls")),
    path("readiness/", include("conformo.readiness.urls")),
    path("improvement/", include("conformo.improvement.urls")),
    path("cb/figures/", include("conformo.figures.urls")),
    path("cb/", include("conformo.audits.urls")),
    path("fees/", include("conformo.fees.urls")),
    path("impartiality/", include("conformo.impartiality.urls")),
    path("competence/", include("conformo.competence.urls")),
    path("certification/", include("conformo.certification.urls")),
    path("certificates/", include("conformo.certificates.urls")),
    path("inbox/", include("conformo.inbox.urls")),
    path("retention/", include("conformo.retention.urls")),
    path("", include("conformo.registry.urls")),
    path("", include("conformo.home.urls")),
    path("", include("conformo.core.urls")),
]

handler404 = "conformo.core.views.page_not_found"
# The database down or busy is a 503 (conformo.core.unavailable), anything else the 500 page.
handler500 = "conformo.core.unavailable.server_error"
