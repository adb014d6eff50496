"""Matplotlib panels for the Solara pages: the communication graph and the four mechanism panels.

Each panel is a class that builds its figure and artists **once per model** and then only updates their
data (``set_data``, ``set_offsets``, bar widths); the figure lives in a per-model cache, so a Step redraws
what changed and nothing is laid out twice. The graph uses a team-clustered layout computed once per
model: no spring layout, no layout recomputation per step or per Reset of the same figure.

Solara components (:func:`PanelCard`, :func:`GraphCard`) redraw a panel only when the model or its clock
moved, and subscribe to Mesa's ``update_counter`` so Step, Play and Reset re-render them.
Matplotlib is used through the ``Figure`` API only (never pyplot: Solara renders from threads).
"""

from __future__ import annotations

import io
import math
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, override

import numpy as np
import reacton.ipywidgets as rw
import solara
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, NullFormatter
from mesa.visualization.utils import update_counter
from PIL import Image as PILImage

from agents.pay import Kind
from model import metrics
from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK
from model.delivery import STAGES
from model.operating_models.base import DELIVERY

if TYPE_CHECKING:
    from model.org import OrgModel

# --- page pacing -----------------------------------------------------------------------------------------------
#: One Step (and one Play frame) advances this many one-hour steps: about a day, so a Step adds one daily
#: row to the plots (now and then two) and a year of Play is about 350 frames. Not 24: Mesa's "Render
#: Interval" slider (min 1, step 2) only holds odd values and the browser snaps 24 to 25 on load.
RENDER_INTERVAL = 25
#: Pause between Play frames (ms), on Mesa's slider grid (1, 11, 21, ...). Stepping a day takes about a
#: millisecond; redrawing the figures (a few hundred ms) sets the pace.
PLAY_INTERVAL = 51

# --- drawing constants ------------------------------------------------------------------------------------
DPI = 100
#: zlib level for the PNGs: 1 is several times faster to encode than the default 6, for ~20% larger images.
PNG_COMPRESSION = 1
FONT = 8
#: Width of the four mechanism panels (inches at 100 dpi: 1000 px, one panel per row on a wide screen).
WIDE = 10.0

ROLE_COLOURS = {
    "developer": "tab:blue",
    "app_ops": "tab:orange",
    "ops_bridge": "tab:green",
    "service_desk": "tab:purple",
}
ROLE_LABELS = {
    "developer": "Delivery developer",
    "app_ops": "App Ops (L2)",
    "ops_bridge": "Ops Bridge (L1)",
    "service_desk": "Service Desk (L1)",
}
#: Colours for roles other operating models may add (given in order of first appearance).
SPARE_COLOURS = ("tab:brown", "tab:pink", "tab:olive", "tab:cyan", "tab:gray")
ON_CALL_EDGE = "black"
INCIDENT_EDGE = "red"
HANDOFF_COLOUR = "crimson"
VACANT_FACE = "white"
#: Where incidents were resolved, in tier order; levels another operating model adds come after these.
LEVELS = ("L1", "L2", "L3", "swarm")
LEVEL_COLOURS = {"L1": "tab:green", "L2": "tab:orange", "L3": "tab:red", "swarm": "tab:blue"}
STAGE_LABELS = {
    "cab": "CAB",
    "app_ops_deploy": "App Ops deploy",
    "smoke_test": "smoke test",
    "handover": "knowledge transfer",
    "team_deploy": "team deploy",
}
PAY_KINDS = (Kind.STANDBY, Kind.CALLOUT, Kind.TOIL)
PAY_COLOURS = {Kind.STANDBY: "tab:blue", Kind.CALLOUT: "tab:orange", Kind.TOIL: "tab:green"}
HOUR_KINDS = (Kind.CALLOUT, Kind.TOIL, Kind.UNPAID_OOH)
HOUR_COLOURS = {Kind.CALLOUT: "tab:orange", Kind.TOIL: "tab:green", Kind.UNPAID_OOH: "tab:red"}


def role_colours(roles: Sequence[str]) -> dict[str, str]:
    """A colour for every role in ``roles``: the fixed ones, then spare colours for roles added later."""
    out = dict(ROLE_COLOURS)
    spare = iter(SPARE_COLOURS)
    for role in roles:
        if role not in out:
            out[role] = next(spare, "tab:gray")
    return out


def role_label(role: str) -> str:
    """A legend label for a role."""
    return ROLE_LABELS.get(role, role.replace("_", " ").capitalize())


# --- data from the model ------------------------------------------------------------------------------------
def daily(model: OrgModel) -> dict[str, list]:
    """The DataCollector's daily rows as lists (no DataFrame: this runs on every redraw)."""
    return model.datacollector.model_vars


#: Right edges of time axes, in days: the axis jumps to the next one when the run reaches it.
DAY_LIMITS = (14, 28, 56, 91, 182, 364)


def day_limit(model: OrgModel) -> float:
    """The right edge of time axes: two weeks, four, eight, a quarter, half a year, a year, then whole years."""
    day = model.time / HOURS_PER_DAY
    for limit in DAY_LIMITS:
        if day <= limit:
            return float(limit)
    return 364.0 * math.ceil(day / 364.0)


def incident_rate(days: Sequence[float], incidents_cum: Sequence[float]) -> np.ndarray:
    """Incidents per week over the trailing week of each daily row (shorter windows scaled up at the start)."""
    cum = np.asarray(incidents_cum, dtype=float)
    x = np.asarray(days, dtype=float)
    if len(cum) < 2:
        return np.zeros(len(cum))
    lag = np.clip(np.arange(len(cum)) - 7, 0, None)
    span = x - x[lag]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (cum - cum[lag]) * 7.0 / span
    rate[span <= 0] = 0.0
    return rate


