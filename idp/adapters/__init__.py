"""Adapters for the outside world, each behind a port in :mod:`idp.ports`."""
