"""The organisation: Delivery teams owning services, Ops teams, engineers on a graph, rotas, a ledger, a clock.

Structure follows the seed (S1) and operating-models.md §2; the model is event-driven on an hourly clock
(DESIGN.md §4): ``step()`` advances one hour for the Solara page, ``run_until`` jumps event to event.
"""

from __future__ import annotations

import math
import numbers
from collections import deque
from collections.abc import Callable
from typing import Any

import mesa
from mesa.datacollection import DataCollector
from mesa.discrete_space import Network
from mesa.time import Priority, Schedule
from mesa.time.events import Event, EventGenerator

from agents import behaviours
from agents.engineer import Engineer
from agents.pay import Entry, Kind, Ledger, PayRule
from model import comms, metrics
from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK, Calendar
from model.delivery import FELT_DECAY, DeliveryFlow
from model.operating_models import get as get_operating_model
from model.operating_models.base import APP_OPS, DELIVERY, MONITORING, OPS_BRIDGE, SERVICE_DESK, SRE, RotaSpec
from model.params import ParamError, check_seed, validate
from model.services import Feature, OperabilityItem, ReworkItem, Service, service_profiles
from model.support import SupportFlow

ROLE_OF = {
    DELIVERY: "developer",
    APP_OPS: "app_ops",
    OPS_BRIDGE: "ops_bridge",
    SERVICE_DESK: "service_desk",
    MONITORING: "monitoring",
    SRE: "sre",
}
#: Chance an engineer volunteers for a Delivery rota under each pay rule (calibration A4).
OPT_IN = {PayRule.STANDBY_AND_CALLOUT: 0.9, PayRule.CALLOUT_ONLY: 0.6, PayRule.BEST_ENDEAVOURS: 0.4}
MIN_ROTA = 3  # a rota needs at least three people (PB); a manager fills it up if too few volunteer
SIZE_PARAM = {
    APP_OPS: "app_ops_size",
    OPS_BRIDGE: "ops_bridge_size",
    SERVICE_DESK: "service_desk_size",
    MONITORING: "monitoring_size",
    SRE: "sre_size",
}


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
        self.operability_items: deque[OperabilityItem] = deque()
        self.outsourced = False
        self.cost_ratio = 1.0  # salary cost relative to in-house staff
        self.interrupt_h = 0.0  # unplanned hours to take from the next working day's capacity
        self.felt_pages = 0.0  # incidents that reached this team, decaying weekly
        self.ops_share = 0.0  # the operational share the team chose on its last working day
        self.hours = {"product": 0.0, "operability": 0.0, "rework": 0.0, "unplanned": 0.0, "idle": 0.0}

    def __repr__(self) -> str:
        return f"Team({self.name!r})"


class Rota:
    """A weekly on-call rota: one member on call each week, in turn."""

    def __init__(self, spec: RotaSpec, offset: int, members: list[Engineer]) -> None:
        self.spec = spec
        self.members = members
        self.offset = offset
        self.current: Engineer | None = None

    def hand_over(self, week: int) -> Engineer:
        """Start a new weekly shift and return who is on call."""
        if self.current is not None:
            self.current.on_call = False
        n = len(self.members)
        for k in range(n):  # an empty seat passes the shift to the next member
            person = self.members[(week + self.offset + k) % n]
            if person.present:
                break
        self.current = person
        self.current.on_call = True
        return self.current


class DailyCollector(DataCollector):
    """Mesa's DataCollector for scalar model reporters, without deep-copying each value (a third of a run)."""

    def __init__(self, model_reporters: dict[str, Callable[[mesa.Model], Any]]) -> None:
        super().__init__(model_reporters=model_reporters)
        self._columns = [(self.model_vars[name].append, reporter) for name, reporter in model_reporters.items()]

    def collect(self, model: mesa.Model) -> None:
        """Append one row: every reporter's value now."""
        for append, reporter in self._columns:
            append(reporter(model))


