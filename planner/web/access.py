"""Who may do what: coordinators, analysts, API tokens and the login rate limit.

Coordinators see and change everything. Analysts see the isolation analysis, the what-ifs and
event totals, never names, addresses or phone numbers: every view that shows them is
:func:`coordinator_required`. The API takes a session or ``Authorization: Token <token>``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from planner.web.models import ROLES, ApiToken, token_hash


def role_of(user) -> str | None:
    """``coordinator``, ``analyst`` or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    names = {g.name for g in user.groups.all()}
    for role in ROLES:
        if role in names:
            return role
    return None


def role_context(request: HttpRequest) -> dict[str, str | None]:
    """Return the template context ``ROLE``: the signed-in user's role, for the page menus."""
    return {"ROLE": role_of(getattr(request, "user", None))}


def create_user(username: str, password: str, role: str):
    """Create a user with ``role`` (or give an existing one a new password and role)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    from django.contrib.auth.password_validation import validate_password

    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first() or user_model(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    return user


def _page_guard(allowed: tuple[str, ...]) -> Callable:
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if role_of(request.user) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


#: Pages for coordinators only (they show personal data or change the plan).
coordinator_required = _page_guard(("coordinator",))
#: Pages without personal data, for coordinators and analysts.
staff_required = _page_guard(ROLES)


def _token_user(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Token "):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(header[6:].strip()))
        .first()
    )
    return token.user if token and token.user.is_active else None


def api_view(*roles: str) -> Callable:
    """Make a JSON API view for ``roles``: 401 without credentials, 403 for another role.

    Session requests that change something must carry the CSRF token; token requests need none
    (a browser never sends the header by itself).
    """

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = _token_user(request)
            if user is None:
                if "Authorization" in request.headers:
                    return JsonResponse({"error": "invalid token"}, status=401)
                if not request.user.is_authenticated:
                    return JsonResponse({"error": "log in or send a token"}, status=401)
                if request.method not in ("GET", "HEAD", "OPTIONS"):
                    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
                    if refused is not None:
                        return JsonResponse({"error": "CSRF check failed"}, status=403)
            else:
                request.user = user
            if role_of(request.user) not in roles:
                return JsonResponse({"error": "not allowed for this role"}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _failure_key(username: str, address: str) -> str:
    return f"login-failures:{token_hash(username.lower())}:{address}"


def login_blocked(username: str, address: str) -> bool:
    """Return True after ``LOGIN_MAX_FAILURES`` failed logins of this name from this address."""
    return cache.get(_failure_key(username, address), 0) >= settings.LOGIN_MAX_FAILURES


def login_failed(username: str, address: str) -> None:
    """Count a failed login (forgotten after ``LOGIN_FAILURE_WINDOW_S``)."""
    key = _failure_key(username, address)
    cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_S)
    cache.incr(key)


def login_succeeded(username: str, address: str) -> None:
    """Forget the failed logins of this name from this address."""
    cache.delete(_failure_key(username, address))
