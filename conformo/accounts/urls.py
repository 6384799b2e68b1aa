from django.urls import path

from conformo.accounts import members, views

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

# Members and invitations (conformo.accounts.members; docs/people.md).
urlpatterns += [
    path("members/", members.members_home, name="members"),
    path("members/certification-bodies/new/", members.certification_body_open_view, name="cb-open"),
    path("members/certification-bodies/<uuid:public_id>/", members.cb_members, name="cb-members"),
    path("members/certification-bodies/<uuid:public_id>/invite/", members.cb_invite, name="cb-invite"),
    path("members/organizations/<uuid:public_id>/", members.organization_members, name="organization-members"),
    path("members/organizations/<uuid:public_id>/invite/", members.organization_invite, name="organization-invite"),
    path("members/<uuid:public_id>/role/", members.membership_change_role_view, name="membership-change-role"),
    path("members/<uuid:public_id>/end/", members.membership_end_view, name="membership-end"),
    path("invitations/<uuid:public_id>/resend/", members.invitation_resend_view, name="invitation-resend"),
    path("invitations/<uuid:public_id>/revoke/", members.invitation_revoke_view, name="invitation-revoke"),
    path("invitations/accept/<str:token>/", members.invitation_accept_view, name="invitation-accept"),
]