def stage_lead_times(model: OrgModel) -> list[tuple[str, float, float]]:
    """(stage label, median h, p90 h) over the latest releases, for the stages this model uses.

    From each pipeline queue's ``recent`` sojourns, then the whole ready-to-live lead time.
    """
    rows = []
    for stage in STAGES:
        queue = model.delivery.queues[stage]
        if queue.arrivals == 0:
            continue
        recent = list(queue.recent)
        if recent:
            rows.append((STAGE_LABELS.get(stage, stage), *_median_p90(recent)))
        else:
            rows.append((STAGE_LABELS.get(stage, stage), math.nan, math.nan))
    lead = list(model.delivery.recent_lead_times)
    if lead:
        rows.append(("ready → live (all)", *_median_p90(lead)))
    return rows


def _median_p90(values: Sequence[float]) -> tuple[float, float]:
    arr = np.asarray(values, dtype=float)
    return float(np.median(arr)), float(np.percentile(arr, 90))


def resolved_counts(model: OrgModel) -> dict[str, int]:
    """Incidents by where they were resolved (L1, L2, L3, swarm, others), plus those still open."""
    counts = Counter(i.resolved_at for i in model.support.incidents if i.restored is not None)
    out = {level: counts.pop(level, 0) for level in LEVELS}
    out.update(sorted((k or "?", v) for k, v in counts.items()))
    out["open"] = sum(1 for i in model.support.incidents if i.restored is None)
    return out


REASSIGN_BINS = 6  # 0, 1, ..., 5 and "6+"


def reassignment_histogram(model: OrgModel) -> np.ndarray:
    """How many restored incidents had 0, 1, ... 5 and 6+ reassignments."""
    hist = np.zeros(REASSIGN_BINS + 1)
    for i in model.support.incidents:
        if i.restored is not None:
            hist[min(i.reassignments, REASSIGN_BINS)] += 1
    return hist


def recent_handoffs(model: OrgModel, hours: float = HOURS_PER_DAY) -> list[tuple[int, int]]:
    """(from node, to node) of the handoffs in the last ``hours`` (the list is in time order: read from its end)."""
    out = []
    since = model.time - hours
    for t, a, b in reversed(model.support.handoffs_by_day):
        if t < since:
            break
        if a != b:
            out.append((a, b))
    return out


class LedgerTally:
    """Running sums of the ledger by (team, kind) and (account, kind), reading only entries not seen yet."""

    def __init__(self) -> None:
        self.seen = 0
        self.money: dict[tuple[str, Kind], float] = defaultdict(float)
        self.hours: dict[tuple[str, Kind], float] = defaultdict(float)
        self.account_money: dict[tuple[str, Kind], float] = defaultdict(float)
        self.account_hours: dict[tuple[str, Kind], float] = defaultdict(float)

    def update(self, model: OrgModel) -> None:
        """Add the entries booked since the last call."""
        entries = model.ledger.entries
        for e in entries[self.seen :]:
            self.money[e.team, e.kind] += e.amount
            self.hours[e.team, e.kind] += e.hours
            self.account_money[e.account, e.kind] += e.amount
            self.account_hours[e.account, e.kind] += e.hours
        self.seen = len(entries)


# --- the team-clustered layout -------------------------------------------------------------------------------
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def team_layout(model: OrgModel) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
    """Node positions (row = graph node) and team centres: Delivery teams on a ring, Ops teams inside it.

    Members sit in a sunflower disc around their team's centre, so teams read as clusters and every
    handoff between teams is a visible line across the picture. Deterministic, O(nodes), no spring forces.
    """
    delivery = [t for t in model.teams if t.kind == DELIVERY]
    ops = [t for t in model.teams if t.kind != DELIVERY]
    centres: dict[str, tuple[float, float]] = {}
    n = len(delivery)
    for i, team in enumerate(delivery):
        angle = math.pi / 2 - 2 * math.pi * i / n
        centres[team.name] = (math.cos(angle), math.sin(angle))
    for i, team in enumerate(ops):
        if len(ops) == 1:
            centres[team.name] = (0.0, 0.0)
        else:
            angle = math.pi / 2 + 2 * math.pi * i / len(ops)
            centres[team.name] = (0.36 * math.cos(angle), 0.36 * math.sin(angle))
    ring_radius = min(0.24, 0.8 * math.sin(math.pi / n)) if n > 1 else 0.24
    inner_radius = 0.15 if len(ops) > 1 else 0.2
    biggest = max(len(t.members) for t in model.teams)
    pos = np.zeros((len(model.engineers), 2))
    for team in model.teams:
        cx, cy = centres[team.name]
        radius = (ring_radius if team.kind == DELIVERY else inner_radius) * math.sqrt(len(team.members) / biggest)
        size = len(team.members)
        for k, engineer in enumerate(team.members):
            r = radius * math.sqrt((k + 0.5) / size)
            pos[engineer.node] = (cx + r * math.cos(k * GOLDEN_ANGLE), cy + r * math.sin(k * GOLDEN_ANGLE))
    return pos, centres


