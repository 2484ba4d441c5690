"""What every part of the service shares: settings from the environment and the database engine."""
