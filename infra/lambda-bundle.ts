// How the Lambda entries are bundled, in one place: NodejsFunction (infra), the bench and the artifact test
// build with these same esbuild options, so what is measured and tested is what is deployed.
import { build } from 'esbuild';

/** ESM output needs `require` for the CommonJS dependencies esbuild inlines (parts of the AWS SDK, @slack/web-api). */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export const BUNDLE_TARGET = 'node24';
/** ES module entry points first, for tree-shaking. */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/** Bundles `src/lambda/<name>.ts` as infra does (minified ESM, AWS SDK included) into `outfile`. */
export async function bundleLambda(name: 'api' | 'worker', outfile: string): Promise<void> {
  await build({
    entryPoints: [`src/lambda/${name}.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    mainFields: BUNDLE_MAIN_FIELDS,
    outfile,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'silent',
  });
}