# --- panels -------------------------------------------------------------------------------------------------------
class Panel:
    """A figure built once for one model: static parts drawn once, data artists blitted on top per frame.

    Subclasses create their axes and artists in :meth:`build`, refresh the data in :meth:`update`, and list in
    :meth:`dynamic` the artists that change from frame to frame. :meth:`png` draws the static parts (axes,
    ticks, labels, legends: most of matplotlib's cost) only when an axis range or the layout changed, keeps
    that as a background, and otherwise restores it and draws just the dynamic artists. Axis ranges move in
    "nice" jumps (:func:`nice_top`, :func:`day_limit`) so the background survives many frames.
    """

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    caption: ClassVar[str] = ""

    def __init__(self, model: Any) -> None:
        self.figure = Figure(figsize=self.figsize(model), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.now_lines: list[Line2D] = []
        self.layout_version = 0  # bump when tick labels or artists are rebuilt, to redraw the background
        self._background: Any = None
        self._frame_key: Any = None
        self.full_draws = 0  # how many frames needed the whole figure drawn (for tests and timing)
        self.build(model)

    def add_now_line(self, ax: Any) -> None:
        """Mark the current day on a time axis (moved by :meth:`refresh`)."""
        self.now_lines.append(ax.axvline(0.0, color="gray", lw=0.7, ls=":", zorder=0))

    def refresh(self, model: Any) -> None:
        """Update the artists and move the "now" markers."""
        self.update(model)
        day = model.time / HOURS_PER_DAY
        for line in self.now_lines:
            line.set_xdata([day, day])

    def render(self, model: Any) -> bytes:
        """Refresh from ``model`` and return the PNG: what a page calls per redraw."""
        self.refresh(model)
        return self.png()

    def png(self) -> bytes:
        """Draw the figure (blitting onto the cached background when the axes did not change) as PNG bytes."""
        artists = [*self.now_lines, *self.dynamic()]
        for artist in artists:
            artist.set_animated(True)  # excluded from canvas.draw(): the background holds static parts only
        key = (self.layout_version, tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes))
        if key != self._frame_key or self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._frame_key = key
            self.full_draws += 1
        else:
            self.canvas.restore_region(self._background)
        for artist in sorted(artists, key=lambda a: a.get_zorder()):
            (artist.axes or self.figure).draw_artist(artist)
        return encode_png(self.canvas)

    def figsize(self, model: Any) -> tuple[float, float]:
        """Width and height in inches."""
        return (WIDE, 3.0)

    def build(self, model: Any) -> None:
        """Create the axes and artists (once)."""
        raise NotImplementedError

    def update(self, model: Any) -> None:
        """Refresh the artists from the model."""
        raise NotImplementedError

    def dynamic(self) -> list[Any]:
        """The artists that change from frame to frame (drawn over the cached background)."""
        return []


def encode_png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as an RGB PNG with fast zlib (compression is a large share of a redraw at higher levels)."""
    width, height = canvas.get_width_height()
    image = PILImage.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()


NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_top(value: float, floor: float = 1.0) -> float:
    """The smallest of 1, 1.5, 2, ... 8 x 10^k at or above ``value`` (and ``floor``): axis tops that jump."""
    value = max(float(value) if math.isfinite(value) else 0.0, floor)
    scale = 10.0 ** math.floor(math.log10(value))
    for m in NICE_STEPS:
        if value <= m * scale * (1 + 1e-9):
            return m * scale
    return 10.0 * scale


def bars(container: Any) -> list[Any]:
    """The patches of a bar container (or an empty list)."""
    return list(container) if container is not None else []


def style_axes(ax: Any, title: str, xlabel: str = "", ylabel: str = "") -> None:
    """The house style: small fonts, a left title, a faint horizontal grid, no top or right spine."""
    ax.set_title(title, fontsize=FONT + 1, loc="left")
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)
    ax.tick_params(labelsize=FONT - 1)
    ax.grid(True, axis="y", alpha=0.25, lw=0.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def hours(value: float) -> str:
    """Hours for a label: one decimal below 10 h, whole hours above."""
    if math.isnan(value):
        return "–"
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def _legend_above(ax: Any, handles: list, labels: list[str]) -> None:
    """A one-row legend between an axis and its title (so it never covers bars or lines)."""
    ax.set_title(ax.get_title(loc="left"), fontsize=FONT + 1, loc="left", pad=14)
    ax.legend(
        handles,
        labels,
        fontsize=FONT - 2,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=len(labels),
        frameon=False,
        borderaxespad=0.1,
        handlelength=1.2,
        columnspacing=0.8,
    )


def plain_number(value: float, _pos: Any = None) -> str:
    """Tick label without mathtext (log axes default to 10^k, whose parsing costs ~40 ms per redraw)."""
    return f"{value:g}"


class GraphPanel(Panel):
    """Engineers on the communication graph: role, on call, working an incident, fatigue, last day's handoffs."""

    key = "graph"
    title = "Communication graph"
    caption = (
        "Who talks to whom. Colour is role; a black ring is on call, a red ring is working an incident; "
        "a bigger dot is a more tired engineer; red lines are tickets handed on in the last day. "
        "Lines crossing from ring to centre are inoperability made visible: L1 → L2 → L3 handoffs."
    )

    @override
    def figsize(self, model: OrgModel) -> tuple[float, float]:
        return (7.0, 5.0)

    @override
    def build(self, model: OrgModel) -> None:
        fig = self.figure
        ax = fig.add_axes((0.0, 0.0, 0.72, 0.93))
        ax.set_axis_off()
        ax.set_aspect("equal")
        self.ax = ax
        self.pos, centres = team_layout(model)
        roles = [e.role for e in model.engineers]
        colours = role_colours(roles)
        self.face = np.array([to_rgba(colours[r]) for r in roles])
        n = len(model.engineers)
        self.base_size = float(np.clip(2400.0 / n, 10.0, 60.0))
        self.ties = LineCollection([], linewidths=0.5, zorder=1)
        ax.add_collection(self.ties)
        self.handoffs = LineCollection([], colors=HANDOFF_COLOUR, linewidths=1.6, alpha=0.85, zorder=2)
        ax.add_collection(self.handoffs)
        self.nodes = ax.scatter(self.pos[:, 0], self.pos[:, 1], s=self.base_size, c=self.face, zorder=3)
        for team in model.teams:
            cx, cy = centres[team.name]
            if team.kind == DELIVERY:  # outside the ring
                norm = math.hypot(cx, cy)
                lx, ly = cx * (1 + 0.3 / norm), cy * (1 + 0.3 / norm)
            else:  # under the cluster, clear of the ring
                lx, ly = cx, cy - 0.24
            label = team.name.replace("_", " ")
            ax.text(lx, ly, label, fontsize=FONT - 1, ha="center", va="center", color="dimgray", zorder=4)
        lim = 1.45
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        present_roles = list(dict.fromkeys(roles))
        handles = [
            Line2D([], [], ls="", marker="o", ms=7, color=colours[r], label=role_label(r)) for r in present_roles
        ]
        handles += [
            Line2D([], [], ls="", marker="o", ms=7, mfc="lightgray", mec=ON_CALL_EDGE, mew=2, label="on call"),
            Line2D([], [], ls="", marker="o", ms=7, mfc="lightgray", mec=INCIDENT_EDGE, mew=2, label="on an incident"),
            Line2D([], [], ls="", marker="o", ms=11, color="lightgray", label="bigger = more tired"),
            Line2D([], [], ls="", marker="o", ms=7, mfc=VACANT_FACE, mec="gray", label="empty seat (left)"),
            Line2D([], [], color=HANDOFF_COLOUR, lw=1.6, label="handoff, last day"),
            Line2D([], [], color="gray", lw=0.8, alpha=0.6, label="tie (darker = stronger)"),
        ]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.72, 0.9), fontsize=FONT, frameon=False)
        self.status = fig.text(0.01, 0.97, "", fontsize=FONT + 1, va="top")

    @override
    def update(self, model: OrgModel) -> None:
        engineers = model.engineers
        fatigue = np.fromiter((e.fatigue for e in engineers), float, len(engineers))
        self.nodes.set_sizes(self.base_size * (1.0 + 1.2 * np.minimum(fatigue, 4.0)))
        busy = np.fromiter((e.working_incident is not None for e in engineers), bool, len(engineers))
        on_call = np.fromiter((e.on_call for e in engineers), bool, len(engineers))
        present = np.fromiter((e.present for e in engineers), bool, len(engineers))
        edge = np.tile(to_rgba("white"), (len(engineers), 1))
        edge[on_call] = to_rgba(ON_CALL_EDGE)
        edge[busy] = to_rgba(INCIDENT_EDGE)
        widths = np.where(busy | on_call, 2.0, 0.4)
        face = self.face.copy()
        face[~present] = to_rgba(VACANT_FACE)
        edge[~present & ~busy & ~on_call] = to_rgba("gray")
        self.nodes.set_facecolors(face)
        self.nodes.set_edgecolors(edge)
        self.nodes.set_linewidths(widths)
        pos = self.pos
        edges = list(model.comms.edges(data="weight"))
        if edges:
            ab = np.array([(a, b) for a, b, _ in edges])
            weight = np.array([w for _, _, w in edges], dtype=float)
            self.ties.set_segments(np.stack([pos[ab[:, 0]], pos[ab[:, 1]]], axis=1))
            colours = np.zeros((len(edges), 4))
            colours[:, :3] = 0.45
            colours[:, 3] = 0.08 + 0.4 * np.clip(weight, 0, 1)
            self.ties.set_colors(colours)
        else:
            self.ties.set_segments([])
        moves = recent_handoffs(model)
        self.handoffs.set_segments([(pos[a], pos[b]) for a, b in moves])
        t = model.time
        day, hour = divmod(t, HOURS_PER_DAY)
        weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[int(day) % 7]
        self.status.set_text(
            f"Day {int(day)} ({weekday} {int(hour):02d}:00)  ·  on call {int(on_call.sum())}  ·  "
            f"on an incident {int(busy.sum())}  ·  handoffs in the last day {len(moves)}"
        )

    @override
    def dynamic(self) -> list[Any]:
        return [self.ties, self.handoffs, self.nodes, self.status]


