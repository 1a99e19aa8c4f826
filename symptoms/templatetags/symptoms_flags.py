from django import template

from safety.red_flags import Flag
from symptoms import episode_flags, services

register = template.Library()


@register.simple_tag(takes_context=True)
def open_episode_flags(context: template.Context) -> list[Flag]:
    """The signed-in person's flags from their open episode ([] when signed out)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return episode_flags.for_episode(services.open_episode(user))
