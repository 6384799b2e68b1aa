from django.urls import path

from conformo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/done/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("security/", views.security, name="security"),
    path("security/two-factor/start/", views.two_factor_start, name="two-factor-start"),
    path("security/two-factor/confirm/", views.two_factor_confirm_view, name="two-factor-confirm"),
    path("security/two-factor/remove/", views.two_factor_remove_view, name="two-factor-remove"),
    path("two-factor/", views.two_factor_verify_view, name="two-factor-verify"),
    path("cb/<uuid:public_id>/security/", views.certification_body_security, name="cb-security"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token-revoke"),
]
