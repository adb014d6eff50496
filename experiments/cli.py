"""The ``whorunsit`` command: run one organisation, run or collect a sweep, list parameters and models, serve the page.

Every error a user can cause is one line on stderr and a non-zero exit, never a traceback. The model (and with it
numpy and pyarrow) is imported only once the command line is parsed, so that ``sweep`` can first keep those
libraries from starting helper threads and start the fork server of a local Dask cluster (:mod:`experiments.startup`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

APP = Path(__file__).resolve().parent.parent / "viz" / "app.py"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line."""

    def error(self, message: str) -> None:
        self.exit(2, f"whorunsit: error: {message} (see '{self.prog} --help')\n")


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _set_once(values: dict[str, Any], key: str, value: Any, option: str) -> None:
    """Put an option's value in ``values``, refusing a different value already given with --set."""
    from model.params import ParamError

    if key in values and values[key] != value:
        raise ParamError(f"{key} is given twice: {option} {value!r} and --set {key}={values[key]!r}; give it once")
    values[key] = value


def cmd_run(args: argparse.Namespace) -> int:
    """Run one organisation and print its summary."""
    from model.operating_models import names
    from model.params import PARAMS, ParamError, parse_assignments
    from model.run import run

    values = parse_assignments(args.set or [])
    if args.model is not None:
        if args.model not in names():
            raise ParamError(
                f"--model {args.model!r} is not allowed: operating_model must be one of {', '.join(names())}"
            )
        _set_once(values, "operating_model", args.model, "--model")
    if args.weeks is not None:
        _set_once(values, "weeks", PARAMS["weeks"].check(args.weeks), "--weeks")
    result = run(values, seed=args.seed)
    summary = {k: _json_value(v) for k, v in result.summary.items()}
    if args.json:
        print(json.dumps(summary, sort_keys=False))
    else:
        width = max(len(k) for k in summary)
        for key, value in summary.items():
            shown = f"{value:.4g}" if isinstance(value, float) else value
            print(f"{key:<{width}}  {shown}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """List every parameter with default, allowed values, unit, role and doc."""
    from model.params import PARAMS

    rows = []
    for p in PARAMS.values():
        if args.json:
            rows.append(
                {
                    "name": p.name,
                    "type": p.kind.__name__,
                    "default": p.default,
                    "allowed": p.allowed(),
                    "unit": p.unit,
                    "role": p.role,
                    "group": p.group,
                    "doc": p.doc,
                }
            )
        else:
            print(
                f"{p.name}  [{p.group}, {p.role}]  default={p.default!r}  {p.allowed()}"
                f"{'  (' + p.unit + ')' if p.unit else ''}\n    {p.doc}"
            )
    if args.json:
        print(json.dumps(rows, indent=1))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    """List the registered operating models with one-line descriptions."""
    from model.operating_models import describe

    for name, text in describe().items():
        print(f"{name:<16} {text}")
    return 0


def _cannot_bind(host: str, port: int) -> str | None:
    """Why the server could not listen on HOST:PORT (an unknown host, a port in use), or None if it can."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server (uvicorn) binds
            probe.bind(address)
    except OSError as err:  # socket.gaierror for a host name that does not resolve
        reason = err.strerror or str(err)
        return f"{reason[0].lower()}{reason[1:]}" if reason else type(err).__name__
    return None


def cmd_serve(args: argparse.Namespace) -> NoReturn:
    """Serve the Solara page on HOST:PORT (loopback by default) with offline assets; this process becomes the server."""
    if not 1 <= args.port <= 65535:
        args.parser.error(f"argument --port: {args.port} is not allowed: use 1..65535")
    problem = _cannot_bind(args.host, args.port)
    if problem:
        args.parser.error(f"cannot serve on {args.host}:{args.port}: {problem}")
    # solara warns about cookies for pages embedded in an iframe (once, on the first load from any host name but
    # "localhost"); whorunsit's page is not embedded, so its 12-line warning would only bury the page's own messages
    quiet = "ignore:Cookies with samesite=none require https:UserWarning"
    filters = ",".join(filter(None, (os.environ.get("PYTHONWARNINGS"), quiet)))
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "PYTHONWARNINGS": filters}
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(APP),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
        "--no-check-version",
    ]
    print(f"whorunsit: serving http://{args.host}:{args.port}  (Ctrl-C stops)", flush=True)
    # Become the server rather than start it as a child: Ctrl-C or `kill` then reaches it directly, where a child
    # outlived a terminated parent and kept the port.
    os.execve(sys.executable, command, env)


