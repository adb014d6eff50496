"""Registry of operating models (policies) by name; built-ins register themselves on first use."""

from __future__ import annotations

from model.operating_models.base import OperatingModel, RotaSpec, Tier

_REGISTRY: dict[str, type[OperatingModel]] = {}


def register(cls: type[OperatingModel]) -> type[OperatingModel]:
    """Class decorator: register an operating model under its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} needs a non-empty class attribute 'name'")
    taken = _REGISTRY.get(cls.name)
    if taken is not None and _where(taken) != _where(cls):
        raise ValueError(
            f"operating model name {cls.name!r} is taken by {_where(taken)}; give {cls.__name__} another name"
        )
    _REGISTRY[cls.name] = cls
    return cls


def _where(cls: type) -> str:
    """Where a class is defined, so that re-importing one module is not a clash."""
    return f"{cls.__module__}.{cls.__qualname__}"


def names() -> tuple[str, ...]:
    """Registered operating model names, sorted."""
    _load_builtins()
    return tuple(sorted(_REGISTRY))


def get(name: str) -> type[OperatingModel]:
    """The operating model class registered as ``name``."""
    _load_builtins()
    return _REGISTRY[name]


def describe() -> dict[str, str]:
    """One-line description of every registered model."""
    _load_builtins()
    return {n: _REGISTRY[n].description for n in sorted(_REGISTRY)}


def _load_builtins() -> None:
    """Import the built-in models (and behaviours), then any plugins, so that they register themselves."""
    from model.plugins import load_plugins

    load_plugins()


__all__ = ["OperatingModel", "RotaSpec", "Tier", "describe", "get", "names", "register"]
