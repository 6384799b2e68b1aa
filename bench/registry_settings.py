"""Settings for bench/registry.py: production settings with the registry's rate limit raised out of reach
(the limiter still runs, so its cost is in the figures; wrk's 32 connections come from one address)."""

from conformo.settings import *  # noqa: F403

REGISTRY_RATE_LIMIT = "1000000000/60"
