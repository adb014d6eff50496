"""Production support: failures, detection, routing through the policy's tiers, handoffs, restore.

Follows the seed (S1) and Jon Hall (JH): tickets move L1 -> L2 -> L3 through queues and bounce-backs, App Ops
apply workarounds whose proper fixes wait in Delivery backlogs, unpaid L3 answers late or not at all.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from agents.behaviours.respond import ResponseContext
from agents.behaviours.triage import Action, TriageContext
from model import comms
from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK
from model.operating_models.base import DELIVERY, OPS_RUN, Tier
from model.queues import TimedQueue
from model.services import Handoff, Incident, Service

if TYPE_CHECKING:
    from agents.engineer import Engineer
    from model.org import OrgModel, Team

ROUTE_H = 0.25  # classify and look up the owner (Service Desk, application map)
TRIAGE_H = 0.25  # L1 reads the alert and tries the runbook
REMEDY_H = {Action.RUNBOOK: 0.25, Action.ROLLBACK: 0.5, Action.WORKAROUND: 1.0, Action.CODE_FIX: 1.0}
MAX_BOUNCES = 3  # after this many bounces a ticket is escalated, not bounced again
WRONG_TEAM_LOOK_H = 0.5  # a wrong team looks at a ticket before sending it back


class SupportFlow:
    """Every incident's path from failure to restore, with a timed queue per team."""

    def __init__(self, model: OrgModel) -> None:
        self.model = model
        self.queues = {t.name: TimedQueue(t.name) for t in model.teams}
        self.incidents: list[Incident] = []
        self.paths: dict[int, list[Tier]] = {}
        self.handoff_hours = 0.0
        self.restored_count = 0  # kept so the daily series need not rescan every incident
        self.ttr_median: tuple[tuple[int, int], float] = ((-1, -1), math.nan)  # daily median and its key, last computed
        self.swarm_experts: dict[int, list[Tier]] = {}
        self.first_caps: dict[int, frozenset[str]] = {}  # incident -> tiers whose best people a swarm may pull in
        self.handoffs_by_day: list[tuple[float, int, int]] = []  # (time, from node, to node) for the graph view

    # --- failures and detection ------------------------------------------------------------------------------
    def failure_rate_per_week(self, service: Service) -> float:
        """Failures per week from latent faults and failure design (calibration A5)."""
        p = self.model.p
        return p["incident_rate_per_week"] * (1 + 0.1 * service.latent_faults) * (1 - 0.5 * service.failure_design)

    def draw_failures(self, day_start: float) -> None:
        """Draw the coming day's spontaneous failures of every service at uniform times."""
        m = self.model
        for service in m.services:
            n = m.poisson(self.failure_rate_per_week(service) * HOURS_PER_DAY / HOURS_PER_WEEK)
            for _ in range(n):
                m.at(day_start + m.random.random() * HOURS_PER_DAY, self.fail, service, False, "")

    def fail(self, service: Service, change_caused: bool = False, deployed_by: str = "") -> Incident:
        """A failure starts now; it is detected by an alert (chance = telemetry) or later by a customer."""
        m, p = self.model, self.model.p
        repeat = (
            not change_caused
            and service.worked_around > 0
            and m.random.random() < service.worked_around / max(1, service.latent_faults)
        )
        anticipated = repeat or m.random.random() < service.documentation
        fd = service.failure_design
        severity = (
            "major" if m.random.random() < 0.2 * (1 - fd) / 0.7 else ("medium" if m.random.random() < 0.5 else "low")
        )
        incident = Incident(
            len(self.incidents) + 1,
            service.sid,
            m.time,
            severity,
            change_caused,
            anticipated,
            impact=1 - 0.7 * fd,
            deployed_by=deployed_by,
            repeat=repeat,
            out_of_hours_start=not m.calendar.is_working(m.time),
        )
        self.incidents.append(incident)
        if m.random.random() < service.telemetry:
            incident.detected_by = "alert"
            delay = m.lognormal(5.0 / 60.0, 0.5)
        else:
            incident.detected_by = "customer"
            delay = m.random.expovariate(1.0 / p["customer_report_delay_h"]) if p["customer_report_delay_h"] else 0
        m.at(m.time + delay, self.detect, incident)
        return incident

    def detect(self, incident: Incident) -> None:
        """The failure is noticed: the policy chooses the support path and the first tier is reached."""
        m = self.model
        incident.detected = m.time
        service = m.services[incident.service]
        path = m.policy.support_path(incident, service, m, incident.detected_by == "alert")
        if m.p["support_mode"] == "swarm" and len(path) > 1:
            # Swarming (JH): whoever takes the ticket owns it and pulls the best-placed people in; it never moves
            self.swarm_experts[incident.iid] = path[1:]
            self.first_caps[incident.iid] = path[0].capabilities
            first = path[0]
            caps = frozenset().union(*(t.capabilities for t in path)) - {"route"}
            path = [Tier("swarm", first.team, caps, ooh=first.ooh)]
        self.paths[incident.iid] = path
        self.reach(incident, 0, None, "page")

    # --- routing ---------------------------------------------------------------------------------------------
    def reach(self, incident: Incident, index: int, source: Engineer | None, kind: str) -> None:
        """Hand the ticket to tier ``index``: it joins that team's queue until someone picks it up."""
        m = self.model
        tier = self.paths[incident.iid][index]
        previous = incident.queue
        if previous:
            self.queues[previous].leave(m.time, incident)
            incident.handoffs.append(Handoff(m.time, previous, tier.team.name, kind))
        if source is not None:  # writing up the ticket costs the sender time
            hand_h = m.p["handoff_h"]
            if source.team.kind == DELIVERY and m.calendar.is_working(m.time):
                source.team.interrupt_h += hand_h
            else:
                source.busy_until = max(source.busy_until, m.time) + hand_h
            self.handoff_hours += hand_h
        incident.queue = tier.team.name
        self.queues[tier.team.name].enter(m.time, incident)
        person, when = self._who_and_when(tier, source)
        if tier.team.outsourced:  # a contract boundary: the supplier responds within its agreed time
            when += m.p["outsourced_delay_h"] * (1.0 if m.calendar.is_working(m.time) else 2.0)
        if source is not None and person is not None:
            self.handoffs_by_day.append((m.time, source.node, person.node))
        m.at(when, self.pick_up, incident, index, person)

    def _response(self, engineer: Engineer, paid: bool, in_hours: bool) -> tuple[bool, float]:
        p = self.model.p
        ctx = ResponseContext(
            paid,
            in_hours,
            engineer.fatigue,
            engineer.morale,
            p["ack_paid_median_min"],
            p["ack_unpaid_median_min"],
            p["unpaid_response_prob"],
        )
        r = self.model.responder.decide(ctx, self.model.random)
        return r.answers, r.latency_h

    def _who_and_when(self, tier: Tier, source: Engineer | None) -> tuple[Engineer | None, float]:
        """Who in ``tier`` takes the ticket and when: by rota, by a graph tie, or via a formal queue."""
        m, p, cal = self.model, self.model.p, self.model.calendar
        now = m.time
        team = tier.team
        if not cal.is_working(now):
            rota = m.rota_for.get(team.name)
            if tier.ooh == "rota" and rota is not None and rota.current is not None:
                answers, latency = self._response(rota.current, rota.current.pay_rule.paid, False)
                if answers:
                    return rota.current, now + latency
            elif tier.ooh == "best_endeavours" and source is not None:
                contact = self._contact(source, team)
                if contact is not None:
                    answers, latency = self._response(contact[0], False, False)
                    if answers:
                        return contact[0], now + latency + self._tie_latency(contact)
            # held for the morning, then handled as a day-time ticket
            now = cal.next_working(now)
        # working hours: a personal tie is fast; otherwise the ticket waits in the team's formal queue
        if team.kind != DELIVERY:
            desk = m.delivery.desks.get(team.name)
            if desk is not None:  # an Ops team whose capacity is shared with deployments
                person, start = desk.claim(now)
                _, latency = self._response(person, True, True)
                return person, max(start, now + latency)
            person = min(team.members, key=lambda e: (e.busy_until, e.unique_id))
            _, latency = self._response(person, True, True)
            return person, max(now + latency, person.busy_until)
        contact = self._contact(source, team) if source is not None else None
        if contact is None and tier.swarm and source is None:  # paged directly: the on-call owner
            rota = m.rota_for.get(team.name)
            person = rota.current if rota is not None and rota.current is not None else team.members[0]
            _, latency = self._response(person, True, True)
            return person, now + latency
        if contact is not None:
            return contact[0], now + self._tie_latency(contact)
        person = min(team.members, key=lambda e: (e.busy_until, e.unique_id))
        return person, cal.add_working_hours(now, p["formal_ticket_latency_h"])

    def _contact(self, source: Engineer, team: Team) -> tuple[Engineer, float, int] | None:
        m = self.model
        colleagues = [e.node for e in source.team.members]
        now = m.time  # read Mesa's observable clock once; ``e.vacant_until <= now`` is ``e.present``
        found = comms.find_contact(
            m.comms, source.node, colleagues, [e.node for e in team.members if e.vacant_until <= now]
        )
        if found is None:
            return None
        node, strength, hops = found
        return m.engineers[node], strength, hops

    @staticmethod
    def _tie_latency(contact: tuple[Engineer, float, int]) -> float:
        """Reaching someone you know: minutes within a strong tie, longer over weak or indirect ties."""
        _, strength, hops = contact
        return hops * (5.0 / 60.0) / max(strength, 0.05)

    # --- working the ticket ------------------------------------------------------------------------------
    def pick_up(self, incident: Incident, index: int, person: Engineer) -> None:
        """Someone in the tier acknowledges and starts diagnosing."""
        m, p = self.model, self.model.p
        tier = self.paths[incident.iid][index]
        if tier.level == "swarm":
            self._swarm(incident, person)
            return
        service = m.services[incident.service]
        if incident.acknowledged is None:
            incident.acknowledged = m.time
        incident.responders.add(person.unique_id)
        person.working_incident = incident.iid
        in_hours = m.calendar.is_working(m.time)
        crew = [person]
        if tier.capabilities <= {"runbook", "route"}:  # a plain L1: read the alert, try the runbook
            duration = m.lognormal(TRIAGE_H if "runbook" in tier.capabilities else ROUTE_H, 0.5)
        else:
            knowledge = self._knowledge(person, service)
            if "rollback" in tier.capabilities and incident.change_caused and incident.deployed_by == tier.team.name:
                median = 0.25  # the deployer sees its own recent change
            else:
                # calibration A5: median = base / (knowledge x telemetry + 0.1)
                median = p["diagnosis_median_h"] / (knowledge * service.telemetry + 0.1)
            if tier.swarm and in_hours:  # stop the line: the whole team swarms
                now = m.time
                crew = [e for e in tier.team.members if e.vacant_until <= now]
                median /= 1 + 0.25 * (len(crew) - 1)
            duration = m.lognormal(median, p["diagnosis_sigma"])
        incident.gave_up = False
        last_tier = index + 1 >= len(self.paths[incident.iid])
        if not last_tier and duration > p["escalation_timebox_h"]:  # ITIL functional escalation by time
            duration = p["escalation_timebox_h"]
            incident.gave_up = True
        end = m.time + duration
        for e in crew:
            e.busy_until = max(e.busy_until, end)
            incident.responders.add(e.unique_id)
            e.working_incident = incident.iid
        if tier.team.kind == DELIVERY:
            tier.team.felt_pages += 1
            if in_hours:
                tier.team.interrupt_h += duration * len(crew)
        if not in_hours:
            m.book_callout(person, duration)
        m.at(end, self.decide, incident, index, person)

    def _swarm(self, incident: Incident, owner: Engineer) -> None:
        """The ticket's owner tries the quick fix, else pulls in the best-placed people and they fix it together."""
        m, p = self.model, self.model.p
        service = m.services[incident.service]
        in_hours = m.calendar.is_working(m.time)
        if incident.acknowledged is None:
            incident.acknowledged = m.time
        incident.responders.add(owner.unique_id)
        first = self.paths[incident.iid][0]
        quick = first.team.kind != DELIVERY and "runbook" in self.swarm_first_caps(incident) and incident.anticipated
        if quick and m.random.random() < p["l1_runbook_skill"]:  # the dispatch swarm solves known issues at once
            m.at(
                m.time + m.lognormal(TRIAGE_H + REMEDY_H[Action.RUNBOOK], 0.5),
                self.restore,
                incident,
                "swarm",
                Action.RUNBOOK,
                owner,
            )
            return
        crew, caps, join = [owner], set(self.paths[incident.iid][0].capabilities), 0.0
        for tier in self.swarm_experts[incident.iid]:
            expert, latency = self._expert(tier, owner, service, in_hours)
            if expert is None:
                continue
            crew.append(expert)
            caps |= tier.capabilities
            join = max(join, latency)
            if not in_hours:
                m.book_callout(expert, p["diagnosis_median_h"])
        if not in_hours:
            m.book_callout(owner, p["diagnosis_median_h"])
        best = max(self._knowledge(e, service) for e in crew)
        median = p["diagnosis_median_h"] / (best * service.telemetry + 0.1)
        if incident.change_caused and incident.deployed_by in {e.team.name for e in crew}:
            median = 0.25  # the deployer is in the swarm and sees its own recent change
        duration = join + m.lognormal(median / (1 + 0.25 * (len(crew) - 1)), p["diagnosis_sigma"])
        for e in crew:
            e.busy_until = max(e.busy_until, m.time + duration)
            e.working_incident = incident.iid
            incident.responders.add(e.unique_id)
            if e.team.kind == DELIVERY:
                e.team.felt_pages += 1
                if in_hours:
                    e.team.interrupt_h += duration
        for e in crew[1:]:
            self.handoffs_by_day.append((m.time, owner.node, e.node))
        ctx = TriageContext(
            capabilities=frozenset(caps),
            knowledge=best,
            anticipated=incident.anticipated,
            change_caused=incident.change_caused,
            deployed_by_tier=incident.deployed_by in {e.team.name for e in crew},
            can_escalate=False,
            l1_runbook_skill=p["l1_runbook_skill"],
            bounce_prob=0.0,
            workaround_prob=p["workaround_prob"],
        )
        action = m.triager.decide(ctx, m.random)
        end = m.time + duration
        if action is Action.BOUNCE:  # nobody in tonight's swarm can restore it: the owners fix it in the morning
            action, end = Action.CODE_FIX, m.calendar.add_working_hours(end, p["diagnosis_median_h"])
        m.at(end + m.lognormal(REMEDY_H[action], 0.5), self.restore, incident, "swarm", action, owner)

    def _expert(self, tier: Tier, owner: Engineer, service: Service, in_hours: bool) -> tuple[Engineer | None, float]:
        """The best-placed engineer of ``tier``'s team for this service, and how long they take to join."""
        m = self.model
        if in_hours:
            now = m.time
            people = [e for e in tier.team.members if e.vacant_until <= now]
            if not people:
                return None, 0.0
            best = max(people, key=lambda e: (self._knowledge(e, service), m.comms.has_edge(owner.node, e.node)))
            tie = m.comms.get_edge_data(owner.node, best.node)
            return best, (5.0 / 60.0) / tie["weight"] if tie else 0.25  # a shared swarm channel otherwise
        rota = m.rota_for.get(tier.team.name)
        if tier.ooh == "rota" and rota is not None and rota.current is not None:
            answers, latency = self._response(rota.current, rota.current.pay_rule.paid, False)
            return (rota.current, latency) if answers else (None, 0.0)
        if tier.ooh == "best_endeavours":
            contact = self._contact(owner, tier.team)
            if contact is not None:
                answers, latency = self._response(contact[0], False, False)
                if answers:
                    return contact[0], latency + self._tie_latency(contact)
        return None, 0.0

    def swarm_first_caps(self, incident: Incident) -> frozenset[str]:
        """What the first team on the original path could do (before the tiers were merged into a swarm)."""
        return self.first_caps.get(incident.iid, frozenset())

    def _knowledge(self, engineer: Engineer, service: Service) -> float:
        p = self.model.p
        if engineer.team.kind in OPS_RUN and p["perfect_ops_knowledge"]:
            return p["owner_knowledge"]
        return engineer.knows(service.sid)

    def decide(self, incident: Incident, index: int, person: Engineer) -> None:
        """The tier chooses: restore (runbook, rollback, workaround, fix), escalate or bounce."""
        m, p = self.model, self.model.p
        path = self.paths[incident.iid]
        tier = path[index]
        service = m.services[incident.service]
        person.working_incident = None
        knowledge = self._knowledge(person, service)
        if incident.gave_up:  # timed out without understanding the failure
            knowledge = 0.0
        bounces = sum(1 for h in incident.handoffs if h.kind == "bounce")
        ctx = TriageContext(
            capabilities=tier.capabilities,
            knowledge=knowledge,
            anticipated=incident.anticipated,
            change_caused=incident.change_caused,
            deployed_by_tier=incident.deployed_by == tier.team.name,
            can_escalate=index + 1 < len(path),
            l1_runbook_skill=p["l1_runbook_skill"],
            bounce_prob=p["bounce_prob"] if (index > 0 and bounces < MAX_BOUNCES) else 0.0,
            workaround_prob=p["workaround_prob"],
        )
        action = m.triager.decide(ctx, m.random)
        if action is Action.ESCALATE:
            self._escalate(incident, index, person)
        elif action is Action.BOUNCE:
            self.reach(incident, index - 1, person, "bounce")
        elif action is Action.CODE_FIX and tier.deploys_via is not None:
            self._apply_fix_via(incident, tier, person)
        else:
            m.at(
                m.time + m.lognormal(REMEDY_H[action], 0.5),
                self.restore,
                incident,
                tier.level,
                action,
                person,
            )

    def _escalate(self, incident: Incident, index: int, person: Engineer) -> None:
        """Pass the ticket up; a tier mapping a service to its team may pick the wrong team first."""
        m = self.model
        nxt = self.paths[incident.iid][index + 1]
        others = [t for t in m.delivery_teams if t is not nxt.team]
        if nxt.team.kind == DELIVERY and others and person.team.kind in OPS_RUN:
            knowledge = person.knows(incident.service)
            if m.random.random() < (1 - knowledge) * len(others) / len(m.delivery_teams):
                wrong = others[m.random.randrange(len(others))]
                self._wrong_team(incident, index, person, wrong)
                return
        self.reach(incident, index + 1, person, "escalate")

    def _wrong_team(self, incident: Incident, index: int, person: Engineer, wrong: Team) -> None:
        """The ticket goes to a team that does not own the service, which sends it back after a look."""
        m = self.model
        self.queues[incident.queue].leave(m.time, incident)
        incident.handoffs.append(Handoff(m.time, incident.queue, wrong.name, "wrong_team"))
        incident.queue = wrong.name
        self.queues[wrong.name].enter(m.time, incident)
        back = m.calendar.add_working_hours(m.time, m.p["formal_ticket_latency_h"] + WRONG_TEAM_LOOK_H)
        wrong.interrupt_h += WRONG_TEAM_LOOK_H
        m.at(back, self._return_from_wrong_team, incident, index, person)

    def _return_from_wrong_team(self, incident: Incident, index: int, person: Engineer) -> None:
        m = self.model
        wrong = incident.queue
        self.queues[wrong].leave(m.time, incident)
        owner = self.paths[incident.iid][index]
        incident.handoffs.append(Handoff(m.time, wrong, owner.team.name, "bounce"))
        incident.queue = owner.team.name
        self.queues[owner.team.name].enter(m.time, incident)
        self.reach(incident, index + 1, person, "escalate")

    def _apply_fix_via(self, incident: Incident, tier: Tier, person: Engineer) -> None:
        """A team without production access hands its fix to the deploying team, which applies it."""
        m = self.model
        deployer = tier.deploys_via
        self.queues[incident.queue].leave(m.time, incident)
        incident.handoffs.append(Handoff(m.time, incident.queue, deployer.name, "apply_fix"))
        incident.queue = deployer.name
        self.queues[deployer.name].enter(m.time, incident)
        rota = m.rota_for.get(deployer.name)
        if not m.calendar.is_working(m.time) and rota is not None and rota.current is not None:
            applier, start = rota.current, m.time
            _, latency = self._response(applier, True, False)
            start += latency
        elif m.delivery.desk_for(deployer) is not None:
            applier, start = m.delivery.desk_for(deployer).claim(m.calendar.next_working(m.time))
        else:
            applier = deployer.members[0]
            start = m.calendar.next_working(m.time)
        duration = m.p["app_ops_deploy_h"] / 2
        if deployer.outsourced:
            start += m.p["outsourced_delay_h"]
        applier.busy_until = max(applier.busy_until, start + duration)
        incident.responders.add(applier.unique_id)
        self.handoffs_by_day.append((m.time, person.node, applier.node))
        comms.strengthen(m.comms, person.node, applier.node, m.p["tie_gain_per_joint_incident"])
        m.at(start + duration, self.restore, incident, tier.level, Action.CODE_FIX, person)

    def restore(self, incident: Incident, level: str, action: Action, person: Engineer) -> None:
        """Service is restored; a workaround leaves rework, a fix removes the latent fault, people learn."""
        m, p = self.model, self.model.p
        service = m.services[incident.service]
        incident.restored = m.time
        self.restored_count += 1
        incident.resolved_at = "swarm" if level == "owner" else level
        incident.remedy = str(action)
        self.queues[incident.queue].leave(m.time, incident)
        incident.queue = ""
        for uid in incident.responders:
            e = m.by_uid[uid]
            if e.working_incident == incident.iid:
                e.working_incident = None
        if action is Action.WORKAROUND:
            m.delivery.add_rework(service, incident.iid)
        elif action is Action.CODE_FIX and service.latent_faults > 0:
            service.latent_faults -= 1
            if incident.repeat:
                service.worked_around = max(0, service.worked_around - 1)
        if incident in service.blocked_by:  # a failed deployment is restored: releases flow once none is open
            service.blocked_by.remove(incident)  # Incident compares by identity (eq=False)
            if not service.blocked_by:
                m.delivery.try_release(service)
        m.policy.incident_restored(incident, m)
        self._learn(incident, service)
        # joint work strengthens ties and spreads knowledge along them
        responders = sorted(incident.responders)
        gain = p["tie_gain_per_joint_incident"]
        if gain > 0 and len(responders) > 1:
            people = [m.by_uid[i] for i in responders]
            best = max(e.knows(service.sid) for e in people)
            for e in people:
                e.learn(service.sid, gain * 0.5 * (best - e.knows(service.sid)))
            for i in range(len(people) - 1):
                if people[i].team is not people[i + 1].team:
                    comms.strengthen(m.comms, people[i].node, people[i + 1].node, gain)

    # --- learning and feedback (issue 5) ----------------------------------------------------------------
    def _learn(self, incident: Incident, service: Service) -> None:
        """Tell the owner (directly, through the graph, or not at all) and queue post-incident actions."""
        m, p = self.model, self.model.p
        owner = service.owner
        responded = any(m.by_uid[uid].team is owner for uid in incident.responders)
        if not responded:
            if p["delivery_feedback"]:
                owner.felt_pages += 1.0
            else:  # hearsay: a responder who knows someone in the owning team mentions it
                owner_nodes = [e.node for e in owner.members]
                ties = [comms.best_contact(m.comms, m.by_uid[uid].node, owner_nodes) for uid in incident.responders]
                strength = max((t[1] for t in ties if t is not None), default=0.0)
                if m.random.random() < strength:
                    owner.felt_pages += 0.5
        if m.policy.reviews_every_incident(owner):
            m.delivery.add_operability_item(service, incident.iid, "delivery")
        elif incident.severity == "major":  # late, single-cause root-cause analysis, majors only
            delay_h = m.random.uniform(5, 10) * 24.0 * 7 / 5
            m.at(m.time + delay_h, self._rca_done, incident)

    def _rca_done(self, incident: Incident) -> None:
        """The RCA report: it reaches the Delivery team sometimes; otherwise its action joins a support backlog."""
        m = self.model
        service = m.services[incident.service]
        if m.random.random() < m.p["rca_reach_prob"]:
            service.owner.felt_pages += 1.0
            m.delivery.add_operability_item(service, incident.iid, "delivery")
        else:
            m.delivery.add_operability_item(service, incident.iid, "support")
