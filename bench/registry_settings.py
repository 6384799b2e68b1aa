"""Settings for bench/registry.py: production settings with the registry's rate limit raised out of reach
(the limiter still runs, so its cost is in the figures; wrk's 32 connections come from one address), and
the registry's fast path first in MIDDLEWARE (docs/registry.md; pass --no-fast-path to measure without)."""

import os

from conformo.settings import *  # noqa: F403
from conformo.settings import MIDDLEWARE as _MIDDLEWARE

REGISTRY_RATE_LIMIT = "1000000000/60"
FAST_PATH = "conformo.registry.fastpath.RegistryFastPathMiddleware"
if os.environ.get("CONFORMO_BENCH_FAST_PATH", "1") == "1" and FAST_PATH not in _MIDDLEWARE:
    MIDDLEWARE = [FAST_PATH, *_MIDDLEWARE]
