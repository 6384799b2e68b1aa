from datetime import timedelta

from django.db import migrations
from django.db.models import F

# The default lifetime when expiry was introduced; fixed here so the migration gives the same dates everywhere.
EXISTING_TOKEN_DAYS = 90


def expire_existing_tokens(apps, schema_editor):
    """Each token made before expiry existed expires 90 days after it was created."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + timedelta(days=EXISTING_TOKEN_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token_expiry_and_scope"),
    ]

    operations = [
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
    ]
