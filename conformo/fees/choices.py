"""Choices of the fees app: the currencies and travel charging of a CB's price list (`conformo.domain.fees`)."""

from django.db import models

from conformo.domain.fees import MINOR_UNITS

CURRENCY_CHOICES = [(code, code) for code in MINOR_UNITS]


class TravelMode(models.TextChoices):
    NONE = "none", "No travel charged"
    DAYS = "days", "Travel days × the travel day rate"
    FLAT = "flat", "A flat amount per audit on site"
