from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "conformo.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from conformo.accounts.throttling import record_failure, record_lockout

        # Sign-in throttling's audit trail (accounts/throttling.py): django-axes reports by signals, so these
        # receivers hand what it reports to the services that write the audit log.
        user_login_failed.connect(record_failure, dispatch_uid="conformo.accounts.record_failure")
        user_locked_out.connect(record_lockout, dispatch_uid="conformo.accounts.record_lockout")
