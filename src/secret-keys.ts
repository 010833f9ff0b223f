// Which credentials each Lambda function reads from its own secret: the internet-facing api never holds the
// cluster or Slack bot tokens, the worker never holds the bearer tokens or the signing secret (issue 16).

/** The api function: authenticates webhooks, API calls and slash commands. WEBHOOK_TOKEN is generated. */
export const API_SECRET_KEYS = [
  'WEBHOOK_TOKEN',
  'API_TOKEN',
  'PLAYBOOK_TOKEN',
  'SLACK_SIGNING_SECRET',
] as const;

/** The worker function: reads the cluster and posts to Slack. */
export const WORKER_SECRET_KEYS = ['SLACK_BOT_TOKEN', 'CLUSTER_PROXY_TOKEN'] as const;

export type SecretKey = (typeof API_SECRET_KEYS)[number] | (typeof WORKER_SECRET_KEYS)[number];
