"""The outbox: everything the service sends on its own (late replies, alerts, follow-ups, check-ins),
queued in the same transaction as the event that caused it and sent by the worker, by SMS or email.

- `messages`: the `outbox_message` table and the ways in (`enqueue_sms`, `enqueue_connector_sms`,
  `enqueue_email`), who may be texted (`may_text`), an opt-out learnt from Twilio;
- `delivery_status`: Twilio's status callbacks recorded on the messages (`record_status`);
- `sender`: the worker's side (`OutboxSender`, `build_sender`): claim, send, record the outcome,
  retry with backoff, expire, pause SMS while Twilio refuses our credentials;
- `provider_state`: that pause, shared by every worker and /healthz;
- `transport`: what the sender hands a transport (`Outgoing`) and what it answers (`Sent`, `Retry`,
  `Permanent`, `CredentialsRefused`);
- one module per transport: `twilio_sms` (and the Twilio REST client the jobs use too),
  `smtp_email`, `dry_run` (no credentials: lines in the outbox file, `dry_run_file`).

    queued -> sending (claimed by the worker) -> sent (accepted by Twilio / SMTP / dry-run)
    sent -> delivered | undelivered | failed        (Twilio status callbacks)
    queued -> expired | failed | blocked_opted_out  (never handed to the provider)
"""
