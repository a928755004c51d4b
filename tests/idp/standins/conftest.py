"""Stand-ins on free ports, the test authority.json and real Redis clients (tests/authority_helpers.py)."""

from tests.authority_helpers import authority_file, redis_conn, registry_server, tax_server  # noqa: F401
