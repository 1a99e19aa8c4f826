"""Mail sent by the task queue, never inside a request (docs/deploy.md: workers)."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@task(queue_name=settings.TASK_QUEUE_NAME)
def send_password_reset(
    *, user_id: int, domain: str, use_https: bool, subject_template: str, email_template: str
) -> str:
    """Make the reset link here, in the worker, so no token ever sits in the queue; then
    send it with Django's own PasswordResetForm.send_mail."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return "no such person"
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
        auth_forms.PasswordResetForm(), subject_template, email_template, context, None, user.email
    )
    return "sent"
