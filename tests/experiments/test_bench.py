"""The benchmark's own machinery: event counting sees every event, aims never fail a strict run."""

from __future__ import annotations

import pytest

from experiments import bench


def test_the_trace_counts_one_off_and_recurring_events_and_the_heapq_replay_runs_the_same_number():
    trace = bench.trace_events({"weeks": 6, "demand_per_week": 2.0, "incident_rate_per_week": 2.0}, seed=3)
    kinds = {kind.split(":")[0] for kind in trace.by_kind}
    assert {"at", "recurring"} <= kinds  # OrgModel.at's _Call events are counted, not only Mesa's own
    assert trace.executed == sum(trace.by_kind.values()) == len(trace.executed_ids)
    assert bench.heapq_loop(*trace.replay_schedule()) == trace.executed


def test_a_missed_aim_is_reported_but_only_a_missed_target_fails(capsys):
    report = bench.Report()
    report.add("a", "an aim", "50x", "aim <= 10x", False, aim=True)
    report.add("a", "a target", "0.05", "<= 0.3", True)
    assert not report.failed
    report.print()
    out = capsys.readouterr().out
    assert "aim missed" in out and "1 PASS, 0 FAIL; 1 aims missed" in out
    report.add("b", "another target", "1.3x", "<= 1.2", False)
    assert report.failed


def test_the_run_length_check_times_each_simulated_year_and_judges_cost_per_event():
    report = bench.Report()
    bench.bench_run_length(report, repeats=1, teams=1, years=3)
    judged = [r for r in report.rows if r.ok is not None]
    assert [r.name.split(",")[0] for r in judged] == ["ybiori", "ybiyri"]
    assert all("year 3 / year 2" in r.name and r.value.endswith("x") and float(r.value[:-1]) > 0 for r in judged)
    assert len(report.rows) == 4 and len(report.notes) == 2  # time per year beside each verdict, and every year
    assert all(len(note.split(": ")[1].split()) == 3 for note in report.notes)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--sections", "z"], "--sections 'z'"),
        (["--sections", ""], "--sections ''"),
        (["--repeats", "0"], "--repeats 0"),
    ],
)
def test_bad_options_are_refused_before_anything_runs(argv, named, capsys):
    with pytest.raises(SystemExit) as info:
        bench.main(argv)
    assert info.value.code == 2
    assert named in capsys.readouterr().err
