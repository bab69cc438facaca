"""People: one person is one lead (R1), with a role in the buying group derived from the title (R3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BuyingRole(StrEnum):
    """A person's part in a buying decision."""

    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    OTHER = "other"


class Seniority(StrEnum):
    """How senior a title is."""

    C_LEVEL = "c_level"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    INDIVIDUAL = "individual"
    UNKNOWN = "unknown"


class Consent(StrEnum):
    """Marketing consent as last given."""

    UNKNOWN = "unknown"
    GRANTED = "granted"
    WITHDRAWN = "withdrawn"


class Direction(StrEnum):
    """Whether the person came to us or we went to them."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class SourcedBy(StrEnum):
    """Which team brought the lead in."""

    MARKETING = "marketing"
    SALES = "sales"


_SENIORITY_PATTERNS: list[tuple[Seniority, re.Pattern[str]]] = [
    (
        Seniority.C_LEVEL,
        re.compile(
            r"\b(ceo|cto|cio|cfo|coo|cmo|cso|cdo|ciso|chief|founder|co-founder|owner|president|partner|"
            r"toimitusjohtaja|omistaja|perustaja)\b"
        ),
    ),
    (Seniority.VP, re.compile(r"\b(vp|svp|evp|vice president|varatoimitusjohtaja)\b")),
    (Seniority.DIRECTOR, re.compile(r"\b(director|head of|head|johtaja)\b|johtaja\b")),
    (
        Seniority.MANAGER,
        re.compile(
            r"\b(manager|lead|leader|päällikkö|esihenkilö|esimies|architect|arkkitehti)\b|päällikkö\b"
        ),
    ),
    (
        Seniority.INDIVIDUAL,
        re.compile(
            r"\b(engineer|developer|analyst|specialist|consultant|coordinator|assistant|designer|"
            r"administrator|admin|technician|officer|associate|representative|executive|"
            r"asiantuntija|insinööri|kehittäjä|suunnittelija|koordinaattori|assistentti)\b"
        ),
    ),
]


def seniority_from_title(title: str | None) -> Seniority:
    """Read seniority from a job title (English or Finnish)."""
    if not title:
        return Seniority.UNKNOWN
    text = title.lower()
    for level, pattern in _SENIORITY_PATTERNS:
        if pattern.search(text):
            return level
    return Seniority.UNKNOWN


_INFLUENCER_WORDS = re.compile(r"\b(architect|arkkitehti|procurement|purchasing|hankinta|controller)\b")


def role_from_title(title: str | None) -> BuyingRole:
    """Derive the buying-group role: executives decide, managers and architects influence, staff use."""
    level = seniority_from_title(title)
    if level in (Seniority.C_LEVEL, Seniority.VP, Seniority.DIRECTOR):
        return BuyingRole.DECISION_MAKER
    if level is Seniority.MANAGER or (title and _INFLUENCER_WORDS.search(title.lower())):
        return BuyingRole.INFLUENCER
    if level is Seniority.INDIVIDUAL:
        return BuyingRole.USER
    return BuyingRole.OTHER


@dataclass(frozen=True, slots=True)
class FirstTouch:
    """Where the person first came from (R22)."""

    lead_tool: str | None = None
    channel: str | None = None
    direction: Direction | None = None
    sourced_by: SourcedBy | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A known person; anonymous visitors are not people until identified (R2)."""

    id: int
    emails: tuple[str, ...] = ()
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    role: BuyingRole = BuyingRole.OTHER
    seniority: Seniority = Seniority.UNKNOWN
    account_id: int | None = None
    consent: Consent = Consent.UNKNOWN
    first_touch: FirstTouch = field(default_factory=FirstTouch)
    lifecycle_stage: str = "subscriber"
    owner: str | None = None
    created_ts: float = 0.0
    traits: dict[str, Any] = field(default_factory=dict)
    external_ids: tuple[str, ...] = ()

    @property
    def email(self) -> str | None:
        """The primary e-mail address."""
        return self.emails[0] if self.emails else None

    @property
    def external_id(self) -> str | None:
        """The person's id in the CRM, if they were loaded with one."""
        return self.external_ids[0] if self.external_ids else None

    @property
    def handle(self) -> str:
        """What names the person to a user: the e-mail, else the CRM id, else the liidi id."""
        return self.email or self.external_id or str(self.id)

    @property
    def full_name(self) -> str | None:
        """First and last name, when either is known."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None

    @property
    def name(self) -> str:
        """Full name, or the e-mail (or CRM id) when no name is known."""
        parts = [p for p in (self.first_name, self.last_name) if p]
        return " ".join(parts) if parts else (self.email or self.external_id or f"person {self.id}")
