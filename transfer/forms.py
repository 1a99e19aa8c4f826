from django import forms

from transfer.uploads import MAX_IMPORT_BYTES, TOO_BIG


class ImportForm(forms.Form):
    file = forms.FileField(
        label="SpasmCare export file (.json)",
        help_text="The JSON file from “Download all my data”. At most 5 MB.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".json,application/json",
                # static/js/import-size.js refuses a larger file before it is sent.
                "data-max-bytes": MAX_IMPORT_BYTES,
                "data-too-big": f"{TOO_BIG} Nothing was sent.",
            }
        ),
        error_messages={
            "required": "Choose the export file to import.",
            "empty": "This file is empty. Nothing was changed.",
        },
    )
