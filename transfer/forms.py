from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="SpasmCare export file (.json)",
        help_text="The JSON file from “Download all my data”. At most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": "Choose the export file to import.",
            "empty": "This file is empty. Nothing was changed.",
        },
    )
