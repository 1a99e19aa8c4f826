# Each stretch gets two drawings, a start and a hold position, each with its alt text,
# in place of the single drawing it had.

from django.db import migrations, models

import routines.models

# The single drawings this change replaces, with the pair (and alt texts) that replaces
# each, as they were shipped in fixtures/stretches.json at the time. Frozen here on
# purpose: a migration must not change when the fixtures do.
REPLACED = {
    "img/stretches/knee-to-chest.svg": (
        "img/stretches/knee-to-chest-start.svg",
        "Lying on the back on the floor, both knees bent and both feet flat on the floor, "
        "with the arms resting by the sides.",
        "img/stretches/knee-to-chest-hold.svg",
        "Lying on the back with one knee drawn up towards the chest and both hands holding "
        "that shin just below the knee. The other knee stays bent with its foot flat on the "
        "floor.",
    ),
    "img/stretches/double-knee-to-chest.svg": (
        "img/stretches/double-knee-to-chest-start.svg",
        "Lying on the back on the floor with the arms resting along the sides, both knees "
        "bent and both feet flat on the floor.",
        "img/stretches/double-knee-to-chest-hold.svg",
        "Lying on the back with both knees drawn up towards the chest and the arms wrapped "
        "around the shins.",
    ),
    "img/stretches/pelvic-tilt.svg": (
        "img/stretches/pelvic-tilt-start.svg",
        "Lying on the back with both knees bent, feet flat and hands resting on the stomach. "
        "There is a small natural gap between the lower back and the floor.",
        "img/stretches/pelvic-tilt-hold.svg",
        "Lying on the back with knees bent and feet flat, the stomach drawn in and the small "
        "of the back pressed flat against the floor, leaving no gap.",
    ),
    "img/stretches/cat-camel.svg": (
        "img/stretches/cat-camel-start.svg",
        "On hands and knees, hands below the shoulders and knees below the hips, with the "
        "back rounded up towards the ceiling and the chin tucked in: the cat.",
        "img/stretches/cat-camel-hold.svg",
        "On hands and knees in the same place, with the belly sinking towards the floor and "
        "the head and tailbone raised: the camel.",
    ),
    "img/stretches/childs-pose.svg": (
        "img/stretches/childs-pose-start.svg",
        "Kneeling upright on the floor with the shins and the tops of the feet flat on the "
        "floor and the arms by the sides.",
        "img/stretches/childs-pose-hold.svg",
        "Sitting back on the heels with the chest resting on the thighs, both arms reaching "
        "forward along the floor and the forehead resting on the floor.",
    ),
    "img/stretches/piriformis.svg": (
        "img/stretches/piriformis-start.svg",
        "Lying on the back on the floor, both knees bent and both feet flat on the floor, "
        "with the arms resting by the sides.",
        "img/stretches/piriformis-hold.svg",
        "Lying on the back with the right ankle crossed over the left thigh in a figure-four "
        "shape and both hands behind the left thigh, drawing it towards the chest. The "
        "stretch is felt in the right buttock.",
    ),
    "img/stretches/seated-spinal-twist.svg": (
        "img/stretches/seated-spinal-twist-start.svg",
        "Sitting up tall on the floor with both legs stretched straight out in front and the "
        "hands resting on the floor beside the hips.",
        "img/stretches/seated-spinal-twist-hold.svg",
        "Sitting with the left leg straight and the right knee bent, the right foot on the "
        "floor on the outer side of the left thigh. The left arm hugs the right knee, the "
        "right hand rests on the floor behind, and the upper body is turned to the right.",
    ),
}


def split_drawings(apps, schema_editor):
    """A stretch with one of the replaced drawings gets its start and hold pair; any
    other (a drawing added in the admin) shows its one drawing as both, as before."""
    Stretch = apps.get_model("routines", "Stretch")
    for stretch in Stretch.objects.all():
        pair = REPLACED.get(stretch.illustration)
        if pair is None:
            pair = (stretch.illustration, stretch.illustration_alt) * 2
        (
            stretch.start_illustration,
            stretch.start_alt,
            stretch.hold_illustration,
            stretch.hold_alt,
        ) = pair
        stretch.save(
            update_fields=["start_illustration", "start_alt", "hold_illustration", "hold_alt"]
        )


def join_drawings(apps, schema_editor):
    """Back to one drawing: the hold position, which the single drawings showed."""
    Stretch = apps.get_model("routines", "Stretch")
    for stretch in Stretch.objects.all():
        stretch.illustration = stretch.hold_illustration
        stretch.illustration_alt = stretch.hold_alt
        stretch.save(update_fields=["illustration", "illustration_alt"])


class Migration(migrations.Migration):
    dependencies = [
        ("routines", "0002_guide_signs_from_the_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="stretch",
            name="start_illustration",
            field=models.CharField(
                default="",
                help_text="Static path of the SVG, e.g. img/stretches/knee-to-chest-start.svg",
                max_length=100,
                validators=[routines.models.validate_drawing],
                verbose_name="start drawing",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stretch",
            name="start_alt",
            field=models.CharField(
                default="",
                help_text="The starting position in words, for people who cannot see the drawing.",
                max_length=300,
                verbose_name="start drawing: alt text",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stretch",
            name="hold_illustration",
            field=models.CharField(
                default="",
                help_text="Static path of the SVG, e.g. img/stretches/knee-to-chest-hold.svg",
                max_length=100,
                validators=[routines.models.validate_drawing],
                verbose_name="hold drawing",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="stretch",
            name="hold_alt",
            field=models.CharField(
                default="",
                help_text="The position held, in words, for people who cannot see the drawing.",
                max_length=300,
                verbose_name="hold drawing: alt text",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(split_drawings, join_drawings),
        # A default for the old fields, so that going back can add them again to rows
        # that exist (join_drawings then fills them in).
        migrations.AlterField(
            model_name="stretch",
            name="illustration",
            field=models.CharField(default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="stretch",
            name="illustration_alt",
            field=models.CharField(default="", max_length=300),
        ),
        migrations.RemoveField(model_name="stretch", name="illustration"),
        migrations.RemoveField(model_name="stretch", name="illustration_alt"),
    ]
