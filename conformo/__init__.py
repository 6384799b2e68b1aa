"""Conformo: ISO management-system certification end to end."""

__version__ = "0.1.0"
