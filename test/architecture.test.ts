// The direction of imports between the parts of src/ (docs/architecture.md): each part may import only the parts
// below it, so the domain stays pure and a new adapter or route cannot pull the layers into a knot.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** What each part may import besides itself. The composition roots (config, wiring, stores, lambda, local) are free. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  domain: [],
  'slack-render': ['domain'],
  log: ['domain'],
  ports: ['domain', 'slack-render'],
  triage: ['domain', 'ports', 'log'],
  actions: ['domain', 'ports', 'log', 'slack-render', 'triage'],
  commands: ['domain', 'ports', 'log', 'slack-render', 'triage', 'actions'],
  adapters: ['domain', 'ports', 'log', 'slack-render'],
  http: ['domain', 'ports', 'log', 'slack-render', 'commands', 'actions'],
};

/** Known exceptions, each with its reason; a new one must be argued here. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'adapters/queue/queue-message.ts -> commands/command-job.ts':
    'decodes slash-command messages queued by the release before commands were queued parsed; goes with that path',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const partOf = (path: string) => {
  const [first = '', second] = relative(SRC, path).split('/');
  return second === undefined ? first.replace(/\.ts$/, '') : first;
};

function violations(): string[] {
  const found: string[] = [];
  for (const file of files(SRC)) {
    const from = partOf(file);
    const allowed = ALLOWED[from];
    if (!allowed) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = normalize(join(dirname(file), spec ?? '')).replace(/\.js$/, '.ts');
      const to = partOf(target);
      if (to === from || allowed.includes(to)) continue;
      const edge = `${relative(SRC, file)} -> ${relative(SRC, target)}`;
      if (!EXCEPTIONS[edge]) found.push(edge);
    }
  }
  return found;
}

describe('architecture', () => {
  it('every import in src/ goes down the layers', () => {
    expect(violations()).toEqual([]);
  });
});
