"""The logo (a small spine with a warm glow at the lower back) and the app icon.

logo.svg: 32x32, rounded, with dark-mode colours (favicon, site header, report header).
icon.svg: 512x512, full bleed (no transparency, no rounded corners: the platform masks
it); render_icons.py draws the PNG icons from it.
"""

from __future__ import annotations

import math

from geom import f1

# Vertebra centres on a gentle S-curve, in the 32x32 grid, and their widths.
CENTRES = [(14.2, 6.8), (16.4, 11.3), (17.8, 15.9), (18.3, 20.6), (17.6, 25.3)]
WIDTHS = [7.0, 7.6, 8.2, 8.8, 9.2]
LOGO_STYLE = (
    "<style>.bg{fill:#1d4f6e}.hl{fill:#ffa447}.sp{fill:#fff}@media (prefers-color-scheme:dark)"
    "{.bg{fill:#9fcbe8}.hl{fill:#e0701a}.sp{fill:#12344a}}</style>"
)
GLOW = (
    '<circle cx="18" cy="22.6" r="8"/><circle cx="18" cy="22.6" r="6"/>'
    '<circle cx="18" cy="22.6" r="4"/>'
)


def vertebrae() -> str:
    out = []
    for i, (x, y) in enumerate(CENTRES):
        a = CENTRES[max(i - 1, 0)]
        b = CENTRES[min(i + 1, len(CENTRES) - 1)]
        turn = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])) - 90
        w, h = WIDTHS[i], 3.4
        out.append(
            f'<rect x="{f1(x - w / 2)}" y="{f1(y - h / 2)}" width="{f1(w)}" height="{f1(h)}"'
            f' rx="1.5" transform="rotate({f1(turn)} {f1(x)} {f1(y)})"/>'
        )
    return "".join(out)


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{n}" height="{n}">'


def logo_svg() -> str:
    return f"""{SVG_OPEN.format(n=32)}
<title>SpasmCare</title>
{LOGO_STYLE}
<rect class="bg" width="32" height="32" rx="7" fill="#1d4f6e"/>
<g class="hl" fill="#ffa447" fill-opacity=".28">{GLOW}</g>
<g class="sp" fill="#fff">{vertebrae()}</g>
</svg>
"""


def icon_svg() -> str:
    return f"""{SVG_OPEN.format(n=512)}
<title>SpasmCare</title>
<rect width="512" height="512" fill="#1d4f6e"/>
<g transform="translate(256 256) scale(11.5) translate(-16 -16)">
<g fill="#ffa447" fill-opacity=".28">{GLOW}</g>
<g fill="#fff">{vertebrae()}</g>
</g>
</svg>
"""
