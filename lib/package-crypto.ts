import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';

// seed 004 Uwaga 2: the information package travels by e-mail as an encrypted file protected by a
// password that is handed over by phone. Format ("OBIEG-PKG1"): a magic line, a JSON header with the
// scrypt parameters and salt, then AES-256-GCM (12-byte IV, ciphertext, 16-byte tag). The key is
// scrypt(password, salt, N=2^15, r=8, p=1). decryptPackage below opens it (what a recipient tool runs).

const MAGIC = 'OBIEG-PKG1\n';
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const scrypt = (password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, 32, opts, (err, key) => (err ? reject(err) : resolve(key))));

export async function encryptPackage(plain: Buffer, password: string): Promise<Buffer> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  const iv = randomBytes(12);
  const header = Buffer.from(JSON.stringify({ alg: 'AES-256-GCM', kdf: 'scrypt', N: PARAMS.N, r: PARAMS.r, p: PARAMS.p, salt: salt.toString('base64') }) + '\n');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  return Buffer.concat([Buffer.from(MAGIC), header, iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens a package; throws on a wrong password or a damaged file. */
export async function decryptPackage(file: Buffer, password: string): Promise<Buffer> {
  if (file.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new Error('not an OBIEG-PKG1 file');
  const headerEnd = file.indexOf(0x0a, MAGIC.length) + 1;
  const header = file.subarray(MAGIC.length, headerEnd);
  const h = JSON.parse(header.toString('utf8')) as { N: number; r: number; p: number; salt: string };
  const key = await scrypt(password, Buffer.from(h.salt, 'base64'), { N: h.N, r: h.r, p: h.p, maxmem: PARAMS.maxmem });
  const body = file.subarray(headerEnd);
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAAD(header);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
}

export const isEncryptedPackage = (file: Buffer): boolean => file.subarray(0, MAGIC.length).toString('latin1') === MAGIC;
