import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../lib/config';
import { createMailer } from '../../lib/mailer';

// STARTTLS is used whenever the relay offers it, with the certificate verified (SMTP_CA_FILE for a private
// CA); SMTP_REQUIRE_TLS refuses a relay without it. Real SMTP peers on loopback, a certificate made here.

let dir: string;
const peers: SMTPServer[] = [];

async function peer(opts: { starttls: boolean }): Promise<{ port: number; secure: boolean[] }> {
  const secure: boolean[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...(opts.starttls ? { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } : { disabledCommands: ['STARTTLS'] }),
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        secure.push(session.secure);
        callback();
      });
    },
  });
  peers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, secure };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'obieg-smtp-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
});
afterAll(async () => {
  for (const p of peers) await new Promise<void>((r) => p.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const mailerFor = (port: number, env: Record<string, string> = {}) =>
  createMailer(loadConfig({ DATABASE_URL: 'postgres://x/y', PAYLOAD_KEY: Buffer.alloc(32, 1).toString('base64'), SMTP_PORT: String(port), ...env }));
const send = (m: ReturnType<typeof createMailer>) => m.sendMail({ from: 'obieg <no-reply@obieg.local>', to: 'odbiorca@obieg.local', subject: 'Próba', text: 'Treść' });

test('a relay without STARTTLS (the development sink) still gets the mail', async () => {
  const p = await peer({ starttls: false });
  await send(mailerFor(p.port));
  expect(p.secure).toEqual([false]);
});

test('a relay offering STARTTLS is spoken to over TLS, its certificate verified against SMTP_CA_FILE', async () => {
  const p = await peer({ starttls: true });
  await expect(send(mailerFor(p.port))).rejects.toThrow(/certificate/i);
  expect(p.secure).toEqual([]);
  await send(mailerFor(p.port, { SMTP_CA_FILE: join(dir, 'cert.pem') }));
  expect(p.secure).toEqual([true]);
});

test('SMTP_REQUIRE_TLS refuses a relay that offers no STARTTLS: nothing goes out in plain text', async () => {
  const p = await peer({ starttls: false });
  await expect(send(mailerFor(p.port, { SMTP_REQUIRE_TLS: 'true' }))).rejects.toThrow();
  expect(p.secure).toEqual([]);
});
