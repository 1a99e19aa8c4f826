from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.sites.shortcuts import get_current_site

from accounts.models import Profile, time_zone_choices
from accounts.ratelimit import account_mail_allowed
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
        # Whether another account uses it is not said here (accounts.services).
        return self.cleaned_data["email"].strip()


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
    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        use_https=False,
        token_generator=None,
        from_email=None,
        request=None,
        html_email_template_name=None,
        extra_email_context=None,
    ) -> None:
        """The same work whether or not an account uses the address: one look-up, the
        per-address mail limit, and one task in the queue (with the ids of the accounts
        found, perhaps none). The request never talks to a mail server, and the worker
        makes the link (no token and no address in the queue)."""
        email = self.cleaned_data["email"]
        user_ids = [user.pk for user in self.get_users(email)]
        if not account_mail_allowed(email):
            return
        send_password_reset.enqueue(
            user_ids=user_ids,
            domain=domain_override or get_current_site(request).domain,
            use_https=use_https,
            subject_template=subject_template_name,
            email_template=email_template_name,
        )
