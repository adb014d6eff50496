"""The one parameter schema: every parameter declared once with type, default, bounds, unit and doc.

Defaults follow ``shared/domain/calibration.md`` Part A; the CLI, the Solara controls, sweep specs and
SALib problems are all generated from :data:`PARAMS`, and :func:`validate` is the only validator.
"""

from __future__ import annotations

import difflib
import numbers
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Role = Literal["lever", "uncertainty", "setting"]


class ParamError(ValueError):
    """A parameter set that cannot be run; the message is one line naming the parameter."""


def check_seed(seed: Any, name: str = "seed") -> int:
    """The seed as an int, or ParamError: a whole number >= 0 (NumPy's generators refuse negative seeds)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ParamError(f"{name}={seed!r} is not allowed: the seed must be a whole number >= 0")
    return int(seed)


@dataclass(frozen=True)
class Param:
    """One model parameter: its type, default, allowed values, unit, doc and role."""

    name: str
    kind: type
    default: Any
    doc: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    role: Role = "uncertainty"
    group: str = "misc"
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None

    def allowed(self) -> str:
        """Describe the allowed values in words, for error messages and listings."""
        if self.kind is bool:
            return "true or false"
        if self.choices is not None:
            return "one of " + ", ".join(self.options())
        kind = "an integer" if self.kind is int else "a number"
        return f"{kind} in {self.low:g}..{self.high:g}"

    def options(self) -> tuple[str, ...]:
        """Return the allowed choices of a choice parameter (resolved now, so registries can grow)."""
        if self.choices is None:
            return ()
        return tuple(self.choices() if callable(self.choices) else self.choices)

    def check(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise :class:`ParamError` saying what is allowed."""
        shown = " ".join(reprlib.repr(value).split())  # one line, however the value prints
        bad = ParamError(f"{self.name}={shown} is not allowed: {self.name} must be {self.allowed()}")
        if self.kind is bool:
            if isinstance(value, bool | np.bool_):  # numpy booleans from sweeps too
                return bool(value)
            raise bad
        if self.kind is str:
            if isinstance(value, str) and value in self.options():
                return value
            raise bad
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or isinstance(value, np.bool_):
            raise bad
        if self.kind is int:  # numpy integers (from sweeps) count; 4.0 does too, 4.5 does not
            if not isinstance(value, numbers.Integral) and not float(value).is_integer():
                raise bad
            value = int(value)
        else:
            value = float(value)
            if value != value:  # NaN
                raise bad
        if not (self.low <= value <= self.high):
            raise bad
        return value

    def parse(self, text: str) -> Any:
        """Parse a command-line string into this parameter's type, then check it."""
        text = text.strip()
        if self.kind is bool:
            lowered = text.lower()
            if lowered in ("true", "1", "yes", "on"):
                return True
            if lowered in ("false", "0", "no", "off"):
                return False
            return self.check(text)
        if self.kind in (int, float):
            try:
                number = float(text)
            except ValueError:
                raise ParamError(f"{self.name}={text!r} is not allowed: {self.name} must be {self.allowed()}") from None
            return self.check(int(number) if self.kind is int and number.is_integer() else number)
        return self.check(text)


def _operating_models() -> tuple[str, ...]:
    """Names of the registered operating models (imported lazily: the registry may grow at run time)."""
    from model.operating_models import names

    return names()


def _behaviours(family: str) -> Callable[[], tuple[str, ...]]:
    """Return a function listing the registered behaviours of one family."""

    def options() -> tuple[str, ...]:
        from agents.behaviours import names

        return names(family)

    options.__name__ = f"{family}_behaviours"
    return options


