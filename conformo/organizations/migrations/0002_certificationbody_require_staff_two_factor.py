from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificationbody",
            name="require_staff_two_factor",
            field=models.BooleanField(
                default=False,
                help_text="Staff (every CB role) must sign in with a two-factor code; set by the CB administrator "
                "(accounts: /accounts/cb/<id>/security/).",
            ),
        ),
    ]
