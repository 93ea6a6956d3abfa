import type { Payload } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { EncryptionCodec } from '../../lib/payload-codec';
import { TEST_PAYLOAD_KEY } from './system';

/** Every payload of a workflow's history, decrypted with the test key, as text: to check no secret is in it. */
export async function unsealedHistory(handle: WorkflowHandle): Promise<string> {
  const found: Payload[] = [];
  const walk = (o: unknown): void => {
    if (!o || typeof o !== 'object' || o instanceof Uint8Array) return;
    const r = o as Record<string, unknown>;
    if (r.metadata && r.data instanceof Uint8Array) {
      found.push(r as Payload);
      return;
    }
    for (const v of Object.values(r)) walk(v);
  };
  walk(await handle.fetchHistory());
  const plain = await EncryptionCodec.fromBase64(TEST_PAYLOAD_KEY).decode(found);
  return plain.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
}
