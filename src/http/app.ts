// createApp(deps): the HTTP interface of DESIGN.md, built once and adapted to Lambda or a local server.
import { Hono, type MiddlewareHandler } from 'hono';
import { OPEN_ACCESS } from '../commands/access.js';
import { DEFAULT_IGNORED_ALERTS } from '../domain/alert.js';
import type { Signature } from '../domain/signature.js';
import type { Logger } from '../log.js';
import type { AlertQueue, IncidentStore, PlaybookStore } from '../ports.js';
import { bearerAuth } from './auth.js';
import { errorBody, HttpError, toErrorResponse } from './errors.js';
import { localOriginGuard } from './local-origin.js';
import { openApiDocument } from './openapi.js';
import { alertmanagerRoutes } from './routes/alertmanager.js';
import { incidentRoutes } from './routes/incidents.js';
import { playbookRoutes } from './routes/playbooks.js';
import { type SlackCommandDeps, slackCommandRoutes } from './routes/slack-commands.js';
import { type SlackInteractionDeps, slackInteractionRoutes } from './routes/slack-interactions.js';
import { statsRoutes } from './routes/stats.js';

export interface AppDeps {
  readonly webhookToken: string | undefined;
  readonly apiToken: string | undefined;
  /** Playbook writes; API_TOKEN then only reads. Unset: API_TOKEN writes too. */
  readonly playbookToken?: string | undefined;
  /**
   * Local mode with a token unset: the address the server is bound to. Requests with an Origin header, or with a
   * Host other than that address, are refused (local-origin.ts).
   */
  readonly localBinding?: { readonly host: string; readonly port: number };
  readonly queue: AlertQueue;
  readonly store: IncidentStore;
  readonly playbooks: PlaybookStore;
  readonly builtIns: readonly Signature[];
  readonly log: Logger;
  readonly now?: () => Date;
  /** Alert names that are never incidents; DEFAULT_IGNORED_ALERTS when absent. */
  readonly ignoredAlerts?: readonly string[];
  /** Slash commands; without it (or without a signing secret) /slack/commands refuses every request. */
  readonly slack?: SlackCommandDeps;
  /** Buttons on triage messages; without it (or without a signing secret) /slack/interactions refuses everything. */
  readonly interactions?: Omit<SlackInteractionDeps, 'store'>;
}

const NO_SLACK: SlackCommandDeps = {
  signingSecret: undefined,
  queue: {
    enqueueCommand: async () => {
      throw new Error('no command queue');
    },
  },
  slackApiUrl: undefined,
};

const NO_INTERACTIONS: Omit<SlackInteractionDeps, 'store'> = {
  signingSecret: undefined,
  queue: {
    enqueueInteraction: async () => {
      throw new Error('no interaction queue');
    },
  },
  replay: { firstUse: async () => false },
  access: OPEN_ACCESS,
  respond: async () => 'refused',
  slackApiUrl: undefined,
};

export function createApp(deps: AppDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const app = new Hono();
  app.onError((error, c) => toErrorResponse(error, c, deps.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  if (deps.localBinding) app.use('*', localOriginGuard(deps.localBinding.host, deps.localBinding.port));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/openapi.json', bearerAuth(deps.apiToken, 'openapi'), (c) => c.json(openApiDocument()));
  app.route(
    '/alertmanager',
    alertmanagerRoutes({
      webhookToken: deps.webhookToken,
      queue: deps.queue,
      log: deps.log,
      now,
      ignoredAlerts: new Set(deps.ignoredAlerts ?? DEFAULT_IGNORED_ALERTS),
    }),
  );
  // hono's `/x/*` matches `/x` itself too: one registration covers the collection and its members.
  app.use('/incidents/*', bearerAuth(deps.apiToken, 'incidents'));
  app.route('/incidents', incidentRoutes({ store: deps.store }));
  // Reads take either token; writes only the playbook token (API_TOKEN when none is configured).
  const readPlaybooks = bearerAuth(deps.apiToken, 'playbooks', deps.playbookToken);
  const writePlaybooks = bearerAuth(deps.playbookToken ?? deps.apiToken, 'playbooks');
  const playbookAuth: MiddlewareHandler = (c, next) =>
    (c.req.method === 'GET' || c.req.method === 'HEAD' ? readPlaybooks : writePlaybooks)(c, next);
  app.use('/playbooks/*', playbookAuth);
  app.route('/playbooks', playbookRoutes({ store: deps.playbooks, builtIns: deps.builtIns, now }));
  app.use('/stats/*', bearerAuth(deps.apiToken, 'stats'));
  app.route('/stats', statsRoutes({ store: deps.store, now }));
  app.route('/slack/commands', slackCommandRoutes({ ...(deps.slack ?? NO_SLACK), log: deps.log, now }));
  app.route(
    '/slack/interactions',
    slackInteractionRoutes({
      ...(deps.interactions ?? NO_INTERACTIONS),
      store: deps.store,
      log: deps.log,
      now,
    }),
  );
  for (const path of ['/alertmanager', '/slack/commands', '/slack/interactions'])
    app.all(path, () => {
      throw new HttpError(405, 'method_not_allowed', 'use POST');
    });
  return app;
}
