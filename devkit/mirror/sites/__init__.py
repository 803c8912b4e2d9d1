"""The mirrored sites and the host routing table.

Each site is a module with ``name``, ``hosts``, ``outlets`` (the registry ids its pages
belong to), ``build(plan)`` (its catalog entries: pages
and their rendering extras) and ``mount(catalog)`` (its request handler). WordPress sites are
a :class:`~devkit.mirror.sites.wordpress.WordPress` install with a theme; Sputnik and
Politico.com have their own platforms. To mirror another outlet, add a module here, list it
in ``SITES``, and write its registry YAML (``crawlers/outlets/`` for a real outlet,
``devkit/mirror/outlets/`` for a mirror-only one).
"""

from __future__ import annotations

from types import ModuleType

from devkit.mirror.sites import (
    closed_gazette,
    enabbaladi,
    levant_daily,
    npasyria,
    politico,
    sputnik,
    syriahr,
)

SITES: tuple[ModuleType, ...] = (
    syriahr,
    levant_daily,
    closed_gazette,
    sputnik,
    politico,
    enabbaladi,
    npasyria,
)


def host_table() -> dict[str, ModuleType]:
    """Host name (lower case, no port) -> site module; a host is served by one site."""
    table: dict[str, ModuleType] = {}
    for site in SITES:
        for host in site.hosts:
            if host in table:
                raise ValueError(f"host {host} is claimed by {table[host].name} and {site.name}")
            table[host] = site
    return table


def outlet_names(site: ModuleType) -> tuple[str, ...]:
    """The registry outlets a site module publishes."""
    return tuple(site.outlets)
