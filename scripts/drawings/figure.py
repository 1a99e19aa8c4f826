"""Body parts of the figure, and a Drawing that writes them out as one small SVG.

Every drawing has the same layers, back to front: the floor line, the far limbs (the
person's left side, a lighter blue), the torso and head, the near limbs (the right side)
each with a thin "cut" outline in the background colour so overlapping parts stay
readable, then an arrow cue where the movement needs one, and the gently glowing area
that is being stretched.

Colours: an internal <style> (light, with a prefers-color-scheme dark block) for
browsers, and the same light colours as presentation attributes for renderers that do
not read <style> (WeasyPrint's PDF, some viewers). The "cut" colour is the background
the page puts behind the drawing (--sc-soft in static/css/app.css): keep them equal.
"""

from __future__ import annotations

import math

from geom import (
    HAND,
    HEAD_R,
    R_FARM,
    R_FOOT,
    R_HAND,
    R_NECK,
    R_SHIN,
    R_THIGH,
    R_UARM,
    add,
    ang,
    capsule,
    circle,
    f1,
    lerp,
    mul,
    norm,
    polar,
    pt,
    rot,
    sub,
)

STYLE = (
    "<style>"
    ".floor{fill:#c9d6de}.fig{fill:#1d4f6e}.far{fill:#5e88a3}"
    ".cut{fill:#eef4f7;stroke:#eef4f7;stroke-width:5;stroke-linejoin:round}"
    ".hl{fill:#ffa447}.cue{fill:none;stroke:#b8570f;stroke-width:3.5;stroke-linecap:round;"
    "stroke-linejoin:round}.cuh{fill:#b8570f}"
    "@media (prefers-color-scheme:dark){"
    ".floor{fill:#3b4855}.fig{fill:#9fcbe8}.far{fill:#5f8cab}"
    ".cut{fill:#1b1f24;stroke:#1b1f24}.hl{fill:#ffab5e}.cue{stroke:#f2b36b}.cuh{fill:#f2b36b}}"
    "</style>"
)

# The light colours again, as presentation attributes (see the module docstring).
FALLBACK = {
    "fig": 'fill="#1d4f6e"',
    "far": 'fill="#5e88a3"',
    "cut": 'fill="#eef4f7" stroke="#eef4f7" stroke-width="5" stroke-linejoin="round"',
}


def foot(ankle, fdeg, sole=1, toe=21, hn=3.3, tn=4.4):
    """A foot from the heel (behind the ankle) to the toes, pointing fdeg; sole=+1/-1
    puts the sole on one side of that line or the other."""
    f = ang(fdeg)
    n = rot(f, 90 * sole)
    heel = add(add(ankle, mul(f, -4.4)), mul(n, hn))
    toe_p = add(add(ankle, mul(f, toe)), mul(n, tn))
    return capsule(heel, toe_p, *R_FOOT)


def leg(hip, knee, ankle, fdeg, sole=1, toe=21, hn=3.3, tn=4.4):
    return [
        capsule(hip, knee, *R_THIGH),
        capsule(knee, ankle, *R_SHIN),
        foot(ankle, fdeg, sole, toe, hn, tn),
    ]


def arm(shoulder, elbow, wrist, hdeg, hand=HAND):
    tip = polar(wrist, hdeg, hand)
    return [
        capsule(shoulder, elbow, *R_UARM),
        capsule(elbow, wrist, *R_FARM),
        capsule(wrist, tip, *R_HAND),
    ]


def head(centre, crown_deg, nose=True):
    """Head in profile: skull, jaw towards the face, small nose; face = crown turned +90."""
    cr = ang(crown_deg)
    face = rot(cr, 90)
    out = [circle(centre, HEAD_R)]
    if nose:
        jaw = add(add(centre, mul(face, 4.5)), mul(cr, -6.5))
        out.append(circle(jaw, 8.8))
        base = add(add(centre, mul(face, 11.0)), mul(cr, -0.5))
        tip = add(add(centre, mul(face, 15.5)), mul(cr, -4.5))
        out.append(capsule(base, tip, 3.4, 1.8))
    return out


