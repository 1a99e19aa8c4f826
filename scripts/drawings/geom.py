"""Geometry for the stretch drawings: body proportions, vectors, and shapes as SVG path data.

Coordinates are SVG user units in a 320x200 view box, y pointing down; angles are in
degrees, measured clockwise from the positive x axis (as on screen).
"""

from __future__ import annotations

import math

# Body dimensions (one scale for every drawing; body height about 220 px)
SC = 1.1
FLOOR = 176.0  # top of the floor line
THIGH, SHIN = 50 * SC, 48 * SC
UARM, FARM, HAND = 37 * SC, 30 * SC, 13 * SC
TORSO = 60 * SC
NECK = 22 * SC
HEAD_R = 12.5 * SC

# radii of limb capsules (start, end)
R_THIGH = (10.4, 7.2)
R_SHIN = (6.8, 4.4)
R_UARM = (6.2, 4.8)
R_FARM = (4.8, 3.7)
R_HAND = (4.0, 3.0)
R_FOOT = (4.7, 3.3)
R_NECK = 6.0


def f1(v: float) -> str:
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s


def pt(p) -> str:
    return f"{f1(p[0])} {f1(p[1])}"


def add(a, b):
    return (a[0] + b[0], a[1] + b[1])


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def mul(a, k):
    return (a[0] * k, a[1] * k)


def norm(a):
    d = math.hypot(*a)
    return (a[0] / d, a[1] / d)


def rot(v, deg):
    r = math.radians(deg)
    c, s = math.cos(r), math.sin(r)
    return (v[0] * c - v[1] * s, v[0] * s + v[1] * c)


def ang(deg):
    r = math.radians(deg)
    return (math.cos(r), math.sin(r))


def polar(p, deg, length):
    return add(p, mul(ang(deg), length))


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def ik(root, target, l1, l2, bend=1):
    """Middle joint of a two-bone limb from root to target; bend=+1/-1 picks the side."""
    d = min(dist(root, target), l1 + l2 - 0.01)
    u = norm(sub(target, root))
    a = math.acos(max(-1, min(1, (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d))))
    return add(root, mul(rot(u, bend * math.degrees(a)), l1))


def capsule(a, b, ra, rb) -> str:
    """Closed path of a tapered capsule: circle a (ra) joined to circle b (rb)."""
    d = dist(a, b)
    u = norm(sub(b, a))
    c = max(-0.99, min(0.99, (ra - rb) / d))
    phi = math.degrees(math.acos(c))
    p1 = add(a, mul(rot(u, phi), ra))
    p2 = add(b, mul(rot(u, phi), rb))
    p3 = add(b, mul(rot(u, -phi), rb))
    p4 = add(a, mul(rot(u, -phi), ra))
    return (
        f"M{pt(p1)}L{pt(p2)}A{f1(rb)} {f1(rb)} 0 0 0 {pt(p3)}"
        f"L{pt(p4)}A{f1(ra)} {f1(ra)} 0 1 0 {pt(p1)}Z"
    )


def circle(c, r) -> str:
    """A circle as path data (two arcs) so shapes can be merged into one path."""
    x, y = c
    return (
        f"M{f1(x - r)} {f1(y)}a{f1(r)} {f1(r)} 0 1 0 {f1(2 * r)} 0"
        f"a{f1(r)} {f1(r)} 0 1 0 {f1(-2 * r)} 0Z"
    )


def bez(p0, p1, p2, p3, t):
    mt = 1 - t
    return (
        mt**3 * p0[0] + 3 * mt * mt * t * p1[0] + 3 * mt * t * t * p2[0] + t**3 * p3[0],
        mt**3 * p0[1] + 3 * mt * mt * t * p1[1] + 3 * mt * t * t * p2[1] + t**3 * p3[1],
    )


def bez_d(p0, p1, p2, p3, t):
    mt = 1 - t
    return (
        3 * mt * mt * (p1[0] - p0[0]) + 6 * mt * t * (p2[0] - p1[0]) + 3 * t * t * (p3[0] - p2[0]),
        3 * mt * mt * (p1[1] - p0[1]) + 6 * mt * t * (p2[1] - p1[1]) + 3 * t * t * (p3[1] - p2[1]),
    )


def smooth_closed(points) -> str:
    """Closed Catmull-Rom spline through points, as cubic Bezier path data."""
    n = len(points)
    out = [f"M{pt(points[0])}"]
    for i in range(n):
        p0, p1, p2, p3 = points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n]
        c1 = add(p1, mul(sub(p2, p0), 1 / 6))
        c2 = sub(p2, mul(sub(p3, p1), 1 / 6))
        out.append(f"C{pt(c1)} {pt(c2)} {pt(p2)}")
    return "".join(out) + "Z"


# torso profile: (t, back radius, front radius); t=0 shoulder, t=1 hip joint
PROFILE = [
    (0.0, 12.0, 12.5),
    (0.22, 12.5, 15.5),
    (0.45, 12.0, 13.0),
    (0.68, 11.5, 12.0),
    (0.86, 12.5, 12.5),
    (1.0, 13.0, 12.0),
]


def torso(S, P, c1, c2, back=None, front=None, cap_s=10.0, cap_p=13.0) -> str:
    """Torso outline around the spine curve S->P (cubic with controls c1, c2).

    The person's back is on the side rot(direction, +90)."""
    back = back or {}
    front = front or {}
    backs, fronts = [], []
    for i, (t, rb, rf) in enumerate(PROFILE):
        rb = back.get(i, rb)
        rf = front.get(i, rf)
        p = bez(S, c1, c2, P, t)
        u = norm(bez_d(S, c1, c2, P, t))
        nb = rot(u, 90)
        backs.append(add(p, mul(nb, rb)))
        fronts.append(add(p, mul(nb, -rf)))
    u0 = norm(bez_d(S, c1, c2, P, 0.0))
    u1 = norm(bez_d(S, c1, c2, P, 1.0))
    top = add(S, mul(u0, -cap_s))
    tail = add(P, mul(u1, cap_p))
    tail_b = add(add(P, mul(u1, cap_p * 0.62)), mul(rot(u1, 90), 11.0))
    top_b = add(add(S, mul(u0, -cap_s * 0.6)), mul(rot(u0, 90), 9.5))
    top_f = add(add(S, mul(u0, -cap_s * 0.6)), mul(rot(u0, 90), -9.5))
    tail_f = add(add(P, mul(u1, cap_p * 0.55)), mul(rot(u1, 90), -9.0))
    pts = [top, top_b] + backs + [tail_b, tail, tail_f] + fronts[::-1] + [top_f]
    return smooth_closed(pts)


def spine_point(S, P, c1, c2, t):
    return bez(S, c1, c2, P, t)


def spine_dir(S, P, c1, c2, t):
    return norm(bez_d(S, c1, c2, P, t))
