"""Actors: the people behind the demo data, with the hidden state that drives what they do."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from liidi.demo.clock import Window
from liidi.demo.market import MarketAccount
from liidi.demo.names import CountryProfile, ascii_slug

COOKIE_KEPT = 0.8  # share of visitors whose anonymous history joins them when they fill in a form


@dataclass(slots=True)
class Actor:
    """One person (known or not yet known) and the hidden state behind their behaviour."""

    email: str
    first_name: str
    last_name: str
    title: str
    account: MarketAccount | None
    kind: str  # buyer, contact, competitor, student
    role: str
    intent: float
    anon_id: str
    consent: str = "unknown"
    direction: str = "inbound"
    sourced_by: str = "marketing"
    lead_tool: str | None = None
    channel: str | None = None
    known_ts: float | None = None
    join_ts: float | None = None
    convert_ts: float | None = None
    outbound_ts: float | None = None
    champion: bool = False
    mail_stop_ts: float = math.inf
    first_channel: str | None = None
    cookie_kept: bool = True
    by_form: bool = False

    @property
    def in_buying_group(self) -> bool:
        """True for members of an in-market account's buying group."""
        return self.kind == "buyer"

    @property
    def themes(self) -> tuple[str, ...]:
        """The hidden interest themes (those of the account's need)."""
        process = self.account.process if self.account else None
        return process.themes if process else ()

    def known_at(self, ts: float) -> bool:
        """True when the person has handed over an e-mail by ts."""
        return self.known_ts is not None and ts >= self.known_ts

    def key_at(self, ts: float) -> tuple[str | None, str | None]:
        """(email, anonymous_id) for an event at ts: exactly one is set."""
        return (self.email, None) if self.known_at(ts) else (None, self.anon_id)


class Registry:
    """Hands out unique e-mail addresses and anonymous visitor ids."""

    def __init__(self, rng: random.Random, window: Window) -> None:
        self.rng = rng
        self.window = window
        self._emails: set[str] = set()
        self._anons: set[str] = set()

    def anon_id(self) -> str:
        """A fresh anonymous visitor id like 'anon-3f9a0c12d4e8'."""
        while True:
            candidate = f"anon-{self.rng.getrandbits(48):012x}"
            if candidate not in self._anons:
                self._anons.add(candidate)
                return candidate

    def email(self, first: str, last: str, domain: str, free_mail: bool) -> str:
        """A unique address in a style people really use at that kind of domain."""
        first_s, last_s = ascii_slug(first), ascii_slug(last)
        if free_mail:
            local = (
                f"{first_s}.{last_s}{self.rng.randrange(60, 100)}"
                if self.rng.random() < 0.5
                else f"{first_s}.{last_s}"
            )
        else:
            roll = self.rng.random()
            local = (
                f"{first_s}.{last_s}" if roll < 0.8 else f"{first_s[0]}{last_s}" if roll < 0.92 else first_s
            )
        address, n = f"{local}@{domain}", 2
        while address in self._emails:
            address, n = f"{local}{n}@{domain}", n + 1
        self._emails.add(address)
        return address

    def person(
        self,
        profile: CountryProfile,
        account: MarketAccount | None,
        kind: str,
        role: str,
        title: str,
        free: bool,
    ) -> Actor:
        """A new actor with a name from the country and an address at the account (or free mail)."""
        first = profile.first_names[self.rng.randrange(len(profile.first_names))]
        last = profile.last_names[self.rng.randrange(len(profile.last_names))]
        use_free = free or account is None
        domain = profile.free_mail[self.rng.randrange(len(profile.free_mail))] if use_free else ""
        if account is not None and not use_free:
            domain = account.record.domain
        return Actor(
            email=self.email(first, last, domain, use_free),
            first_name=first,
            last_name=last,
            title=title,
            account=account,
            kind=kind,
            role=role,
            intent=0.0,
            anon_id=self.anon_id(),
            cookie_kept=self.rng.random() < COOKIE_KEPT,
        )
