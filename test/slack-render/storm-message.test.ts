// The storm summary says what it cannot see: alerts Alertmanager left out of the delivery (max_alerts).
import { describe, expect, it } from 'vitest';
import { type StormMember, summarizeStorm } from '../../src/domain/storm.js';
import { stormSummaryMessage } from '../../src/slack-render/storm-message.js';

const members: StormMember[] = Array.from({ length: 3 }, (_, i) => ({
  incidentId: `i${i}`,
  alertname: 'KubePodCrashLooping',
  signatureId: 'container-oom-killed',
  title: 'Container OOM-killed',
  confidence: 'high',
  namespace: 'payments',
  pod: `p${i}`,
  node: 'n1',
  alreadyNotified: false,
}));

describe('stormSummaryMessage', () => {
  it('warns how many alerts of the group Alertmanager did not send', () => {
    const message = stormSummaryMessage(summarizeStorm(members, { truncated: 47 }), 'cluster="prod"');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Alertmanager left 47 more alert(s) of this group out of the notification');
    expect(text).toContain('max_alerts');
  });

  it('says nothing of truncation when nothing was left out', () => {
    const message = stormSummaryMessage(summarizeStorm(members), 'cluster="prod"');
    expect(JSON.stringify(message.blocks)).not.toContain('max_alerts');
  });
});
