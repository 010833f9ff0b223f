// The OpenAPI 3.1 document, assembled with z.toJSONSchema from the very schemas the routes validate and answer with.
import * as z from 'zod';
import { WebhookSchema } from '../domain/alert.js';
import { IncidentSchema } from '../domain/incident-schema.js';
import { SignatureSchema } from '../domain/signature-schema.js';
import {
  AcceptedSchema,
  ErrorSchema,
  HealthSchema,
  IncidentIdParams,
  IncidentPageSchema,
  IncidentQuerySchema,
  PlaybookDeletedSchema,
  PlaybookDeleteQuery,
  PlaybookItemSchema,
  PlaybookSchema,
  SignatureIdParams,
  SignatureStatsSchema,
  StatsQuerySchema,
} from './schemas.js';

type JsonSchema = Record<string, unknown>;
type Security = 'webhookToken' | 'apiToken' | 'playbookToken';

interface Operation {
  readonly summary: string;
  /** Bearer tokens that open it (any one); absent for public and Slack-signed routes. */
  readonly security?: readonly Security[];
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  /** A JSON body: the name of a request component. */
  readonly body?: keyof typeof REQUESTS;
  /** Slack's form-encoded, signed requests. */
  readonly form?: true;
  readonly answer: { readonly description: string; readonly schema?: z.ZodType };
  readonly errors: readonly number[];
}

/** Named request shapes, as clients send them (defaults optional). */
const REQUESTS = { Webhook: WebhookSchema, Signature: SignatureSchema };
/** Named answers, as the service sends them. */
const ANSWERS = { Error: ErrorSchema, Incident: IncidentSchema, PlaybookItem: PlaybookItemSchema };

/** A read behind API_TOKEN. */
const apiRead = (op: Omit<Operation, 'security'>): Operation => ({ ...op, security: ['apiToken'] });

/** Every route the app serves, by OpenAPI path and method (test/http/openapi.test.ts walks app.routes against it). */
export const OPERATIONS: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  '/healthz': {
    get: { summary: 'liveness', answer: { description: 'alive', schema: HealthSchema }, errors: [] },
  },
  '/openapi.json': {
    get: apiRead({
      summary: 'this document',
      answer: { description: 'OpenAPI 3.1' },
      errors: [401],
    }),
  },
  '/alertmanager': {
    post: {
      summary: 'Alertmanager webhook (v4): each alert queued for triage',
      security: ['webhookToken'],
      body: 'Webhook',
      answer: { description: 'every alert queued', schema: AcceptedSchema },
      errors: [400, 401, 413, 503],
    },
  },
  '/incidents': {
    get: apiRead({
      summary: 'incident history, newest first',
      query: IncidentQuerySchema,
      answer: { description: 'one page', schema: IncidentPageSchema },
      errors: [400, 401, 503],
    }),
  },
  '/incidents/{id}': {
    get: apiRead({
      summary: 'one incident',
      params: IncidentIdParams,
      answer: { description: 'the incident', schema: IncidentSchema },
      errors: [400, 401, 404, 503],
    }),
  },
  '/playbooks': {
    get: {
      summary: 'the effective playbook: built-in, overridden and custom signatures',
      security: ['apiToken', 'playbookToken'],
      answer: { description: 'every signature', schema: PlaybookSchema },
      errors: [401],
    },
  },
  '/playbooks/{id}': {
    get: {
      summary: 'one signature of the effective playbook',
      security: ['apiToken', 'playbookToken'],
      params: SignatureIdParams,
      answer: { description: 'the signature', schema: PlaybookItemSchema },
      errors: [400, 401, 404],
    },
    put: {
      summary: 'add a signature, or override a built-in one',
      security: ['playbookToken'],
      params: SignatureIdParams,
      body: 'Signature',
      answer: { description: 'stored', schema: PlaybookItemSchema },
      errors: [400, 401, 413],
    },
    delete: {
      summary: 'remove a custom signature; disable a built-in one, or restore it with restore=true',
      security: ['playbookToken'],
      params: SignatureIdParams,
      query: PlaybookDeleteQuery,
      answer: {
        description: 'the built-in as it now is, or the custom one deleted',
        schema: z.union([PlaybookItemSchema, PlaybookDeletedSchema]),
      },
      errors: [400, 401, 404],
    },
  },
  '/stats/signatures': {
    get: apiRead({
      summary: 'verdicts from Slack per signature and per alert name, with precision',
      query: StatsQuerySchema,
      answer: { description: 'the window and its counts', schema: SignatureStatsSchema },
      errors: [400, 401, 503],
    }),
  },
  '/slack/commands': {
    post: {
      summary:
        'Slack slash commands, verified with the v0 request signature; each signed request is served once',
      form: true,
      answer: { description: 'acknowledged (ephemeral); the full answer follows on response_url' },
      errors: [400, 401, 413],
    },
  },
  '/slack/interactions': {
    post: {
      summary: 'buttons and menus on triage messages (block_actions), verified with the v0 request signature',
      form: true,
      answer: { description: 'accepted with no body; the work follows and the message is updated' },
      errors: [400, 401, 413],
    },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function registryOf(named: Record<string, z.ZodType>) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  return registry;
}
const requestRegistry = registryOf(REQUESTS);
const answerRegistry = registryOf(ANSWERS);

