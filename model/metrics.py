"""Measures: named daily reporters for the DataCollector, the run summary, and event tables.

Definitions follow operating-models.md §5: DORA's four keys, demand satisfaction and the Discontinuous
Delivery flag, incident routing measures, and costs derived from the ledger, never estimated apart.
"""

from __future__ import annotations

import statistics
from collections import deque
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from agents.pay import Kind
from model.calendar import HOURS_PER_WEEK
from model.operating_models.base import APP_OPS, DELIVERY

if TYPE_CHECKING:
    from collections.abc import Sequence

    from model.org import OrgModel
    from model.services import Incident, Release

WINDOW_WEEKS = 4  # trailing window of the weekly Discontinuous Delivery flag
WEEKS_PER_MONTH = 52.0 / 12.0


def _median(values: Any) -> float:
    values = list(values)
    return float(statistics.median(values)) if values else float("nan")


def _p90(values: Any) -> float:
    values = list(values)
    return float(np.percentile(values, 90)) if values else float("nan")


def _mean(values: Any) -> float:
    if type(values) is not list and type(values) is not deque:
        values = list(values)
    return float(sum(values) / len(values)) if values else float("nan")


# --- daily reporters (module-level named functions so the model pickles) --------------------------------
def day(m: OrgModel) -> float:
    """Days elapsed."""
    return m.time / 24.0


def deployments_cum(m: OrgModel) -> int:
    """Successful deployments so far, all services."""
    return sum([s.deployments for s in m.services])


def demand_cum(m: OrgModel) -> int:
    """Deployments demand has implied so far: one per feature that has arrived."""
    return len(m.delivery.features)


def features_waiting(m: OrgModel) -> int:
    """Finished features not yet live (ready or in a release)."""
    return sum([len(s.ready) + (sum([r.size for r in s.in_flight]) if s.in_flight else 0) for s in m.services])


def feature_backlog(m: OrgModel) -> int:
    """Features not yet finished."""
    return sum([len(t.features) for t in m.delivery_teams])


def lead_time_h_recent(m: OrgModel) -> float:
    """Median lead time (ready to live) of the latest features to go live."""
    flow = m.delivery
    key = flow.lead_times_recorded  # the median changes only when a feature goes live: most days reuse it
    if flow.lead_time_median[0] != key:
        flow.lead_time_median = (key, _median(flow.recent_lead_times))
    return flow.lead_time_median[1]


def incidents_cum(m: OrgModel) -> int:
    """Incidents so far."""
    return len(m.support.incidents)


def incidents_open(m: OrgModel) -> int:
    """Incidents not yet restored."""
    return len(m.support.incidents) - m.support.restored_count


def ttr_h_recent(m: OrgModel) -> float:
    """Median time to restore of the latest 30 restored incidents."""
    flow = m.support
    key = (len(flow.incidents), flow.restored_count)  # unchanged unless an incident started or was restored
    if flow.ttr_median[0] != key:
        done = [i.restored - i.started for i in flow.incidents[-60:] if i.restored is not None]
        flow.ttr_median = (key, _median(done[-30:]))
    return flow.ttr_median[1]


def operability(m: OrgModel) -> float:
    """Mean operability stock over services."""
    return _mean([s.operability for s in m.services])


def telemetry(m: OrgModel) -> float:
    """Mean telemetry stock."""
    return _mean([s.telemetry for s in m.services])


def failure_design(m: OrgModel) -> float:
    """Mean failure-design stock."""
    return _mean([s.failure_design for s in m.services])


def documentation(m: OrgModel) -> float:
    """Mean documentation and runbook stock."""
    return _mean([s.documentation for s in m.services])


def latent_faults(m: OrgModel) -> float:
    """Mean latent faults per service."""
    return _mean([s.latent_faults for s in m.services])


def rework_backlog(m: OrgModel) -> int:
    """Proper fixes waiting in Delivery backlogs after workarounds."""
    return sum([len(t.rework) for t in m.delivery_teams])


def app_ops_knowledge(m: OrgModel) -> float:
    """App Ops' mean knowledge of the services (NaN where there is no App Ops)."""
    if not m.has_team(APP_OPS):
        return float("nan")
    ops = m.team(APP_OPS).members
    sids = [s.sid for s in m.services]
    return _mean([know(sid, 0.0) for know in [e.knowledge.get for e in ops] for sid in sids])  # as Engineer.knows


