"""The 14 stretch drawings: a start and a hold position for each stretch.

Each pose is written as joint positions (hip, knee, ankle, shoulder, elbow, wrist, head)
and the figure is built around them (figure.py). The person's right side is the near
side throughout, so a drawing mirrored left to right shows the same stretch on the other
side (the player mirrors the drawing for the second side of a per-side stretch).
Check a change against the stretch's steps in fixtures/stretches.json and the alt text
there; then run build.py.
"""

from __future__ import annotations

import math

from figure import Drawing, arm, foot, head, leg, neck
from geom import (
    FARM,
    FLOOR,
    HAND,
    HEAD_R,
    NECK,
    R_FARM,
    R_HAND,
    R_SHIN,
    R_THIGH,
    R_UARM,
    SHIN,
    THIGH,
    TORSO,
    UARM,
    add,
    ang,
    capsule,
    circle,
    f1,
    ik,
    lerp,
    mul,
    polar,
    rot,
    spine_dir,
    spine_point,
    torso,
)

ANKLE_FLAT = FLOOR - 8  # ankle centre when the foot stands flat
KNEE_DOWN = FLOOR - 7.2  # knee centre when the knee rests on the floor
WRIST_DOWN = FLOOR - 3.9  # wrist centre when the palm rests on the floor


def straight(S, P):
    return (lerp(S, P, 1 / 3), lerp(S, P, 2 / 3))


def flat_foot_knee(P, thigh_deg, ankle_y=ANKLE_FLAT, forward=1):
    K = polar(P, thigh_deg, THIGH)
    dy = ankle_y - K[1]
    dx = math.sqrt(max(0.0, SHIN**2 - dy**2))
    return K, (K[0] + forward * dx, ankle_y)


# ---- lying on the back: head on the left, feet on the right ----------------
LS = (103.0, 164.0)
LP = (LS[0] + TORSO, 164.0)
LH = (LS[0] - NECK, FLOOR - HEAD_R)


def hook_leg(thigh_deg):
    K, A = flat_foot_knee(LP, thigh_deg)
    return leg(LP, K, A, 0)


def lying_body(d, spine=None, back=None, front=None):
    spine = spine or straight(LS, LP)
    d.add("fig", [torso(LS, LP, *spine, back=back, front=front), neck(LS, LH)] + head(LH, 180))


def arm_at_side():
    E = polar(LS, 7, UARM)
    W = polar(E, 2, FARM)
    return arm(LS, E, W, 2)


def lying_glow(d, k=1.0):
    d.glow((LS[0] + 0.8 * TORSO, LS[1] - 1), 32, 17, 0, k)


def hook_lying(title, spine=None, back=None, front=None):
    d = Drawing(title)
    d.add("far", hook_leg(-56))
    lying_body(d, spine, back, front)
    d.add("near", hook_leg(-50) + arm_at_side())
    lying_glow(d, 0.6)
    return d


def shin_grip(K, sd, along, lift, W_hand_deg, bend=-1, hand=HAND):
    grip = polar(K, sd, along)
    W = add(grip, mul(rot(ang(sd), -90), lift))
    E = ik(LS, W, UARM, FARM, bend)
    return arm(LS, E, W, W_hand_deg, hand)


def raised_leg(thigh_deg, sd):
    K = polar(LP, thigh_deg, THIGH)
    A = polar(K, sd, SHIN)
    return K, leg(LP, K, A, sd - 80)


def knee_to_chest_hold():
    d = Drawing("Knee-to-chest stretch: hold position")
    td, sd = -122, 10
    K, near_leg = raised_leg(td, sd)
    d.add("far", hook_leg(-56) + shin_grip(K, sd, 21, 6, sd + 95, hand=12))
    lying_body(d)
    d.add("near", near_leg)
    d.add("near", shin_grip(K, sd, 13, 7, sd + 100))
    lying_glow(d)
    return d


def double_knee_hold():
    d = Drawing("Double knee-to-chest stretch: hold position")
    K2, far_leg = raised_leg(-116, 26)
    K, near_leg = raised_leg(-128, 12)
    d.add("far", far_leg + shin_grip(K, 12, 26, 6, 108, -1, 12))
    lying_body(d)
    d.add("near", near_leg)
    d.add("near", shin_grip(K, 12, 19, 7, 110, -1))
    lying_glow(d)
    return d


# pelvic tilt: the natural arch, then the back pressed flat
ARCH = ((LS[0] + 24, LS[1] + 1), (LP[0] - 22, LP[1] - 11))
FLAT = ((LS[0] + 22, LS[1]), (LP[0] - 22, LP[1] + 2))


def hands_on_belly(belly_y):
    # elbow on the floor out to the side (upper arm foreshortened), hand resting on the belly
    E = (LS[0] + 24, FLOOR - 5.5)
    W = (LS[0] + 46, belly_y)
    return arm(LS, E, W, -6)


