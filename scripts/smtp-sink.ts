import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

// Development SMTP sink: accepts every mail on loopback, keeps it as .eml in a folder, and lists the
// mails on a small web page. Production uses a real relay (SMTP_HOST); docker-compose uses Mailpit.
const smtpPort = Number(process.argv[2] ?? 1025);
const httpPort = Number(process.argv[3] ?? 1080);
const dir = process.argv[4] ?? '.data/mail';
mkdirSync(dir, { recursive: true });

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      writeFileSync(join(dir, `${Date.now()}-${session.id}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
smtp.listen(smtpPort, '127.0.0.1');

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().reverse();
  const name = decodeURIComponent((req.url ?? '/').slice(1));
  if (name && files.includes(name)) {
    const mail = await simpleParser(readFileSync(join(dir, name)));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<p><a href="/">← skrzynka</a></p><p><b>${esc(mail.subject ?? '')}</b><br>Do: ${esc(mail.to ? [mail.to].flat().map((a) => a.text).join(', ') : '')}<br>Załączniki: ${mail.attachments.map((a) => esc(a.filename ?? '')).join(', ') || 'brak'}</p><hr>${mail.html || `<pre>${esc(mail.text ?? '')}</pre>`}`);
    return;
  }
  const rows = await Promise.all(
    files.slice(0, 200).map(async (f) => {
      const m = await simpleParser(readFileSync(join(dir, f)));
      return `<tr><td>${esc(m.date?.toISOString() ?? '')}</td><td>${esc(m.to ? [m.to].flat().map((a) => a.text).join(', ') : '')}</td><td><a href="/${encodeURIComponent(f)}">${esc(m.subject ?? '(bez tematu)')}</a></td></tr>`;
    }),
  );
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="pl"><meta charset="utf-8"><title>Poczta wychodząca (deweloperska)</title><h1>Poczta wychodząca (${files.length})</h1><table border="1" cellpadding="4"><tr><th>Data</th><th>Do</th><th>Temat</th></tr>${rows.join('')}</table>`);
}

createServer((req, res) => {
  serve(req, res).catch((err: unknown) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`error: ${err instanceof Error ? err.message : String(err)}`);
  });
}).listen(httpPort, '127.0.0.1');

process.stdout.write(`smtp sink: smtp://127.0.0.1:${smtpPort}, web http://127.0.0.1:${httpPort}, folder ${dir}\n`);