class DeliveryPanel(Panel):
    """Cumulative deployments against cumulative demand (the Discontinuous Delivery wedge), and stage lead times."""

    key = "delivery"
    title = "Delivery"
    caption = (
        "The widening red wedge is Discontinuous Delivery: demand the pipeline cannot deploy. "
        "The bars show where a change waits: median and p90 hours in each handoff stage of recent releases."
    )

    @override
    def figsize(self, model: OrgModel) -> tuple[float, float]:
        return (WIDE, 3.0)

    @override
    def build(self, model: OrgModel) -> None:
        fig = self.figure
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.15, top=0.86, wspace=0.3)
        self.ax, self.bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1]})
        style_axes(self.ax, "Deployments vs demand", "day", "cumulative")
        (self.demand,) = self.ax.plot([], [], color="black", lw=1.4, label="demand (features arrived)")
        (self.deployed,) = self.ax.plot([], [], color="tab:blue", lw=1.4, label="deployments")
        self.add_now_line(self.ax)
        self.wedge = None
        self.stage_labels: list[str] | None = None
        self.p90_bars = self.median_bars = None
        self.stage_texts: list[Any] = []
        self.ax.legend(
            handles=[self.demand, self.deployed, Patch(color="tab:red", alpha=0.25, label="undeployed demand")],
            fontsize=FONT - 1,
            loc="upper left",
            frameon=False,
        )

    @override
    def update(self, model: OrgModel) -> None:
        rows = daily(model)
        x = np.asarray(rows["day"], dtype=float)
        demand = np.asarray(rows["demand_cum"], dtype=float)
        deployed = np.asarray(rows["deployments_cum"], dtype=float)
        self.demand.set_data(x, demand)
        self.deployed.set_data(x, deployed)
        if self.wedge is not None:
            self.wedge.remove()
        self.wedge = self.ax.fill_between(x, deployed, demand, where=demand >= deployed, color="tab:red", alpha=0.25)
        self.ax.set_xlim(0, day_limit(model))
        self.ax.set_ylim(0, nice_top(max(float(demand.max(initial=0)), float(deployed.max(initial=0))) * 1.05, 5))
        stages = stage_lead_times(model)
        labels = [s[0] for s in stages]
        if labels != self.stage_labels:
            self._build_stage_bars(labels)
        if not stages:
            return
        med = np.nan_to_num([s[1] for s in stages])
        p90 = np.nan_to_num([s[2] for s in stages])
        top = nice_top(float(p90.max()) * 1.3)
        for bar, value in zip(self.p90_bars, p90, strict=True):
            bar.set_width(value)
        for bar, value in zip(self.median_bars, med, strict=True):
            bar.set_width(value)
        for text, m, p in zip(self.stage_texts, med, p90, strict=True):
            text.set_x(p + top * 0.015)
            text.set_text(f"{hours(m)} / {hours(p)}")
        self.bars.set_xlim(0, top)

    @override
    def dynamic(self) -> list[Any]:
        out = [self.demand, self.deployed]
        if self.wedge is not None:
            out.append(self.wedge)
        return out + bars(self.p90_bars) + bars(self.median_bars) + self.stage_texts

    def _build_stage_bars(self, labels: list[str]) -> None:
        """(Re)create the stage bars: only when the stages in use change (a few times per run at most)."""
        ax = self.bars
        ax.clear()
        style_axes(ax, "Lead time per stage (h)")
        _legend_above(ax, [Patch(color="tab:orange"), Patch(color="tab:orange", alpha=0.35)], ["median", "p90"])
        self.stage_labels = labels
        self.layout_version += 1
        self.p90_bars = self.median_bars = None
        self.stage_texts = []
        if not labels:
            ax.text(0.5, 0.5, "no release yet", ha="center", va="center", fontsize=FONT, transform=ax.transAxes)
            ax.set_yticks([])
            return
        y = np.arange(len(labels))[::-1]
        zeros = np.zeros(len(labels))
        self.p90_bars = ax.barh(y, zeros, color="tab:orange", alpha=0.35, label="p90")
        self.median_bars = ax.barh(y, zeros, color="tab:orange", label="median")
        ax.set_yticks(y, labels, fontsize=FONT - 1)
        self.stage_texts = [ax.text(0, yi, "", va="center", fontsize=FONT - 2) for yi in y]


