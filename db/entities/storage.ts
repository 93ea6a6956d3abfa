import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

// Stored bytes: content-addressed blobs (documents, scans) and sealed secrets in transit.

/** Content-addressed file storage for generated documents and uploaded scans. */
export interface Blob {
  sha256: string;
  content: Buffer;
  size: number;
  createdAt: Date;
}

export const BlobSchema = new EntitySchema<Blob>({
  name: 'Blob',
  tableName: 'blobs',
  properties: {
    sha256: { type: 'string', length: 64, primary: true },
    content: { type: 'blob', lazy: true },
    size: { type: 'integer' },
    createdAt: createdAt(),
  },
});

/** seed 004: a sealed secret on its way between the API and an activity, outside workflow history (lib/secret-store.ts). */
export interface SealedSecret {
  id: string;
  purpose: string;
  owner: string;
  sealed: Buffer;
  expiresAt: Date;
  readAt?: Date | null;
  createdAt: Date;
}

export const SealedSecretSchema = new EntitySchema<SealedSecret>({
  name: 'SealedSecret',
  tableName: 'secrets',
  properties: {
    id: { type: 'string', length: 200, primary: true },
    purpose: { type: 'string', length: 40 },
    owner: { type: 'string', length: 200, index: true },
    sealed: { type: 'blob' },
    expiresAt: { type: 'Date', columnType: 'timestamptz' },
    readAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    createdAt: createdAt(),
  },
});
