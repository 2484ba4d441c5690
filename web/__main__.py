"""Run the web app: `python -m web` (port WEB_PORT, default 8000)."""
from __future__ import annotations

import logging

from service.settings import load_settings
from web.app import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    settings.check()
    app = create_app(settings)
    app.run(host=settings.web_interface, port=settings.web_port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
