"""A local mirror of the outlets' web sites, for tests and the offline demo.

``MirrorServer`` (in :mod:`devkit.mirror.server`) serves every mirrored host from one
deterministic :class:`~devkit.mirror.catalog.Catalog`; mirror-only outlets have their
registry entries in ``devkit/mirror/outlets/``.
"""