#: Summary keys shown by ``whorunsit sweep --collect`` when they exist (DORA's four keys plus demand).
HEADLINE = (
    "deploys_per_week",
    "demand_satisfaction",
    "lead_time_h_median",
    "change_failure_rate",
    "time_to_restore_h_median",
    "incidents_per_week",
)


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep spec (resuming an unfinished one), or collect a finished sweep into a table."""
    from experiments.runner import SweepError, SweepInterrupted
    from experiments.spec import SpecError

    if (args.spec is None) == (args.collect is None):
        args.parser.error("give either a SPEC to run or --collect DIR, not both or neither")
    if args.csv is not None and args.collect is None:
        args.parser.error("--csv only goes with --collect DIR")
    if args.workers < 1:
        args.parser.error(f"argument --workers: {args.workers} is not allowed: use 1 or more")
    try:
        return _collect(args) if args.collect is not None else _sweep(args)
    except SpecError as err:
        for line in err.errors:
            print(f"whorunsit: error: {line}", file=sys.stderr)
        return 2
    except SweepInterrupted as err:
        print(f"\nwhorunsit: {err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(
            "\nwhorunsit: interrupted; finished runs are saved, run the same command again to resume", file=sys.stderr
        )
        return 130
    except (SweepError, OSError, ValueError) as err:
        print(f"whorunsit: error: {str(err).splitlines()[0] if str(err) else type(err).__name__}", file=sys.stderr)
        return 2


def _sweep(args: argparse.Namespace) -> int:
    """Run (or resume) the sweep named by ``args.spec`` on the chosen executor."""
    from experiments.runner import SweepError, local_cluster, run_sweep
    from experiments.spec import load_spec

    spec = load_spec(args.spec)
    out = Path(args.out) if args.out else Path("sweeps") / spec.name
    if args.scheduler is None and not args.local_cluster:
        report = run_sweep(spec, out, workers=args.workers, chunk_size=args.chunk_size, progress=not args.no_progress)
    else:
        import logging

        from distributed import Client

        logging.getLogger("distributed").setLevel(logging.ERROR)
        cluster = None
        try:
            if args.local_cluster:
                cluster = local_cluster(args.workers)
            client = Client(cluster if cluster is not None else args.scheduler, timeout="15s")
        except (OSError, TimeoutError) as err:
            where = "a local cluster" if cluster is None and args.local_cluster else args.scheduler
            raise SweepError(f"cannot reach the Dask scheduler at {where}: {err}") from None
        try:
            workers = max(1, sum(client.nthreads().values()))
            with contextlib.suppress(Exception):  # leave Ctrl-C to this process, as the local pool does
                client.run(_ignore_sigint_in_worker)
            report = run_sweep(
                spec,
                out,
                executor=client.get_executor(pure=False),  # tasks are all distinct: no tokenizing of their arguments
                workers=workers,
                chunk_size=args.chunk_size,
                progress=not args.no_progress,
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    print(f"whorunsit: sweep {spec.name}: {report.line()}")
    return 0


def _ignore_sigint_in_worker() -> None:
    """Run on each Dask worker: ignore Ctrl-C there (the parent cancels and saves)."""
    from experiments.runner import ignore_sigint

    ignore_sigint()


def _collect(args: argparse.Namespace) -> int:
    """Print a short table of a sweep's results, or write the full table to CSV."""
    from experiments.runner import collect, read_metadata

    table = collect(args.collect)
    metadata = read_metadata(args.collect)
    expected = len(metadata["runs"])
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"whorunsit: wrote {len(table)} runs ({len(table.columns)} columns) to {args.csv}")
        return 0
    swept = [c for c in metadata["swept"] if c in table.columns]
    print(f"{args.collect}: {len(table)} of {expected} runs finished; design {metadata['spec']['design']}", end="")
    print(f", swept {', '.join(swept)}" if swept else "")
    if table.empty:
        return 0
    print("median over the runs of each row (as the README's figures); --csv FILE writes every run")
    shown = [c for c in HEADLINE if c in table.columns]
    grouped = table.groupby(swept, sort=False) if swept else table.groupby(lambda _: "all")
    summary = grouped[shown].median()
    summary.insert(0, "runs", grouped.size())
    with pd_options():
        print(summary.to_string(float_format=lambda v: f"{v:.4g}", max_rows=40))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Run the claims' sweeps and write the claims report."""
    from experiments.runner import SweepError, SweepInterrupted
    from experiments.spec import SpecError

    if args.workers < 1:
        args.parser.error(f"argument --workers: {args.workers} is not allowed: use 1 or more")
    from experiments.report import build_report

    try:
        path = build_report(
            args.out, quick=args.quick, workers=args.workers, cache=args.cache, progress=not args.no_progress
        )
    except SpecError as err:
        for line in err.errors:
            print(f"whorunsit: error: {line}", file=sys.stderr)
        return 2
    except (SweepInterrupted, KeyboardInterrupt):
        print(
            "\nwhorunsit: interrupted; finished runs are cached, run the same command again to resume", file=sys.stderr
        )
        return 130
    except (SweepError, OSError, ValueError) as err:
        print(f"whorunsit: error: {str(err).splitlines()[0] if str(err) else type(err).__name__}", file=sys.stderr)
        return 2
    print(f"whorunsit: wrote {path}")
    return 0


