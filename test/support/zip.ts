import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';

// Opening the package ZIP as the local administrator would: with zip.js (the reader side of the
// library that wrote it) and, independently, with 7-Zip itself.

export interface ZipEntryInfo {
  name: string;
  encrypted: boolean;
  zipCrypto: boolean;
  compressionMethod: number;
}

/** The entries of the archive (readable without the password: names and flags only). */
export async function zipEntries(file: Buffer): Promise<ZipEntryInfo[]> {
  const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(file)));
  try {
    return (await reader.getEntries()).map((e) => ({ name: e.filename, encrypted: e.encrypted, zipCrypto: e.zipCrypto, compressionMethod: e.compressionMethod }));
  } finally {
    await reader.close();
  }
}

/** Decrypts every entry; throws on a wrong password. */
export async function unzipWithPassword(file: Buffer, password: string): Promise<{ name: string; content: Buffer }[]> {
  const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(file)), { password });
  try {
    const out: { name: string; content: Buffer }[] = [];
    for (const e of await reader.getEntries()) {
      if (e.directory || !e.getData) continue;
      out.push({ name: e.filename, content: Buffer.from(await e.getData(new Uint8ArrayWriter())) });
    }
    return out;
  } finally {
    await reader.close();
  }
}

/** 7-Zip on this machine: `7zz` (Debian package 7zip) or `7z` (p7zip-full). scripts/lib.sh installs it. */
export function sevenZip(): string {
  for (const cmd of ['7zz', '7z']) {
    if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0) return cmd;
  }
  throw new Error('7-Zip not installed (apt-get install 7zip); scripts/lib.sh ensure_apt_packages installs it');
}

/** Extracts with 7-Zip; returns its technical listing and the files, or its exit code and message on failure. */
export function extractWith7z(file: Buffer, password: string): { ok: true; listing: string; files: Record<string, Buffer> } | { ok: false; status: number | null; message: string } {
  const dir = mkdtempSync(join(tmpdir(), 'obieg-7z-'));
  try {
    const archive = join(dir, 'pakiet.zip');
    writeFileSync(archive, file);
    const out = join(dir, 'out');
    const r = spawnSync(sevenZip(), ['x', '-y', `-p${password}`, `-o${out}`, archive], { encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, status: r.status, message: `${r.stdout}\n${r.stderr}` };
    const listing = execFileSync(sevenZip(), ['l', '-slt', `-p${password}`, archive], { encoding: 'utf8' });
    const files = Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(join(out, n))]));
    return { ok: true, listing, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
