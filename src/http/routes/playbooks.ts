// /playbooks: read the effective playbook; add, override, disable or restore signatures without a redeploy.
import { Hono } from 'hono';
import { effectivePlaybook } from '../../domain/playbook.js';
import type { Signature } from '../../domain/signature.js';
import { SignatureSchema } from '../../domain/signature-schema.js';
import type { PlaybookStore } from '../../ports.js';
import { HttpError } from '../errors.js';
import { PlaybookDeleteQuery, SignatureIdParams } from '../schemas.js';
import { validJson, validParams, validQuery } from '../validate.js';

export const SIGNATURE_BODY_LIMIT = 64 * 1024;

const validId = validParams(SignatureIdParams, {
  code: 'invalid_id',
  message: 'signature ids are lower-case kebab-case, 2-80 characters',
});

export function playbookRoutes(deps: {
  store: PlaybookStore;
  builtIns: readonly Signature[];
  now: () => Date;
}): Hono {
  const app = new Hono();
  const current = async () => effectivePlaybook(deps.builtIns, await deps.store.entries());
  const isBuiltIn = (id: string) => deps.builtIns.some((s) => s.id === id);

  app.get('/', async (c) => c.json({ items: await current() }));

  app.get('/:id', validId, async (c) => {
    const { id } = c.req.valid('param');
    const item = (await current()).find((i) => i.id === id);
    if (!item) throw new HttpError(404, 'not_found', `no signature ${id}`);
    return c.json(item);
  });

  app.put(
    '/:id',
    validId,
    validJson(SignatureSchema, {
      code: 'invalid_signature',
      message: 'the signature is not valid',
      limit: SIGNATURE_BODY_LIMIT,
      tooLarge: 'a signature is at most 64 KiB',
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const signature = c.req.valid('json');
      if (signature.id !== id)
        throw new HttpError(400, 'id_mismatch', `body id "${signature.id}" is not "${id}"`);
      await deps.store.put({ id, kind: 'signature', signature, updatedAt: deps.now().toISOString() });
      const item = (await current()).find((i) => i.id === id);
      return c.json(item);
    },
  );

  app.delete(
    '/:id',
    validId,
    validQuery(PlaybookDeleteQuery, { code: 'invalid_query', message: 'restore is true or false' }),
    async (c) => {
      const { id } = c.req.valid('param');
      const restore = c.req.valid('query').restore === 'true';
      if (isBuiltIn(id)) {
        if (restore) await deps.store.remove(id);
        else await deps.store.put({ id, kind: 'disabled', updatedAt: deps.now().toISOString() });
        return c.json((await current()).find((i) => i.id === id));
      }
      if (!(await deps.store.remove(id))) throw new HttpError(404, 'not_found', `no custom signature ${id}`);
      return c.json({ id, deleted: true });
    },
  );
  return app;
}
