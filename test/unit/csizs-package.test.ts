import { SCAN_PDF, SCAN_PNG } from '../support/fixtures';
import { scanMismatch } from '../../lib/file-type';
import { zipWithPassword } from '../../lib/package-zip';
import { SecretStore } from '../../lib/secret-store';
import { systemsWithoutCertificate } from '../../workflows/rules/csizs-campaign';
import { extractWith7z, unzipWithPassword, zipEntries } from '../support/zip';

// seed 004 Uwaga 2: the package file (a password-protected ZIP), the sealed store between API and activity, and the checks on what
// the voivodeship and the unit upload.

describe('package ZIP (WinZip AES-256, AE-2) that 7-Zip opens with the password from the phone call', () => {
  const name = 'pakiet-csizs-2661011.pdf';
  const content = Buffer.from('%PDF-1.7\n<p>Login: zlacka2661011</p><p>Hasło tymczasowe: Zażółć#Gęślą1</p>\n'.repeat(20), 'utf8');
  const password = 'Tel#Haslo2016xyz';
  let file: Buffer;
  beforeAll(async () => {
    file = await zipWithPassword({ name, content }, password);
  });

  it('is a ZIP with one AES-256 encrypted entry, and nothing readable but its name', async () => {
    expect(file.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    // Local file header: encrypted flag, method 99 (WinZip AES), the AES extra field: AE-2, strength 3 (256 bits), deflate inside.
    expect(file.readUInt16LE(6) & 1).toBe(1);
    expect(file.readUInt16LE(8)).toBe(99);
    const nameLength = file.readUInt16LE(26);
    expect(file.subarray(30, 30 + nameLength).toString('utf8')).toBe(name);
    const extra = file.subarray(30 + nameLength, 30 + nameLength + file.readUInt16LE(28));
    const aes = extra.indexOf(Buffer.from([0x01, 0x99]));
    expect(aes).toBeGreaterThanOrEqual(0);
    expect({ version: extra.readUInt16LE(aes + 4), vendor: extra.subarray(aes + 6, aes + 8).toString('latin1'), strength: extra[aes + 8], method: extra.readUInt16LE(aes + 9) })
      .toEqual({ version: 2, vendor: 'AE', strength: 3, method: 8 });
    // End of central directory, no archive comment.
    const eocd = file.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    expect(eocd).toBe(file.length - 22);
    expect(file.readUInt16LE(eocd + 20)).toBe(0);
    expect(await zipEntries(file)).toEqual([{ name, encrypted: true, zipCrypto: false, compressionMethod: 8 }]);
    for (const plain of ['Hasło', 'Zażółć', 'zlacka2661011', '%PDF', 'Login']) expect(file.includes(Buffer.from(plain))).toBe(false);
  });

  it('opens with its password and refuses a wrong one', async () => {
    expect(await unzipWithPassword(file, password)).toEqual([{ name, content }]);
    await expect(unzipWithPassword(file, 'Tel#Haslo2016xyZ')).rejects.toThrow();
  });

  it('salts each file: the same content and password give different files', async () => {
    expect((await zipWithPassword({ name, content }, password)).equals(file)).toBe(false);
  });

  it('7-Zip extracts the document with the password, reports AES-256, and refuses a wrong password', () => {
    const ok = extractWith7z(file, password);
    if (!ok.ok) throw new Error(ok.message);
    expect(Object.keys(ok.files)).toEqual([name]);
    expect(ok.files[name].equals(content)).toBe(true);
    expect(ok.listing).toMatch(/^Method = AES-256 Deflate$/m);
    expect(ok.listing).toMatch(/^Encrypted = \+$/m);
    const wrong = extractWith7z(file, 'Tel#Haslo2016xyZ');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toContain('Wrong password');
  });
});

describe('secret store sealing', () => {
  const store = new SecretStore(Buffer.alloc(32, 3).toString('base64'));

  it('seals per id: the plain text is not in the sealed bytes, and another id cannot open it', () => {
    const sealed = store.seal('package-password:x', 'Tel#Haslo2016xyz');
    expect(sealed.toString('latin1')).not.toContain('Tel#Haslo');
    expect(store.open('package-password:x', sealed)).toBe('Tel#Haslo2016xyz');
    expect(() => store.open('package-password:y', sealed)).toThrow();
  });

  it('uses its own key, not the payload key itself', () => {
    const other = new SecretStore(Buffer.alloc(32, 4).toString('base64'));
    expect(() => other.open('a', store.seal('a', 'x'))).toThrow();
  });
});

describe('uploads that are not what they claim', () => {
  it.each([
    ['skan.pdf', SCAN_PDF, null],
    ['skan.png', SCAN_PNG, null],
    ['skan', SCAN_PDF, null],
    ['skan.pdf', SCAN_PNG, 'FILE_TYPE_MISMATCH'],
    ['skan.jpg', SCAN_PDF, 'FILE_TYPE_MISMATCH'],
    ['skan.pdf', Buffer.from('zwykły tekst'), 'UNSUPPORTED_FILE_TYPE'],
  ])('%s', (name, bytes, code) => {
    const r = scanMismatch(name, bytes);
    expect(r?.code ?? null).toBe(code);
    if (r) expect(r.message).toContain(name);
  });
});

test('a certificate is required for each domain system of the package (pkt 5c)', () => {
  expect(systemsWithoutCertificate(['SW', 'SR', 'FA'], { SW: 'x', FA: '  ' })).toEqual(['SR', 'FA']);
  expect(systemsWithoutCertificate(['SW'], { SW: '-----BEGIN' })).toEqual([]);
});