def pd_options() -> contextlib.AbstractContextManager:
    """Pandas display options for a wide table in a terminal."""
    import pandas as pd

    return pd.option_context("display.width", 200, "display.max_columns", 20)


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = _Parser(prog="whorunsit", description="Who runs it? An agent-based model of IT operating models.")
    parser.add_argument(
        "--plugin", action="append", metavar="MODULE", help="import a module of your operating models or behaviours"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_run = sub.add_parser("run", help="run one organisation and print its summary")
    p_run.add_argument("--model", help="operating model (see 'whorunsit models')")
    p_run.add_argument("--weeks", type=int, help="simulated weeks")
    p_run.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p_run.add_argument("--set", action="append", metavar="KEY=VALUE", help="set a parameter (repeatable)")
    p_run.add_argument("--json", action="store_true", help="print the summary as JSON")
    p_run.set_defaults(func=cmd_run)
    p_params = sub.add_parser("params", help="list every parameter")
    p_params.add_argument("--json", action="store_true")
    p_params.set_defaults(func=cmd_params)
    p_models = sub.add_parser("models", help="list the operating models")
    p_models.set_defaults(func=cmd_models)
    p_sweep = sub.add_parser(
        "sweep",
        help="run a sweep spec (re-running resumes), or collect a sweep",
        description="Run a sweep spec, one Parquet file per run in --out (re-running the same command resumes), "
        "or collect a finished sweep with --collect DIR.",
    )
    p_sweep.add_argument("spec", nargs="?", help="spec file, or the name of one in experiments/specs (e.g. smoke)")
    p_sweep.add_argument("--workers", type=int, default=1, help="worker processes (default 1: in this process)")
    p_sweep.add_argument("--out", metavar="DIR", help="output folder (default sweeps/<spec name>)")
    p_sweep.add_argument("--chunk-size", type=int, metavar="K", help="runs per task (default: about 0.5 s of work)")
    where = p_sweep.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask scheduler")
    where.add_argument("--local-cluster", action="store_true", help="run on a local Dask cluster of --workers")
    p_sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    p_sweep.add_argument("--collect", metavar="DIR", help="print a short table of the sweep in DIR")
    p_sweep.add_argument("--csv", metavar="FILE", help="with --collect: write one row per run to FILE")
    p_sweep.set_defaults(func=cmd_sweep, parser=p_sweep)
    p_report = sub.add_parser(
        "report",
        help="run every claim's sweeps and write the claims report",
        description="Run the sweeps of every stylised fact (cached in --cache, so re-running resumes), evaluate "
        "each claim and write OUT/report.md with figures in OUT/figures, a decision map and a DORA view.",
    )
    p_report.add_argument("--out", metavar="DIR", default="report", help="report folder (default report)")
    p_report.add_argument("--quick", action="store_true", help="few seeds, short horizons (for CI, a few minutes)")
    p_report.add_argument("--workers", type=int, default=1, help="worker processes (default 1: in this process)")
    p_report.add_argument("--cache", metavar="DIR", help="sweep cache (default sweeps/report)")
    p_report.add_argument("--no-progress", action="store_true", help="no progress bars")
    p_report.set_defaults(func=cmd_report, parser=p_report)
    p_serve = sub.add_parser("serve", help="serve the Solara page")
    p_serve.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    p_serve.add_argument("--port", type=int, default=8765, help="port, 1..65535 (default 8765)")
    p_serve.set_defaults(func=cmd_serve, parser=p_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``whorunsit`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "sweep":  # before numpy, pyarrow and the model are imported (experiments.startup)
        from experiments.startup import quiet_helper_threads, start_forkserver

        quiet_helper_threads()  # so that local workers can be forked from this process
        if args.local_cluster:
            os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # quiet local workers (e.g. on Ctrl-C)
            start_forkserver()  # Dask workers come from it, with their imports done while this process does its own
    from model.params import ParamError

    try:
        if args.plugin:  # set in the environment so that Solara and sweep workers load them too
            from model.plugins import ENV, import_plugin, load_plugins, plugin_names

            for name in args.plugin:
                import_plugin(name, "--plugin")
            os.environ[ENV] = ",".join(dict.fromkeys([*plugin_names(), *args.plugin]))
            load_plugins()
        return args.func(args)
    except ParamError as err:
        print(f"whorunsit: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
