import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { EncryptionCodec } from './payload-codec';
import { temporalConnectionOptions, type TemporalConnectionConfig } from './temporal-connection';

export const dataConverter = (payloadKey: string): DataConverter => ({
  payloadCodecs: [EncryptionCodec.fromBase64(payloadKey)],
});

export async function connectClient(config: TemporalConnectionConfig & Pick<Config, 'TEMPORAL_NAMESPACE' | 'PAYLOAD_KEY'>): Promise<Client> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '10s' });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config.PAYLOAD_KEY) });
}
