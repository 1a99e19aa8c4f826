"""The body map: the three lower back choices become its lower back regions.

"buttock" and "leg" say less than any region (no side, no part of the leg), so they are
kept as they are (symptoms.models.LEGACY_LOCATIONS) and still shown.
"""

from django.db import migrations

FORWARD = {"centre": "lower_back_centre", "left": "lower_back_left", "right": "lower_back_right"}
BACKWARD = {new: old for old, new in FORWARD.items()}


def _rename(apps, mapping: dict[str, str]) -> None:
    PainEntry = apps.get_model("symptoms", "PainEntry")
    changed = []
    for entry in PainEntry.objects.exclude(locations=[]).only("pk", "locations").iterator():
        renamed = list(dict.fromkeys(mapping.get(code, code) for code in entry.locations or []))
        if renamed != entry.locations:
            entry.locations = renamed
            changed.append(entry)
    PainEntry.objects.bulk_update(changed, ["locations"], batch_size=500)


def forward(apps, schema_editor) -> None:
    _rename(apps, FORWARD)


def backward(apps, schema_editor) -> None:
    _rename(apps, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("symptoms", "0003_warning_signs_for_every_nhs_sign")]

    operations = [migrations.RunPython(forward, backward)]
