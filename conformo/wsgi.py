"""WSGI entry point for gunicorn: `gunicorn conformo.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")

application = get_wsgi_application()
