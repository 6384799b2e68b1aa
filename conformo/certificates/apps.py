from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "conformo.certificates"
    label = "certificates"
    verbose_name = "Certificates: issuance, PDF, signed credentials"
