"""The 0-10 pain scale, shared by the pain log, the session player and the checker.

Pure Python (no Django), so the red-flag checker can use it.
"""

from __future__ import annotations

PAIN_MAX = 10
# "Severe" pain on the 0-10 scale: 7 to 10.
SEVERE_PAIN = 7
# A change of 2 points or more on the 0-10 scale is the smallest that matters to people
# (the minimal clinically important difference): a meaningful drop after a session, and
# meaningful worsening in an episode.
MEANINGFUL_CHANGE = 2


def pain_words(pain: int | None) -> str:
    """Plain words for a 0-10 pain score."""
    if pain is None:
        return ""
    if pain == 0:
        return "no pain"
    if pain <= 3:
        return "mild"
    if pain <= 6:
        return "moderate"
    return "severe"


def is_meaningful_drop(change: int | float | None) -> bool:
    """Pain after minus pain before fell by MEANINGFUL_CHANGE points or more."""
    return change is not None and change <= -MEANINGFUL_CHANGE
