"""A person's pain log as an HL7 FHIR R4 Bundle, for a clinician's record system.

Built from the models of ``fhir.resources`` (its R4B package: FHIR 4.3, read as R4 by
R4 systems), which validate every element as it is made. What goes in:

- one ``Patient`` with no name and no identifier (a fresh id in every file); a name only
  when the person typed one for a share link;
- one ``Observation`` per pain entry: LOINC 72514-3, ``valueQuantity`` in UCUM
  ``{score}``, the time in the person's own zone with its offset, where it hurts as
  ``bodySite.text``, the person's note, triggers and reliefs as notes;
- one ``Observation`` per warning sign reported (per episode), coded with the rule's
  code from ``safety.red_flags`` and its title, with the dates, the urgency and whether
  the person noted that a doctor has seen it (the same list as the doctor summary);
- per practice, a ``Procedure`` (the stretch session) and its pain before and after as
  two ``Observation``s that point to it with ``partOf`` and say so in a note.

Speed: the library's own JSON writer walks every element in Python through pydantic
(about 0.7 s of CPU for three years of data); ``_plain`` walks the already validated
models in the library's element order and hands the result to pydantic-core's writer,
byte for byte the same output (tests/test_fhir.py compares them) in a twentieth of the time.
"""

from __future__ import annotations

import decimal
import functools
import uuid
import zoneinfo
from datetime import date, datetime
from typing import Any

import pydantic_core
from django.utils import timezone
from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure, ProcedurePerformer
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from fhir_core.utils import is_primitive_type

from accounts.services import get_profile
from progress.queries import FlagHistory, flag_history
from routines.models import Practice
from safety.dates import long_day
from symptoms.models import PainEntry

CONTENT_TYPE = "application/fhir+json"
LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
UCUM = "http://unitsofmeasure.org"
SCORE = "{score}"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# SpasmCare's own codes: the warning signs are those of safety.rules.RULES.
SPASMCARE_CODES = "urn:spasmcare:fhir:observation"
RED_FLAG_CODES = "urn:spasmcare:fhir:red-flag"
URGENCY_CODES = "urn:spasmcare:fhir:urgency"
# Stable ids for what has no uid of its own (a flag, a practice's two scores).
ID_NAMESPACE = uuid.UUID("0b6b2f6e-5d2a-4c1e-9a53-6f1f1d1e2a18")

PROCEDURE_STATUS = {"finished": "completed", "stopped": "stopped", "open": "unknown"}


@functools.cache
def _shared() -> dict[str, Any]:
    """Elements every resource of a kind repeats: made (and validated) once."""
    return {
        "survey": [
            CodeableConcept(
                coding=[Coding(system=OBSERVATION_CATEGORY, code="survey", display="Survey")]
            )
        ],
        "pain": CodeableConcept(
            coding=[Coding(system=LOINC, code=PAIN_CODE, display=PAIN_DISPLAY)],
            text="Pain (0 to 10)",
        ),
        "sign": CodeableConcept(
            coding=[
                Coding(
                    system=SPASMCARE_CODES,
                    code="warning-sign",
                    display="Back pain warning sign (red flag) reported",
                )
            ],
            text="Warning sign reported",
        ),
        "urgency": CodeableConcept(
            coding=[Coding(system=SPASMCARE_CODES, code="urgency", display="Urgency")],
            text="Urgency",
        ),
        "session": CodeableConcept(text="Stretch session at home (self-guided stretching)"),
    }


def _ref(resource_id: str) -> Reference:
    return Reference(reference=f"urn:uuid:{resource_id}")


def _stable_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(str(part) for part in parts)))


