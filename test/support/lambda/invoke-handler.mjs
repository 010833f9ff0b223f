// Invokes `handler(event, {})` of a Lambda bundle for each event of a JSON array file, in order, in one fresh
// process, and prints each result as a `RESULT <json>` line.
import { readFileSync } from 'node:fs';

const [bundle, eventsFile] = process.argv.slice(2);
const { handler } = await import(bundle);
for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) {
  const result = await handler(event, {});
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
