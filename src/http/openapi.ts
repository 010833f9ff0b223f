// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { WebhookSchema } from '../domain/alert.js';
import { SignatureSchema } from '../domain/signature-schema.js';
import { IncidentQuerySchema } from './routes/incidents.js';

const json = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const ErrorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: 'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const ok = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema } },
});

function queryParameters(): Record<string, unknown>[] {
  const schema = json(IncidentQuerySchema) as { properties: Record<string, unknown> };
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: false,
    schema: s,
  }));
}

let document: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  document ??= {
    openapi: '3.1.0',
    info: {
      title: 'alert-triage',
      version: '1',
      description:
        'Kubernetes alert triage: Alertmanager webhook in, diagnosed incidents and Slack messages out.',
    },
    components: {
      securitySchemes: {
        webhookToken: { type: 'http', scheme: 'bearer', description: 'WEBHOOK_TOKEN' },
        apiToken: { type: 'http', scheme: 'bearer', description: 'API_TOKEN' },
      },
      schemas: {
        Error: ErrorBody,
        Webhook: json(WebhookSchema),
        Signature: json(SignatureSchema),
        Incident: {
          type: 'object',
          description:
            'See DESIGN.md "Incident" and README: id, fingerprint, alertname, status, target, findings, notifications, delivery, timeline, unavailable, observed (when no signature matched).',
        },
      },
    },
    paths: {
      '/healthz': {
        get: { responses: { 200: ok('alive', { type: 'object', properties: { ok: { const: true } } }) } },
      },
      '/alertmanager': {
        post: {
          security: [{ webhookToken: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Webhook' } } },
          },
          responses: {
            200: ok('queued', { type: 'object', properties: { accepted: { type: 'integer' } } }),
            ...errors(400, 401, 413, 503),
          },
        },
      },
      '/incidents': {
        get: {
          security: [{ apiToken: [] }],
          parameters: queryParameters(),
          responses: {
            200: ok('newest first', {
              type: 'object',
              properties: {
                items: { type: 'array', items: { $ref: '#/components/schemas/Incident' } },
                nextCursor: { type: ['string', 'null'] },
              },
            }),
            ...errors(400, 401),
          },
        },
      },
      '/incidents/{id}': {
        get: {
          security: [{ apiToken: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: ok('the incident', { $ref: '#/components/schemas/Incident' }),
            ...errors(400, 401, 404),
          },
        },
      },
      '/playbooks': {
        get: {
          security: [{ apiToken: [] }],
          responses: { 200: ok('effective playbook', { type: 'object' }), ...errors(401) },
        },
      },
      '/playbooks/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          security: [{ apiToken: [] }],
          responses: { 200: ok('one signature', { type: 'object' }), ...errors(401, 404) },
        },
        put: {
          security: [{ apiToken: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Signature' } } },
          },
          responses: { 200: ok('stored', { type: 'object' }), ...errors(400, 401, 413) },
        },
        delete: {
          security: [{ apiToken: [] }],
          parameters: [{ name: 'restore', in: 'query', required: false, schema: { type: 'boolean' } }],
          responses: { 200: ok('removed, disabled or restored', { type: 'object' }), ...errors(401, 404) },
        },
      },
      '/stats/signatures': {
        get: {
          security: [{ apiToken: [] }],
          parameters: ['since', 'until'].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string', format: 'date-time' },
          })),
          responses: {
            200: ok('verdicts from Slack per signature and per alert name, with precision', {
              type: 'object',
            }),
            ...errors(400, 401),
          },
        },
      },
      '/slack/interactions': {
        post: {
          description:
            'Buttons and menus on triage messages (Slack block_actions), verified with the v0 request signature; each signed request is accepted once.',
          responses: {
            200: ok('accepted; the work follows, the message is updated', { type: 'object' }),
            ...errors(400, 401, 413),
          },
        },
      },
      '/slack/commands': {
        post: {
          description: 'Slack slash commands, verified with the v0 request signature.',
          responses: {
            200: ok('acknowledged; the answer follows on response_url', { type: 'object' }),
            ...errors(401, 413),
          },
        },
      },
    },
  };
  return document;
}
