// A fresh clone passes its own tests: no code, test, bench or CI script reaches for files outside the repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['src', 'test', 'bench', 'infra', '.ci', 'events'];
const TEXT = /\.(ts|js|mjs|cjs|json|sh|md|ya?ml)$|^run$|^audit$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'cdk.out') return [];
    if (statSync(path).isDirectory()) return files(path);
    return TEXT.test(name) ? [path] : [];
  });
}

/** Quoted relative paths (`'../x'`, `"../../y"`, template literals) as written in a file. */
const RELATIVE_PATH = /['"`]((?:\.\.\/)+[^'"`$\s]*)/g;
/** Places only the build machine has. */
const MACHINE_PATHS = /(?:\.\.\/)+shared\/|\/work\/|shared\/(?:reference|field-guide)\//;

function escapes(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(RELATIVE_PATH)) {
    const target = resolve(dirname(file), match[1] ?? '');
    if (target !== ROOT && !target.startsWith(ROOT + sep)) found.push(match[1] ?? '');
  }
  for (const match of text.matchAll(new RegExp(MACHINE_PATHS, 'g'))) found.push(match[0]);
  return found;
}

describe('repository boundary', () => {
  it('flags a path that leaves the repository and one that stays inside', () => {
    const file = join(ROOT, 'test', 'domain', 'x.test.ts');
    // Built from parts, so this file holds no path to the build machine's shared folder itself.
    const outside = ['..', '..', '..', 'shared', 'reference', 'a.json'].join('/');
    expect(escapes(file, `new URL('${outside}', import.meta.url)`)).not.toEqual([]);
    expect(escapes(file, "import { a } from '../../src/domain/alert.js';")).toEqual([]);
  });

  it('no file under src, test, bench, infra, .ci or events reads outside the repository', () => {
    const offenders = SCANNED.flatMap((dir) =>
      files(join(ROOT, dir))
        .filter((file) => file !== fileURLToPath(import.meta.url))
        .flatMap((file) =>
          escapes(file, readFileSync(file, 'utf8')).map((p) => `${relative(ROOT, file)}: ${p}`),
        ),
    );
    expect(offenders).toEqual([]);
  });
});
