"""The ``whorunsit`` command: run one organisation, list parameters and models, serve the page.

Every error a user can cause is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from model.params import PARAMS, ParamError, parse_assignments

APP = Path(__file__).resolve().parent.parent / "viz" / "app.py"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line."""

    def error(self, message: str) -> None:
        self.exit(2, f"whorunsit: error: {message} (see 'whorunsit {self.prog.split()[-1]} --help')\n")


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def cmd_run(args: argparse.Namespace) -> int:
    """Run one organisation and print its summary."""
    from model.operating_models import names
    from model.run import run

    values = parse_assignments(args.set or [])
    if args.model is not None:
        if args.model not in names():
            raise ParamError(
                f"--model {args.model!r} is not allowed: operating_model must be one of {', '.join(names())}"
            )
        values["operating_model"] = args.model
    if args.weeks is not None:
        values["weeks"] = PARAMS["weeks"].check(args.weeks)
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


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the Solara page on HOST:PORT (loopback by default) with offline assets."""
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
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
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = _Parser(prog="whorunsit", description="Who runs it? An agent-based model of IT operating models.")
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
    p_serve = sub.add_parser("serve", help="serve the Solara page")
    p_serve.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    p_serve.add_argument("--port", type=int, default=8765)
    p_serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``whorunsit`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ParamError as err:
        print(f"whorunsit: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