def operability_backlog(m: OrgModel) -> int:
    """Post-incident actions not yet done, in Delivery and support backlogs."""
    return len(m.delivery.operability_items) - m.delivery.operability_items_done


def ops_share(m: OrgModel) -> float:
    """Mean operational share of capacity the Delivery teams chose last."""
    return _mean([t.ops_share for t in m.delivery_teams])


def attrition_cum(m: OrgModel) -> int:
    """Engineers who have left so far."""
    return m.attrition


def fatigue_mean(m: OrgModel) -> float:
    """Mean fatigue over engineers."""
    return _mean([e.fatigue for e in m.engineers])


def morale_mean(m: OrgModel) -> float:
    """Mean morale over engineers."""
    return _mean([e.morale for e in m.engineers])


def standby_cost(m: OrgModel) -> float:
    """Standby pay so far (ledger)."""
    return m.ledger.amount(Kind.STANDBY)


def callout_cost(m: OrgModel) -> float:
    """Callout pay so far (ledger)."""
    return m.ledger.amount(Kind.CALLOUT)


def unpaid_ooh_h(m: OrgModel) -> float:
    """Unpaid out-of-hours hours so far (ledger)."""
    return m.ledger.hours(Kind.UNPAID_OOH)


def toil_h(m: OrgModel) -> float:
    """Time off in lieu hours so far (ledger)."""
    return m.ledger.hours(Kind.TOIL)


def stage_cab_h(m: OrgModel) -> float:
    """Recent mean hours in the CAB stage."""
    return _mean(m.delivery.queues["cab"].recent)


def stage_app_ops_deploy_h(m: OrgModel) -> float:
    """Recent mean hours in the App Ops deployment stage (queue, work and window)."""
    return _mean(m.delivery.queues["app_ops_deploy"].recent)


def stage_smoke_test_h(m: OrgModel) -> float:
    """Recent mean hours in the smoke-test stage."""
    return _mean(m.delivery.queues["smoke_test"].recent)


def stage_handover_h(m: OrgModel) -> float:
    """Recent mean hours in the knowledge-transfer stage."""
    return _mean(m.delivery.queues["handover"].recent)


def stage_team_deploy_h(m: OrgModel) -> float:
    """Recent mean hours in the team's own deployment stage."""
    return _mean(m.delivery.queues["team_deploy"].recent)


DAILY_REPORTERS = {
    "day": day,
    "deployments_cum": deployments_cum,
    "demand_cum": demand_cum,
    "features_waiting": features_waiting,
    "feature_backlog": feature_backlog,
    "lead_time_h_recent": lead_time_h_recent,
    "stage_cab_h": stage_cab_h,
    "stage_app_ops_deploy_h": stage_app_ops_deploy_h,
    "stage_smoke_test_h": stage_smoke_test_h,
    "stage_handover_h": stage_handover_h,
    "stage_team_deploy_h": stage_team_deploy_h,
    "incidents_cum": incidents_cum,
    "incidents_open": incidents_open,
    "ttr_h_recent": ttr_h_recent,
    "operability": operability,
    "telemetry": telemetry,
    "failure_design": failure_design,
    "documentation": documentation,
    "latent_faults": latent_faults,
    "rework_backlog": rework_backlog,
    "operability_backlog": operability_backlog,
    "ops_share": ops_share,
    "attrition_cum": attrition_cum,
    "app_ops_knowledge": app_ops_knowledge,
    "fatigue_mean": fatigue_mean,
    "morale_mean": morale_mean,
    "standby_cost": standby_cost,
    "callout_cost": callout_cost,
    "unpaid_ooh_h": unpaid_ooh_h,
    "toil_h": toil_h,
}


# --- delivery measures -----------------------------------------------------------------------------------
def weekly_satisfaction(m: OrgModel) -> dict[int, list[float]]:
    """Per service, per week: trailing-window deployments / deployments demand implied (1 if none demanded)."""
    weeks = m.p["weeks"]
    out = {}
    for sid, deploys in m.delivery.deploys_week.items():
        arrivals = m.delivery.arrivals_week[sid]
        ratios = []
        for w in range(WINDOW_WEEKS, weeks + 1):
            demanded = sum(arrivals[w - WINDOW_WEEKS : w])
            done = sum(deploys[w - WINDOW_WEEKS : w])
            ratios.append(min(1.0, done / demanded) if demanded else 1.0)
        out[sid] = ratios
    return out


