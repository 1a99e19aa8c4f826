"""What a person does on a form, for several browser tests."""

from __future__ import annotations

WARNING_QUESTIONS = ("saddle_numbness", "bladder_bowel", "after_fall", "fever_or_weight_loss")


def answer_signs(page, **answers: str) -> None:
    """Answer every warning-sign question by clicking: "no"/"none" unless given."""
    page.check(f'input[name="leg_symptoms"][value="{answers.get("leg_symptoms", "none")}"]')
    for name in WARNING_QUESTIONS:
        page.check(f'input[name="{name}"][value="{answers.get(name, "no")}"]')
