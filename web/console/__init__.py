"""The connectors' mobile-first console (/console/): see web/console/routes/."""
from web.console.routes import console_blueprint

__all__ = ["console_blueprint"]
