import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './config';

export type Mailer = Transporter;

// TLS: SMTP_SECURE for implicit TLS (port 465); otherwise STARTTLS whenever the relay offers it (the
// certificate is verified, against SMTP_CA_FILE when the relay's CA is a private one), and with
// SMTP_REQUIRE_TLS a relay that does not offer it is refused rather than spoken to in plain text.
export function createMailer(config: Pick<Config, 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD'> & Partial<Pick<Config, 'SMTP_REQUIRE_TLS' | 'SMTP_CA_FILE'>>): Mailer {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD ?? '' } : undefined,
    requireTLS: config.SMTP_REQUIRE_TLS,
    ...(config.SMTP_CA_FILE ? { tls: { ca: readFileSync(config.SMTP_CA_FILE) } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
