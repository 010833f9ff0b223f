// Log messages that alarms match exactly (infra/constructs/alarms.ts): one definition for both sides.

/** An authenticated delivery was refused (4xx): Alertmanager will not get these alerts triaged. */
export const WEBHOOK_REFUSED = 'webhook refused: Alertmanager will not resend these alerts';
/** A delivery could not be queued and was answered 503: Alertmanager retries it. */
export const WEBHOOK_UNQUEUED = 'could not queue alerts';