def neck(shoulder, head_centre):
    return capsule(shoulder, lerp(shoulder, head_centre, 0.8), R_NECK, R_NECK)


class Drawing:
    """One drawing: groups of shapes (layers), an optional glow and arrow cues."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.groups: list[tuple[str, list[str]]] = []
        self.hl = None
        self.cues: list[tuple[str, tuple]] = []

    def add(self, kind: str, shapes) -> None:
        """kind: "far", "fig" (torso, head), "near" (with a cut outline behind) or
        "farcut" (a far limb drawn in front of something, with a cut outline)."""
        self.groups.append((kind, list(shapes)))

    def glow(self, c, rx, ry, deg=0, strength=1.0) -> None:
        """The stretched area: three soft ellipses around c, turned by deg."""
        self.hl = (c, rx, ry, deg, strength)

    def cue(self, d: str, head_pts) -> None:
        """An arrow: path data d and the three points of its head."""
        self.cues.append((d, head_pts))

    def arc_cue(self, c, rx, ry, a0, a1) -> None:
        """Elliptical arc arrow from angle a0 to a1 (degrees, screen, increasing = clockwise)."""

        def p(a):
            r = math.radians(a)
            return (c[0] + rx * math.cos(r), c[1] + ry * math.sin(r))

        s, e = p(a0), p(a1)
        sweep = 1 if a1 > a0 else 0
        large = 1 if abs(a1 - a0) > 180 else 0
        d = f"M{pt(s)}A{f1(rx)} {f1(ry)} 0 {large} {sweep} {pt(e)}"
        t = norm(sub(p(a1), p(a1 - (1 if sweep else -1))))
        e = add(e, mul(t, 3))
        b1 = add(e, mul(rot(t, 152), 9))
        b2 = add(e, mul(rot(t, -152), 9))
        self.cues.append((d, (b1, e, b2)))

    def svg(self) -> str:
        out = [
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" '
            'width="320" height="200">',
            f"<title>{self.title}</title>",
            STYLE,
            '<rect class="floor" x="12" y="176" width="296" height="8" rx="4" fill="#c9d6de"/>',
        ]
        for kind, shapes in self.groups:
            paths = "".join(f'<path d="{d}"/>' for d in shapes)
            if kind == "near":
                out.append(f'<g class="cut" {FALLBACK["cut"]}>{paths}</g>')
                out.append(f'<g class="fig" {FALLBACK["fig"]}>{paths}</g>')
            elif kind == "farcut":
                out.append(f'<g class="cut" {FALLBACK["cut"]}>{paths}</g>')
                out.append(f'<g class="far" {FALLBACK["far"]}>{paths}</g>')
            else:
                out.append(f'<g class="{kind}" {FALLBACK[kind]}>{paths}</g>')
        if self.cues:
            cues = "".join(
                f'<path d="{d}"/><path class="cuh" fill="#b8570f" d="M{pt(a)}L{pt(b)}L{pt(c)}Z"/>'
                for d, (a, b, c) in self.cues
            )
            out.append(
                '<g class="cue" fill="none" stroke="#b8570f" stroke-width="3.5" '
                f'stroke-linecap="round" stroke-linejoin="round">{cues}</g>'
            )
        out.extend(self._glow())
        out.append("</svg>")
        return "\n".join(out) + "\n"

    def _glow(self) -> list[str]:
        if not self.hl:
            return []
        (x, y), rx, ry, deg, k = self.hl
        turn = f' transform="rotate({f1(deg)} {f1(x)} {f1(y)})"' if deg else ""
        opacity = f"{0.24 * k:.2f}".rstrip("0").lstrip("0")
        ellipses = "".join(
            f'<ellipse cx="{f1(x)}" cy="{f1(y)}" rx="{f1(rx * s)}" ry="{f1(ry * s)}"/>'
            for s in (1.0, 0.72, 0.45)
        )
        return [f'<g class="hl" fill="#ffa447" fill-opacity="{opacity}"{turn}>{ellipses}</g>']
