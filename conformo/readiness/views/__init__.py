"""Readiness pages, one module per area."""
