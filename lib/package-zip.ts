import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';

// seed 004 Uwaga 2: the information package travels by e-mail as an encrypted file protected by a
// password handed over by phone. The file is a standard ZIP whose single entry is encrypted with
// WinZip AES-256 (AE-2: PBKDF2-HMAC-SHA1 key, HMAC-SHA1 authentication), which 7-Zip, WinZip, WinRAR
// and other AES-capable archivers open with that password. (The old built-in ZIP folder of Windows
// Explorer knows only the weak ZipCrypto, which is not used here.) Only the entry's file name, size and
// date stay readable in the archive's headers; the document itself is inside the encrypted entry.

// In-process only: no web workers in Node, and nothing loaded from outside the package.
configure({ useWebWorkers: false });

export const ZIP_MEDIA_TYPE = 'application/zip';

/** A ZIP with one AES-256 (AE-2) encrypted entry; no archive comment, no extra plain-text metadata. */
export async function zipWithPassword(entry: { name: string; content: Buffer }, password: string): Promise<Buffer> {
  if (!password) throw new Error('a package needs a password');
  const writer = new ZipWriter(new Uint8ArrayWriter(), { password, encryptionStrength: 3, zipCrypto: false, extendedTimestamp: false });
  await writer.add(entry.name, new Uint8ArrayReader(new Uint8Array(entry.content)));
  return Buffer.from(await writer.close());
}