class OperabilityPanel(Panel):
    """Operability stocks, latent faults and backlogs over time, and the weekly incident rate."""

    key = "operability"
    title = "Operability"
    caption = (
        "Inoperability: stocks of telemetry, failure design and runbooks decay unless the owning team invests. "
        "Growing operability and rework backlogs (workarounds waiting for a proper fix) keep incidents coming."
    )

    STOCKS = (
        ("telemetry", "telemetry", "tab:cyan", 0.9),
        ("failure_design", "failure design", "tab:olive", 0.9),
        ("documentation", "runbooks & docs", "tab:brown", 0.9),
        ("operability", "operability (mean)", "black", 1.8),
    )

    @override
    def figsize(self, model: OrgModel) -> tuple[float, float]:
        return (WIDE, 3.0)

    @override
    def build(self, model: OrgModel) -> None:
        fig = self.figure
        fig.subplots_adjust(left=0.06, right=0.94, bottom=0.15, top=0.9, wspace=0.2)
        self.ax, self.back = fig.subplots(1, 2)
        style_axes(self.ax, "Operability stocks (0–1)", "day")
        self.stock_lines = {
            name: self.ax.plot([], [], color=colour, lw=lw, label=label)[0] for name, label, colour, lw in self.STOCKS
        }
        self.ax.set_ylim(0, 1)
        self.add_now_line(self.ax)
        self.add_now_line(self.back)
        self.ax.legend(fontsize=FONT - 2, loc="upper left", frameon=False, ncols=2)
        style_axes(self.back, "Backlogs and incidents", "day", "items")
        self.ops_line = self.back.plot([], [], color="tab:purple", lw=1.4, label="operability backlog")[0]
        self.rework_line = self.back.plot([], [], color="tab:orange", lw=1.4, label="rework backlog")[0]
        self.faults_line = self.back.plot([], [], color="gray", lw=1.0, ls="--", label="latent faults / service")[0]
        self.rate_ax = self.back.twinx()
        self.rate_ax.tick_params(labelsize=FONT - 1, colors="tab:red")
        self.rate_ax.set_ylabel("incidents / week", fontsize=FONT, color="tab:red")
        self.rate_line = self.rate_ax.plot([], [], color="tab:red", lw=1.0, alpha=0.8, label="incidents / week")[0]
        self.back.legend(
            handles=[self.ops_line, self.rework_line, self.faults_line, self.rate_line],
            fontsize=FONT - 2,
            loc="upper left",
            frameon=False,
        )

    @override
    def update(self, model: OrgModel) -> None:
        rows = daily(model)
        x = np.asarray(rows["day"], dtype=float)
        for name, line in self.stock_lines.items():
            line.set_data(x, np.asarray(rows[name], dtype=float))
        self.ax.set_xlim(0, day_limit(model))
        ops = np.asarray(rows["operability_backlog"], dtype=float)
        rework = np.asarray(rows["rework_backlog"], dtype=float)
        faults = np.asarray(rows["latent_faults"], dtype=float)
        self.ops_line.set_data(x, ops)
        self.rework_line.set_data(x, rework)
        self.faults_line.set_data(x, faults)
        rate = incident_rate(x, rows["incidents_cum"])
        self.rate_line.set_data(x, rate)
        for ax in (self.back, self.rate_ax):
            ax.set_xlim(0, day_limit(model))
        top = max(float(np.nanmax(a, initial=0)) for a in (ops, rework, faults))
        self.back.set_ylim(0, nice_top(top * 1.05, 4))
        self.rate_ax.set_ylim(0, nice_top(float(rate.max(initial=0)) * 1.05, 2))

    @override
    def dynamic(self) -> list[Any]:
        return [*self.stock_lines.values(), self.ops_line, self.rework_line, self.faults_line, self.rate_line]


