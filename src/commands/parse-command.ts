// Parses the text of a `/triage` slash command into a typed command; pure, so the api answers bad input at once.
import { type IncidentFilters, MAX_LISTED, type QueuedCommand } from '../domain/command-job.js';
import {
  DNS1123_LABEL as DNS_LABEL,
  DNS1123_SUBDOMAIN as DNS_SUBDOMAIN,
  INCIDENT_ID,
  SIGNATURE_ID,
} from '../domain/identifiers.js';

/** What the text asks: a command for the worker (queued as it is), or help and bad input, answered at once. */
export type SlashCommand =
  | QueuedCommand
  | { readonly kind: 'help'; readonly unknown?: string }
  | { readonly kind: 'invalid'; readonly message: string; readonly usage: string };

/** Slack caps command text far below this; anything longer is not a command of ours. */
const MAX_TEXT = 1000;

export const USAGE = {
  pod: 'pod <namespace>/<pod>',
  node: 'node <name>',
  incidents: `incidents [status=firing|resolved] [namespace=<ns>] [node=<name>] [signature=<id>] [limit=1-${MAX_LISTED}]`,
  incident: 'incident <id>',
  playbooks: 'playbooks',
  stats: 'stats [days=1-90]',
  help: 'help',
} as const;

const invalid = (message: string, usage: string): SlashCommand => ({ kind: 'invalid', message, usage });

/**
 * Slack escapes &, < and > in command text and, when the app asks for it, wraps links as `<url|label>`
 * (a node name such as ip-10-0-0-1.ec2.internal can arrive that way): undo both for one word.
 */
function unescapeWord(word: string): string {
  const link = /^<([^|>]+)(?:\|([^>]+))?>$/.exec(word);
  const plain = link ? (link[2] ?? link[1]?.replace(/^(https?|mailto):(\/\/)?/i, '') ?? word) : word;
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** For messages: a user's word quoted back, cut short and stripped of backticks. */
function shown(word: string): string {
  const clean = word.replace(/`/g, "'");
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

function podCommand(args: readonly string[]): SlashCommand {
  const [ref, ...rest] = args;
  if (ref === undefined || rest.length > 0) return invalid('name one pod as namespace/pod.', USAGE.pod);
  const slash = ref.indexOf('/');
  const namespace = ref.slice(0, slash);
  const pod = ref.slice(slash + 1);
  if (slash < 0 || pod.includes('/')) return invalid(`\`${shown(ref)}\` is not namespace/pod.`, USAGE.pod);
  if (!DNS_LABEL.test(namespace))
    return invalid(
      `\`${shown(namespace)}\` is not a namespace name (lower-case letters, digits, -).`,
      USAGE.pod,
    );
  if (!DNS_SUBDOMAIN.test(pod))
    return invalid(`\`${shown(pod)}\` is not a pod name (lower-case letters, digits, - and .).`, USAGE.pod);
  return { kind: 'pod', namespace, pod };
}

function nodeCommand(args: readonly string[]): SlashCommand {
  const [node, ...rest] = args;
  if (node === undefined || rest.length > 0) return invalid('name one node.', USAGE.node);
  if (!DNS_SUBDOMAIN.test(node)) return invalid(`\`${shown(node)}\` is not a node name.`, USAGE.node);
  return { kind: 'node', node };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function incidentsCommand(args: readonly string[]): SlashCommand {
  const filters: Mutable<IncidentFilters> = {};
  let limit = MAX_LISTED;
  const seen = new Set<string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) return invalid(`\`${shown(arg)}\` is not a filter; write key=value.`, USAGE.incidents);
    const key = arg.slice(0, eq).toLowerCase();
    const value = arg.slice(eq + 1);
    if (seen.has(key)) return invalid(`\`${shown(key)}\` is given twice.`, USAGE.incidents);
    seen.add(key);
    const bad = (what: string) => invalid(`\`${shown(value)}\` is not ${what}.`, USAGE.incidents);
    switch (key) {
      case 'status':
        if (value !== 'firing' && value !== 'resolved') return bad('a status (firing or resolved)');
        filters.status = value;
        break;
      case 'namespace':
        if (!DNS_LABEL.test(value)) return bad('a namespace name');
        filters.namespace = value;
        break;
      case 'node':
        if (!DNS_SUBDOMAIN.test(value)) return bad('a node name');
        filters.node = value;
        break;
      case 'signature':
        if (!SIGNATURE_ID.test(value)) return bad('a signature id (lower-case kebab-case)');
        filters.signature = value;
        break;
      case 'limit':
        if (!/^[0-9]{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LISTED)
          return bad(`a limit from 1 to ${MAX_LISTED}`);
        limit = Number(value);
        break;
      default:
        return invalid(
          `\`${shown(key)}\` is not a filter; use status, namespace, node, signature or limit.`,
          USAGE.incidents,
        );
    }
  }
  return { kind: 'incidents', filters, limit };
}

function incidentCommand(args: readonly string[]): SlashCommand {
  const [id, ...rest] = args;
  if (id === undefined || rest.length > 0) return invalid('name one incident id.', USAGE.incident);
  if (!INCIDENT_ID.test(id))
    return invalid(`\`${shown(id)}\` is not an incident id (letters, digits, _ . -).`, USAGE.incident);
  return { kind: 'incident', id };
}

export function parseCommand(text: string): SlashCommand {
  if (text.length > MAX_TEXT)
    return invalid(`that is ${text.length} characters; commands are short.`, USAGE.help);
  const words = text.trim().split(/\s+/).filter(Boolean).map(unescapeWord);
  const [first, ...args] = words;
  if (first === undefined) return { kind: 'help' };
  switch (first.toLowerCase()) {
    case 'help':
    case '-h':
    case '--help':
    case '?':
      return { kind: 'help' };
    case 'pod':
      return podCommand(args);
    case 'node':
      return nodeCommand(args);
    case 'incidents':
      return incidentsCommand(args);
    case 'incident':
      return incidentCommand(args);
    case 'playbooks':
    case 'playbook':
      return args.length === 0
        ? { kind: 'playbooks' }
        : invalid('playbooks takes no arguments.', USAGE.playbooks);
    case 'stats':
      return statsCommand(args);
  }
  // `/triage payments/checkout-api-…` (a bare namespace/pod) is the shortest way to ask about a pod.
  if (args.length === 0 && /^[^/]+\/[^/]+$/.test(first)) return podCommand([first]);
  return { kind: 'help', unknown: shown(first) };
}

/** `stats` or `stats days=7`: on-call's verdicts over a window, per signature and alert name. */
function statsCommand(args: readonly string[]): SlashCommand {
  if (args.length === 0) return { kind: 'stats', days: 30 };
  const match = args.length === 1 ? /^days=([0-9]{1,2})$/.exec(args[0] ?? '') : null;
  const days = Number(match?.[1]);
  if (!match || days < 1 || days > 90) return invalid('stats takes one optional days=1-90.', USAGE.stats);
  return { kind: 'stats', days };
}

/** What the command is about, for the immediate "Looking at …" answer. */
export function subjectOf(command: QueuedCommand): string {
  switch (command.kind) {
    case 'pod':
      return `${command.namespace}/${command.pod}`;
    case 'node':
      return `node ${command.node}`;
    case 'incidents':
      return 'the incident history';
    case 'incident':
      return `incident ${command.id}`;
    case 'playbooks':
      return 'the playbook';
    case 'stats':
      return `the verdicts of the last ${command.days} days`;
  }
}