_P = Param
_SCHEMA: tuple[Param, ...] = (
    # --- organisation (levers) ---
    _P(
        "operating_model",
        str,
        "ybiori",
        "Who deploys and who runs production (a registered policy)",
        role="lever",
        group="organisation",
        choices=_operating_models,
    ),
    _P("weeks", int, 52, "Simulated horizon", 1, 520, "weeks", "setting", "organisation"),
    _P(
        "delivery_teams",
        int,
        1,
        "Delivery teams, each owning one service",
        1,
        50,
        "teams",
        "lever",
        "organisation",
    ),
    _P(
        "developers_per_team",
        int,
        6,
        "Engineers in each Delivery team (a rota needs at least 3)",
        3,
        12,
        "people",
        "lever",
        "organisation",
    ),
    _P(
        "app_ops_size",
        int,
        5,
        "Application Operations (L2) headcount; fixed as teams grow",
        1,
        40,
        "people",
        "lever",
        "organisation",
    ),
    _P(
        "ops_bridge_size",
        int,
        5,
        "Operations Bridge (L1, alerts, 24/7) headcount",
        1,
        40,
        "people",
        "lever",
        "organisation",
    ),
    _P(
        "service_desk_size",
        int,
        4,
        "Service Desk (L1, customer contacts, in hours) headcount",
        1,
        40,
        "people",
        "lever",
        "organisation",
    ),
    # --- calendar ---
    _P(
        "workday_start_hour",
        int,
        9,
        "Start of working hours, Monday to Friday",
        0,
        23,
        "hour",
        "setting",
        "calendar",
    ),
    _P(
        "workday_end_hour",
        int,
        17,
        "End of working hours, Monday to Friday",
        1,
        24,
        "hour",
        "setting",
        "calendar",
    ),
    # --- demand ---
    _P(
        "demand_per_week",
        float,
        1.0,
        "Deployments per week that product demand calls for, per service (monthly 0.25, fortnightly 0.5, "
        "weekly 1, daily 5); one feature arrives per demanded deployment",
        0.05,
        20,
        "per week",
        "uncertainty",
        "demand",
    ),
    _P(
        "feature_effort_h",
        float,
        24.0,
        "Median effort of one product feature",
        1,
        400,
        "engineer-hours",
        "uncertainty",
        "demand",
    ),
    _P(
        "feature_effort_sigma",
        float,
        0.6,
        "Log-normal spread of feature effort",
        0,
        2,
        "",
        "uncertainty",
        "demand",
    ),
    _P(
        "demand_shock_week",
        int,
        0,
        "Week at which demand changes by demand_shock_factor (0: no shock)",
        0,
        520,
        "week",
        "uncertainty",
        "demand",
    ),
    _P(
        "demand_shock_factor",
        float,
        1.0,
        "Multiplier on demand from demand_shock_week on",
        0.1,
        20,
        "x",
        "uncertainty",
        "demand",
    ),
    # --- deployment pipeline ---
    _P(
        "cab_enabled",
        bool,
        True,
        "Normal changes wait for the Change Advisory Board (false: approval is instantaneous; an ablation)",
        role="lever",
        group="pipeline",
    ),
    _P("cab_interval_days", int, 7, "Days between CAB meetings", 1, 28, "days", "lever", "pipeline"),
    _P(
        "cab_cutoff_days",
        float,
        1.0,
        "A change request must reach the CAB this long before the meeting",
        0,
        10,
        "days",
        "lever",
        "pipeline",
    ),
    _P(
        "cab_defer_prob",
        float,
        0.1,
        "Chance the CAB defers a change to its next meeting",
        0,
        0.9,
        "",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "standard_change_share",
        float,
        0.9,
        "Share of changes pre-approved as standard where the operating model allows standard changes",
        0,
        1,
        "",
        "lever",
        "pipeline",
    ),
    _P(
        "app_ops_queue_enabled",
        bool,
        True,
        "App Ops deployments wait for App Ops capacity and a deployment window (false: deployed at once; an ablation)",
        role="lever",
        group="pipeline",
    ),
    _P(
        "app_ops_deploy_h",
        float,
        2.0,
        "App Ops effort to prepare and run one deployment",
        0.25,
        16,
        "hours",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "deploy_windows_per_week",
        int,
        2,
        "Out-of-hours deployment windows per week used by App Ops",
        1,
        7,
        "per week",
        "lever",
        "pipeline",
    ),
    _P(
        "team_deploy_h",
        float,
        0.25,
        "Effort for a team to deploy through its own pipeline",
        0.05,
        4,
        "hours",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "smoke_test_h",
        float,
        0.5,
        "Delivery effort to smoke-test a deployment made by someone else",
        0,
        8,
        "hours",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "handover_app_ops_h",
        float,
        4.0,
        "App Ops hours in the knowledge-transfer session per deployment",
        0,
        40,
        "hours",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "handover_delivery_h",
        float,
        2.0,
        "Delivery hours in the knowledge-transfer session per deployment",
        0,
        40,
        "hours",
        "uncertainty",
        "pipeline",
    ),
    _P(
        "max_releases_in_flight",
        int,
        1,
        "Releases of one service and change class that may be in the "
        "pipeline at once (a new one is cut only when the previous is accepted)",
        1,
        10,
        "releases",
        "lever",
        "pipeline",
    ),
    _P(
        "deploy_failure_p0",
        float,
        0.05,
        "Base chance a one-feature deployment fails (grows with batch, falls with failure design)",
        0,
        0.5,
        "",
        "uncertainty",
        "pipeline",
    ),
    # --- work and operability ---
    _P(
        "prioritisation",
        str,
        "felt-pain",
        "How a Delivery team splits capacity between features, operability and rework (a registered behaviour)",
        role="lever",
        group="work",
        choices=_behaviours("prioritise"),
    ),
    _P(
        "operability_share",
        float,
        0.1,
        "Share of Delivery capacity the fixed prioritisation gives to operability work",
        0,
        0.9,
        "",
        "lever",
        "work",
    ),
    _P(
        "operability_start",
        float,
        0.3,
        "Starting telemetry, failure design and runbook stocks",
        0,
        1,
        "",
        "uncertainty",
        "work",
    ),
    _P(
        "operability_gain_per_8h",
        float,
        0.02,
        "Rise in operability (spread over the three stocks, "
        "diminishing towards 1) per 8 hours of operability work by the owning team",
        0,
        0.2,
        "",
        "uncertainty",
        "work",
    ),
    _P(
        "operability_decay_per_week",
        float,
        0.01,
        "Relative weekly decay of the stocks",
        0,
        0.2,
        "",
        "uncertainty",
        "work",
    ),
    _P(
        "operability_erosion_per_feature",
        float,
        0.02,
        "Relative erosion of the stocks by each feature that goes live (new code without operational work)",
        0,
        0.2,
        "",
        "uncertainty",
        "work",
    ),
    _P(
        "latent_faults_start",
        int,
        2,
        "Latent faults in each service at the start",
        0,
        50,
        "faults",
        "uncertainty",
        "work",
    ),
    _P(
        "latent_fault_per_feature",
        float,
        0.3,
        "Chance a deployed feature adds a latent fault",
        0,
        1,
        "",
        "uncertainty",
        "work",
    ),
    _P(
        "fix_effort_h",
        float,
        8.0,
        "Delivery effort to fix one latent fault properly (rework item)",
        0.5,
        80,
        "engineer-hours",
        "uncertainty",
        "work",
    ),
    # --- incidents and support ---
    _P(
        "incident_rate_per_week",
        float,
        0.5,
        "Base failures per service per week (scaled by latent faults and failure design)",
        0,
        10,
        "per week",
        "uncertainty",
        "support",
    ),
    _P(
        "financial_exposure_per_hour",
        float,
        7000.0,
        "Revenue lost per hour of full outage of a service (PB bands: low 7K, medium 250K, high 800K)",
        0,
        5e6,
        "GBP/h",
        "uncertainty",
        "support",
    ),
    _P(
        "handoff_h",
        float,
        0.25,
        "Hours the sender spends writing up a ticket it hands to another team (the receiver rebuilds "
        "context by diagnosing again)",
        0,
        8,
        "hours",
        "uncertainty",
        "support",
    ),
    _P(
        "customer_report_delay_h",
        float,
        1.0,
        "Mean delay before a customer reports an unalerted failure",
        0,
        48,
        "hours",
        "uncertainty",
        "support",
    ),
    _P(
        "l1_runbook_skill",
        float,
        0.5,
        "Chance L1 resolves an anticipated failure with a runbook",
        0,
        1,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "diagnosis_median_h",
        float,
        2.0,
        "Diagnosis time scale: the median is this divided by (knowledge x telemetry + 0.1)",
        0.05,
        24,
        "hours",
        "uncertainty",
        "support",
    ),
    _P(
        "diagnosis_sigma",
        float,
        1.0,
        "Log-normal spread of diagnosis time",
        0,
        2,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "escalation_timebox_h",
        float,
        24.0,
        "Hours a tier works a ticket before functional escalation moves it on (the last tier never gives up)",
        0.25,
        200,
        "hours",
        "uncertainty",
        "support",
    ),
    _P(
        "bounce_prob",
        float,
        0.2,
        "Chance a tier that cannot diagnose bounces the ticket instead of escalating",
        0,
        0.9,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "workaround_prob",
        float,
        0.6,
        "Chance App Ops, having diagnosed, applies a workaround or data fix rather than escalating",
        0,
        1,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "owner_knowledge",
        float,
        0.9,
        "Knowledge of a service held by its owning team",
        0.1,
        1,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "app_ops_knowledge_start",
        float,
        0.3,
        "App Ops' starting knowledge of each service",
        0,
        1,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "perfect_ops_knowledge",
        bool,
        False,
        "App Ops always knows services as well as their owners (an ablation)",
        role="lever",
        group="support",
    ),
    _P(
        "knowledge_decay_per_deploy",
        float,
        0.05,
        "Loss of App Ops knowledge of a service per feature they deploy (code they have not seen)",
        0,
        0.5,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "knowledge_gain_per_handover",
        float,
        0.1,
        "Share of the gap to the owners' knowledge App Ops close in one knowledge-transfer session",
        0,
        0.5,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "ack_paid_median_min",
        float,
        3.0,
        "Median time for a paid, rostered responder to acknowledge a page",
        0.1,
        120,
        "minutes",
        "uncertainty",
        "support",
    ),
    _P(
        "ack_unpaid_median_min",
        float,
        60.0,
        "Median time for an unpaid best-endeavours responder to answer",
        1,
        720,
        "minutes",
        "uncertainty",
        "support",
    ),
    _P(
        "unpaid_response_prob",
        float,
        0.6,
        "Chance an unpaid engineer answers an out-of-hours call",
        0,
        1,
        "",
        "uncertainty",
        "support",
    ),
    _P(
        "formal_ticket_latency_h",
        float,
        4.0,
        "Working hours before a ticket in another team's formal queue is picked up when there is no personal tie",
        0,
        40,
        "hours",
        "uncertainty",
        "support",
    ),
    _P(
        "l3_paid",
        bool,
        False,
        "Pay Delivery standby and callout for L3 out-of-hours support where the model leaves it unpaid (an ablation)",
        role="lever",
        group="support",
    ),
    # --- pay ---
    _P(
        "standby_rate_per_week",
        float,
        250.0,
        "Standby pay per person-week on a rota",
        0,
        2000,
        "GBP",
        "lever",
        "pay",
    ),
    _P(
        "callout_rate_per_incident",
        float,
        50.0,
        "Callout pay per out-of-hours incident worked",
        0,
        1000,
        "GBP",
        "lever",
        "pay",
    ),
    _P(
        "toil_ratio",
        float,
        1.0,
        "Hours off in lieu granted per unpaid out-of-hours hour, when granted",
        0,
        3,
        "h/h",
        "lever",
        "pay",
    ),
    _P(
        "toil_grant_prob",
        float,
        0.5,
        "Chance unofficial time off in lieu is granted for an unpaid callout",
        0,
        1,
        "",
        "lever",
        "pay",
    ),
    _P(
        "engineer_cost_per_hour",
        float,
        31.0,
        "Loaded cost of one engineer-hour (salary)",
        1,
        500,
        "GBP",
        "uncertainty",
        "pay",
    ),
    # --- incentives and learning (issue 5) ---
    _P(
        "ops_share_floor",
        float,
        0.05,
        "Smallest share of Delivery capacity any team gives operational work",
        0,
        0.5,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "ops_share_cap",
        float,
        0.5,
        "Largest share of Delivery capacity pain can push to operational work",
        0.05,
        0.9,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "accountable_base",
        float,
        0.15,
        "Extra operational share a team whose product manager answers for reliability starts with",
        0,
        0.5,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "pain_sensitivity",
        float,
        0.1,
        "Rise in operational share per felt incident per week",
        0,
        1,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "unaccountable_weight",
        float,
        0.2,
        "How much felt pain moves the share (and fixes get of it) when the "
        "product manager does not answer for reliability",
        0,
        1,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "delivery_feedback",
        bool,
        False,
        "Give every Delivery team the feedback and accountability of You Build It "
        "You Run It: told of every incident, reviews every incident, product manager accountable (an ablation)",
        role="lever",
        group="incentives",
    ),
    _P(
        "operability_item_h",
        float,
        4.0,
        "Effort of one post-incident action",
        0.5,
        80,
        "engineer-hours",
        "uncertainty",
        "incentives",
    ),
    _P(
        "operability_item_gain",
        float,
        0.03,
        "Operability gained when a post-incident action is done (it also removes a latent fault half the time)",
        0,
        0.3,
        "",
        "uncertainty",
        "incentives",
    ),
    _P(
        "rca_reach_prob",
        float,
        0.2,
        "Chance a root-cause analysis of a major incident reaches the Delivery team",
        0,
        1,
        "",
        "uncertainty",
        "incentives",
    ),
    # --- people ---
    _P(
        "delivery_rota_pay",
        str,
        "standby_and_callout",
        "How Delivery engineers on a rota are paid (callout-only and unpaid rotas attract fewer volunteers)",
        role="lever",
        group="people",
        choices=("standby_and_callout", "callout_only", "unpaid"),
    ),
    _P(
        "attrition_per_year",
        float,
        0.15,
        "Base yearly chance an engineer leaves (raised by burnout and low morale)",
        0,
        1,
        "",
        "uncertainty",
        "people",
    ),
    _P(
        "replacement_weeks",
        int,
        8,
        "Weeks before a leaver is replaced (the new hire knows the service at 0.3)",
        0,
        52,
        "weeks",
        "uncertainty",
        "people",
    ),
    _P(
        "burnout_fatigue",
        float,
        5.0,
        "Fatigue (decaying count of night pages) at which an engineer is burnt out",
        1,
        50,
        "",
        "uncertainty",
        "people",
    ),
    _P(
        "unpaid_callout_morale_hit",
        float,
        0.05,
        "Morale lost per unpaid out-of-hours callout (it recovers by 0.01 a week only in weeks without one)",
        0,
        0.5,
        "",
        "uncertainty",
        "people",
    ),
    _P(
        "unpaid_callout_team_morale_hit",
        float,
        0.01,
        "Morale every teammate loses when a colleague is called "
        "out unpaid (the expectation of unpaid availability falls on the whole team)",
        0,
        0.2,
        "",
        "uncertainty",
        "people",
    ),
    _P(
        "morale_attrition_factor",
        float,
        3.0,
        "How strongly low morale raises the chance of leaving: x (1 + factor x (1 - morale))",
        0,
        20,
        "",
        "uncertainty",
        "people",
    ),
    # --- OpEx pressure ---
    _P(
        "opex_pressure",
        str,
        "none",
        "What the organisation does when Operations is over its shrinking budget",
        role="lever",
        group="opex",
        choices=("none", "cut_headcount", "outsource"),
    ),
    _P(
        "opex_cut_per_year",
        float,
        0.05,
        "Yearly cut in the Operations budget target",
        0,
        0.5,
        "",
        "uncertainty",
        "opex",
    ),
    _P(
        "outsourced_cost_ratio",
        float,
        0.6,
        "Cost of outsourced Ops staff relative to in-house",
        0.1,
        1,
        "",
        "uncertainty",
        "opex",
    ),
    _P(
        "outsourced_delay_h",
        float,
        4.0,
        "Contractual response delay of outsourced Ops, in hours (doubled out of hours)",
        0,
        48,
        "hours",
        "uncertainty",
        "opex",
    ),
    _P(
        "outsourced_change_notice_h",
        float,
        16.0,
        "Working hours of notice a supplier's contract needs before it prepares a deployment or a handover",
        0,
        200,
        "hours",
        "uncertainty",
        "opex",
    ),
    # --- the rest of the series (issue 6) ---
    _P(
        "support_mode",
        str,
        "tiers",
        "How incidents are worked: through the model's tiers, or by swarming (Jon Hall): "
        "the first responder keeps the ticket and pulls in the best-placed engineers",
        role="lever",
        group="models",
        choices=("tiers", "swarm"),
    ),
    _P(
        "monitoring_size",
        int,
        5,
        "Ops Monitoring team headcount (You Build It Ops Sometimes Run It)",
        1,
        40,
        "people",
        "lever",
        "models",
    ),
    _P(
        "high_availability_target",
        float,
        0.999,
        "Availability target from which a service is run by its Delivery team under You Build It Ops Sometimes Run It",
        0.9,
        0.9999,
        "",
        "lever",
        "models",
    ),
    _P(
        "domain_size",
        int,
        4,
        "Sibling Delivery teams per domain sharing a domain rota (tiered You Build It You Run It)",
        2,
        10,
        "teams",
        "lever",
        "models",
    ),
    _P(
        "sibling_knowledge",
        float,
        0.4,
        "Knowledge a domain responder has of sibling teams' services",
        0,
        1,
        "",
        "uncertainty",
        "models",
    ),
    _P("sre_size", int, 8, "SRE team headcount (a 24/7 rota needs at least 8)", 1, 40, "people", "lever", "models"),
    _P(
        "sre_traffic_threshold",
        float,
        0.5,
        "Traffic index from which a service may ask for SRE support (substantial)",
        0,
        1,
        "",
        "lever",
        "models",
    ),
    _P(
        "sre_readiness_operability",
        float,
        0.4,
        "Operability a service needs to pass the SRE readiness review",
        0,
        1,
        "",
        "lever",
        "models",
    ),
    _P(
        "sre_services_per_engineer",
        float,
        0.5,
        "Services an SRE team can take per SRE (the 50% operations cap)",
        0.05,
        5,
        "services",
        "uncertainty",
        "models",
    ),
    _P(
        "sre_knowledge_at_entry",
        float,
        0.6,
        "SREs' knowledge of a service after its onboarding handover",
        0,
        1,
        "",
        "uncertainty",
        "models",
    ),
    _P(
        "sre_max_incidents_per_shift",
        int,
        2,
        "Incidents one SRE shift takes before further pages go to the developers (SRE ch. 11)",
        1,
        20,
        "incidents",
        "lever",
        "models",
    ),
    # --- services (issue 6) ---
    _P(
        "portfolio",
        str,
        "uniform",
        "Services all alike (from the parameters below) or PB's mixed portfolio: "
        "40% low ($7K/h, 95%, foundational, quarter demand), 40% medium ($250K/h, 99%), 20% high ($800K/h, 99.9%)",
        role="lever",
        group="services",
        choices=("uniform", "mixed"),
    ),
    _P(
        "availability_target",
        float,
        0.99,
        "Availability target of every service in a uniform portfolio",
        0.9,
        0.9999,
        "",
        "lever",
        "services",
    ),
    _P(
        "traffic_level",
        float,
        0.5,
        "Traffic index of every service in a uniform portfolio (SRE: substantial >= 0.5, critical >= 0.8)",
        0,
        1,
        "",
        "uncertainty",
        "services",
    ),
    _P(
        "service_kind",
        str,
        "digital_service",
        "Kind of every service in a uniform portfolio",
        role="setting",
        group="services",
        choices=("digital_service", "foundational_system"),
    ),
    _P(
        "cost_of_delay_per_feature_week",
        float,
        2000.0,
        "Value lost per week a finished feature waits to go live",
        0,
        1e6,
        "GBP",
        "uncertainty",
        "services",
    ),
    # --- measures ---
    _P(
        "discontinuity_threshold",
        float,
        0.8,
        "A service is in Discontinuous Delivery in a week when its "
        "deployments over the trailing 4 weeks fall below this share of the deployments demand implied "
        "(one per feature that arrived)",
        0.1,
        1,
        "",
        "setting",
        "measures",
    ),
    # --- communication graph ---
    _P(
        "tie_density_within",
        float,
        0.9,
        "Chance two members of one team have a strong tie",
        0,
        1,
        "",
        "uncertainty",
        "graph",
    ),
    _P(
        "tie_density_across",
        float,
        0.02,
        "Chance of a weak tie between two engineers of different teams that the operating model does not connect",
        0,
        1,
        "",
        "uncertainty",
        "graph",
    ),
    _P(
        "delivery_ops_tie_density",
        float,
        0.05,
        "Chance of a tie between a Delivery engineer and an Operations engineer where Operations runs the service",
        0,
        1,
        "",
        "uncertainty",
        "graph",
    ),
    _P(
        "tie_decay_per_week",
        float,
        0.02,
        "Relative weekly decay of a tie's extra strength",
        0,
        0.5,
        "",
        "uncertainty",
        "graph",
    ),
    _P(
        "tie_gain_per_joint_incident",
        float,
        0.1,
        "Tie strength gained when two engineers work an incident together",
        0,
        1,
        "",
        "uncertainty",
        "graph",
    ),
)

