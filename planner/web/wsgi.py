"""WSGI entry point (``planner web serve`` uses it; so can a WSGI server behind a proxy)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.web.settings")
application = get_wsgi_application()