class _Builder:
    """Turns one person's rows into resources; ``entries`` is the Bundle's entry list.

    An element that recurs with the same value (a score, a body site, a session's name,
    a note such as "Helped: Heat") is made once and shared: validating ten thousand
    small models is most of the time this takes.
    """

    def __init__(self, zone: zoneinfo.ZoneInfo, patient_id: str) -> None:
        self.zone = zone
        self.patient = _ref(patient_id)
        self.performer = [self.patient]
        self.actor = [ProcedurePerformer(actor=self.patient)]
        self.shared = _shared()
        self.entries: list[BundleEntry] = []
        self._made: dict[tuple, Any] = {}

    def once(self, kind: type[FHIRAbstractModel], **fields: Any) -> Any:
        key = (kind, *fields.items())
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = kind(**fields)
        return made

    def add(self, resource: FHIRAbstractModel) -> None:
        self.entries.append(BundleEntry(fullUrl=f"urn:uuid:{resource.id}", resource=resource))

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def score(self, value: int) -> Quantity:
        return self.once(Quantity, value=value, unit=SCORE, system=UCUM, code=SCORE)

    def site(self, labels: list[str]) -> CodeableConcept | None:
        return self.once(CodeableConcept, text="; ".join(labels)) if labels else None

    def notes(self, *texts: str, own: str = "") -> list[Annotation] | None:
        """``own`` is the person's free text (made anew); ``texts`` recur and are shared."""
        made = [Annotation(text=own)] if own else []
        made += [self.once(Annotation, text=text) for text in texts if text]
        return made or None

    def pain(self, resource_id: str, at: datetime, value: int, **more: Any) -> Observation:
        return Observation(
            id=resource_id,
            status="final",
            category=self.shared["survey"],
            code=self.shared["pain"],
            subject=self.patient,
            performer=self.performer,
            effectiveDateTime=self.local(at),
            valueQuantity=self.score(value),
            **more,
        )

    def entry(self, entry: PainEntry) -> None:
        triggers, reliefs = entry.trigger_labels, entry.relief_labels
        self.add(
            self.pain(
                str(entry.uid),
                entry.recorded_at,
                entry.pain,
                bodySite=self.site(entry.location_labels),
                note=self.notes(
                    f"Set off by: {', '.join(triggers)}" if triggers else "",
                    f"Helped: {', '.join(reliefs)}" if reliefs else "",
                    own=entry.note,
                ),
            )
        )

    def flag(self, item: FlagHistory) -> None:
        flag = item.flag
        first, last = flag.first_reported, flag.last_reported or flag.first_reported
        times = flag.times_reported
        when = (
            f"on {long_day(first)}"
            if first == last
            else f"from {long_day(first)} to {long_day(last)}"
        )
        seen = (
            f"The person noted on {long_day(timezone.localtime(item.seen_at, self.zone).date())} "
            "that a doctor has seen this."
            if item.seen_at
            else "Not yet seen by a doctor, as far as the person has noted."
        )
        self.add(
            Observation(
                id=_stable_id("flag", item.episode_uid, flag.code),
                status="final",
                category=self.shared["survey"],
                code=self.shared["sign"],
                subject=self.patient,
                performer=self.performer,
                effectiveDateTime=first if first == last else None,
                effectivePeriod=Period(start=first, end=last) if first != last else None,
                valueCodeableConcept=CodeableConcept(
                    coding=[Coding(system=RED_FLAG_CODES, code=flag.code, display=flag.title)],
                    text=flag.title,
                ),
                component=[
                    ObservationComponent(
                        code=self.shared["urgency"],
                        valueCodeableConcept=CodeableConcept(
                            coding=[
                                Coding(
                                    system=URGENCY_CODES,
                                    code=str(flag.urgency),
                                    display=flag.urgency.label,
                                )
                            ],
                            text=flag.urgency.heading,
                        ),
                    )
                ],
                note=self.notes(f"Reported {when} ({times} time{'s' if times > 1 else ''}).", seen),
            )
        )

    def practice(self, practice: Practice) -> None:
        uid = str(practice.uid)
        ended = practice.finished_at or practice.stopped_at
        state = "finished" if practice.finished_at else "stopped" if practice.stopped_at else "open"
        name = practice.routine_name
        done = f"{practice.steps_completed} of {practice.steps_total} stretches done."
        self.add(
            Procedure(
                id=uid,
                status=PROCEDURE_STATUS[state],
                statusReason=self.once(CodeableConcept, text=practice.get_stop_reason_display())
                if practice.stop_reason
                else None,
                code=self.once(CodeableConcept, text=f"Stretch session: {name}"),
                category=self.shared["session"],
                subject=self.patient,
                performedPeriod=Period(
                    start=self.local(practice.started_at),
                    end=self.local(ended) if ended else None,
                ),
                performer=self.actor,
                note=self.notes(done, own=practice.note),
            )
        )
        part_of = [_ref(uid)]
        before, after = practice.pain_before, practice.pain_after
        after_text = f" Pain after it: {after} out of 10." if after is not None else ""
        self.add(
            self.pain(
                _stable_id("practice", uid, "before"),
                practice.started_at,
                before,
                partOf=part_of,
                note=self.notes(f"Pain before the stretch session “{name}”.{after_text}"),
            )
        )
        if after is not None:
            self.add(
                self.pain(
                    _stable_id("practice", uid, "after"),
                    ended or practice.started_at,
                    after,
                    partOf=part_of,
                    note=self.notes(
                        f"Pain after the stretch session “{name}”. "
                        f"Pain before it: {before} out of 10."
                    ),
                )
            )


