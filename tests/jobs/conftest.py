"""The jobs' tests use the casework fixtures (migrated database, residents, connectors, dry-run settings)."""
from tests.casework.conftest import add_connector, add_resident, casework_engine, casework_settings, sessions, vault

__all__ = ["add_connector", "add_resident", "casework_engine", "casework_settings", "sessions", "vault"]