def pelvic_tilt(hold):
    if not hold:
        d = Drawing("Pelvic tilt: start position")
        spine, back, front, k = ARCH, {2: 10.5, 3: 6.0, 4: 7.0}, {3: 14.0, 4: 14.0}, 0.6
    else:
        d = Drawing("Pelvic tilt: hold position")
        spine, back, front, k = FLAT, {3: 12.5, 4: 12.5}, {3: 10.0, 4: 10.5}, 1
    d.add("far", hook_leg(-56))
    lying_body(d, spine, back, front)
    d.add("near", hook_leg(-50) + hands_on_belly(150 if hold else 145))
    lying_glow(d, k)
    if not hold:
        return d
    x = LS[0] + 0.62 * TORSO
    d.cue(f"M{f1(x)} 110V132", ((x - 6, 133), (x, 141), (x + 6, 133)))
    return d


# piriformis: figure-4, hands behind the left thigh
def piriformis_hold():
    d = Drawing("Piriformis stretch: hold position")
    KL = polar(LP, -110, THIGH)
    AL = polar(KL, -4, SHIN)
    # right ankle rests on the left thigh near the knee; the right knee points out (towards us)
    AR = lerp(LP, KL, 0.8)
    KR = polar(LP, -40, THIGH * 0.9)
    # both hands behind the left thigh, inside the figure-4
    W = add(lerp(LP, KL, 0.34), (5, 1))
    E = ik(LS, W, UARM, FARM, 1)
    W2 = add(lerp(LP, KL, 0.44), (4, 0))
    E2 = ik(LS, W2, UARM, FARM, 1)
    d.add("far", arm(LS, E2, W2, -100, 11))
    d.add("far", leg(LP, KL, AL, -88))
    lying_body(d)
    d.add("near", arm(LS, E, W, -112, 12))
    d.add("near", [capsule(LP, KR, *R_THIGH), capsule(KR, AR, *R_SHIN), foot(AR, 192, 1, 14)])
    d.glow((LP[0] + 2, LP[1] - 1), 24, 14, 0, 1)
    return d


# ---- hands and knees / kneeling: facing right ----------------------------------
QK = (146.0, KNEE_DOWN)  # near knee
QP = (QK[0], QK[1] - THIGH)  # hip joint above the knee
QA = (QK[0] - SHIN, FLOOR - 4.6)  # ankle, top of the foot on the floor
QW = (QP[0] + 66.0, WRIST_DOWN)  # wrist under the shoulder
QS = (QW[0], QW[1] - 72.5)  # shoulder above the wrist
FAR_DX = -7


def quad_leg(dx=0, P=QP):
    K = (QK[0] + dx, QK[1])
    A = (QA[0] + dx, QA[1])
    return leg(P, K, A, 180, 1, 20, 2.0, -1.2)


def quad_arm(S, dx=0):
    W = (QW[0] + dx, QW[1])
    E = ik(S, W, UARM, FARM, 1)
    return arm(S, E, W, 2)


def cat_camel(hold):
    P, S = QP, (QS[0] - 2, QS[1])
    if not hold:  # cat: back rounded up, chin tucked
        d = Drawing("Cat-camel stretch: cat position, back rounded")
        c1, c2 = add(S, (-22, -26)), add(P, (16, -28))
        Hc = polar(S, 57, NECK + 1)
        crown = 55
        front = {1: 13.0, 2: 12.0}
    else:  # camel: belly sinks, head and tailbone raised
        d = Drawing("Cat-camel stretch: camel position, back hollow")
        c1, c2 = add(S, (-20, 15)), add(P, (22, 14))
        Hc = polar(S, -38, NECK + 1)
        crown = -95
        front = None
    d.add("far", quad_leg(FAR_DX) + quad_arm(S, FAR_DX))
    d.add("fig", [torso(S, P, c1, c2, front=front), neck(S, Hc)] + head(Hc, crown))
    d.add("near", quad_leg() + quad_arm(S))
    mid = spine_point(S, P, c1, c2, 0.62)
    u = spine_dir(S, P, c1, c2, 0.62)
    d.glow(add(mid, mul(rot(u, 90), 5)), 30, 16, math.degrees(math.atan2(u[1], u[0])), 1)
    return d


