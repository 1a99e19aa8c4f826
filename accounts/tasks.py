"""Mail sent by the task queue, never inside a request (docs/deploy.md: workers)."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@task(queue_name=settings.TASK_QUEUE_NAME)
def send_password_reset(
    *,
    user_ids: list[int],
    domain: str,
    use_https: bool,
    subject_template: str,
    email_template: str,
) -> str:
    """Make the reset links here, in the worker, so no token ever sits in the queue; then
    send them with Django's own PasswordResetForm.send_mail. No ids: nobody uses the
    address, and nothing is sent (the request did the same work either way)."""
    users = get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True)
    sent = 0
    for user in users:
        if not user.has_usable_password() or not user.email:
            continue
        context = {
            "email": user.email,
            "domain": domain,
            "site_name": domain,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": "https" if use_https else "http",
        }
        auth_forms.PasswordResetForm.send_mail(
            auth_forms.PasswordResetForm(),
            subject_template,
            email_template,
            context,
            None,
            user.email,
        )
        sent += 1
    return f"sent {sent}"


@task(queue_name=settings.TASK_QUEUE_NAME)
def send_email_confirmation(*, user_id: int) -> str:
    """Mail the address given at sign-up: a confirmation link, or, when another account
    already uses the address, a note to its owner instead. Decided here, in the worker,
    so the sign-up page answers the same either way; the queue holds only the id."""
    from accounts import services
    from accounts.models import Profile

    profile = Profile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None or not profile.pending_email:
        return "nothing to confirm"
    email = profile.pending_email
    if services.email_in_use(email, besides=profile.user):
        body = render_to_string("registration/email_in_use.txt", {"site_url": settings.SITE_URL})
        send_mail("Someone tried to sign up with your address", body, None, [email])
        return "told the owner"
    token = services.email_token(profile.user, email)
    link = settings.SITE_URL + reverse("accounts:confirm_email", args=[token])
    body = render_to_string(
        "registration/confirm_email.txt",
        {"user": profile.user, "link": link, "days": services.EMAIL_LINK_DAYS},
    )
    send_mail("Confirm your email address", body, None, [email])
    return "sent"
