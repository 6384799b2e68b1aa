"""The rate limit of anonymous registry clients: a sliding window per client address, shared by every process.

`settings.REGISTRY_RATE_LIMIT` is "<requests>/<seconds>" (default "120/60"; "0" or "" turns it off). No client
gets more than <requests> answers in ANY span of <seconds> seconds, whichever worker or process answers them:

- the counts live in the shared cache (`caches["shared"]`, settings.RATE_LIMIT_CACHE: a table of the site's
  database by default, or Redis), not in a worker's memory, and each is changed by an atomic increment;
- the window is divided into `SLOTS` slots, one counter per slot. A request is counted in its slot, then
  allowed only if the counts of its slot and the `SLOTS` slots before it (together a little more than one window)
  sum to at most the limit. Any span of one window lies within those slots for the last request in it, so the
  limit holds over every span, including a burst at a window's edge; the price is that a client at the limit
  waits up to one slot longer (a tenth of the window) than an exact count would make it.

A refused request is taken back out of the count, so a client that keeps asking while refused is let in again
when its earlier requests leave the window (the `Retry-After` the refusal gives).
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

DEFAULT_RATE = "120/60"
SLOTS = 10
CACHE_ALIAS = "shared"


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


def _count(store: Any, keys: list[str], lifetime: int) -> int:
    """Count one request in the last of `keys` (the current slot); the sum of all their counts."""
    key, older = keys[-1], keys[:-1]
    combined = getattr(store, "incr_and_sum", None)  # conformo.core.cache: one statement on PostgreSQL
    if combined is not None:
        found = combined(key, older)
        if found is None:  # the slot's first request (or another process adds it at the same moment)
            store.add(key, 0, timeout=lifetime)
            found = combined(key, older)
        if found is not None:
            return int(found[0]) + int(found[1])
    try:
        store.incr(key)
    except ValueError:  # the slot's first request
        if not store.add(key, 1, timeout=lifetime):
            store.incr(key)  # another process added it first
    counts = store.get_many(keys)
    return sum(int(counts.get(k, 0)) for k in keys)


def count_request(store: Any, client: str, limit: int, window: int, now: float) -> int | None:
    """Count one request of `client` at `now` (seconds since the epoch) in the cache `store`; None when it may
    proceed, else the whole seconds until it would be allowed (module docstring)."""
    slot = max(1, window // SLOTS)
    span = -(-window // slot)  # slots per window, rounded up: span × slot ≥ window
    current = int(now // slot)
    slots = range(current - span, current + 1)
    keys = [f"registry-rl:{client}:{s}" for s in slots]
    if _count(store, keys, lifetime=(span + 2) * slot) <= limit:
        return None
    with contextlib.suppress(ValueError):
        store.decr(keys[-1])  # a refused request is not counted
    # Allowed once enough of the oldest slots have left the counted span that the others number below the limit.
    counts = store.get_many(keys)
    remaining = sum(int(counts.get(k, 0)) for k in keys)
    for s, k in zip(slots, keys, strict=True):
        remaining -= int(counts.get(k, 0))
        if remaining < limit:
            return max(1, math.ceil((s + span + 1) * slot - now))
    return max(1, window)  # unreachable: with every slot gone nothing remains


def retry_after(request: HttpRequest) -> int | None:
    """Count this request; None when it may proceed, else the seconds to wait. Signed-in users are not limited."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    rate = parse_rate(str(getattr(settings, "REGISTRY_RATE_LIMIT", DEFAULT_RATE)))
    if rate is None:
        return None
    limit, window = rate
    return count_request(caches[CACHE_ALIAS], client_ip(request), limit, window, time.time())
