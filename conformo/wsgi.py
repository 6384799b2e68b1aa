"""WSGI entry point for gunicorn: `gunicorn conformo.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from conformo.core.runtime import tune_gc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")

application = get_wsgi_application()
tune_gc()  # once the application is loaded: conformo/core/runtime.py