def delivery_summary(m: OrgModel) -> dict[str, Any]:
    """DORA throughput, demand satisfaction and the Discontinuous Delivery flag."""
    p, flow = m.p, m.delivery
    weeks = p["weeks"]
    half = weeks // 2
    per_service, second_half = [], []
    for sid, deploys in flow.deploys_week.items():
        arrivals = flow.arrivals_week[sid]
        per_service.append(sum(deploys) / sum(arrivals) if sum(arrivals) else 1.0)
        late_demand = sum(arrivals[half:weeks])
        second_half.append(sum(deploys[half : weeks + 1]) / late_demand if late_demand else 1.0)
    threshold = p["discontinuity_threshold"]
    flags = [r < threshold for ratios in weekly_satisfaction(m).values() for r in ratios]
    attempted = [r for r in flow.releases if r.deployed is not None]
    live = [f for f in flow.features if f.live is not None]
    lead = [f.live - f.done for f in live]
    touch = {f.fid: r.touch_h for r in flow.releases if r.live is not None for f in r.features}
    wait_shares = [1.0 - min(1.0, touch.get(f.fid, 0.0) / (f.live - f.done)) if f.live > f.done else 0.0 for f in live]
    deployments = sum(s.deployments for s in m.services)
    return {
        "deploys_per_week": deployments / len(m.services) / weeks,
        "demand_per_week": p["demand_per_week"],
        "demanded_per_week": len(flow.features) / len(m.services) / weeks,
        "demand_satisfaction": _median(per_service),
        "demand_satisfaction_second_half": _median(second_half),
        "discontinuous_delivery": bool(_median(second_half) < threshold),
        "weeks_discontinuous_share": _mean(flags) if flags else 0.0,
        "lead_time_h_median": _median(lead),
        "lead_time_h_p90": _p90(lead),
        "lead_time_wait_share": _mean(wait_shares),
        "batch_size_mean": _mean(r.size for r in attempted),
        "change_failure_rate": _mean(1.0 if r.failed else 0.0 for r in attempted),
        "features_live": len(live),
        "knowledge_sync_hours": flow.sync_hours,
    }


# --- support measures --------------------------------------------------------------------------------------
def support_summary(m: OrgModel) -> dict[str, Any]:
    """Incident counts, acknowledgement and restore times, routing, workarounds and paging load."""
    incidents = m.support.incidents
    done = [i for i in incidents if i.restored is not None]
    weeks = m.p["weeks"]
    ttr = [i.restored - i.started for i in done]
    tta = [(i.acknowledged - i.detected) * 60.0 for i in incidents if i.acknowledged is not None]
    moved = [i for i in done if i.handoffs]
    pages = sum(e.ooh_pages for e in m.engineers)
    pageable = [e for e in m.engineers if e.ooh_pages > 0 or e.on_call or e.team.kind != DELIVERY] or m.engineers
    return {
        "incidents": len(incidents),
        "incidents_per_week": len(incidents) / weeks,
        "incidents_open_end": len(incidents) - len(done),
        "time_to_acknowledge_min_median": _median(tta),
        "time_to_restore_h_median": _median(ttr),
        "time_to_restore_h_p90": _p90(ttr),
        "time_to_restore_h_mean": _mean(ttr),
        "reassignments_per_incident": _mean(i.reassignments for i in done),
        "share_reassigned": len(moved) / len(done) if done else float("nan"),
        "ttr_h_median_reassigned": _median(i.restored - i.started for i in moved),
        "ttr_h_median_first_time_right": _median(i.restored - i.started for i in done if not i.handoffs),
        "share_resolved_at_l1": _mean(1.0 if i.resolved_at == "L1" else 0.0 for i in done),
        "workarounds": sum(1 for i in done if i.remedy == "workaround"),
        "rework_backlog_end": rework_backlog(m),
        "rework_lead_time_h_median": _median(r.done - r.created for r in m.delivery.rework_items if r.done is not None),
        "repeat_incident_share": _mean(1.0 if i.repeat else 0.0 for i in incidents),
        "out_of_hours_pages_per_engineer_month": pages / len(pageable) / (weeks / WEEKS_PER_MONTH),
        "handoff_hours": m.support.handoff_hours,
        "ttr_h_median_out_of_hours": _median(i.restored - i.started for i in done if i.out_of_hours_start),
    }


