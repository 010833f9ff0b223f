// The /triage grammar: every command, shortcuts, Slack's escaping, and clear messages for bad input.
import { describe, expect, it } from 'vitest';
import { parseCommand, type SlashCommand, subjectOf } from '../../src/commands/parse-command.js';
import { MAX_LISTED, type QueuedCommand } from '../../src/domain/command-job.js';

const NODE = 'ip-10-20-3-41.eu-west-1.compute.internal';

describe('parseCommand', () => {
  it.each(['', '   ', 'help', 'HELP', ' help ', '?', '--help', '-h'])('"%s" asks for help', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    'frobnicate',
    'pods',
    'status payments',
    'delete pod payments/x',
  ])('unknown "%s" gets the help text, naming the word', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help', unknown: text.split(' ')[0] });
  });

  it('quotes an unknown word back short and without backticks', () => {
    const command = parseCommand(`\`${'x'.repeat(100)}`);
    expect(command.kind).toBe('help');
    const unknown = (command as { unknown: string }).unknown;
    expect(unknown).not.toContain('`');
    expect(unknown.length).toBeLessThanOrEqual(60);
  });

  describe('pod', () => {
    it('takes namespace/pod', () => {
      expect(parseCommand('pod payments/checkout-api-7d9f8c6b5-x2x7q')).toEqual({
        kind: 'pod',
        namespace: 'payments',
        pod: 'checkout-api-7d9f8c6b5-x2x7q',
      });
    });

    it('takes a bare namespace/pod, as in the reference request', () => {
      expect(parseCommand('payments/checkout-api-7d9f8c6b5-x2x7q')).toEqual({
        kind: 'pod',
        namespace: 'payments',
        pod: 'checkout-api-7d9f8c6b5-x2x7q',
      });
    });

    it('is case-insensitive in the keyword only, and tolerates extra and non-breaking spaces', () => {
      expect(parseCommand('  Pod \u00a0 payments/web-0\t')).toEqual({
        kind: 'pod',
        namespace: 'payments',
        pod: 'web-0',
      });
    });

    it('accepts dotted pod names', () => {
      expect(parseCommand('pod kube-system/kube-proxy.node-1')).toMatchObject({ pod: 'kube-proxy.node-1' });
    });

    it.each([
      ['pod', 'name one pod'],
      ['pod payments', 'is not namespace/pod'],
      ['pod payments/a/b', 'is not namespace/pod'],
      ['pod /web-0', 'is not a namespace name'],
      ['pod payments/', 'is not a pod name'],
      ['pod Payments/web-0', 'is not a namespace name'],
      ['pod payments/Web-0', 'is not a pod name'],
      ['pod payments/web_0', 'is not a pod name'],
      ['pod payments/-web', 'is not a pod name'],
      [`pod ${'a'.repeat(64)}/web`, 'is not a namespace name'],
      [`pod payments/${'a'.repeat(254)}`, 'is not a pod name'],
      ['pod payments/web-0 extra', 'name one pod'],
      ['pod payments/web-0;rm', 'is not a pod name'],
    ])('"%s" is invalid: %s', (text, message) => {
      const command = parseCommand(text);
      expect(command).toMatchObject({ kind: 'invalid', usage: 'pod <namespace>/<pod>' });
      expect((command as { message: string }).message).toContain(message);
    });

    it('a bare word with a bad name is invalid, not help', () => {
      expect(parseCommand('Payments/web')).toMatchObject({ kind: 'invalid' });
    });
  });

  describe('node', () => {
    it('takes a node name', () => {
      expect(parseCommand(`node ${NODE}`)).toEqual({ kind: 'node', node: NODE });
    });

    it('unwraps a name Slack turned into a link', () => {
      expect(parseCommand(`node <http://${NODE}|${NODE}>`)).toEqual({ kind: 'node', node: NODE });
      expect(parseCommand(`node <http://${NODE}>`)).toEqual({ kind: 'node', node: NODE });
    });

    it.each([
      'node',
      'node a b',
      'node UPPER',
      'node bad_name',
      `node ${'a'.repeat(254)}`,
    ])('"%s" is invalid', (text) => {
      expect(parseCommand(text)).toMatchObject({ kind: 'invalid', usage: 'node <name>' });
    });
  });

  describe('incidents', () => {
    it(`lists the newest ${MAX_LISTED} without filters`, () => {
      expect(parseCommand('incidents')).toEqual({ kind: 'incidents', filters: {}, limit: MAX_LISTED });
    });

    it('takes every filter and a limit, keys in any case', () => {
      expect(
        parseCommand(
          `incidents status=firing Namespace=payments node=${NODE} signature=container-oom-killed limit=3`,
        ),
      ).toEqual({
        kind: 'incidents',
        filters: { status: 'firing', namespace: 'payments', node: NODE, signature: 'container-oom-killed' },
        limit: 3,
      });
      expect(parseCommand('incidents status=resolved')).toMatchObject({ filters: { status: 'resolved' } });
    });

    it.each([
      ['incidents status=burning', 'a status'],
      ['incidents status=', 'a status'],
      ['incidents namespace=Pay', 'a namespace name'],
      ['incidents node=a_b', 'a node name'],
      ['incidents signature=Container-OOM', 'a signature id'],
      ['incidents limit=0', 'a limit from 1 to 10'],
      ['incidents limit=11', 'a limit from 1 to 10'],
      ['incidents limit=2.5', 'a limit from 1 to 10'],
      ['incidents limit=-1', 'a limit from 1 to 10'],
      ['incidents limit=ten', 'a limit from 1 to 10'],
      ['incidents alertname=X', 'is not a filter; use status, namespace, node, signature or limit'],
      ['incidents firing', 'is not a filter; write key=value'],
      ['incidents =firing', 'is not a filter; write key=value'],
      ['incidents status=firing status=resolved', 'is given twice'],
    ])('"%s" is invalid: %s', (text, message) => {
      const command = parseCommand(text);
      expect(command).toMatchObject({ kind: 'invalid' });
      expect((command as { message: string; usage: string }).message).toContain(message);
      expect((command as { usage: string }).usage).toMatch(/^incidents \[status=firing\|resolved\]/);
    });
  });

  describe('incident', () => {
    it('takes an incident id', () => {
      expect(parseCommand('incident b709ea564d7a1c55-20261123T082336014Z')).toEqual({
        kind: 'incident',
        id: 'b709ea564d7a1c55-20261123T082336014Z',
      });
    });

    it.each([
      'incident',
      'incident a b',
      'incident ../../etc',
      `incident ${'a'.repeat(201)}`,
      'incident a&amp;b',
    ])('"%s" is invalid', (text) => {
      expect(parseCommand(text)).toMatchObject({ kind: 'invalid', usage: 'incident <id>' });
    });
  });

  describe('playbooks', () => {
    it.each(['playbooks', 'playbook', 'PLAYBOOKS'])('"%s" lists the playbook', (text) => {
      expect(parseCommand(text)).toEqual({ kind: 'playbooks' });
    });

    it('takes no arguments', () => {
      expect(parseCommand('playbooks all')).toMatchObject({ kind: 'invalid', usage: 'playbooks' });
    });
  });

  it("undoes Slack's HTML escaping before reading words", () => {
    expect(parseCommand('pod payments/a&amp;b')).toMatchObject({ kind: 'invalid' });
    expect((parseCommand('incidents x&lt;y') as { message: string }).message).toContain('x<y');
  });

  it('refuses very long text without scanning it', () => {
    expect(parseCommand(`pod ${'a'.repeat(2000)}`)).toMatchObject({ kind: 'invalid' });
  });

  it('names what a command is about for the immediate answer', () => {
    const queued = (command: SlashCommand): QueuedCommand => {
      if (command.kind === 'help' || command.kind === 'invalid')
        throw new Error(`not queued: ${command.kind}`);
      return command;
    };
    expect(subjectOf(queued(parseCommand('pod payments/web-0')))).toBe('payments/web-0');
    expect(subjectOf(queued(parseCommand(`node ${NODE}`)))).toBe(`node ${NODE}`);
    expect(subjectOf(queued(parseCommand('incidents')))).toBe('the incident history');
    expect(subjectOf(queued(parseCommand('incident abc')))).toBe('incident abc');
    expect(subjectOf(queued(parseCommand('playbooks')))).toBe('the playbook');
  });
});
