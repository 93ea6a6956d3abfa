import { SCAN_PDF, SCAN_PNG } from '../support/fixtures';
import { scanMismatch } from '../../lib/file-type';
import { decryptPackage, encryptPackage, isEncryptedPackage } from '../../lib/package-crypto';
import { SecretStore } from '../../lib/secret-store';
import { systemsWithoutCertificate } from '../../workflows/rules/csizs-campaign';

// seed 004 Uwaga 2: the package file, the sealed store between API and activity, and the checks on what
// the voivodeship and the unit upload.

describe('encrypted package (AES-256-GCM, key by scrypt from the password)', () => {
  const content = Buffer.from('<p>Hasło tymczasowe: Zażółć#Gęślą1</p>', 'utf8');

  it('opens with its password, and holds nothing readable', async () => {
    const file = await encryptPackage(content, 'Tel#Haslo2016xyz');
    expect(isEncryptedPackage(file)).toBe(true);
    expect(file.includes(Buffer.from('Hasło'))).toBe(false);
    expect(file.includes(Buffer.from('Zażółć'))).toBe(false);
    expect((await decryptPackage(file, 'Tel#Haslo2016xyz')).equals(content)).toBe(true);
  });

  it('refuses a wrong password and a tampered file', async () => {
    const file = await encryptPackage(content, 'Tel#Haslo2016xyz');
    await expect(decryptPackage(file, 'Tel#Haslo2016xyZ')).rejects.toThrow();
    const tampered = Buffer.from(file);
    tampered[tampered.length - 20] ^= 1;
    await expect(decryptPackage(tampered, 'Tel#Haslo2016xyz')).rejects.toThrow();
  });

  it('salts each file: the same content and password give different files', async () => {
    expect((await encryptPackage(content, 'a')).equals(await encryptPackage(content, 'a'))).toBe(false);
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
