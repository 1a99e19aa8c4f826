"""A coarse name for a browser ("Firefox on Android"), and whether it is a link preview.

Only the coarse name is stored with an opening: never the user agent itself, which can
single a device out. Pure Python, no Django.
"""

from __future__ import annotations

# (marker in the user agent, name); the first match wins, so the order matters: Edge,
# Opera and Samsung Internet also say "Chrome", and Chrome also says "Safari".
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
# Messaging apps and search engines fetch a pasted link to show a preview; they get
# the "not available" page, so the summary never lands in their caches.
PREVIEWERS = (
    "bot",
    "crawl",
    "spider",
    "preview",
    "facebookexternalhit",
    "whatsapp",
    "slack",
    "embedly",
    "vkshare",
)


def is_link_preview(user_agent: str) -> bool:
    lowered = user_agent.lower()
    return any(marker in lowered for marker in PREVIEWERS)


def coarse_agent(user_agent: str) -> str:
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "An unknown browser")
