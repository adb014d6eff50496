"""Services and work items: operability stocks, latent faults, features, releases and incidents.

Stocks follow calibration.md A2 (start 0.3, +0.02 per 8 h invested, -1% a week neglected); each work item
carries a timestamp for every stage it passes so lead time and time to restore decompose into waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.org import Team


@dataclass(frozen=True, slots=True)
class ServiceProfile:
    """What a service is worth and needs: exposure, availability target, traffic, kind, relative demand."""

    band: str
    exposure_per_hour: float
    target: float
    traffic: float
    kind: str
    demand_factor: float = 1.0


#: PB's exposure bands (operating-models.md §4.1): exposure per hour, target, traffic index, kind, demand.
BANDS = {
    "low": ServiceProfile("low", 7_000.0, 0.95, 0.2, "foundational_system", 0.25),
    "medium": ServiceProfile("medium", 250_000.0, 0.99, 0.5, "digital_service", 1.0),
    "high": ServiceProfile("high", 800_000.0, 0.999, 0.9, "digital_service", 1.0),
}
#: The 40/40/20 mix of calibration A2, dealt round-robin so any number of services gets the same shares.
MIXED_PATTERN = ("low", "medium", "low", "medium", "high")


def service_profiles(p: dict, n: int) -> list[ServiceProfile]:
    """Profiles of ``n`` services: all alike from the parameters ("uniform"), or PB's bands ("mixed")."""
    if p["portfolio"] == "mixed":
        return [BANDS[MIXED_PATTERN[i % len(MIXED_PATTERN)]] for i in range(n)]
    one = ServiceProfile(
        "uniform", p["financial_exposure_per_hour"], p["availability_target"], p["traffic_level"], p["service_kind"]
    )
    return [one] * n


class Service:
    """One application owned by one Delivery team, with operability stocks and latent faults."""

    def __init__(self, sid: int, owner: Team, stock: float, latent_faults: int, profile: ServiceProfile) -> None:
        self.sid = sid
        self.owner = owner
        self.profile = profile
        self.target = profile.target  # availability target, e.g. 0.99
        self.exposure_per_hour = profile.exposure_per_hour
        self.traffic = profile.traffic  # index in [0, 1]
        self.kind = profile.kind  # digital_service or foundational_system
        self.demand_factor = profile.demand_factor
        self.telemetry = stock
        self.failure_design = stock
        self.documentation = stock
        self.latent_faults = latent_faults
        self.blocked_by: list[Incident] = []  # open failed-deployment incidents: each holds new releases
        self.worked_around = 0  # latent faults behind a workaround whose proper fix is still waiting
        self.frozen_until = 0.0  # an error-budget release freeze: only reliability work until then
        self.ready: list[Feature] = []  # finished, waiting for a release
        self.in_flight: list[Release] = []
        self.deployments = 0
        self.features_live = 0

    @property
    def operability(self) -> float:
        """Mean of the three operability stocks, in [0, 1]."""
        return (self.telemetry + self.failure_design + self.documentation) / 3.0

    def invest(self, gain: float) -> None:
        """Operability work by the owning team: ``gain`` spread over the three stocks, with diminishing returns."""
        share = gain / 3.0
        self.telemetry += share * (1.0 - self.telemetry)
        self.failure_design += share * (1.0 - self.failure_design)
        self.documentation += share * (1.0 - self.documentation)

    def decay(self, rate: float) -> None:
        """Erode every stock by a relative ``rate`` (time passing, features added without operational work)."""
        keep = 1.0 - rate
        self.telemetry *= keep
        self.failure_design *= keep
        self.documentation *= keep


@dataclass(slots=True, eq=False)
class Feature:
    """A product feature: effort in engineer-hours, arrival, completion and live times."""

    fid: int
    service: int
    effort_h: float
    arrived: float
    remaining_h: float = 0.0
    done: float | None = None  # change ready: finished by the team
    live: float | None = None
    change: str = "normal"  # "standard" (pre-approved) or "normal" (needs the CAB), set when finished

    def __post_init__(self) -> None:
        self.remaining_h = self.effort_h


@dataclass(slots=True, eq=False)
class ReworkItem:
    """A proper fix awaiting a Delivery team after a workaround or data fix; the latent fault stays."""

    rid: int
    service: int
    incident: int
    created: float
    remaining_h: float
    done: float | None = None


@dataclass(slots=True, eq=False)
class OperabilityItem:
    """A post-incident action (better alerts, a runbook, a bulkhead) waiting in a backlog."""

    oid: int
    service: int
    incident: int
    created: float
    remaining_h: float
    backlog: str  # "delivery" (the owner's backlog) or "support" (Ops' backlog: cannot change the code)
    done: float | None = None


@dataclass(slots=True, eq=False)
class Release:
    """A batch of finished features going through the deployment pipeline as one change."""

    rid: int
    service: int
    features: list[Feature]
    created: float
    change: str = "normal"
    path: tuple[str, ...] = ()
    stages: dict[str, list[float]] = field(default_factory=dict)  # stage -> [enter, start, end]
    live: float | None = None
    failed: bool = False
    accepted: float | None = None
    touch_h: float = 0.0  # hands-on work before going live (the rest of the lead time is waiting)
    deployed: float | None = None  # when the deployment was attempted (live or failed)

    @property
    def size(self) -> int:
        """Number of features in the batch."""
        return len(self.features)


@dataclass(slots=True, eq=False)
class Handoff:
    """A ticket moving between teams: when, from whom, to whom, and why."""

    time: float
    from_team: str
    to_team: str
    kind: str  # escalate / bounce / wrong_team / page


@dataclass(slots=True, eq=False)
class Incident:
    """A production failure of one service, from start to restore, with its route through the tiers."""

    iid: int
    service: int
    started: float
    severity: str
    change_caused: bool
    anticipated: bool
    impact: float
    deployed_by: str = ""  # team name that made the causing deployment
    detected: float | None = None
    detected_by: str = ""  # alert / customer
    acknowledged: float | None = None
    restored: float | None = None
    resolved_at: str = ""  # L1 / L2 / L3 / owner / swarm
    remedy: str = ""
    handoffs: list[Handoff] = field(default_factory=list)
    responders: set[int] = field(default_factory=set)
    queue: str = ""  # where it is now: the team name, or "" once restored
    out_of_hours_start: bool = False
    repeat: bool = False
    gave_up: bool = False  # the current tier hit its escalation timebox
    responder: int = -1

    @property
    def reassignments(self) -> int:
        """Moves between teams after the first assignment (escalations, bounces, wrong teams)."""
        return len(self.handoffs)