class _Call(Event):
    """A one-off call on Mesa's event list that holds its callable strongly, where Mesa's ``Event`` holds it weakly.

    Mesa's weak reference lets an agent's events lapse when the agent is gone; the model's one-off calls
    (``OrgModel.at``) must fire whoever else holds their owner, and a ``WeakMethod`` per call was a fifth of the
    cost of scheduling one. The event id comes from Mesa's own counter, so simultaneous events keep Mesa's order.
    """

    def __init__(self, time: float, target: Callable[..., None], args: tuple, priority: int = 5) -> None:
        # Mesa's Event.__init__, minus the weak reference and the validation of a callable we made ourselves
        self.time = time
        self.priority = priority  # Priority.DEFAULT.value unless given
        self._canceled = False
        self.target: Callable[..., None] | None = target
        self.unique_id = next(Event._ids)
        self.function_args = args
        self.function_kwargs = _NO_KWARGS

    @property
    def fn(self) -> Callable[[], Callable[..., None] | None] | None:
        """As on Mesa's ``Event``: a callable returning the target (for code that inspects events)."""
        target = self.target
        return None if target is None else lambda: target

    @fn.setter
    def fn(self, value: Callable[[], Callable[..., None] | None] | None) -> None:
        self.target = None if value is None else value()  # Mesa's cancel() sets None

    def execute(self) -> None:
        """Call the target with its arguments unless the event was cancelled."""
        if not self._canceled:
            self.target(*self.function_args)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the callable itself (Mesa's Event swaps its weak reference for a strong one here)."""
        return dict(self.__dict__)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore from :meth:`__getstate__`."""
        self.__dict__.update(state)


_NO_KWARGS: dict[str, Any] = {}  # shared, never written: execute() passes no keyword arguments


class _Recurring(EventGenerator):
    """Mesa's ``EventGenerator`` whose next occurrence is a ``_Call`` (the model holds its generators anyway).

    Re-arming the daily and planning events was a tenth of a one-year run, half of it Mesa's weak reference.
    """

    def _schedule_next(self, time: float) -> None:
        self._current_event = _Call(time, self._execute_and_reschedule, (), self.priority.value)
        self.model._event_list.add_event(self._current_event)


class OrgModel(mesa.Model):
    """An IT organisation under one operating model, built from validated parameters and a seed."""

    def __init__(self, *, rng: Any = None, scenario: Any = None, **params: Any) -> None:
        if isinstance(rng, str):  # Solara's text input returns strings
            try:
                rng = int(rng.strip())
            except ValueError:
                raise ParamError(f"rng={rng!r} is not allowed: the seed must be a whole number >= 0") from None
        if isinstance(rng, numbers.Integral):  # None or a NumPy generator pass to Mesa as they are
            rng = check_seed(rng, "rng")
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
        self._build_organisation()
        self.delivery = DeliveryFlow(self)
        self.support = SupportFlow(self)
        self.rotas = [Rota(spec, i, self._volunteers(spec)) for i, spec in enumerate(self.policy.rotas(self))]
        self.attrition = 0
        self.delivery_attrition = 0
        # Expected leavers (the sum of weekly leave chances): the same mechanism as attrition without the
        # coin flips, so a comparison of two runs sees the pressure to leave, not the luck of who left.
        self.attrition_expected = 0.0
        self.delivery_attrition_expected = 0.0
        self.delivery_morale_weeks = [0.0, 0]  # sum of Delivery engineers' weekly morale, engineer-weeks
        self.outsourced_week: int | None = None
        self.headcount_cuts = 0
        self._opex_baseline: float | None = None
        self.events: list[tuple[float, str, str]] = []  # (time, kind, detail): hand-backs, outsourcing, ...
        self.rota_for: dict[str, Rota] = {}
        for rota in self.rotas:
            for covered in rota.spec.covers or (rota.spec.team,):
                self.rota_for.setdefault(covered.name, rota)
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
        quarter = 13 * HOURS_PER_WEEK
        if self.horizon > quarter:
            self.schedule_recurring(
                self.opex_review,
                Schedule(interval=quarter, start=quarter, end=self.horizon - 1e-6),
                priority=Priority.LOW,
            )
        self.policy.setup(self)
        self.delivery.start()
        self.datacollector = DailyCollector(model_reporters=metrics.DAILY_REPORTERS)
        self.datacollector.collect(self)

    # --- construction -------------------------------------------------------------------------------
    def _volunteers(self, spec: RotaSpec) -> list[Engineer]:
        """Who joins a Delivery rota: volunteers by pay rule, filled up to three by the manager if too few."""
        members = list(spec.members)
        if spec.team.kind != DELIVERY:
            return members
        willing = [e for e in members if self.random.random() < OPT_IN[spec.pay_rule]]
        for e in members:
            if len(willing) >= min(MIN_ROTA, len(members)):
                break
            if e not in willing:
                willing.append(e)
        return willing

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
        self.services: list[Service] = []
        profiles = service_profiles(p, len(self.delivery_teams))
        for sid, team in enumerate(self.delivery_teams):
            team.service = Service(sid, team, p["operability_start"], p["latent_faults_start"], profiles[sid])
            self.services.append(team.service)
        self.comms = comms.build_graph(specs, policy.tie_density, p["tie_density_within"], self.random)
        self.grid = Network(self.comms, capacity=1, random=self.random, layout=None)
        cells = {cell.coordinate: cell for cell in self.grid.all_cells}
        node = 0
        for team, (_, kind, size) in zip(self.teams, specs, strict=True):
            rule = policy.delivery_pay_rule(team) if kind == DELIVERY else PayRule.STANDBY_AND_CALLOUT
            for _ in range(size):
                team.members.append(Engineer(self, cells[node], team, ROLE_OF[kind], rule))
                node += 1
        self.engineers: list[Engineer] = [e for t in self.teams for e in t.members]  # index = graph node
        self.by_uid: dict[int, Engineer] = {e.unique_id: e for e in self.engineers}
        ops_k = p["owner_knowledge"] if p["perfect_ops_knowledge"] else p["app_ops_knowledge_start"]
        for service in self.services:
            for e in service.owner.members:
                e.knowledge[service.sid] = p["owner_knowledge"]
            for team in self.teams:
                if team.kind in (APP_OPS, MONITORING):
                    for e in team.members:
                        e.knowledge[service.sid] = ops_k

    def team(self, name: str) -> Team:
        """The team called ``name`` (Ops teams are named by their kind)."""
        return self._by_name[name]

    def has_team(self, name: str) -> bool:
        """True if this organisation has a team called ``name``."""
        return name in self._by_name

    # --- scheduling helpers -------------------------------------------------------------------------
    def schedule_recurring(
        self, function: Callable, schedule: Schedule, priority: Priority = Priority.DEFAULT
    ) -> EventGenerator:
        """Mesa's ``schedule_recurring``, with occurrences that are ``_Call`` events (same ids, same order)."""
        if schedule.start is not None and schedule.start < self.time:
            raise ValueError(f"Cannot start recurring schedule in the past: start {schedule.start}, now {self.time}")
        return _Recurring(self, function, schedule, priority).start()

    def at(self, t: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` at model time ``t`` (never in the past), unless ``t`` is past the horizon.

        Any callable will do (a method, function, closure or lambda): the event holds it until it fires (see
        ``_Call``). Calls at the same time and priority fire in the order they were scheduled.
        """
        if t > self.horizon:
            return
        self._event_list.add_event(_Call(max(t, self.time), fn, args))

    # --- recurring events -----------------------------------------------------------------------------
    def weekly(self) -> None:
        """Monday 00:00: rota handover and standby pay, salaries, decay, and people's morale and attrition."""
        now = self.time  # read Mesa's observable clock once; ``e.vacant_until <= now`` is ``e.present``
        week = self.calendar.week(now)
        p = self.p
        for rota in self.rotas:
            person = rota.hand_over(week)
            if rota.spec.pay_rule is PayRule.STANDBY_AND_CALLOUT and self.policy.rota_active(rota.spec, self):
                self.ledger.book(
                    Entry(
                        now,
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
            present = sum(1 for e in team.members if e.vacant_until <= now)
            self.ledger.book(
                Entry(
                    now,
                    team.account,
                    team.name,
                    Kind.SALARY,
                    present * week_h * p["engineer_cost_per_hour"] * team.cost_ratio,
                    present * week_h,
                )
            )
            team.felt_pages *= FELT_DECAY
        if week == 0:
            return
        for service in self.services:
            service.decay(p["operability_decay_per_week"])
        comms.decay_ties(self.comms, p["tie_decay_per_week"])
        base_leave = p["attrition_per_year"] / 52.0
        for e in self.engineers:
            if e.vacant_until > now:  # an empty seat
                continue
            burnt = e.fatigue >= p["burnout_fatigue"]
            if burnt:
                e.morale = max(0.0, e.morale - 0.02)
            elif not e.unpaid_this_week:
                e.morale = min(1.0, e.morale + 0.01)
            e.unpaid_this_week = False
            leave = base_leave * (1 + burnt) * (1 + p["morale_attrition_factor"] * (1 - e.morale))
            self.attrition_expected += leave
            if e.team.kind == DELIVERY:
                self.delivery_attrition_expected += leave
                self.delivery_morale_weeks[0] += e.morale
                self.delivery_morale_weeks[1] += 1
            if self.random.random() < leave:
                self._leave(e)

    def _leave(self, engineer: Engineer) -> None:
        """An engineer quits: the seat stays empty for ``replacement_weeks``, then a new hire starts."""
        self.attrition += 1
        if engineer.team.kind == DELIVERY:
            self.delivery_attrition += 1
        engineer.vacant_until = self.time + self.p["replacement_weeks"] * HOURS_PER_WEEK
        engineer.busy_until = max(engineer.busy_until, engineer.vacant_until)
        if engineer.on_call:
            for rota in self.rotas:
                if rota.current is engineer:
                    rota.hand_over(self.week)
        self.at(engineer.vacant_until, self._replace, engineer)

    def _replace(self, engineer: Engineer) -> None:
        """A new hire takes the seat: rested, keen, knowing little, and with only the team's basic ties."""
        for sid in list(engineer.knowledge):
            engineer.knowledge[sid] = min(engineer.knowledge[sid], 0.3)
        engineer.morale, engineer.fatigue = 1.0, 0.0
        made_by_work = []  # ties the leaver made by working with people: the new hire does not have them
        for _, other, data in self.comms.edges(engineer.node, data=True):
            data["weight"] = data["base"]
            if data["base"] <= 0.0:
                made_by_work.append((engineer.node, other))
        self.comms.remove_edges_from(made_by_work)

    def log(self, kind: str, detail: str) -> None:
        """Record a notable event (a pager hand-back, outsourcing) with the time it happened."""
        self.events.append((self.time, kind, detail))

    def opex_review(self) -> None:
        """Quarterly: the policy's own review, then, if Operations overspent its shrinking budget, cuts."""
        self.policy.quarterly(self)
        p = self.p
        quarter = 13 * HOURS_PER_WEEK
        now = self.time
        spend = self.ledger.amount_between("opex", now - quarter, now)
        if self._opex_baseline is None:
            self._opex_baseline = spend
            return
        budget = self._opex_baseline * (1 - p["opex_cut_per_year"] * now / (52 * HOURS_PER_WEEK))
        if spend <= budget or p["opex_pressure"] == "none":
            return
        ops = [t for t in self.teams if t.kind in (APP_OPS, OPS_BRIDGE, SERVICE_DESK)]
        if p["opex_pressure"] == "outsource" and self.outsourced_week is None:
            self._outsource(ops)
        elif p["opex_pressure"] == "cut_headcount":
            for team in ops:
                present = [e for e in team.members if e.vacant_until <= now]
                if len(present) > 1:
                    gone = present[-1]
                    gone.vacant_until = gone.busy_until = math.inf
                    self.headcount_cuts += 1
                    if gone.on_call:
                        self.rota_for[team.name].hand_over(self.week)
                    break

    def _outsource(self, ops: list[Team]) -> None:
        """L1 and L2 go to a supplier: cheaper, slower by contract, knowing less, and cut off from Delivery."""
        self.outsourced_week = self.week
        self.log("outsourced", ", ".join(t.name for t in ops))
        delivery_nodes = {e.node for t in self.delivery_teams for e in t.members}
        for team in ops:
            team.outsourced = True
            team.cost_ratio = self.p["outsourced_cost_ratio"]
            for e in team.members:
                for sid in list(e.knowledge):
                    e.knowledge[sid] *= 0.5
                self.comms.remove_edges_from([(e.node, d) for d in list(self.comms.adj[e.node]) if d in delivery_nodes])

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
        engineer.unpaid_this_week = True
        engineer.morale = max(0.0, engineer.morale - p["unpaid_callout_morale_hit"])
        for mate in team.members:  # the expectation of unpaid availability weighs on the whole team
            if mate is not engineer:
                mate.morale = max(0.0, mate.morale - p["unpaid_callout_team_morale_hit"])
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
