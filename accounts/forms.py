from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Profile, time_zone_choices
from accounts.tasks import send_password_reset
from safety.regions import region_choices


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label="Email address",
        help_text="Only used to reset your password if you forget it.",
    )
    # Filled with the browser's time zone by static/js/timezone.js; UTC without it.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this email address. Try logging in, or reset "
                "your password."
            )
        return email


class ProfileForm(forms.ModelForm):
    time_zone = forms.TypedChoiceField(
        label="Your time zone",
        help_text="Dates in your pain log, like “day 3 since it started”, use this zone.",
        choices=time_zone_choices,
    )
    region = forms.ChoiceField(
        label="Where you are",
        help_text="Warnings offer this place's emergency and urgent-advice numbers to call.",
        choices=region_choices,
    )

    class Meta:
        model = Profile
        fields = ["time_zone", "region"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="To make sure it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted.", code="wrong_password"
            )
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """The one sending point of reset mail: it only enqueues. The request never
        talks to a mail server, and the worker makes the link (no token in the queue)."""
        send_password_reset.enqueue(
            user_id=context["user"].pk,
            domain=context["domain"],
            use_https=context["protocol"] == "https",
            subject_template=subject_template_name,
            email_template=email_template_name,
        )
