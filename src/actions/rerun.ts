// Re-run triage from the message: gather and diagnose again now, and say in the thread what changed.
import type { Alert } from '../domain/alert.js';
import type { Incident } from '../domain/incident.js';
import { unavailablePieces } from '../domain/incident.js';
import { rerunChanges } from '../domain/rerun-diff.js';
import { investigate } from '../triage/investigate.js';
import { type ActionContext, who } from './run-interaction.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

const mrkdwnSafe = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function rerun(incident: Incident, ctx: ActionContext): Promise<string> {
  const { job, deps, now } = ctx;
  const alert: Alert = {
    status: incident.status,
    labels: incident.labels,
    annotations: incident.annotations,
    startsAt: incident.startsAt,
    endsAt: incident.endsAt ?? ZERO_TIME,
    generatorURL: incident.generatorURL,
    fingerprint: incident.fingerprint,
  };
  const found = await investigate(alert, incident.target, {
    inspector: deps.inspector,
    signatures: await deps.signatures(),
    nodeLogQueries: deps.nodeLogQueries ?? [],
    now: () => now,
  });
  const lines = rerunChanges(
    { findings: incident.findings, unavailable: incident.unavailable },
    { findings: found.findings, unavailable: unavailablePieces(found.context) },
  );
  const top = found.findings[0];
  const at = now.toISOString();
  await ctx.record(
    () => ({}),
    {
      at,
      event: 'rerun',
      detail: `by ${job.userId}: ${top ? `${top.signatureId} (${top.confidence})` : 'no known signature matched'}`,
    },
    `Re-run by ${who(job)} at ${at.slice(11, 16)} UTC:\n${lines.map((l, i) => (i === 0 ? mrkdwnSafe(l) : `• ${mrkdwnSafe(l)}`)).join('\n')}`,
  );
  return 'rerun';
}
