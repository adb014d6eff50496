"""Registry of small decision behaviours, one decision family per module, swappable by name.

A behaviour is a plain class (no Mesa) whose ``decide(ctx, rng)`` takes a read-only context and the
model's ``random.Random`` and returns a decision; traits declare what it reads, for docs and contract tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FAMILIES = ("prioritise", "respond", "triage")
_REGISTRY: dict[str, dict[str, type]] = {f: {} for f in FAMILIES}


def register(family: str, name: str, *, traits: tuple[str, ...] = (), description: str = "") -> Callable:
    """Class decorator: register a behaviour under ``family``/``name`` with declared traits."""
    if family not in _REGISTRY:
        raise ValueError(f"unknown behaviour family {family!r}; one of {', '.join(FAMILIES)}")

    def decorate(cls: type) -> type:
        taken = _REGISTRY[family].get(name)
        where = f"{cls.__module__}.{cls.__qualname__}"
        if taken is not None and f"{taken.__module__}.{taken.__qualname__}" != where:
            raise ValueError(
                f"{family} behaviour name {name!r} is taken by {taken.__module__}.{taken.__qualname__}; "
                f"give {cls.__name__} another name"
            )
        cls.family, cls.name, cls.traits = family, name, tuple(traits)
        cls.description = description or next(iter((cls.__doc__ or "").strip().splitlines()), cls.__name__)
        _REGISTRY[family][name] = cls
        return cls

    return decorate


def names(family: str) -> tuple[str, ...]:
    """Registered behaviour names of one family, sorted."""
    _load_builtins()
    return tuple(sorted(_REGISTRY[family]))


def create(family: str, name: str, **kwargs: Any) -> Any:
    """Instantiate the behaviour registered as ``family``/``name``."""
    _load_builtins()
    try:
        cls = _REGISTRY[family][name]
    except KeyError:
        raise KeyError(f"no {family} behaviour {name!r}; one of {', '.join(names(family))}") from None
    return cls(**kwargs)


def _load_builtins() -> None:
    """Import the built-in behaviours (and models), then any plugins, so that they register themselves."""
    from model.plugins import load_plugins

    load_plugins()
