import { randomBytes } from 'node:crypto';
import { sha256 } from './blobs';

// Secrets handed to people and programs: API tokens and session cookies. Only their SHA-256 is stored
// (api_tokens.token_hash, sessions.id), so a database copy gives nobody a way in.

export const newApiToken = (): string => `obg_${randomBytes(32).toString('base64url')}`;
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => sha256(token);