def cost_summary(m: OrgModel) -> dict[str, Any]:
    """Costs from the ledger: standby, callout, CapEx and OpEx totals, unpaid hours and TOIL."""
    led = m.ledger
    return {
        "standby_cost": led.amount(Kind.STANDBY),
        "callout_cost": led.amount(Kind.CALLOUT),
        "capex_cost": led.amount(account="capex"),
        "opex_cost": led.amount(account="opex"),
        "delivery_unpaid_ooh_hours": led.hours(Kind.UNPAID_OOH),
        "toil_hours": led.hours(Kind.TOIL),
    }


def incident_loss(m: OrgModel) -> float:
    """Revenue lost to incidents: exposure per hour x impact fraction x downtime, per service (PB)."""
    loss, now = 0.0, m.time
    for i in m.support.incidents:
        end = i.restored if i.restored is not None else now
        loss += (end - i.started) * i.impact * m.services[i.service].exposure_per_hour
    return loss


def cost_of_delay(m: OrgModel) -> float:
    """Value lost while finished features wait to go live (demand x lead time, operating-models.md §5)."""
    rate, now = m.p["cost_of_delay_per_feature_week"] / HOURS_PER_WEEK, m.time
    return rate * sum(
        (f.live if f.live is not None else now) - f.done for f in m.delivery.features if f.done is not None
    )


def total_cost_summary(m: OrgModel) -> dict[str, Any]:
    """The insurance view (S6, PB): premium (run cost) + uninsured loss + cost of delay."""
    led, p = m.ledger, m.p
    run_cost = (
        led.amount(Kind.STANDBY)
        + led.amount(Kind.CALLOUT)
        + led.amount(Kind.TOIL)
        + led.hours(Kind.UNPAID_OOH) * p["engineer_cost_per_hour"]
    )
    loss, delay = incident_loss(m), cost_of_delay(m)
    return {"run_cost": run_cost, "incident_loss": loss, "cost_of_delay": delay, "total_cost": run_cost + loss + delay}


def people_summary(m: OrgModel) -> dict[str, Any]:
    """Fatigue and morale at the end, and how Delivery time was spent."""
    hours = {k: sum(t.hours[k] for t in m.delivery_teams) for k in m.delivery_teams[0].hours}
    worked = sum(v for k, v in hours.items() if k != "idle") or 1.0
    items = m.delivery.operability_items
    quarter = min(13, m.p["weeks"]) * HOURS_PER_WEEK
    started = [i.started for i in m.support.incidents]
    horizon = m.horizon
    return {
        "operability_backlog_end": operability_backlog(m),
        "operability_item_lead_time_h_median": _median(i.done - i.created for i in items if i.done is not None),
        "incidents_per_week_first_quarter": sum(1 for t in started if t < quarter) / (quarter / HOURS_PER_WEEK),
        "incidents_per_week_last_quarter": sum(1 for t in started if t >= horizon - quarter)
        / (quarter / HOURS_PER_WEEK),
        "ops_share_end": ops_share(m),
        "attrition": m.attrition,
        "ops_outsourced": m.outsourced_week is not None,
        "ops_outsourced_week": m.outsourced_week if m.outsourced_week is not None else -1,
        "ops_headcount_cuts": m.headcount_cuts,
        "delivery_morale_mean": _mean(e.morale for t in m.delivery_teams for e in t.members),
        "delivery_morale_min": min(e.morale for t in m.delivery_teams for e in t.members),
        "delivery_attrition": m.delivery_attrition,
        "attrition_expected": m.attrition_expected,
        "delivery_attrition_expected": m.delivery_attrition_expected,
        "delivery_morale_avg": m.delivery_morale_weeks[0] / m.delivery_morale_weeks[1]
        if m.delivery_morale_weeks[1]
        else 1.0,
        "fatigue_mean": fatigue_mean(m),
        "morale_mean": morale_mean(m),
        "planned_work_share": (hours["product"] + hours["operability"]) / worked,
        "unplanned_work_share": (hours["unplanned"] + hours["rework"]) / worked,
        "operability_start": m.p["operability_start"],
        "operability_end": operability(m),
        "latent_faults_end": latent_faults(m),
    }


def summary(m: OrgModel, seed: Any) -> dict[str, Any]:
    """The flat run summary: identity keys first, then delivery, support, cost and people measures."""
    out: dict[str, Any] = {
        "operating_model": m.p["operating_model"],
        "seed": seed,
        "weeks": m.p["weeks"],
        "engineers": len(m.engineers),
        "delivery_teams": len(m.delivery_teams),
    }
    out.update(delivery_summary(m))
    out.update(support_summary(m))
    out.update(cost_summary(m))
    out.update(total_cost_summary(m))
    out.update(people_summary(m))
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in out.items()}


