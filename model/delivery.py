"""Delivery flow: product demand -> backlog -> daily team work -> releases through handoff stages -> live.

Stages follow operating-models.md §2.1 (YBIORI: change request, CAB, App Ops queue and window, smoke test,
knowledge transfer) and §2.2 (YBIYRI: standard change, the team deploys); each stage is a timed queue.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from agents.behaviours.prioritise import PriorityContext
from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK
from model.operating_models.base import DELIVERY
from model.queues import TimedQueue
from model.services import Feature, OperabilityItem, Release, ReworkItem, Service

if TYPE_CHECKING:
    from model.org import OrgModel, Team

#: Every stage a release can pass through.
STAGES = ("cab", "app_ops_deploy", "smoke_test", "handover", "team_deploy")
#: Deployment windows (weekday numbers) App Ops uses for 1..7 windows a week, at 20:00.
WINDOW_DAYS = {
    1: (3,),
    2: (1, 3),
    3: (0, 2, 4),
    4: (0, 1, 2, 3),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
WINDOW_HOUR = 20.0
CAB_DAY, CAB_HOUR = 2, 10.0  # Wednesday 10:00
FELT_DECAY = 0.75  # weekly decay of a team's felt incidents, so felt x (1 - decay) is about incidents per week


@dataclass(slots=True, eq=False)
class OpsTask:
    """A piece of App Ops work (deployment preparation or a knowledge-transfer session) in their queue."""

    kind: str
    hours: float
    release: Release
    queued: float


class OpsDesk:
    """App Ops' shared work queue: tasks are started by free App Ops engineers in working hours.

    Incidents take App Ops engineers too (``claim``), so deployment work waits when incidents are heavy.
    """

    def __init__(self, model: OrgModel, flow: DeliveryFlow, team: Team) -> None:
        self.model = model
        self.flow = flow
        self.team = team
        self.tasks: deque[OpsTask] = deque()
        self.retry_at: float | None = None  # the pending dispatch retry, if any

    def submit(self, task: OpsTask) -> None:
        """Queue a task and try to start it."""
        self.tasks.append(task)
        self.dispatch()

    def claim(self, not_before: float) -> tuple[object, float]:
        """The App Ops engineer free soonest and when they are free (for incident work)."""
        person = min(self.team.members, key=lambda e: (e.busy_until, e.unique_id))
        return person, max(not_before, person.busy_until)

    def _retry(self, t: float) -> None:
        """Try dispatching again at ``t``, unless a retry is already due by then (retries must not pile up)."""
        now = self.model.time
        if self.retry_at is not None and now < self.retry_at <= t:  # one still to come covers this one
            return
        self.retry_at = t
        self.model.at(t, self.dispatch)

    def dispatch(self) -> None:
        """Start queued tasks on engineers who are free now, in working hours; else try again later."""
        m = self.model
        if not self.tasks:
            return
        now = m.time
        if not m.calendar.is_working(now):
            self._retry(m.calendar.next_working(now))
            return
        while self.tasks:
            free = [e for e in self.team.members if e.busy_until <= now + 1e-9]
            if not free:
                self._retry(min(e.busy_until for e in self.team.members))
                return
            person = min(free, key=lambda e: e.unique_id)
            task = self.tasks.popleft()
            extra = m.p["outsourced_change_notice_h"] if self.team.outsourced else 0.0
            end = m.calendar.add_working_hours(now, task.hours + extra)
            person.busy_until = end
            task.release.stages.setdefault(task.kind, [now, now, now])[1] = now
            m.at(end, self.flow.ops_task_done, task, self)


class DeliveryFlow:
    """Demand arrivals, daily team work and the deployment pipeline of every service."""

    def __init__(self, model: OrgModel) -> None:
        self.model = model
        self.queues = {stage: TimedQueue(stage) for stage in STAGES}
        self.desks: dict[str, OpsDesk] = {}  # one work queue per Ops team that deploys
        self.releases: list[Release] = []
        self.features: list[Feature] = []
        self.rework_items: list[ReworkItem] = []
        self.operability_items: list[OperabilityItem] = []
        self.operability_items_done = 0  # kept so the daily series need not rescan every item
        self.sync_hours = 0.0
        self.recent_lead_times: deque[float] = deque(maxlen=100)
        self.lead_times_recorded = 0  # how many lead times were ever appended (keys the daily median's cache)
        self.lead_time_median: tuple[int, float] = (-1, math.nan)  # (lead_times_recorded, median) last computed
        self.arrivals_week: dict[int, list[int]] = {}  # service -> features arrived per week
        self.deploys_week: dict[int, list[int]] = {}  # service -> deployments per week
        self._ids = 0

    def desk_for(self, team: Team | None) -> OpsDesk | None:
        """The work queue of an Ops team that deploys (created on first use); None for Delivery teams."""
        if team is None or team.kind == DELIVERY:
            return None
        if team.name not in self.desks:
            self.desks[team.name] = OpsDesk(self.model, self, team)
        return self.desks[team.name]

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    # --- demand -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Schedule the first feature arrival of every service and the CAB meetings."""
        m = self.model
        for service in m.services:
            self.deploys_week[service.sid] = [0] * (m.p["weeks"] + 1)
            self.arrivals_week[service.sid] = [0] * (m.p["weeks"] + 1)
            self._schedule_arrival(service)
        interval = m.p["cab_interval_days"] * HOURS_PER_DAY
        m.at(CAB_DAY * HOURS_PER_DAY + CAB_HOUR, self.cab_meeting, interval)

    def demand_rate(self, t: float, service: Service) -> float:
        """Demanded deployments (= feature arrivals) per week for ``service`` at time ``t``."""
        p = self.model.p
        shocked = p["demand_shock_week"] > 0 and t >= p["demand_shock_week"] * HOURS_PER_WEEK
        return p["demand_per_week"] * service.demand_factor * (p["demand_shock_factor"] if shocked else 1.0)

    def _schedule_arrival(self, service: Service) -> None:
        m = self.model
        t = m.time
        # Exponential gaps; a gap crossing the shock week is redrawn at the new rate (memoryless).
        gap = m.random.expovariate(self.demand_rate(t, service) / HOURS_PER_WEEK)
        shock_t = m.p["demand_shock_week"] * HOURS_PER_WEEK
        if m.p["demand_shock_week"] > 0 and t < shock_t < t + gap:
            m.at(shock_t, self._schedule_arrival, service)
            return
        m.at(t + gap, self.arrive, service)

    def arrive(self, service: Service) -> None:
        """A product feature arrives in the owning team's backlog."""
        m = self.model
        effort = m.lognormal(m.p["feature_effort_h"], m.p["feature_effort_sigma"])
        feature = Feature(self._next_id(), service.sid, effort, m.time)
        self.features.append(feature)
        self.arrivals_week[service.sid][min(m.calendar.week(m.time), m.p["weeks"])] += 1
        service.owner.features.append(feature)
        self._schedule_arrival(service)

    # --- team work ------------------------------------------------------------------------------------
    def work_day(self, team: Team) -> None:
        """Spend one working day of the team's capacity on features, rework and operability."""
        m, p = self.model, self.model.p
        service = team.service
        now = m.time  # read Mesa's observable clock once; ``e.vacant_until <= now`` is ``e.present``
        n = sum(1 for e in team.members if e.vacant_until <= now)
        if n == 0:
            return
        day_h = m.calendar.day_length
        capacity = n * day_h
        taken = min(capacity, team.interrupt_h)
        team.interrupt_h -= taken
        team.hours["unplanned"] += taken
        capacity -= taken
        ctx = PriorityContext(
            operability_share=p["operability_share"],
            rework_items=len(team.rework),
            feature_backlog=len(team.features),
            accountable=m.policy.accountable(team),
            felt_pages_per_week=team.felt_pages * (1 - FELT_DECAY),
            operability_items=len(team.operability_items),
            share_floor=p["ops_share_floor"],
            share_cap=p["ops_share_cap"],
            accountable_base=p["accountable_base"],
            pain_sensitivity=p["pain_sensitivity"],
            unaccountable_weight=p["unaccountable_weight"],
            frozen=now < service.frozen_until,
        )
        split = m.prioritiser.decide(ctx, m.random)
        team.ops_share = split.operability + split.rework
        start = now
        used = 0.0

        def spend(queue, budget: float, on_done) -> float:
            """Work ``queue`` in order with ``budget`` hours; finished items complete pro rata through the day."""
            nonlocal used
            while queue and budget > 1e-9:
                item = queue[0]
                step = min(budget, item.remaining_h)
                item.remaining_h -= step
                budget -= step
                used += step
                if item.remaining_h <= 1e-9:
                    queue.popleft()
                    item.done = start + used / n
                    m.at(item.done, on_done, item)
            return budget

        # rework (proper fixes for workarounds) first within its share; what it leaves goes to operability
        rework_left = spend(team.rework, capacity * split.rework, self.rework_done)
        team.hours["rework"] += capacity * split.rework - rework_left
        ops_h = capacity * split.operability + rework_left
        product_left = spend(team.features, capacity * split.product, self.feature_done)
        team.hours["product"] += capacity * split.product - product_left
        team.hours["idle"] += product_left
        team.hours["operability"] += ops_h
        # post-incident actions first, then general operability investment
        ops_h = spend(team.operability_items, ops_h, self.operability_item_done)
        service.invest(p["operability_gain_per_8h"] * ops_h / 8.0)

    def feature_done(self, feature: Feature) -> None:
        """A finished feature is classified and joins the service's ready batch; a release may be cut."""
        service = self.model.services[feature.service]
        feature.change = self.model.policy.change_class(service, self.model.random)
        service.ready.append(feature)
        self.try_release(service)

    def rework_done(self, item: ReworkItem) -> None:
        """A proper fix is done: the worked-around latent fault is removed."""
        service = self.model.services[item.service]
        service.worked_around = max(0, service.worked_around - 1)
        service.latent_faults = max(0, service.latent_faults - 1)

    def add_operability_item(self, service: Service, incident_id: int, backlog: str) -> OperabilityItem:
        """A post-incident action joins the owner's backlog, or Ops' support backlog where code cannot change."""
        m = self.model
        item = OperabilityItem(self._next_id(), service.sid, incident_id, m.time, m.p["operability_item_h"], backlog)
        self.operability_items.append(item)
        if backlog == "delivery":
            service.owner.operability_items.append(item)
        return item

    def operability_item_done(self, item: OperabilityItem) -> None:
        """A post-incident action is done: operability rises and, half the time, a latent fault goes."""
        m = self.model
        service = m.services[item.service]
        item.done = m.time
        self.operability_items_done += 1
        service.invest(m.p["operability_item_gain"])
        if service.latent_faults > service.worked_around and m.random.random() < 0.5:
            service.latent_faults -= 1

    def add_rework(self, service: Service, incident_id: int) -> None:
        """A workaround or data fix leaves a proper fix in the owning team's backlog."""
        item = ReworkItem(self._next_id(), service.sid, incident_id, self.model.time, self.model.p["fix_effort_h"])
        self.rework_items.append(item)
        service.owner.rework.append(item)
        service.worked_around += 1

    # --- releases ---------------------------------------------------------------------------------------
    def try_release(self, service: Service) -> None:
        """Cut a release of everything ready of one change class if that class has a free release slot."""
        m = self.model
        if service.blocked_by or m.time < service.frozen_until:  # restoring a failure, or frozen
            return
        for change in ("standard", "normal"):
            batch = [f for f in service.ready if f.change == change]
            busy = sum(1 for r in service.in_flight if r.change == change)
            if not batch or busy >= m.p["max_releases_in_flight"]:
                continue
            release = Release(
                self._next_id(),
                service.sid,
                batch,
                m.time,
                change=change,
                path=m.policy.deployment_path(service, change),
            )
            service.ready = [f for f in service.ready if f.change != change]
            service.in_flight.append(release)
            self.releases.append(release)
            self.enter(release, 0)

    def enter(self, release: Release, index: int) -> None:
        """Put ``release`` into stage ``index`` of its path (or finish it)."""
        m = self.model
        if index >= len(release.path):
            self.accept(release)
            return
        stage = release.path[index]
        release.stages[stage] = [m.time, m.time, m.time]
        self.queues[stage].enter(m.time, release)
        getattr(self, f"_start_{stage}")(release)

    def leave(self, release: Release, stage: str) -> None:
        """Take ``release`` out of ``stage`` now and move it to the next stage of its path."""
        m = self.model
        self.queues[stage].leave(m.time, release)
        release.stages[stage][2] = m.time
        if release.failed:
            return
        self.enter(release, release.path.index(stage) + 1)

    def accept(self, release: Release) -> None:
        """The release is accepted into service; the slot frees and the next release may be cut."""
        service = self.model.services[release.service]
        release.accepted = self.model.time
        service.in_flight.remove(release)
        self.try_release(service)

    # CAB --------------------------------------------------------------------------------------------------
    def _start_cab(self, release: Release) -> None:
        if not self.model.p["cab_enabled"]:
            self.leave(release, "cab")

    def cab_meeting(self, interval: float) -> None:
        """The CAB approves (or defers) every change submitted before its cut-off."""
        m = self.model
        m.at(m.time + interval, self.cab_meeting, interval)
        cutoff = m.time - m.p["cab_cutoff_days"] * HOURS_PER_DAY
        # the CAB's own queue, taken in creation order (scanning every release ever cut grew with the run's length)
        queued = sorted(self.queues["cab"].waiting(), key=attrgetter("rid"))
        waiting = [r for r in queued if r.stages["cab"][0] <= cutoff]
        for release in waiting:
            if m.random.random() >= m.p["cab_defer_prob"]:
                release.stages["cab"][1] = m.time
                self.leave(release, "cab")

    # App Ops deployment ----------------------------------------------------------------------------------
    def _start_app_ops_deploy(self, release: Release) -> None:
        m = self.model
        deployer = m.policy.deployer(m.services[release.service], m)
        desk = self.desk_for(deployer)
        if not m.p["app_ops_queue_enabled"] or desk is None:
            self.deploy(release, "app_ops_deploy", deployer)
            return
        desk.submit(OpsTask("app_ops_deploy", m.p["app_ops_deploy_h"], release, m.time))

    def ops_task_done(self, task: OpsTask, desk: OpsDesk) -> None:
        """An Ops task finished: a prepared deployment waits for its window; a handover completes."""
        m = self.model
        desk.dispatch()
        if task.kind == "app_ops_deploy":
            m.at(self.next_window(m.time), self.deploy, task.release, "app_ops_deploy", desk.team)
        else:
            self._handover_done(task.release)

    def next_window(self, t: float) -> float:
        """The next out-of-hours deployment window after ``t``."""
        cal = self.model.calendar
        days = WINDOW_DAYS[self.model.p["deploy_windows_per_week"]]
        return min(cal.next_weekday_time(t, d, WINDOW_HOUR) for d in days)

    # Deployment itself (both paths) --------------------------------------------------------------------
    def deploy(self, release: Release, stage: str, deployer: Team | None) -> None:
        """Deploy a batch: it fails with a chance growing with batch size and falling with failure design."""
        m, p = self.model, self.model.p
        service = m.services[release.service]
        release.deployed = m.time
        if stage == "app_ops_deploy" and p["app_ops_queue_enabled"] and self.desk_for(deployer) is not None:
            release.touch_h += p["app_ops_deploy_h"]
        elif stage == "team_deploy":
            release.touch_h += p["team_deploy_h"]
        fail_p = p["deploy_failure_p0"] * (1 + 0.1 * (release.size - 1)) * (1 - 0.5 * service.failure_design)
        if m.random.random() < min(1.0, fail_p):
            release.failed = True
            service.ready = release.features + service.ready  # rolled back: the batch must go again
            self.leave(release, stage)
            service.in_flight.remove(release)
            # the next attempt waits until the failure is restored; meanwhile the batch keeps growing
            service.blocked_by.append(
                m.support.fail(service, change_caused=True, deployed_by=deployer.name if deployer else "")
            )
            return
        release.live = m.time
        service.deployments += 1
        service.features_live += release.size
        service.decay(1.0 - (1.0 - p["operability_erosion_per_feature"]) ** release.size)
        week = min(m.calendar.week(m.time), p["weeks"])
        self.deploys_week[service.sid][week] += 1
        for feature in release.features:
            feature.live = m.time
            self.recent_lead_times.append(m.time - feature.done)
            self.lead_times_recorded += 1
            if m.random.random() < p["latent_fault_per_feature"]:
                service.latent_faults += 1
        if deployer is not None and deployer.kind != DELIVERY and not p["perfect_ops_knowledge"]:
            for e in deployer.members:  # every feature deployed is code Ops have not seen
                e.learn(service.sid, -p["knowledge_decay_per_deploy"] * release.size)
        self.leave(release, stage)

    # Smoke test and handover -------------------------------------------------------------------------------
    def _start_smoke_test(self, release: Release) -> None:
        m = self.model
        team = m.services[release.service].owner
        start = m.calendar.next_working(m.time)
        hours = m.p["smoke_test_h"]
        team.interrupt_h += hours
        release.stages["smoke_test"][1] = start
        m.at(m.calendar.add_working_hours(start, hours) if hours else start, self.leave, release, "smoke_test")

    def _start_handover(self, release: Release) -> None:
        m, p = self.model, self.model.p
        team = m.services[release.service].owner
        team.interrupt_h += p["handover_delivery_h"]
        self.sync_hours += p["handover_delivery_h"] + p["handover_app_ops_h"]
        desk = self.desk_for(m.policy.deployer(m.services[release.service], m))
        if not p["app_ops_queue_enabled"] or desk is None:
            self._handover_done(release)
            return
        desk.submit(OpsTask("handover", p["handover_app_ops_h"], release, m.time))

    def _handover_done(self, release: Release) -> None:
        m = self.model
        deployer = m.policy.deployer(m.services[release.service], m)
        if deployer.kind != DELIVERY:  # the session closes part of the gap to the owners' knowledge
            owner = m.p["owner_knowledge"]
            for e in deployer.members:
                e.learn(release.service, m.p["knowledge_gain_per_handover"] * (owner - e.knows(release.service)))
        self.leave(release, "handover")

    # Team deploy (You Build It You Run It) ---------------------------------------------------------------
    def _start_team_deploy(self, release: Release) -> None:
        m = self.model
        team = m.services[release.service].owner
        start = m.calendar.next_working(m.time)
        hours = m.p["team_deploy_h"]
        team.interrupt_h += hours
        release.stages["team_deploy"][1] = start
        m.at(m.calendar.add_working_hours(start, hours), self.deploy, release, "team_deploy", team)
