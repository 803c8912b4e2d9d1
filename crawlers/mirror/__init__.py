"""A local mirror of the outlets' web sites, for tests and the offline demo.

``MirrorServer`` (in :mod:`crawlers.mirror.server`) serves every mirrored host from one
deterministic :class:`~crawlers.mirror.catalog.Catalog`; mirror-only outlets have their
registry entries in ``crawlers/mirror/outlets/``.
"""
