"""Warning-sign answers as the forms post them (the checklist of safety/forms.py)."""

from safety.forms import NONE_OF_THESE

NONE = {"warning_signs": [NONE_OF_THESE]}


def ticked(*options: str) -> dict:
    """The checklist with these options ticked: "bladder_bowel", "leg_symptoms:one"."""
    return {"warning_signs": list(options)}
