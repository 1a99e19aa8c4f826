"""The pages a session's player needs on the phone to play it offline.

A session plays offline as a guest page sequence (the safety check, each stretch, the
finish and stop forms); static/js/offline.js handles the forms without a connection and
queues a signed-in person's practice (a stopped one shows its advice, and is not
saved). Used for the starter sessions' precache
(spasmcare/offline.py) and for "Keep this session on this phone".
"""

from django.urls import reverse

from routines.models import Practice

GUEST = "guest"  # the player's token for a play that saves nothing (player_views.GUEST)


def player_urls(pk: int, steps: int) -> list[str]:
    """Every page the player of session ``pk`` (with ``steps`` stretches) may open."""
    urls = [
        reverse("routines:routine_detail", args=[pk]),
        reverse("routines:play_start", args=[pk]),
    ]
    urls += [reverse("routines:play_step", args=[pk, GUEST, n]) for n in range(1, steps + 1)]
    urls += [
        reverse("routines:play_finish", args=[pk, GUEST]),
        reverse("routines:play_stop", args=[pk, GUEST]),
    ]
    # "Stop, this hurts" offline goes to the advice for the reason given.
    stopped = reverse("routines:play_stopped", args=[pk, GUEST])
    urls += [f"{stopped}?reason={reason}" for reason in Practice.StopReason.values]
    return urls
