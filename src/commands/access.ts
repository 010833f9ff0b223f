// Who may use the slash command, and which namespaces a channel or user may inspect through it (issue 16).

import type { SlashCommand } from './parse-command.js';

/** Every namespace, or these ones. */
export type NamespaceGrant = 'all' | ReadonlySet<string>;

export interface SlackAccess {
  /** Team (workspace) ids allowed to run commands; undefined: any team that can sign with the app's secret. */
  readonly teams: ReadonlySet<string> | undefined;
  /** User ids allowed; undefined: every user of an allowed team. */
  readonly users: ReadonlySet<string> | undefined;
  /** Channel or user id to the namespaces it may inspect; undefined: every namespace for everyone. */
  readonly namespaces: ReadonlyMap<string, NamespaceGrant> | undefined;
}

export const OPEN_ACCESS: SlackAccess = { teams: undefined, users: undefined, namespaces: undefined };

const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `T01,T02` into a set of ids; undefined when empty. Throws on what is not a Slack id. */
export function parseIds(text: string | undefined, name: string): ReadonlySet<string> | undefined {
  const ids = (text ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of ids) if (!SLACK_ID.test(id)) throw new Error(`${name}: "${id}" is not a Slack id`);
  return ids.length > 0 ? new Set(ids) : undefined;
}

/**
 * `C0ALERTS01=shop,payments;U0ADMIN01=*` into grants. A channel (C…, G…) or user (U…, W…) id, `=`, then `*` or
 * namespaces separated by commas; entries separated by `;`. Throws on anything else.
 */
export function parseNamespaceGrants(
  text: string | undefined,
): ReadonlyMap<string, NamespaceGrant> | undefined {
  const entries = (text ?? '')
    .split(';')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) return undefined;
  const grants = new Map<string, NamespaceGrant>();
  for (const entry of entries) {
    const [id = '', list = ''] = entry.split('=', 2).map((s) => s.trim());
    if (!SLACK_ID.test(id)) throw new Error(`SLACK_NAMESPACES: "${id}" is not a Slack channel or user id`);
    const names = list
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (names.length === 0) throw new Error(`SLACK_NAMESPACES: ${id} names no namespace (use * for all)`);
    for (const n of names)
      if (n !== '*' && !NAMESPACE.test(n)) throw new Error(`SLACK_NAMESPACES: "${n}" is not a namespace`);
    grants.set(id, names.includes('*') ? 'all' : new Set(names));
  }
  return grants;
}

/** Why this team or user may not use the command at all, or undefined. */
export function refusedCaller(access: SlackAccess, teamId: string, userId: string): string | undefined {
  if (access.teams && !access.teams.has(teamId)) return 'this workspace is not allowed to use this command';
  if (access.users && !access.users.has(userId))
    return 'you are not on the list of users allowed to use this command';
  return undefined;
}

/** What the command's channel and user may inspect together. */
export function grantOf(access: SlackAccess, channelId: string, userId: string): NamespaceGrant {
  if (!access.namespaces) return 'all';
  const parts = [access.namespaces.get(channelId), access.namespaces.get(userId)];
  if (parts.includes('all')) return 'all';
  return new Set(parts.flatMap((p) => (p && p !== 'all' ? [...p] : [])));
}

export const mayInspect = (grant: NamespaceGrant, namespace: string | undefined): boolean =>
  grant === 'all' || (namespace !== undefined && grant.has(namespace));

const shown = (grant: NamespaceGrant) =>
  grant === 'all' ? 'every namespace' : grant.size === 0 ? 'no namespace' : [...grant].sort().join(', ');

/**
 * Why this command reaches beyond the grant, or undefined. A node's answer shows pods of every namespace on it, so
 * it needs every namespace; an incident list must name a granted namespace. (`incident <id>` is checked where the
 * incident is read.)
 */
export function refusedCommand(command: SlashCommand, grant: NamespaceGrant): string | undefined {
  if (grant === 'all') return undefined;
  switch (command.kind) {
    case 'pod':
      return mayInspect(grant, command.namespace)
        ? undefined
        : `this channel may inspect ${shown(grant)}, not ${command.namespace}`;
    case 'node':
      return `a node answer shows pods of every namespace on it; this channel may inspect only ${shown(grant)}`;
    case 'incidents':
      return mayInspect(grant, command.filters.namespace)
        ? undefined
        : `add namespace=<ns>: this channel may list incidents of ${shown(grant)} only`;
    default:
      return undefined;
  }
}
