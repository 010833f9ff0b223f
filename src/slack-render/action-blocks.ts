// The buttons on a triage message and the lines that say what was done from them (acknowledged, silenced, verdict).
import { matchersText, SILENCE_HOURS, silenceActive, utcTime } from '../domain/actions.js';
import { BUILT_IN_SIGNATURES } from '../domain/catalog/index.js';
import type { Incident } from '../domain/incident.js';
import { ACTION_IDS, VERDICT_BLOCK_PREFIX } from './action-ids.js';
import { type Block, context } from './blocks.js';
import { BLOCK_ID_LIMIT, code, escapeMrkdwn, MAX_OPTIONS, OPTION_TEXT_LIMIT, truncate } from './text.js';

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** What was done from the message, a line each; empty when nothing was. */
export function actionLines(incident: Incident, now: Date): string[] {
  const lines: string[] = [];
  if (incident.acknowledged)
    lines.push(
      `:eyes: Acknowledged by <@${incident.acknowledged.by}> at ${utcTime(incident.acknowledged.at, now)}`,
    );
  const silence = incident.silence;
  if (silence) {
    const matchers = code(matchersText(silence.matchers));
    if (silence.expiredAt)
      lines.push(
        `:bell: Silence \`${silence.id}\` expired by <@${silence.expiredBy ?? silence.by}> (${matchers})`,
      );
    else if (silenceActive(silence, now))
      lines.push(
        `:no_bell: Silenced by <@${silence.by}> until ${utcTime(silence.endsAt, now)} · silence \`${silence.id}\` matching ${matchers}`,
      );
    else lines.push(`Silence \`${silence.id}\` ended at ${utcTime(silence.endsAt, now)}`);
  }
  const verdict = incident.verdict;
  if (verdict) {
    const actual = verdict.actual?.signatureId
      ? `: it was \`${verdict.actual.signatureId}\``
      : verdict.actual?.text
        ? `: it was "${escapeMrkdwn(verdict.actual.text)}"`
        : '';
    lines.push(
      `${verdict.verdict === 'right' ? ':white_check_mark: Diagnosis marked right' : ':x: Diagnosis marked wrong'} by <@${verdict.by}>${actual}`,
    );
  }
  return lines;
}

/** Status lines (if any) and the buttons; the "what was it?" menu and input once the diagnosis is marked wrong. */
export function actionBlocks(incident: Incident, now: Date = new Date()): Block[] {
  const blocks: Block[] = [];
  const lines = actionLines(incident, now);
  if (lines.length > 0) blocks.push(context(lines.join('\n')));
  if (incident.status === 'resolved' && !incident.silence && incident.verdict) return blocks;
  const id = incident.id;
  const elements: Block[] = [];
  if (!incident.acknowledged && incident.status === 'firing')
    elements.push(button('Acknowledge', ACTION_IDS.ack, id, 'primary'));
  if (silenceActive(incident.silence, now)) elements.push(button('Unsilence', ACTION_IDS.unsilence, id));
  else if (incident.status === 'firing')
    for (const hours of SILENCE_HOURS)
      elements.push(button(`Silence ${hours} h`, ACTION_IDS.silence(hours), id));
  if (incident.status === 'firing') elements.push(button('Re-run triage', ACTION_IDS.rerun, id));
  if (!incident.verdict) {
    elements.push(button('Right', ACTION_IDS.right, id));
    elements.push(button('Wrong', ACTION_IDS.wrong, id, 'danger'));
  }
  // A block id is unique within the message; the id is all it needs to carry.
  if (elements.length > 0)
    blocks.push({ type: 'actions', block_id: `triage_actions:${id}`.slice(0, BLOCK_ID_LIMIT), elements });
  if (incident.verdict?.verdict === 'wrong' && !incident.verdict.actual) blocks.push(...whatWasIt(incident));
  return blocks;
}

function whatWasIt(incident: Incident): Block[] {
  const block = `${VERDICT_BLOCK_PREFIX}${incident.id}`.slice(0, BLOCK_ID_LIMIT);
  const led = incident.findings[0]?.signatureId;
  const options = BUILT_IN_SIGNATURES.filter((s) => s.id !== led)
    .slice(0, MAX_OPTIONS)
    .map((s) => ({ text: { type: 'plain_text', text: truncate(s.id, OPTION_TEXT_LIMIT) }, value: s.id }));
  return [
    {
      type: 'actions',
      block_id: block,
      elements: [
        {
          type: 'static_select',
          action_id: ACTION_IDS.actualSignature,
          placeholder: { type: 'plain_text', text: 'What was it? (a known signature)' },
          options,
        },
      ],
    },
    {
      type: 'input',
      block_id: `${block}:text`.slice(0, BLOCK_ID_LIMIT),
      dispatch_action: true,
      label: { type: 'plain_text', text: 'Or say what it was (Enter to send)' },
      element: {
        type: 'plain_text_input',
        action_id: ACTION_IDS.actualText,
        max_length: 500,
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      },
    },
  ];
}

/** A storm summary's one button: acknowledge every alert of the storm (silences stay per alert, in the thread). */
export function stormActions(stormId: string): Block {
  return {
    type: 'actions',
    block_id: `triage_storm:${stormId}`.slice(0, BLOCK_ID_LIMIT),
    elements: [button('Acknowledge all', ACTION_IDS.stormAck, stormId, 'primary')],
  };
}