def build_bundle(
    owner, *, start: date | None = None, end: date | None = None, name: str = ""
) -> Bundle:
    """The person's entries, warning signs and practices (all, or from ``start`` to
    ``end`` by local date) as a validated FHIR Bundle of type "collection"."""
    zone = get_profile(owner).zone
    entries = PainEntry.objects.for_owner(owner)
    practices = Practice.objects.for_owner(owner)
    if start is not None and end is not None:
        entries = entries.in_period(start, end)
        practices = practices.in_period(start, end, zone)
    patient_id = str(uuid.uuid4())
    builder = _Builder(zone, patient_id)
    builder.add(Patient(id=patient_id, name=[HumanName(text=name)] if name else None))
    for entry in entries.order_by("recorded_at", "pk"):
        builder.entry(entry)
    for item in flag_history(owner, entries):
        builder.flag(item)
    for practice in practices.order_by("started_at", "pk"):
        builder.practice(practice)
    return Bundle(
        id=str(uuid.uuid4()),
        type="collection",
        timestamp=timezone.now().astimezone(zone),
        entry=builder.entries,
    )


@functools.cache
def _plan(cls: type[FHIRAbstractModel]) -> tuple[bool, str, tuple[tuple, ...]]:
    """For each element of ``cls``, in the specification's order: the field, its JSON
    name, whether it is primitive, and its ``_element`` extension field (if any)."""
    fields = cls.model_fields
    names = cls.get_alias_mapping()
    plan = []
    for element in cls.elements_sequence():
        key = names[element]
        ext = f"{key}__ext"
        plan.append(
            (
                key,
                fields[key].alias or key,
                is_primitive_type(fields[key]),
                ext if ext in fields else None,
                (fields[ext].alias or ext) if ext in fields else None,
            )
        )
    return cls.has_resource_base(), cls.get_resource_type(), tuple(plan)


def _primitive(value: Any) -> Any:
    # As fhir_core's serializer: a whole decimal is written as an integer.
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent
        if value.is_finite() and value == value.to_integral_value() and exponent >= 0:
            return int(value)
        return float(value)
    if isinstance(value, uuid.UUID):
        return f"urn:uuid:{value}"
    return value


def _plain(model: FHIRAbstractModel, memo: dict[int, dict]) -> dict[str, Any]:
    """A validated model as JSON-ready data, exactly as its model_dump_json() writes it
    (no fhir_comments, which this module never sets). Shared elements are walked once."""
    done = memo.get(id(model))
    if done is not None:
        return done
    is_resource, resource_type, plan = _plan(type(model))
    out: dict[str, Any] = {"resourceType": resource_type} if is_resource else {}
    values = model.__dict__
    for key, alias, primitive, ext, ext_alias in plan:
        value = values.get(key)
        if isinstance(value, list):
            if value:
                out[alias] = (
                    [_primitive(v) for v in value]
                    if primitive
                    else [_plain(v, memo) for v in value]
                )
        elif value is not None:
            out[alias] = _primitive(value) if primitive else _plain(value, memo)
        extension = values.get(ext) if ext else None
        if extension:
            out[ext_alias] = (
                [None if v is None else _plain(v, memo) for v in extension]
                if isinstance(extension, list)
                else _plain(extension, memo)
            )
    memo[id(model)] = out
    return out


def to_json(bundle: Bundle) -> bytes:
    return pydantic_core.to_json(_plain(bundle, {}))


def fhir_json(
    owner, *, start: date | None = None, end: date | None = None, name: str = ""
) -> bytes:
    return to_json(build_bundle(owner, start=start, end=end, name=name))
