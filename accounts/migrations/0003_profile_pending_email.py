from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_profile_region")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="pending_email",
            field=models.EmailField(blank=True, default="", max_length=254),
        ),
    ]