# --- event tables -----------------------------------------------------------------------------------------
# Each ``*_table(m)`` reads the model; the ``*_frame`` functions behind them read only records that do not change
# once a run is over (and hold no reference to the model), so ``run`` can build the tables when first asked.
def incident_table(m: OrgModel) -> pd.DataFrame:
    """One row per incident, every stage timestamped."""
    return incident_frame(m.support.incidents)


def incident_frame(incidents: Sequence[Incident]) -> pd.DataFrame:
    """``incident_table`` from the incident records."""
    rows = []
    for i in incidents:
        rows.append(
            {
                "incident": i.iid,
                "service": i.service,
                "severity": i.severity,
                "change_caused": i.change_caused,
                "anticipated": i.anticipated,
                "repeat": i.repeat,
                "started": i.started,
                "detected": i.detected,
                "detected_by": i.detected_by,
                "acknowledged": i.acknowledged,
                "restored": i.restored,
                "resolved_at": i.resolved_at,
                "remedy": i.remedy,
                "reassignments": i.reassignments,
                "responders": len(i.responders),
                "out_of_hours_start": i.out_of_hours_start,
                "queue": i.queue,
            }
        )
    return pd.DataFrame(rows)


def handoff_table(m: OrgModel) -> pd.DataFrame:
    """One row per handoff of any incident between teams."""
    return handoff_frame(m.support.incidents)


def handoff_frame(incidents: Sequence[Incident]) -> pd.DataFrame:
    """``handoff_table`` from the incident records."""
    rows = [
        {"incident": i.iid, "time": h.time, "from_team": h.from_team, "to_team": h.to_team, "kind": h.kind}
        for i in incidents
        for h in i.handoffs
    ]
    return pd.DataFrame(rows, columns=["incident", "time", "from_team", "to_team", "kind"])


def release_table(m: OrgModel) -> pd.DataFrame:
    """One row per release: size, creation, each stage's enter/start/end, deployment outcome."""
    return release_frame(m.delivery.releases)


def release_frame(releases: Sequence[Release]) -> pd.DataFrame:
    """``release_table`` from the release records."""
    rows = []
    for r in releases:
        row = {
            "release": r.rid,
            "service": r.service,
            "size": r.size,
            "created": r.created,
            "path": ">".join(r.path),
            "deployed": r.deployed,
            "live": r.live,
            "failed": r.failed,
            "accepted": r.accepted,
        }
        for stage, (enter, start, end) in r.stages.items():
            row[f"{stage}_enter"], row[f"{stage}_start"], row[f"{stage}_end"] = enter, start, end
        rows.append(row)
    return pd.DataFrame(rows)


def service_table(m: OrgModel) -> pd.DataFrame:
    """One row per service: its profile, who runs it, delivery against demand, operability and incidents."""
    return pd.DataFrame(service_rows(m))


def service_rows(m: OrgModel) -> list[dict[str, Any]]:
    """The rows of ``service_table`` (plain values: services and the policy are read now)."""
    by_service: dict[int, list] = {s.sid: [] for s in m.services}
    for i in m.support.incidents:
        by_service[i.service].append(i)
    rows = []
    for s in m.services:
        demanded = sum(m.delivery.arrivals_week[s.sid])
        restored = [i.restored - i.started for i in by_service[s.sid] if i.restored is not None]
        rows.append(
            {
                "service": s.sid,
                "owner": s.owner.name,
                "band": s.profile.band,
                "target": s.target,
                "exposure_per_hour": s.exposure_per_hour,
                "traffic": s.traffic,
                "kind": s.kind,
                "run_by": m.policy.run_by(s, m),
                "deployments": s.deployments,
                "demanded": demanded,
                "demand_satisfaction": s.deployments / demanded if demanded else 1.0,
                "operability": s.operability,
                "latent_faults": s.latent_faults,
                "incidents": len(by_service[s.sid]),
                "time_to_restore_h_median": _median(restored),
            }
        )
    return rows


def event_table(m: OrgModel) -> pd.DataFrame:
    """Notable events (pager hand-backs, SRE take-ons, outsourcing) in time order."""
    return event_frame(m.events)


def event_frame(events: Sequence[tuple[float, str, str]]) -> pd.DataFrame:
    """``event_table`` from the model's event log."""
    return pd.DataFrame(events, columns=["time", "kind", "detail"])
