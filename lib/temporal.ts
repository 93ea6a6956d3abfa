import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { EncryptionCodec } from './payload-codec';

export const dataConverter = (payloadKey: string): DataConverter => ({
  payloadCodecs: [EncryptionCodec.fromBase64(payloadKey)],
});

export async function connectClient(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'PAYLOAD_KEY'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: '10s' });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config.PAYLOAD_KEY) });
}
