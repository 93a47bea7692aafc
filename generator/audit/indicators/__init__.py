"""Every indicator `gongkai audit` checks: one module per subject, each declaring its indicators.

To add an indicator, add a module here that defines `Indicator` objects at module level (with
`model.Indicator(...)`): `all_indicators()` finds them, and every audit, report and format
includes them. Nothing else needs to change.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..model import Indicator


def all_indicators() -> tuple[Indicator, ...]:
    """The indicators of every module of this package, by `order`, then name."""
    found: dict[str, Indicator] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, Indicator):
                if value.key in found and found[value.key] is not value:
                    raise ValueError(f"indicator {value.key} is declared twice")
                found[value.key] = value
    return tuple(sorted(found.values(), key=lambda indicator: (indicator.order, indicator.key)))
