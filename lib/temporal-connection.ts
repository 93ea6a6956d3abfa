import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Config } from './config';

// How every obieg process reaches Temporal (worker, API, operator commands): plain gRPC on a private
// network, or TLS (a managed service, or a server with its frontend TLS on), optionally with a client
// certificate (mTLS) and an API key. The options suit both Connection (client) and NativeConnection (worker).

export type TemporalConnectionConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_API_KEY'
>;

export interface TemporalConnectionOptions {
  address: string;
  /** false: plain gRPC; an object: TLS (an empty one verifies the server against the system's CAs). */
  tls: TLSConfig | false;
  apiKey?: string;
}

function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

export function temporalConnectionOptions(config: TemporalConnectionConfig): TemporalConnectionOptions {
  const wantsTls =
    config.TEMPORAL_TLS === 'true' ||
    (config.TEMPORAL_TLS !== 'false' && !!(config.TEMPORAL_TLS_CA_FILE || config.TEMPORAL_TLS_CERT_FILE || config.TEMPORAL_TLS_SERVER_NAME || config.TEMPORAL_API_KEY));
  if (!wantsTls && (config.TEMPORAL_TLS_CA_FILE || config.TEMPORAL_TLS_CERT_FILE)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS: is false, but TLS files are set; remove them or turn TLS on');
  }
  let tls: TLSConfig | false = false;
  if (wantsTls) {
    tls = {};
    if (config.TEMPORAL_TLS_CA_FILE) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA_FILE', config.TEMPORAL_TLS_CA_FILE);
    if (config.TEMPORAL_TLS_CERT_FILE && config.TEMPORAL_TLS_KEY_FILE) {
      tls.clientCertPair = { crt: readPem('TEMPORAL_TLS_CERT_FILE', config.TEMPORAL_TLS_CERT_FILE), key: readPem('TEMPORAL_TLS_KEY_FILE', config.TEMPORAL_TLS_KEY_FILE) };
    }
    if (config.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = config.TEMPORAL_TLS_SERVER_NAME;
  }
  return { address: config.TEMPORAL_ADDRESS, tls, ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}) };
}
