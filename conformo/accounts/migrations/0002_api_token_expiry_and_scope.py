from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens get a scope (existing ones keep doing everything: `read_write`) and an expiry date, filled for
    existing tokens by 0003 and required from 0004 on."""

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")], default="read_write", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
    ]
