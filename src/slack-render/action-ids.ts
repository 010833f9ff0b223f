// The ids of the buttons and menus on triage messages: rendered here, read back from a press by commands/interaction.
import type { SilenceHours } from '../domain/actions.js';

export const ACTION_IDS = {
  ack: 'triage_ack',
  silence: (hours: SilenceHours) => `triage_silence_${hours}h`,
  unsilence: 'triage_unsilence',
  rerun: 'triage_rerun',
  right: 'triage_right',
  wrong: 'triage_wrong',
  actualSignature: 'triage_actual_signature',
  actualText: 'triage_actual_text',
  stormAck: 'triage_storm_ack',
} as const;

/** Menus and text inputs carry no value of ours: the incident id travels in their block id. */
export const VERDICT_BLOCK_PREFIX = 'triage_verdict:';