class SupportPanel(Panel):
    """Time to restore, reassignments per incident and where incidents were resolved."""

    key = "support"
    title = "Support"
    caption = (
        "Every reassignment adds hours to a restore: tickets go L1 → L2 → L3 and bounce back. "
        "When the owning team is paged directly (swarm), there is nobody to hand the ticket to."
    )

    @override
    def figsize(self, model: OrgModel) -> tuple[float, float]:
        return (WIDE, 3.0)

    @override
    def build(self, model: OrgModel) -> None:
        fig = self.figure
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
        self.ax, self.hist_ax, self.level_ax = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.4, 1, 1.1]})
        style_axes(self.ax, "Time to restore (h)", "day restored")
        self.ax.set_yscale("log")
        self.ax.yaxis.set_major_formatter(FuncFormatter(plain_number))
        self.ax.yaxis.set_minor_formatter(NullFormatter())
        self.points = self.ax.scatter([], [], s=16, alpha=0.75, lw=0)
        (self.median,) = self.ax.plot([], [], color="black", lw=1.4, label="median, latest 30")
        self.open_points = self.ax.scatter(
            [], [], s=14, facecolors="none", edgecolors="black", lw=0.8, label="open: hours so far"
        )
        self.add_now_line(self.ax)
        self.ax.legend(fontsize=FONT - 2, loc="upper left", frameon=False)
        style_axes(self.hist_ax, "Reassignments per incident", "reassignments", "incidents")
        labels = [str(k) for k in range(REASSIGN_BINS)] + [f"{REASSIGN_BINS}+"]
        self.hist = self.hist_ax.bar(range(REASSIGN_BINS + 1), np.zeros(REASSIGN_BINS + 1), color="tab:red", alpha=0.7)
        self.hist_ax.set_xticks(range(REASSIGN_BINS + 1), labels)
        self.mean_text = self.hist_ax.text(0.98, 0.96, "", ha="right", va="top", fontsize=FONT - 1)
        self.mean_text.set_transform(self.hist_ax.transAxes)
        self.level_names: list[str] | None = None
        self.level_bars = None

    @override
    def update(self, model: OrgModel) -> None:
        done = [i for i in model.support.incidents if i.restored is not None]
        if done:
            xy = np.array([(i.restored / HOURS_PER_DAY, max(i.restored - i.started, 0.05)) for i in done])
            colours = [LEVEL_COLOURS.get(i.resolved_at, "gray") for i in done]
            self.points.set_offsets(xy)
            self.points.set_facecolors(colours)
        else:
            self.points.set_offsets(np.empty((0, 2)))
        now = model.time
        ages = [max(now - i.started, 0.05) for i in model.support.incidents if i.restored is None]
        self.open_points.set_offsets(np.array([(now / HOURS_PER_DAY, a) for a in ages]).reshape(-1, 2))
        longest = max([*(xy[:, 1].tolist() if done else []), *ages, 1.0])
        self.ax.set_ylim(0.05, 10.0 ** max(1, math.ceil(math.log10(longest * 1.2))))  # decades: 10, 100, ...
        rows = daily(model)
        self.median.set_data(np.asarray(rows["day"], dtype=float), np.asarray(rows["ttr_h_recent"], dtype=float))
        self.ax.set_xlim(0, day_limit(model))
        hist = reassignment_histogram(model)
        for bar, h in zip(self.hist, hist, strict=True):
            bar.set_height(h)
        self.hist_ax.set_ylim(0, nice_top(float(hist.max()) * 1.15, 4))
        mean = sum(i.reassignments for i in done) / len(done) if done else math.nan
        self.mean_text.set_text(f"mean {mean:.2f}" if done else "none restored yet")
        counts = resolved_counts(model)
        names = list(counts)
        if names != self.level_names:
            ax = self.level_ax
            ax.clear()
            style_axes(ax, "Resolved at", "", "incidents")
            self.level_names = names
            self.layout_version += 1
            self.level_bars = ax.bar(
                names, np.zeros(len(names)), color=[LEVEL_COLOURS.get(n, "lightgray") for n in names]
            )
            ax.tick_params(axis="x", labelsize=FONT - 2)
        for bar, name in zip(self.level_bars, names, strict=True):
            bar.set_height(counts[name])
        self.level_ax.set_ylim(0, nice_top(max(counts.values()) * 1.15, 4))

    @override
    def dynamic(self) -> list[Any]:
        return [self.points, self.median, self.open_points, *self.hist, self.mean_text, *bars(self.level_bars)]


