// Size bounds: every accepted alert fits a queue message and an incident item, and a cut value says it was cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Webhook } from '../../src/domain/alert.js';
import { BOUNDS, boundAlert, boundText, boundWebhook, jsonBytes } from '../../src/domain/bounds.js';
import { alert } from '../support/contexts.js';
import { runs } from '../support/fuzz.js';

const hasLoneSurrogate = (s: string) =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('boundText', () => {
  it('keeps a value that fits, byte for byte', () => {
    const value = 'é'.repeat(100);
    expect(boundText(value, 200)).toBe(value);
  });

  it('cuts a long value to the bound, counting JSON escapes, and names the original size', () => {
    const value = '"\u0000'.repeat(10_000); // 7 JSON bytes per two characters
    const cut = boundText(value, 1024);
    expect(jsonBytes(cut)).toBeLessThanOrEqual(1024);
    expect(cut).toMatch(/… \[cut from 20000 bytes, sha256 [0-9a-f]{16}\]$/);
    expect(value.startsWith(cut.slice(0, cut.indexOf(' … [cut')))).toBe(true);
  });

  it('keeps two long values with the same head distinct', () => {
    const head = 'k'.repeat(5000);
    expect(boundText(`${head}a`, 1024)).not.toBe(boundText(`${head}b`, 1024));
    expect(boundText(`${head}a`, 1024)).toBe(boundText(`${head}a`, 1024));
  });

  it('always fits, never splits a surrogate pair, and is the identity on what fits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '"', '\n', 'é', '日', '🔥', '\u0001'), maxLength: 3000 }),
        fc.integer({ min: 256, max: 4096 }),
        (value, max) => {
          const bounded = boundText(value, max);
          expect(jsonBytes(bounded)).toBeLessThanOrEqual(max);
          if (jsonBytes(value) <= max) expect(bounded).toBe(value);
          expect(hasLoneSurrogate(bounded)).toBe(false);
        },
      ),
      { numRuns: runs(500) },
    );
  });
});

describe('boundAlert', () => {
  it('returns the very same alert when it fits', () => {
    const a = alert();
    expect(boundAlert(a)).toEqual({ alert: a, cuts: [] });
    expect(boundAlert(a).alert).toBe(a);
  });

  it('cuts a 900 KiB label value to the label bound and says where', () => {
    const a = alert();
    const { alert: bounded, cuts } = boundAlert({
      ...a,
      labels: { ...a.labels, huge: 'v'.repeat(900 * 1024) },
    });
    expect(jsonBytes(bounded.labels.huge ?? '')).toBeLessThanOrEqual(BOUNDS.labelValue);
    expect(bounded.labels.huge).toContain('[cut from 921600 bytes');
    expect(bounded.labels.alertname).toBe(a.labels.alertname);
    expect(cuts).toEqual(['labels.huge']);
  });

  it('drops the largest annotations first, then labels, but never the ones triage reads', () => {
    const a = alert();
    const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`label_${i}`, 'x'.repeat(200)]));
    const notes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`note_${i}`, 'n'.repeat(16_000)]));
    const { alert: bounded, cuts } = boundAlert({
      ...a,
      labels: { ...a.labels, ...many },
      annotations: { ...a.annotations, ...notes },
    });
    const size = JSON.stringify(bounded.labels).length + JSON.stringify(bounded.annotations).length;
    expect(size).toBeLessThanOrEqual(BOUNDS.alertTotal);
    for (const name of ['alertname', 'namespace', 'pod', 'container', 'severity'])
      expect(bounded.labels[name]).toBe(a.labels[name]);
    expect(Object.keys(bounded.annotations)).toHaveLength(0);
    expect(cuts.some((c) => c.startsWith('annotations.note_') && c.endsWith('(dropped)'))).toBe(true);
    expect(cuts.some((c) => c.startsWith('labels.label_') && c.endsWith('(dropped)'))).toBe(true);
  });
});

describe('boundWebhook', () => {
  const webhook = (over: Partial<Webhook> = {}): Webhook => ({
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'alert-triage',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: [alert()],
    ...over,
  });

  it('returns the same webhook when everything fits', () => {
    const w = webhook();
    expect(boundWebhook(w).webhook).toBe(w);
  });

  it('cuts a 16 KiB group key to an identity that still tells groups apart', () => {
    const a = boundWebhook(webhook({ groupKey: `${'g'.repeat(16_000)}a` }));
    const b = boundWebhook(webhook({ groupKey: `${'g'.repeat(16_000)}b` }));
    expect(jsonBytes(a.webhook.groupKey)).toBeLessThanOrEqual(BOUNDS.groupKey);
    expect(a.webhook.groupKey).not.toBe(b.webhook.groupKey);
    expect(a.cuts).toEqual(['groupKey']);
  });

  it('names the alert whose values were cut', () => {
    const big = { ...alert(), annotations: { description: 'd'.repeat(100_000) } };
    expect(boundWebhook(webhook({ alerts: [alert(), big] })).cuts).toEqual([
      'alerts[1].annotations.description',
    ]);
  });
});