#: Every parameter, by name, in declaration order.
PARAMS: dict[str, Param] = {p.name: p for p in _SCHEMA}


def defaults() -> dict[str, Any]:
    """Return a fresh dict of every parameter at its default."""
    return {p.name: p.default for p in PARAMS.values()}


def unknown_key_error(key: str) -> ParamError:
    """Build the error for a parameter name that is not in the schema, suggesting close names."""
    close = difflib.get_close_matches(key, PARAMS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ParamError(f"unknown parameter {key!r}{hint}; 'whorunsit params' lists them all")


def validate(values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Check ``values`` against the schema and return the complete parameter set with defaults filled in.

    Raises:
        ParamError: one line naming the first bad parameter and its allowed values.
    """
    merged = defaults()
    for key, value in (values or {}).items():
        if key not in PARAMS:
            raise unknown_key_error(key)
        merged[key] = PARAMS[key].check(value)
    if merged["workday_end_hour"] <= merged["workday_start_hour"]:
        raise ParamError(
            f"workday_end_hour={merged['workday_end_hour']} is not allowed: it must be later than "
            f"workday_start_hour={merged['workday_start_hour']}"
        )
    if merged["ops_share_floor"] > merged["ops_share_cap"]:
        raise ParamError(
            f"ops_share_floor={merged['ops_share_floor']} is not allowed: it must not exceed "
            f"ops_share_cap={merged['ops_share_cap']}"
        )
    if merged["demand_shock_week"] > merged["weeks"]:
        raise ParamError(
            f"demand_shock_week={merged['demand_shock_week']} is not allowed: it must be 0 (no shock) "
            f"or within the run, 1..weeks={merged['weeks']}"
        )
    return merged


def parse_assignments(items: list[str]) -> dict[str, Any]:
    """Parse CLI ``key=value`` strings into typed, checked values (not yet merged with defaults)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParamError(f"--set {item!r} is not allowed: write it as key=value")
        if key not in PARAMS:
            raise unknown_key_error(key)
        value = PARAMS[key].parse(text)
        if key in out and out[key] != value:
            raise ParamError(f"{key} is set twice, to {out[key]!r} and {value!r}: give it once")
        out[key] = value
    return out
