// The incident's JSON as stored: brotli-compressed in a binary `data` attribute. Items written before compression
// hold it as a string; both read back the same.
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Incident } from '../../domain/incident.js';
import { DependencyError } from '../../ports.js';
import { fittedData } from './item-size.js';

/**
 * Quality 6: within 10% of brotli's best on an incident (3.7 KB of JSON → 1.6 KB) at a twentieth of the CPU
 * (about 0.5 ms against 10 ms at 11). Write units are charged per started KB, so the size is most of the cost.
 */
const QUALITY = 6;

export function encodeData(incident: Incident): AttributeValue {
  const json = fittedData(incident);
  return {
    B: brotliCompressSync(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json),
      },
    }),
  };
}

/** The incident from a `data` attribute of either shape; undefined when there is none. */
export function decodeData(data: AttributeValue | undefined): Incident | undefined {
  if (data?.S) return JSON.parse(data.S) as Incident;
  if (data?.B) return JSON.parse(brotliDecompressSync(data.B).toString('utf8')) as Incident;
  return undefined;
}

export function incidentFromItem(item: Record<string, AttributeValue>): Incident {
  const incident = decodeData(item.data);
  if (!incident) throw new DependencyError('store', 'corrupt_item', 'incident item has no data');
  return incident;
}
