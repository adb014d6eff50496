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
    if not _entry_points_done:
        _entry_points_done = True
        for ep in importlib.metadata.entry_points(group="whorunsit.plugins"):
            _import(ep.value, f"entry point {ep.name!r}")
    names = plugin_names()
    if names and os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())  # let `WHORUNSIT_PLUGINS=my_module` find a module in the working directory
    for name in names:
        _import(name, ENV)


def _import(name: str, origin: str) -> None:
    if name in _loaded:
        return
    _loaded.add(name)  # before importing, so a plugin that asks the registry for names does not recurse
    try:
        importlib.import_module(name)
    except Exception as err:
        _loaded.discard(name)
        raise ParamError(
            f"plugin {name!r} (from {origin}) could not be imported: {type(err).__name__}: {err}"
        ) from None
