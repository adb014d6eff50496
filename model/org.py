"""The organisation: Delivery teams owning services, Ops teams, engineers on a graph, rotas, a ledger, a clock.

Structure follows the seed (S1) and operating-models.md §2; the model is event-driven on an hourly clock
(DESIGN.md §4): ``step()`` advances one hour for the Solara page, ``run_until`` jumps event to event.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Any

import mesa
from mesa.datacollection import DataCollector
from mesa.discrete_space import Network
from mesa.time import Priority, Schedule

from agents import behaviours
from agents.engineer import Engineer
from agents.pay import Entry, Kind, Ledger, PayRule
from model import comms, metrics
from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK, Calendar
from model.delivery import DeliveryFlow
from model.operating_models import get as get_operating_model
from model.operating_models.base import APP_OPS, DELIVERY, OPS_BRIDGE, SERVICE_DESK, RotaSpec
from model.params import ParamError, validate
from model.services import Feature, ReworkItem, Service
from model.support import SupportFlow

ROLE_OF = {DELIVERY: "developer", APP_OPS: "app_ops", OPS_BRIDGE: "ops_bridge", SERVICE_DESK: "service_desk"}
SIZE_PARAM = {APP_OPS: "app_ops_size", OPS_BRIDGE: "ops_bridge_size", SERVICE_DESK: "service_desk_size"}


class Team:
    """A team: its members, the account that pays it, and (for Delivery) its service and backlogs."""

    def __init__(self, name: str, kind: str, account: str) -> None:
        self.name = name
        self.kind = kind
        self.account = account
        self.members: list[Engineer] = []
        self.service: Service | None = None
        self.features: deque[Feature] = deque()
        self.rework: deque[ReworkItem] = deque()
        self.interrupt_h = 0.0  # unplanned hours to take from the next working day's capacity
        self.felt_pages = 0.0  # incidents that reached this team, decaying weekly
        self.hours = {"product": 0.0, "operability": 0.0, "rework": 0.0, "unplanned": 0.0, "idle": 0.0}

    def __repr__(self) -> str:
        return f"Team({self.name!r})"


class Rota:
    """A weekly on-call rota: one member on call each week, in turn."""

    def __init__(self, spec: RotaSpec, offset: int) -> None:
        self.spec = spec
        self.members = list(spec.members)
        self.offset = offset
        self.current: Engineer | None = None

    def hand_over(self, week: int) -> Engineer:
        """Start a new weekly shift and return who is on call."""
        if self.current is not None:
            self.current.on_call = False
        self.current = self.members[(week + self.offset) % len(self.members)]
        self.current.on_call = True
        return self.current


class _Pending:
    """A scheduled call with arguments, kept alive until it fires (Mesa holds callbacks weakly)."""

    __slots__ = ("__weakref__", "args", "fn", "owner")

    def __init__(self, owner: set, fn: Callable[..., None], args: tuple) -> None:
        self.owner, self.fn, self.args = owner, fn, args
        owner.add(self)

    def fire(self) -> None:
        self.owner.discard(self)
        self.fn(*self.args)


class OrgModel(mesa.Model):
    """An IT organisation under one operating model, built from validated parameters and a seed."""

    def __init__(self, *, rng: Any = None, scenario: Any = None, **params: Any) -> None:
        if isinstance(rng, str):  # Solara's text input returns strings
            try:
                rng = int(rng.strip())
            except ValueError:
                raise ParamError(f"rng={rng!r} is not allowed: the seed must be a whole number") from None
        p = validate(params)  # ``scenario`` is accepted (SolaraViz's Reset passes one) but unused
        super().__init__(rng=rng)
        # Event-driven: stop Mesa's hourly no-op tick; step() still advances the clock by one hour.
        self._default_schedule.stop()
        self.p = p
        self.horizon = p["weeks"] * HOURS_PER_WEEK
        self.calendar = Calendar(p["workday_start_hour"], p["workday_end_hour"])
        self.policy = get_operating_model(p["operating_model"])(p)
        self.ledger = Ledger()
        self.prioritiser = behaviours.create("prioritise", p["prioritisation"])
        self.responder = behaviours.create("respond", "pay-and-fatigue")
        self.triager = behaviours.create("triage", "capability-and-knowledge")
        self._pending: set[_Pending] = set()
        self._build_organisation()
        self.delivery = DeliveryFlow(self)
        self.support = SupportFlow(self)
        self.rotas = [Rota(spec, i) for i, spec in enumerate(self.policy.rotas(self))]
        self.rota_for: dict[str, Rota] = {}
        for rota in self.rotas:
            self.rota_for.setdefault(rota.spec.team.name, rota)
            rota.hand_over(0)  # someone is on call from the first moment (standby is booked at t=0)
        self.schedule_recurring(
            self.weekly,
            Schedule(interval=HOURS_PER_WEEK, start=0.0, end=self.horizon - 1e-6),
            priority=Priority.HIGH,
        )
        self.schedule_recurring(
            self.daily,
            Schedule(interval=HOURS_PER_DAY, start=HOURS_PER_DAY, end=self.horizon),
            priority=Priority.LOW,
        )
        self.schedule_recurring(
            self.plan_day,
            Schedule(interval=HOURS_PER_DAY, start=self.calendar.start, end=self.horizon - 1e-6),
        )
        self.delivery.start()
        self.datacollector = DataCollector(model_reporters=metrics.DAILY_REPORTERS)
        self.datacollector.collect(self)

    # --- construction -------------------------------------------------------------------------------
    def _build_organisation(self) -> None:
        p, policy = self.p, self.policy
        self.teams: list[Team] = []
        self.delivery_teams: list[Team] = []
        specs: list[tuple[str, str, int]] = []
        for i in range(p["delivery_teams"]):
            team = Team(f"team-{i + 1}", DELIVERY, policy.account(DELIVERY))
            self.delivery_teams.append(team)
            self.teams.append(team)
            specs.append((team.name, DELIVERY, p["developers_per_team"]))
        for kind in policy.ops_teams:
            self.teams.append(Team(kind, kind, policy.account(kind)))
            specs.append((kind, kind, p[SIZE_PARAM[kind]]))
        self._by_name = {t.name: t for t in self.teams}
        self.comms = comms.build_graph(specs, policy.tie_density, p["tie_density_within"], self.random)
        self.grid = Network(self.comms, capacity=1, random=self.random, layout=None)
        cells = {cell.coordinate: cell for cell in self.grid.all_cells}
        delivery_rule = policy.delivery_pay_rule()
        node = 0
        for team, (_, kind, size) in zip(self.teams, specs, strict=True):
            rule = delivery_rule if kind == DELIVERY else PayRule.STANDBY_AND_CALLOUT
            for _ in range(size):
                team.members.append(Engineer(self, cells[node], team, ROLE_OF[kind], rule))
                node += 1
        self.engineers: list[Engineer] = [e for t in self.teams for e in t.members]  # index = graph node
        self.by_uid: dict[int, Engineer] = {e.unique_id: e for e in self.engineers}
        self.services: list[Service] = []
        for sid, team in enumerate(self.delivery_teams):
            service = Service(sid, team, p["operability_start"], p["latent_faults_start"])
            team.service = service
            self.services.append(service)
            for e in team.members:
                e.knowledge[sid] = p["owner_knowledge"]
            if APP_OPS in policy.ops_teams:
                ops_k = p["owner_knowledge"] if p["perfect_ops_knowledge"] else p["app_ops_knowledge_start"]
                for e in self.team(APP_OPS).members:
                    e.knowledge[sid] = ops_k

    def team(self, name: str) -> Team:
        """The team called ``name`` (Ops teams are named by their kind)."""
        return self._by_name[name]

    def has_team(self, name: str) -> bool:
        """True if this organisation has a team called ``name``."""
        return name in self._by_name

    # --- scheduling helpers -------------------------------------------------------------------------
    def at(self, t: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` at model time ``t`` (never in the past), unless ``t`` is past the horizon."""
        if t > self.horizon:
            return
        pending = _Pending(self._pending, fn, args)
        self.schedule_event(pending.fire, at=max(t, self.time))

    # --- recurring events -----------------------------------------------------------------------------
    def weekly(self) -> None:
        """Monday 00:00: rota handover and standby pay, salaries, decay of stocks, ties, pain and morale."""
        week = self.calendar.week(self.time)
        p = self.p
        for rota in self.rotas:
            person = rota.hand_over(week)
            self.ledger.book(
                Entry(
                    self.time,
                    rota.spec.account,
                    rota.spec.team.name,
                    Kind.STANDBY,
                    p["standby_rate_per_week"],
                    0.0,
                    person.unique_id,
                )
            )
        week_h = 5 * self.calendar.day_length
        for team in self.teams:
            self.ledger.book(
                Entry(
                    self.time,
                    team.account,
                    team.name,
                    Kind.SALARY,
                    len(team.members) * week_h * p["engineer_cost_per_hour"],
                    len(team.members) * week_h,
                )
            )
            team.felt_pages *= 0.75
        if week > 0:
            for service in self.services:
                service.decay(p["operability_decay_per_week"])
            comms.decay_ties(self.comms, p["tie_decay_per_week"])
            for e in self.engineers:
                e.morale = min(1.0, e.morale + 0.01)

    def daily(self) -> None:
        """Midnight: fatigue recovers, failures for the coming day are drawn, and the day is recorded."""
        for e in self.engineers:
            e.fatigue *= 0.9
        if self.time < self.horizon:
            self.support.draw_failures(self.time)
        self.datacollector.collect(self)
        if self.time >= self.horizon:
            self.running = False

    def plan_day(self) -> None:
        """Start of a working day: every Delivery team splits and spends its capacity."""
        if self.calendar.weekday(self.time) >= 5:
            return
        for team in self.delivery_teams:
            self.delivery.work_day(team)

    # --- pay ----------------------------------------------------------------------------------------------
    def book_callout(self, engineer: Engineer, hours: float) -> None:
        """Book an out-of-hours callout: paid callout, or unpaid hours with perhaps unofficial TOIL."""
        p, team = self.p, engineer.team
        engineer.ooh_pages += 1
        if self.calendar.is_night(self.time):
            engineer.paged_at_night()
            if team.kind == DELIVERY:
                team.interrupt_h += 1.0  # next-day loss per night page (calibration A4)
        rota = self.rota_for.get(team.name)
        if engineer.pay_rule.paid and rota is not None:
            self.ledger.book(
                Entry(
                    self.time,
                    rota.spec.account,
                    team.name,
                    Kind.CALLOUT,
                    p["callout_rate_per_incident"],
                    hours,
                    engineer.unique_id,
                )
            )
            return
        engineer.unpaid_callouts += 1
        engineer.morale = max(0.0, engineer.morale - 0.05)
        self.ledger.book(Entry(self.time, team.account, team.name, Kind.UNPAID_OOH, 0.0, hours, engineer.unique_id))
        if self.random.random() < p["toil_grant_prob"] and p["toil_ratio"] > 0:
            toil_h = hours * p["toil_ratio"]
            self.ledger.book(
                Entry(
                    self.time,
                    team.account,
                    team.name,
                    Kind.TOIL,
                    toil_h * p["engineer_cost_per_hour"],
                    toil_h,
                    engineer.unique_id,
                )
            )
            team.interrupt_h += toil_h

    # --- convenience -------------------------------------------------------------------------------------
    @property
    def week(self) -> int:
        """Whole weeks elapsed."""
        return self.calendar.week(self.time)

    def lognormal(self, median: float, sigma: float) -> float:
        """A log-normal draw with the given median, from the model's own generator."""
        if median <= 0:
            return 0.0
        return self.random.lognormvariate(math.log(median), sigma) if sigma > 0 else median

    def poisson(self, lam: float) -> int:
        """A Poisson draw (Knuth's method; rates here are small) from the model's own generator."""
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.random.gauss(lam, math.sqrt(lam))))
        limit, k, prod = math.exp(-lam), 0, self.random.random()
        while prod > limit:
            k += 1
            prod *= self.random.random()
        return k
