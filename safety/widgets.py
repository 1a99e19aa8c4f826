"""Form widgets drawn by Jinja2 (settings.FORM_RENDERER).

The entry form on Today shows about fifty checkboxes and radio buttons. Written as a
Django template loop around ``option.tag`` they cost more than the rest of the page;
one Jinja2 template per list gives the same HTML for a fraction of that.
"""

from django import forms

from safety.pain import pain_words

# A text, date or note field with its label, error and help, laid out as Bootstrap's
# (crispy-forms') fields are: ``template_name=FIELD_TEMPLATE``, then
# ``{{ form.name.as_field_group }}`` in the page. For the entry form, drawn on Today.
FIELD_TEMPLATE = "safety/widgets/field.html"


class LabelAfterInput:
    """Options drawn as the input alone (not wrapped in a label): the widget's template
    writes the label after it, as Bootstrap's form-check and the pain tiles need. One
    flat template per option, instead of Django's four nested ones."""

    option_template_name = "safety/widgets/option_input.html"

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["wrap_label"] = False
        return option


class ChoiceList(LabelAfterInput, forms.CheckboxSelectMultiple):
    """Checkboxes as Bootstrap ``form-check`` rows (input, then its label), without a
    wrapper: the template around it gives the fieldset and legend. ``row_class`` is
    added to each row."""

    template_name = "safety/widgets/choice_list.html"

    def __init__(self, attrs=None, choices=(), *, row_class: str = "") -> None:
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)
        self.row_class = row_class

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["row_class"] = self.row_class
        return context


class SignChecklist(LabelAfterInput, forms.CheckboxSelectMultiple):
    """The warning-sign checklist's boxes (safety/_warning_questions.html lays them out
    in groups, each input followed by its label)."""


class PainTiles(LabelAfterInput, forms.RadioSelect):
    """Pain 0-10 as tiles (the {% pain_scale %} tag's fieldset holds them): each a radio
    button, then a label with the number and its plain word; the word also names the
    tile's colour class, so colour is never the only cue."""

    template_name = "safety/widgets/pain_tiles.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["word"] = pain_words(int(value))
        return option