/**
 * One schema, its named parts referred to as components (zod puts them under $defs: the references are moved to
 * where the components are). A transform (the Webhook's redaction) is described by its input.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const registry = io === 'input' ? requestRegistry : answerRegistry;
  const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: registry });
  const {
    $schema: _,
    $defs = {},
    ...rest
  } = JSON.parse(
    JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/'),
  ) as JsonSchema & { $defs?: Record<string, unknown> };
  const unnamed = Object.keys($defs).filter((id) => !registry.get(schemaNamed(id, io)));
  if (unnamed.length > 0) throw new Error(`schema definitions that are no component: ${unnamed.join(', ')}`);
  return rest;
}

const schemaNamed = (id: string, io: 'input' | 'output'): z.ZodType =>
  ((io === 'input' ? REQUESTS : ANSWERS) as Record<string, z.ZodType>)[id] ?? z.never();

function components(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(io === 'input' ? requestRegistry : answerRegistry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.keys(named).map((id) => {
      const { $schema: _, $id: __, ...rest } = schemas[id] ?? {};
      return [id, rest];
    }),
  );
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): JsonSchema[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    schema: s,
  }));
}

function operation(op: Operation): JsonSchema {
  const params = [...parameters('path', op.params), ...parameters('query', op.query)];
  const answer = op.answer.schema ? jsonSchema(op.answer.schema, 'output') : undefined;
  return {
    summary: op.summary,
    ...(op.security ? { security: op.security.map((name) => ({ [name]: [] })) } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } }
      : {}),
    ...(op.form
      ? {
          requestBody: {
            required: true,
            content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
          },
        }
      : {}),
    responses: {
      200: {
        description: op.answer.description,
        ...(answer ? { content: { 'application/json': { schema: answer } } } : {}),
      },
      ...Object.fromEntries(
        op.errors.map((status) => [
          String(status),
          { description: 'error', content: { 'application/json': { schema: ref('Error') } } },
        ]),
      ),
    },
  };
}

let document: JsonSchema | undefined;

export function openApiDocument(): JsonSchema {
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
        playbookToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'PLAYBOOK_TOKEN (API_TOKEN while PLAYBOOK_TOKEN is unset)',
        },
      },
      schemas: { ...components(REQUESTS, 'input'), ...components(ANSWERS, 'output') },
    },
    paths: Object.fromEntries(
      Object.entries(OPERATIONS).map(([path, methods]) => [
        path,
        Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(op)])),
      ]),
    ),
  };
  return document;
}
