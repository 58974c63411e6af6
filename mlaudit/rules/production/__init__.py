"""Provides the rules of the `production` practice: typed services, sane containers, CI."""

from __future__ import annotations

from mlaudit.project import Project
from mlaudit.registry import applicability
from mlaudit.rules.production._shared import (
    DEMO_MODULES,
    _services,
    console_scripts,
    constructs_app,
    find_routes,
    routeless_app,
    service_files,
)


@applicability("production")
def production_applies(project: Project) -> str | None:
    """Return why the practice is n/a (no web service), or None when a service exists."""
    services = _services(project)
    if services and project.fact("production.routes", find_routes):
        return None
    if services:
        where = ", ".join(sorted({pf.path for pf, _ in services})[:3])
        built = sorted(pf.path for pf, _ in services if constructs_app(pf))
        if built:  # every capability judges routes: an app with none found has nothing to score, never a 0
            return (
                f"the web app built in {', '.join(built[:3])} has no route handler mlaudit can resolve "
                "(none decorated, none registered by a name it can follow): nothing to judge as a service"
            )
        owned = sorted(f"{pf.path} ({name})" for pf, _ in services if (name := routeless_app(pf)))
        if owned:
            return (
                f"the server built in {', '.join(owned[:3])} owns its routes: its handlers are API-class "
                "methods, not route functions to judge"
            )
        return f"no route handler found in the web modules ({where}): nothing to judge as a service"
    notes: list[str] = []
    examples = sorted(pf.path for pf, _ in project.fact("production.services", service_files))
    if examples:
        notes.append("web apps only in examples/docs: " + ", ".join(examples[:3]))
    scripts = console_scripts(project)
    if scripts:
        notes.append("console entry points: " + ", ".join(scripts))
    demos = sorted({m for pf in project.python.values() for m in DEMO_MODULES if m in pf.imported_modules})
    if demos:
        notes.append(f"{'/'.join(demos)} apps are demos, not services")
    return "no web service found" + (f" ({'; '.join(notes)})" if notes else "")
