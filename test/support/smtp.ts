import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** A real SMTP peer on loopback that keeps every message it receives, parsed. */
export interface SmtpPeer {
  port: number;
  messages: ParsedMail[];
  raw: string[];
  waitFor(predicate: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  /** Refuse the next n messages with a 451, as a relay under trouble would. */
  failNext(n: number): void;
  /** Refuse every connection with a 421 while on (a relay that is down for maintenance), and count them. */
  refuse(on: boolean): void;
  /** Connections refused while refusing. */
  refused: number;
  close(): Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  let failures = 0;
  let refusing = false;
  const peer = { refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (!refusing) return callback();
      peer.refused++;
      const err = new Error('Service not available, closing transmission channel') as Error & { responseCode: number };
      err.responseCode = 421;
      callback(err);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          const err = new Error('Temporary failure, try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          callback(err);
          return;
        }
        const buf = Buffer.concat(chunks);
        raw.push(buf.toString('utf8'));
        // A mail that does not parse fails the SMTP transaction instead of leaving it hanging.
        simpleParser(buf).then(
          (mail) => {
            messages.push(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    raw,
    failNext(n) {
      failures = n;
    },
    refuse(on) {
      refusing = on;
    },
    get refused() {
      return peer.refused;
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching mail within ${timeoutMs} ms; got: ${messages.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const recipients = (m: ParsedMail): string[] =>
  [m.to].flat().flatMap((a) => (a ? a.value.map((v) => v.address ?? '') : []));