def childs_pose(hold):
    if not hold:  # kneeling upright
        d = Drawing("Child’s pose: start position, kneeling upright")
        P = QP
        S = (P[0] + 3, P[1] - TORSO)
        Hc = (S[0] + 3, S[1] - NECK)
        E = polar(S, 96, UARM)
        W = polar(E, 86, FARM)

        def arms(dx):
            return arm((S[0] + dx, S[1]), (E[0] + dx, E[1]), (W[0] + dx, W[1]), 88)

        spine = straight(S, P)
        crown = -90
        k = 0.6
    else:  # bottom on the heels, chest to the thighs, arms forward, forehead down
        d = Drawing("Child’s pose: hold position, resting forward")
        P = (QK[0] - math.sqrt(THIGH**2 - 20**2), QK[1] - 20)
        S = (P[0] + math.sqrt(TORSO**2 - 13**2), P[1] + 13)
        spine = (add(lerp(S, P, 1 / 3), (0, -6)), add(lerp(S, P, 2 / 3), (0, -6)))
        Hc = (S[0] + 22, FLOOR - HEAD_R - 0.5)
        crown = 30

        def arms(dx):
            W = (S[0] + 72.5 + dx, WRIST_DOWN)
            E = ik(S, W, UARM, FARM, -1)
            return arm(S, E, W, 1)

        k = 1
    d.add("far", quad_leg(FAR_DX, P) + arms(FAR_DX + 5 if hold else FAR_DX))
    d.add("fig", [torso(S, P, *spine), neck(S, Hc)] + head(Hc, crown))
    d.add("near", quad_leg(0, P))
    d.add("near", arms(0))
    mid = spine_point(S, P, *spine, 0.75)
    u = spine_dir(S, P, *spine, 0.75)
    d.glow(add(mid, mul(rot(u, 90), 4)), 30, 16, math.degrees(math.atan2(u[1], u[0])), k)
    return d


# ---- sitting on the floor: facing right ---------------------------------------
SP = (109.0, FLOOR - 12.5)  # hip joint when sitting
SK = (SP[0] + math.sqrt(THIGH**2 - (KNEE_DOWN - SP[1]) ** 2), KNEE_DOWN)
SA = (SK[0] + SHIN, FLOOR - 9.5)


def straight_leg():
    return leg(SP, SK, SA, -85)


def seated_twist(hold):
    P = SP
    S = (P[0] + 3, P[1] - TORSO)
    Hc = (S[0] + 3, S[1] - NECK)
    spine = straight(S, P)
    if not hold:
        d = Drawing("Seated spinal twist: start position, sitting tall")
        d.add("far", straight_leg())
        d.add("fig", [torso(S, P, *spine), neck(S, Hc)] + head(Hc, -90))
        W = (P[0] - 4, WRIST_DOWN)
        E = ik(S, W, UARM, FARM, -1)
        d.add("near", straight_leg() + arm(S, E, W, 0))
        d.glow((P[0] - 3, P[1] - 34), 16, 30, 0, 0.6)
        return d
    d = Drawing("Seated spinal twist: hold position, turned to the right")
    KR, AR = flat_foot_knee(P, -57)
    SN, SF = add(S, (-8, 2)), add(S, (7, 0))
    # right lower leg and foot: the foot stands beyond the straight left leg
    d.add("fig", [capsule(KR, AR, *R_SHIN), foot(AR, 0)])
    d.add("farcut", straight_leg())
    # left upper arm: from the far shoulder, mostly hidden behind the right thigh
    E2 = add(KR, (11, 5))
    d.add("far", [capsule(SF, E2, *R_UARM)])
    chest = torso(S, P, *spine, front={0: 14, 1: 17, 2: 14})
    d.add("fig", [chest, neck(S, Hc)] + head(Hc, -90, False))
    d.add("fig", [capsule(add(Hc, (-9, 2)), add(Hc, (-15, 4)), 3.4, 1.8)])
    # right hand on the floor behind the hips
    W = (P[0] - 26, WRIST_DOWN)
    E = ik(SN, W, UARM, FARM, 1)
    right_knee = [capsule(P, KR, *R_THIGH), capsule(KR, lerp(KR, AR, 0.45), *R_SHIN)]
    d.add("near", arm(SN, E, W, 180) + right_knee)
    # left forearm wraps round the front and outside of the right knee
    W2 = polar(E2, 150, FARM)
    hand = capsule(W2, polar(W2, 165, 12), *R_HAND)
    d.add("farcut", [capsule(E2, W2, *R_FARM), hand, circle(E2, 4.6)])
    d.glow((P[0] - 3, P[1] - 34), 16, 30, 0, 1)
    d.arc_cue((S[0] + 3, S[1] - 50), 26, 8, 10, 170)
    return d


DRAWINGS = {
    "knee-to-chest-start": lambda: hook_lying("Knee-to-chest stretch: start position"),
    "knee-to-chest-hold": knee_to_chest_hold,
    "double-knee-to-chest-start": lambda: hook_lying(
        "Double knee-to-chest stretch: start position"
    ),
    "double-knee-to-chest-hold": double_knee_hold,
    "pelvic-tilt-start": lambda: pelvic_tilt(False),
    "pelvic-tilt-hold": lambda: pelvic_tilt(True),
    "cat-camel-start": lambda: cat_camel(False),
    "cat-camel-hold": lambda: cat_camel(True),
    "childs-pose-start": lambda: childs_pose(False),
    "childs-pose-hold": lambda: childs_pose(True),
    "piriformis-start": lambda: hook_lying("Piriformis stretch: start position"),
    "piriformis-hold": piriformis_hold,
    "seated-spinal-twist-start": lambda: seated_twist(False),
    "seated-spinal-twist-hold": lambda: seated_twist(True),
}
