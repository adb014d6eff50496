"""Loading user extensions: modules named in ``WHORUNSIT_PLUGINS`` or declared as ``whorunsit.plugins`` entry points.

Importing such a module runs its ``@register`` decorators, so its operating models and behaviours appear in
``whorunsit params``, the CLI, sweeps (workers inherit the environment) and the Solara page.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys

from model.params import ParamError

ENV = "WHORUNSIT_PLUGINS"
_loaded: set[str] = set()
_entry_points_done = False


def plugin_names() -> list[str]:
    """Module names listed in the environment variable, comma-separated."""
    return [n.strip() for n in os.environ.get(ENV, "").split(",") if n.strip()]


def load_plugins() -> None:
    """Import every plugin module not yet imported; a module that fails gives one clear line."""
    global _entry_points_done
    _import_builtins()  # first, so that a plugin reusing a built-in name is the one refused
    if not _entry_points_done:
        _entry_points_done = True
        for ep in importlib.metadata.entry_points(group="whorunsit.plugins"):
            _import(ep.value, f"entry point {ep.name!r}")
    for name in plugin_names():
        _import(name, ENV)


def import_plugin(name: str, origin: str) -> None:
    """Import one plugin module by name (``origin`` says where the name came from, for the error message)."""
    _import_builtins()
    _import(name, origin)


def _import_builtins() -> None:
    """The built-in operating models and behaviours, which register themselves on import (the one list of them)."""
    from agents.behaviours import prioritise, respond, triage  # noqa: F401
    from model.operating_models import ybiori, ybiosri, ybisri, ybiyri, ybiyri_tiered  # noqa: F401


def _import(name: str, origin: str) -> None:
    if name in _loaded:
        return
    if name.endswith(".py") or "/" in name or os.sep in name:
        module = os.path.splitext(os.path.basename(name))[0]
        raise ParamError(
            f"plugin {name!r} (from {origin}) is a path: give a module name such as {module!r}, importable from "
            "the working directory or PYTHONPATH"
        )
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())  # so that a plugin named by module finds a module in the working directory
    _loaded.add(name)  # before importing, so a plugin that asks the registry for names does not recurse
    try:
        importlib.import_module(name)
    except Exception as err:
        _loaded.discard(name)
        raise ParamError(
            f"plugin {name!r} (from {origin}) could not be imported: {type(err).__name__}: {err}"
        ) from None
