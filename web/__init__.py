"""The web app: the public chat page and report form, health, the directory's Open Referral API, the JSON API and the connectors' console."""