class PeoplePanel(Panel):
    """On-call pay and hours by team and by account (from the ledger), fatigue, morale and attrition."""

    key = "people"
    title = "People and money"
    caption = (
        "Who pays for being on call: Ops standby and callout are paid from OpEx, while Delivery's unpaid "
        "out-of-hours work and unofficial TOIL hide in CapEx, and come back as fatigue and attrition."
    )

    @override
    def figsize(self, model: OrgModel) -> tuple[float, float]:
        return (WIDE, max(3.2, 1.3 + 0.16 * len(model.teams)))

    @override
    def build(self, model: OrgModel) -> None:
        fig = self.figure
        n = len(model.teams)
        height = self.figsize(model)[1]
        fig.subplots_adjust(left=0.09, right=0.96, bottom=0.5 / height, top=1 - 0.62 / height, wspace=0.45)
        self.money_ax, self.hours_ax, self.account_ax, self.people_ax = fig.subplots(
            1, 4, gridspec_kw={"width_ratios": [1.15, 1.0, 0.7, 1.15]}
        )
        self.tally = LedgerTally()
        self.teams = [t.name for t in model.teams]
        y = np.arange(n)[::-1]
        style_axes(self.money_ax, "On-call pay by team (£)")
        style_axes(self.hours_ax, "Out-of-hours hours by team")
        self.money_bars = self._stack(self.money_ax, y, PAY_KINDS, PAY_COLOURS)
        self.hour_bars = self._stack(self.hours_ax, y, HOUR_KINDS, HOUR_COLOURS)
        labels = [t.replace("_", " ") for t in self.teams]
        self.money_ax.set_yticks(y, labels, fontsize=max(5, FONT - 1 - n // 15))
        self.hours_ax.set_yticks(y, [])
        for ax in (self.money_ax, self.hours_ax):
            ax.set_ylim(-0.6, n - 0.4)
            ax.grid(False)
        _legend_above(self.money_ax, [Patch(color=PAY_COLOURS[k]) for k in PAY_KINDS], ["standby", "callout", "TOIL"])
        _legend_above(
            self.hours_ax, [Patch(color=HOUR_COLOURS[k]) for k in HOUR_KINDS], ["callout (paid)", "TOIL", "unpaid"]
        )
        style_axes(self.account_ax, "On-call pay by account (£)")
        self.accounts = ("capex", "opex")
        xa = np.arange(2)
        self.account_bars = {
            k: self.account_ax.bar(xa, np.zeros(2), color=PAY_COLOURS[k], width=0.6) for k in PAY_KINDS
        }
        self.account_ax.set_xticks(xa, ["CapEx\n(Delivery)", "OpEx\n(Ops)"], fontsize=FONT - 1)
        self.account_ax.set_xlim(-0.6, 1.6)
        self.unpaid_texts = [
            self.account_ax.text(
                xi,
                0.98,
                "",
                ha="center",
                va="top",
                fontsize=FONT - 2,
                color="tab:red",
                transform=self.account_ax.get_xaxis_transform(),
            )
            for xi in xa
        ]
        style_axes(self.people_ax, "Fatigue, morale and leavers", "day")
        (self.fatigue,) = self.people_ax.plot([], [], color="tab:red", lw=1.4, label="fatigue (mean)")
        (self.morale,) = self.people_ax.plot([], [], color="tab:green", lw=1.2, ls="--", label="morale (mean)")
        self.add_now_line(self.people_ax)
        self.leave_ax = self.people_ax.twinx()
        self.leave_ax.tick_params(labelsize=FONT - 1)
        self.leave_ax.set_ylabel("leavers", fontsize=FONT)
        (self.leavers,) = self.leave_ax.step([], [], where="post", color="black", lw=1.0, label="leavers so far")
        _legend_above(self.people_ax, [self.fatigue, self.morale, self.leavers], ["fatigue", "morale", "leavers"])

    @staticmethod
    def _stack(ax: Any, y: np.ndarray, kinds: Sequence[Kind], colours: dict[Kind, str]) -> dict[Kind, Any]:
        return {k: ax.barh(y, np.zeros(len(y)), color=colours[k], height=0.7) for k in kinds}

    @staticmethod
    def _fill(
        stacks: dict[Kind, Any], rows: Sequence[str], values: Callable[[str, Kind], float], vertical: bool
    ) -> float:
        """Set stacked bars' bases and lengths (horizontal or vertical); returns the longest stack."""
        base = np.zeros(len(rows))
        for kind, container in stacks.items():
            for i, (bar, row) in enumerate(zip(container, rows, strict=True)):
                length = values(row, kind)
                if vertical:
                    bar.set_y(base[i])
                    bar.set_height(length)
                else:
                    bar.set_x(base[i])
                    bar.set_width(length)
                base[i] += length
        return float(base.max(initial=0.0))

    @override
    def update(self, model: OrgModel) -> None:
        tally = self.tally
        tally.update(model)
        top = self._fill(self.money_bars, self.teams, lambda t, k: tally.money[t, k], False)
        self.money_ax.set_xlim(0, nice_top(top * 1.05))
        top = self._fill(self.hour_bars, self.teams, lambda t, k: tally.hours[t, k], False)
        self.hours_ax.set_xlim(0, nice_top(top * 1.05))
        top = self._fill(self.account_bars, self.accounts, lambda a, k: tally.account_money[a, k], True)
        self.account_ax.set_ylim(0, nice_top(top * 1.25))  # room for the unpaid-hours note
        for text, acc in zip(self.unpaid_texts, self.accounts, strict=True):
            unpaid = tally.account_hours[acc, Kind.UNPAID_OOH]
            text.set_text(f"+{unpaid:.0f} h\nunpaid" if unpaid > 0 else "")
        rows = daily(model)
        x = np.asarray(rows["day"], dtype=float)
        fatigue = np.asarray(rows["fatigue_mean"], dtype=float)
        self.fatigue.set_data(x, fatigue)
        self.morale.set_data(x, np.asarray(rows["morale_mean"], dtype=float))
        leavers = np.asarray(rows["attrition_cum"], dtype=float)
        self.leavers.set_data(x, leavers)
        for ax in (self.people_ax, self.leave_ax):
            ax.set_xlim(0, day_limit(model))
        self.people_ax.set_ylim(0, nice_top(float(np.nanmax(fatigue, initial=0)) * 1.1, 1.2))
        self.leave_ax.set_ylim(0, nice_top(float(leavers.max(initial=0)) * 1.15, 3))

    @override
    def dynamic(self) -> list[Any]:
        patches = [
            bar for group in (self.money_bars, self.hour_bars, self.account_bars) for c in group.values() for bar in c
        ]
        return [*patches, *self.unpaid_texts, self.fatigue, self.morale, self.leavers]


MAIN_PANELS: tuple[type[Panel], ...] = (DeliveryPanel, OperabilityPanel, SupportPanel, PeoplePanel)
ALL_PANELS: tuple[type[Panel], ...] = (GraphPanel, *MAIN_PANELS)

# --- per-model cache ----------------------------------------------------------------------------------------------
#: model -> {panel key: panel}; entries go when the model does (Reset replaces the model).
_PANELS: weakref.WeakKeyDictionary[Any, dict[str, Panel]] = weakref.WeakKeyDictionary()


def panel_for(model: OrgModel, cls: type[Panel]) -> Panel:
    """The cached ``cls`` panel of ``model``, built on first use (so its layout is computed once per model)."""
    panels = _PANELS.setdefault(model, {})
    panel = panels.get(cls.key)
    if panel is None:
        panel = panels[cls.key] = cls(model)
    return panel


def render_png(model: OrgModel, cls: type[Panel]) -> bytes:
    """Update and encode one panel (what a page does per redraw; for timing and tests)."""
    return panel_for(model, cls).render(model)


# --- Solara components -------------------------------------------------------------------------------------------
CSS = """
.whorunsit-panel img { max-width: 100%; height: auto; }
.whorunsit-caption { font-size: 0.85rem; color: #555; margin: 0 0 4px 0; line-height: 1.25; }
"""


#: Every slider shows its value on its thumb at all times (Vuetify's default shows it only while dragged),
#: so the reader can see which scenario is running without touching anything. A value on the thumb stays
#: readable however long the label (the sidebar cuts long labels short).
THUMB_LABEL = "always"
INPUTS_CLASS = "whorunsit-inputs"
#: Room above each slider for its value, which would otherwise cover the label of the widget above.
INPUTS_CSS = f".{INPUTS_CLASS} .v-input__slider {{ margin-top: 30px; }}"


@solara.component
def IntervalSliders(play_interval: solara.Reactive[int], render_interval: solara.Reactive[int]) -> None:
    """SolaraViz's two speed sliders, same labels and grids (min 1, steps of 10 ms and of 2 steps)."""
    with solara.Div(classes=[INPUTS_CLASS]):
        solara.Style(INPUTS_CSS)
        solara.SliderInt("Play Interval (ms)", value=play_interval, min=1, max=500, step=10, thumb_label=THUMB_LABEL)
        solara.SliderInt(
            "Render Interval (steps)", value=render_interval, min=1, max=100, step=2, thumb_label=THUMB_LABEL
        )


@solara.component
def ParamInputs(user_params: dict[str, dict[str, Any]], values: solara.Reactive[dict[str, Any]]) -> None:
    """The parameter widgets, as Mesa's ``UserInputs`` draws them, but every slider always shows its value.

    Each widget shows and sets ``values[name]`` (the arguments of the next Reset), so what is on screen is
    what Reset uses, also after the sidebar re-mounts the widgets.

    Args:
        user_params: widget specs from :func:`viz.controls.model_params` (``type``, ``label``, ``value``, ...).
        values: the reactive keyword arguments the next model is built with.
    """
    with solara.Div(classes=[INPUTS_CLASS]):
        solara.Style(INPUTS_CSS)
        for name, spec in user_params.items():
            _param_input(name, spec, values)


def _param_input(name: str, spec: dict[str, Any], values: solara.Reactive[dict[str, Any]]) -> None:
    """One widget of :func:`ParamInputs`, showing and setting ``values[name]``."""

    def set_value(value: Any) -> None:
        values.value = {**values.value, name: value}

    kind, label, value = spec["type"], spec.get("label", name), values.value.get(name, spec.get("value"))
    if kind in ("SliderInt", "SliderFloat"):
        slider = solara.SliderInt if kind == "SliderInt" else solara.SliderFloat
        slider(
            label,
            value=value,
            on_value=set_value,
            min=spec["min"],
            max=spec["max"],
            step=spec["step"],
            thumb_label=THUMB_LABEL,
        )
    elif kind == "Select":
        solara.Select(label, value=value, values=spec["values"], on_value=set_value)
    elif kind == "Checkbox":
        solara.Checkbox(label=label, value=value, on_value=set_value)
    elif kind == "InputText":
        solara.InputText(label=label, value=value, on_value=set_value)
    else:
        raise ValueError(f"{name}: {kind} is not a supported input type")


@solara.component
def PanelFigure(model: OrgModel, cls: type[Panel], clock: float) -> None:
    """One panel's image, redrawn only when the model or its clock changed.

    ``clock`` is ``model.time``, passed so that reacton re-renders this component when the page does: it skips
    children whose arguments are unchanged, and the model object stays the same while it steps.
    """
    panel = panel_for(model, cls)
    png = solara.use_memo(lambda: panel.render(model), [model, clock])
    rw.Image(value=png, format="png")


@solara.component
def PanelCard(model: OrgModel, cls: type[Panel], clock: float) -> None:
    """A panel with its title and a one-line caption saying what to look for."""
    with solara.Card(cls.title, margin=0, classes=["whorunsit-panel", f"panel-{cls.key}"]):
        solara.Text(cls.caption, classes=["whorunsit-caption"])
        PanelFigure(model, cls, clock)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular for exactly one: "1 day", "0 days", "3 features"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def summary_lines(model: OrgModel) -> list[str]:
    """A few numbers about the run so far, in words (from the model's summary functions)."""
    d = metrics.delivery_summary(model)
    s = metrics.support_summary(model)
    c = metrics.cost_summary(model)
    deployed = metrics.deployments_cum(model)
    demand = metrics.demand_cum(model)
    weeks = model.time / HOURS_PER_WEEK

    def num(x: float, unit: str = "", digits: int = 1) -> str:
        return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}{unit}"

    return [
        f"Weeks run: {weeks:.1f} of {model.p['weeks']}",
        f"Deployments {deployed} for {counted(demand, 'feature')} demanded; lead time median "
        f"{num(d['lead_time_h_median'], ' h')}",
        f"Incidents {s['incidents']} ({s['incidents_open_end']} open); time to restore median "
        f"{num(s['time_to_restore_h_median'], ' h')}, reassignments per incident "
        f"{num(s['reassignments_per_incident'], '', 2)}",
        f"Standby £{c['standby_cost']:,.0f}, callout £{c['callout_cost']:,.0f}; unpaid out-of-hours "
        f"{c['delivery_unpaid_ooh_hours']:.0f} h, TOIL {c['toil_hours']:.0f} h",
        f"Leavers so far {model.attrition}",
    ]


HOW_TO = (
    "Step advances about a day (the render interval, in hours); ▶ plays and ❚❚ pauses. Change the operating "
    "model, the organisation, demand or pay in the sidebar, then Reset: the same seed replays the same demand. "
    "'Compare two' runs two operating models side by side on the same seed."
)


@solara.component
def RunSummary(model: OrgModel, clock: float) -> None:
    """The run so far in numbers, and how to drive the page."""
    lines = solara.use_memo(lambda: summary_lines(model), [model, clock])
    with solara.Card("The run so far", margin=0, classes=["run-summary"]):
        solara.Text(model.policy.description, classes=["whorunsit-caption"])
        for line in lines:
            solara.Text(line, style={"display": "block", "font-size": "0.9rem"})
    with solara.Card("How to use this page", margin=0, classes=["how-to"]):
        solara.Text(HOW_TO, classes=["whorunsit-caption"])


@solara.component
def Dashboard(model: OrgModel) -> None:
    """The main page's content: the graph and the run so far, then the four mechanism panels, one per row.

    The one component that listens to Mesa's ``update_counter`` (Step, Play frames, Reset): its children
    re-render with it in a single pass. A listener per panel would cost one render pass of the whole page
    each (about 30 ms apiece at 10 teams).
    """
    update_counter.get()
    solara.Style(CSS)
    with solara.Column():
        with solara.ColumnsResponsive(12, large=[7, 5]):
            PanelCard(model, GraphPanel, model.time)
            RunSummary(model, model.time)
        for cls in MAIN_PANELS:
            PanelCard(model, cls, model.time)
