"""Response headers every page gets, and the page language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from planner.i18n import ORGANISER_LANGUAGES as LANGUAGES


def no_store(get_response: Callable[[HttpRequest], HttpResponse]):
    """Send ``Cache-Control: no-store`` on every response.

    Almost every page shows personal data, and a browser or proxy must keep none of them.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"  # a driver link never leaks to another site
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return middleware


def language(get_response: Callable[[HttpRequest], HttpResponse]):
    """Dutch unless the visitor chose English (``?lang=en``, remembered in the session)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = request.GET.get("lang")
        if chosen in LANGUAGES and hasattr(request, "session"):
            request.session["lang"] = chosen
        request.lang = (
            chosen
            if chosen in LANGUAGES
            else (request.session.get("lang", "nl") if hasattr(request, "session") else "nl")
        )
        with translation.override(request.lang):
            response = get_response(request)
        response.setdefault("Content-Language", request.lang)
        return response

    return middleware
