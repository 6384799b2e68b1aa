"""Choices of accounts."""

from django.db import models


class TokenScope(models.TextChoices):
    """What an API token may do: read only (GET/HEAD/OPTIONS), or whatever its owner's roles allow."""

    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"
