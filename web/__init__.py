"""The web app: public chat page, health, the directory's Open Referral API (console and dashboard later)."""
