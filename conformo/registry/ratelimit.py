"""A small fixed-window rate limiter for anonymous registry clients, per client IP, in Django's cache.

`settings.REGISTRY_RATE_LIMIT` is "<requests>/<seconds>" (default "120/60"; "0" or "" turns it off).
The window is shared by every process only when the cache is shared (Redis, Memcached, database cache);
with the default local-memory cache each worker counts on its own (see docs/registry.md).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

DEFAULT_RATE = "120/60"


def parse_rate(text: str) -> tuple[int, int] | None:
    """`"120/60"` → (120, 60); `"0"` or `""` → None (no limit)."""
    text = (text or "").strip()
    if text in {"", "0"}:
        return None
    try:
        count, _, seconds = text.partition("/")
        parsed = int(count), int(seconds or "60")
    except ValueError as exc:
        raise ImproperlyConfigured(f"REGISTRY_RATE_LIMIT must look like '120/60', not {text!r}.") from exc
    if parsed[0] < 1 or parsed[1] < 1:
        raise ImproperlyConfigured(f"REGISTRY_RATE_LIMIT must be positive, not {text!r}.")
    return parsed


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def retry_after(request: HttpRequest) -> int | None:
    """Count this request; return None when it may proceed, else the seconds until the window resets.
    Signed-in users are not limited."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    rate = parse_rate(str(getattr(settings, "REGISTRY_RATE_LIMIT", DEFAULT_RATE)))
    if rate is None:
        return None
    limit, window = rate
    now = time.time()
    window_start = int(now // window) * window
    key = f"registry-rl:{client_ip(request)}:{window_start}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return max(1, int(window_start + window - now + 0.999))
    return None
