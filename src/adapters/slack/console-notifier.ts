// Notifier for local mode without a Slack token: prints the message a channel would have received.
import type { Incident, Notification } from '../../domain/incident.js';
import type { StormSummary } from '../../domain/storm.js';
import type { Notifier } from '../../ports.js';
import { actionLines } from '../../slack-render/action-blocks.js';
import { incidentMessage, resolvedReply } from '../../slack-render/incident-message.js';
import { stormResolvedReply } from '../../slack-render/storm-message.js';

export class ConsoleNotifier implements Notifier {
  private sequence = 0;

  constructor(private readonly write: (text: string) => void = (t) => process.stdout.write(t)) {}

  async notify(incident: Incident): Promise<Notification> {
    const message = incidentMessage(incident);
    const rule = '─'.repeat(72);
    const top = incident.findings[0];
    const lines = [
      rule,
      `Slack message (console) · incident ${incident.id}`,
      message.text.split('\n')[0] ?? '',
      ...(top
        ? [`  ${top.summary}`, '  Evidence:', ...top.evidence.map((e) => `    - [${e.source}] ${e.detail}`)]
        : []),
      ...(top ? ['  What to do:', ...top.remediation.map((s, i) => `    ${i + 1}. ${s}`)] : []),
      ...(!top && incident.observed?.length
        ? ['  What was observed:', ...incident.observed.map((line) => `    - ${line}`)]
        : []),
      ...(incident.unavailable.length > 0
        ? ['  Context not available:', ...incident.unavailable.map((u) => `    - ${u}`)]
        : []),
      rule,
    ];
    this.write(`${lines.join('\n')}\n`);
    this.sequence += 1;
    return {
      channel: 'console',
      ts: `${Math.floor(Date.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`,
    };
  }

  async reply(
    incident: Incident,
    parent: { channel: string; ts: string },
    broadcast: boolean,
  ): Promise<Notification> {
    const own = await this.notify(incident);
    this.write(`  (posted in thread ${parent.ts}${broadcast ? ', also sent to the channel' : ''})\n`);
    return { ...own, channel: parent.channel, threadTs: parent.ts };
  }

  async storm(
    summary: StormSummary,
    group: string,
    thread: { channel: string; ts: string } | undefined,
  ): Promise<Notification> {
    const lines = [
      `Slack storm message (console) · group ${group}: ${summary.fresh} new alerts${thread ? ` (in thread ${thread.ts})` : ''}`,
      ...summary.groups.map(
        (g) =>
          `  ${g.title}: ${g.members.map((m) => `${m.namespace ?? ''}/${m.pod ?? m.alertname}`).join(', ')}`,
      ),
    ];
    this.write(`${lines.join('\n')}\n`);
    this.sequence += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
    return thread ? { channel: thread.channel, ts, threadTs: thread.ts } : { channel: 'console', ts };
  }

  async stormResolved(
    parent: Notification,
    summary: StormSummary,
    _group: string,
    lastAt: string,
  ): Promise<void> {
    this.write(
      `Slack thread reply (console) · storm ${parent.ts}: ${stormResolvedReply(summary.total, lastAt)}\n`,
    );
  }

  /** The console keeps no messages to find: an earlier attempt's output is already printed. */
  async findPosted(): Promise<Notification | undefined> {
    return undefined;
  }

  async resolved(incident: Incident): Promise<void> {
    this.write(`Slack thread reply (console) · incident ${incident.id}: ${resolvedReply(incident)}\n`);
  }

  async refresh(incident: Incident): Promise<void> {
    const lines = actionLines(incident, new Date());
    this.write(
      `Slack message updated (console) · incident ${incident.id}${lines.length ? `: ${lines.join('; ')}` : ''}\n`,
    );
  }

  async note(incident: Incident, text: string): Promise<void> {
    this.write(`Slack thread reply (console) · incident ${incident.id}: ${text}\n`);
  }

  async noteAt(parent: { channel: string; ts: string }, text: string): Promise<void> {
    this.write(`Slack thread reply (console) · thread ${parent.ts}: ${text}\n`);
  }
}
