import { extensionFor, sniffScanType, type ScanMediaType } from '../../lib/file-type';
import { SCAN_PDF, SCAN_PNG } from '../support/fixtures';

const bytes = (...b: number[]) => Buffer.from(b);
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// The file name is what an uploader would claim; the sniffer only sees the bytes.
const cases: { file: string; data: Buffer; expected: ScanMediaType | null }[] = [
  { file: 'scan.pdf (minimal PDF 1.4)', data: SCAN_PDF, expected: 'application/pdf' },
  { file: 'scan.pdf (header only)', data: Buffer.from('%PDF-1.7', 'latin1'), expected: 'application/pdf' },
  { file: 'scan.pdf (exactly "%PDF-")', data: Buffer.from('%PDF-', 'latin1'), expected: 'application/pdf' },
  { file: 'scan.jpg (JFIF)', data: Buffer.concat([bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), Buffer.from('JFIF\0'), Buffer.alloc(32)]), expected: 'image/jpeg' },
  { file: 'scan.jpg (Exif)', data: Buffer.concat([bytes(0xff, 0xd8, 0xff, 0xe1), Buffer.from('Exif\0\0'), Buffer.alloc(32)]), expected: 'image/jpeg' },
  { file: 'scan.png', data: SCAN_PNG, expected: 'image/png' },
  { file: 'scan.png (IHDR chunk)', data: Buffer.concat([bytes(...PNG_SIGNATURE), bytes(0, 0, 0, 13), Buffer.from('IHDR')]), expected: 'image/png' },
  { file: 'scan.pdf that is a text file', data: Buffer.from('To jest skan formularza, naprawdę.\n', 'utf8'), expected: null },
  { file: 'scan.pdf that is empty', data: Buffer.alloc(0), expected: null },
  { file: 'scan.gif (GIF89a)', data: Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(32)]), expected: null },
  { file: 'scan.gif (GIF87a)', data: Buffer.concat([Buffer.from('GIF87a', 'latin1'), Buffer.alloc(32)]), expected: null },
  { file: 'scan.pdf with "%PDF-" not at the start', data: Buffer.from(' %PDF-1.4\n', 'latin1'), expected: null },
  { file: 'scan.pdf, lower-case "%pdf-"', data: Buffer.from('%pdf-1.4\n', 'latin1'), expected: null },
  { file: 'scan.pdf cut to "%PDF"', data: Buffer.from('%PDF', 'latin1'), expected: null },
  { file: 'scan.jpg cut to two bytes', data: bytes(0xff, 0xd8), expected: null },
  { file: 'scan.jpg with a wrong third byte', data: bytes(0xff, 0xd8, 0x00, 0xe0), expected: null },
  { file: 'scan.png cut to seven signature bytes', data: bytes(...PNG_SIGNATURE.slice(0, 7)), expected: null },
  { file: 'scan.png with a corrupted signature', data: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00, 1, 2, 3), expected: null },
  { file: 'scan.docx (ZIP)', data: Buffer.concat([bytes(0x50, 0x4b, 0x03, 0x04), Buffer.alloc(32)]), expected: null },
  { file: 'scan.tiff', data: Buffer.concat([bytes(0x49, 0x49, 0x2a, 0x00), Buffer.alloc(32)]), expected: null },
  { file: 'scan.pdf that is HTML', data: Buffer.from('<!DOCTYPE html><html>%PDF-</html>'), expected: null },
];

describe('sniffScanType', () => {
  it.each(cases)('$file → $expected', ({ data, expected }) => {
    expect(sniffScanType(data)).toBe(expected);
  });

  it('looks at a slice of a larger buffer by its own bytes', () => {
    const pool = Buffer.concat([Buffer.from('xxxx'), SCAN_PDF]);
    expect(sniffScanType(pool.subarray(4))).toBe('application/pdf');
    expect(sniffScanType(pool.subarray(0, 40))).toBeNull();
  });
});

describe('extensionFor', () => {
  it.each([
    ['application/pdf', 'pdf'],
    ['image/jpeg', 'jpg'],
    ['image/png', 'png'],
  ] as const)('%s → .%s', (type, ext) => {
    expect(extensionFor[type]).toBe(ext);
  });
});
