// /playbooks: read the effective playbook; add, override, disable or restore signatures without a redeploy.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { effectivePlaybook } from '../../domain/playbook.js';
import type { Signature } from '../../domain/signature.js';
import { parseSignature } from '../../domain/signature-schema.js';
import type { PlaybookStore } from '../../ports.js';
import { HttpError } from '../errors.js';
import { readJsonBody } from '../json-body.js';

const ID = /^[a-z0-9][a-z0-9-]{1,79}$/;
const SIGNATURE_BODY_LIMIT = 64 * 1024;

function checkId(id: string): string {
  if (!ID.test(id))
    throw new HttpError(400, 'invalid_id', 'signature ids are lower-case kebab-case, 2-80 characters');
  return id;
}

export function playbookRoutes(deps: {
  store: PlaybookStore;
  builtIns: readonly Signature[];
  now: () => Date;
}): Hono {
  const app = new Hono();
  const current = async () => effectivePlaybook(deps.builtIns, await deps.store.entries());
  const isBuiltIn = (id: string) => deps.builtIns.some((s) => s.id === id);

  app.get('/', async (c) => c.json({ items: await current() }));

  app.get('/:id', async (c) => {
    const id = checkId(c.req.param('id'));
    const item = (await current()).find((i) => i.id === id);
    if (!item) throw new HttpError(404, 'not_found', `no signature ${id}`);
    return c.json(item);
  });

  app.put(
    '/:id',
    bodyLimit({
      maxSize: SIGNATURE_BODY_LIMIT,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', 'a signature is at most 64 KiB');
      },
    }),
    async (c) => {
      const id = checkId(c.req.param('id'));
      const body = await readJsonBody(c, SIGNATURE_BODY_LIMIT, 'a signature is at most 64 KiB');
      const parsed = parseSignature(body);
      if (!parsed.ok)
        throw new HttpError(400, 'invalid_signature', 'the signature is not valid', parsed.issues);
      if (parsed.signature.id !== id)
        throw new HttpError(400, 'id_mismatch', `body id "${parsed.signature.id}" is not "${id}"`);
      await deps.store.put({
        id,
        kind: 'signature',
        signature: parsed.signature,
        updatedAt: deps.now().toISOString(),
      });
      const item = (await current()).find((i) => i.id === id);
      return c.json(item);
    },
  );

  app.delete('/:id', async (c) => {
    const id = checkId(c.req.param('id'));
    const restore = c.req.query('restore') === 'true';
    if (isBuiltIn(id)) {
      if (restore) await deps.store.remove(id);
      else await deps.store.put({ id, kind: 'disabled', updatedAt: deps.now().toISOString() });
      return c.json((await current()).find((i) => i.id === id));
    }
    if (!(await deps.store.remove(id))) throw new HttpError(404, 'not_found', `no custom signature ${id}`);
    return c.json({ id, deleted: true });
  });
  return app;
}
