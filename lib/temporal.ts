import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { EncryptionCodec, type KeyRing } from './payload-codec';
import { temporalConnectionOptions, type TemporalConnectionConfig } from './temporal-connection';

/** The file with the failure converter that seals failure messages and stack traces (for bundles too). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** Payloads sealed with the key ring (or one key, base64), failures' messages and stacks with them. */
export const dataConverter = (keys: KeyRing | string): DataConverter => ({
  payloadCodecs: [typeof keys === 'string' ? EncryptionCodec.fromBase64(keys) : new EncryptionCodec(keys)],
  failureConverterPath: FAILURE_CONVERTER_PATH,
});

export async function connectClient(config: TemporalConnectionConfig & Pick<Config, 'TEMPORAL_NAMESPACE' | 'PAYLOAD_KEYRING'>, interceptors?: ClientInterceptors): Promise<Client> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '10s' });
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(config.PAYLOAD_KEYRING), interceptors });
}
