// A scan is accepted by what its bytes are, not by its name or declared type.
export type ScanMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export function sniffScanType(data: Buffer): ScanMediaType | null {
  if (data.length >= 5 && data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

export const extensionFor: Record<ScanMediaType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

const BY_EXTENSION: Record<string, ScanMediaType> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };
const LABEL: Record<ScanMediaType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

/**
 * Why an upload is not what it claims, or null. The bytes decide the type; a name whose extension
 * promises another type (a ".pdf" holding a PNG or plain text) is refused rather than silently renamed.
 */
export function scanMismatch(filename: string, data: Buffer): { code: 'UNSUPPORTED_FILE_TYPE' | 'FILE_TYPE_MISMATCH'; message: string } | null {
  const actual = sniffScanType(data);
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  const claimed = ext ? BY_EXTENSION[ext] : undefined;
  if (!actual) {
    return { code: 'UNSUPPORTED_FILE_TYPE', message: `Plik ${filename} nie jest skanem w formacie PDF, JPEG ani PNG (sprawdzono jego zawartość)` };
  }
  if (ext && claimed !== actual) {
    return { code: 'FILE_TYPE_MISMATCH', message: `Plik ${filename} ma rozszerzenie .${ext}, ale jego zawartość to ${LABEL[actual]}` };
  }
  return null;
}
