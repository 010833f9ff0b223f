// What changed between an incident's first diagnosis and a re-run now: the lead, the evidence, what could not be read.
import type { Finding } from './signature.js';

export interface Diagnosis {
  readonly findings: readonly Finding[];
  readonly unavailable: readonly string[];
}

const lead = (findings: readonly Finding[]) =>
  findings[0]
    ? `${findings[0].title} (\`${findings[0].signatureId}\`, ${findings[0].confidence})`
    : 'no known signature';

/** Lines of mrkdwn-free text (the caller escapes): the first says whether the diagnosis changed. */
export function rerunChanges(before: Diagnosis, now: Diagnosis): string[] {
  const first = before.findings[0];
  const top = now.findings[0];
  const lines: string[] = [];
  if (first?.signatureId === top?.signatureId && first?.confidence === top?.confidence)
    lines.push(`Same diagnosis as the first time: ${lead(now.findings)}.`);
  else lines.push(`The diagnosis changed: was ${lead(before.findings)}, now ${lead(now.findings)}.`);

  const evidenceOf = (f: Finding | undefined) =>
    new Set((f?.evidence ?? []).map((e) => `${e.source}: ${e.detail}`));
  if (top && first?.signatureId === top.signatureId) {
    const was = evidenceOf(first);
    const is = evidenceOf(top);
    const added = [...is].filter((e) => !was.has(e));
    const gone = [...was].filter((e) => !is.has(e));
    for (const e of added.slice(0, 5)) lines.push(`New evidence: ${e}`);
    for (const e of gone.slice(0, 5)) lines.push(`No longer seen: ${e}`);
  } else if (top) {
    for (const e of top.evidence.slice(0, 5)) lines.push(`Evidence now: ${e.source}: ${e.detail}`);
  }
  const was = new Set(before.findings.map((f) => f.signatureId));
  const is = new Set(now.findings.map((f) => f.signatureId));
  const appeared = [...is].filter((id) => !was.has(id));
  const vanished = [...was].filter((id) => !is.has(id));
  if (appeared.length > 0) lines.push(`Now also matching: ${appeared.join(', ')}`);
  if (vanished.length > 0) lines.push(`No longer matching: ${vanished.join(', ')}`);
  const unreadBefore = new Set(before.unavailable);
  for (const u of now.unavailable.filter((u) => !unreadBefore.has(u)).slice(0, 5))
    lines.push(`Could not read now: ${u}`);
  for (const u of before.unavailable.filter((u) => !now.unavailable.includes(u)).slice(0, 5))
    lines.push(`Readable now (was not): ${u}`);
  return lines;
}
