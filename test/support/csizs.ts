import type { Express } from 'express';
import request from 'supertest';
import { binaryBody, pdfText, SCAN_PDF } from './fixtures';
import { unzipWithPassword } from './zip';

// seed 004's own paths for three steps, driven through the API as people would: the notification
// (Załącznik 2) filed, scanned and accepted; the package (Załącznik 3) sent, its password read once and
// handed over by phone; the local administrator's temporary password changed.

export const csizsUnitUrl = (campaign: string, unit: string) => `/api/csizs-campaigns/${campaign}/units/${unit}`;

export const notificationFor = (unit: string) => ({
  unitName: `Ośrodek Pomocy Społecznej ${unit}`,
  address: 'ul. Źródlana 7, 25-001 Kielce',
  areas: ['SW', 'SR'],
  localAdmin: { firstName: 'Żaneta', lastName: `Łącka${unit}`, phone: '+48 41 367 00 00', email: `ladm-csizs-${unit}@ops.example` },
  head: { firstName: 'Józef', lastName: `Kierownik${unit}`, email: `kierownik-${unit}@ops.example` },
});

export const certificateFor = (unit: string, system: string) =>
  `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUcertyfikat${system}${unit}SEKRET0\n-----END CERTIFICATE-----`;

/** The unit files the notification and its signed scan (seed 004 pkt 2: right after the installation). Returns the answer. */
export async function notify(app: Express, campaign: string, unit: string, unitToken: string, expectStatus = 200) {
  const base = csizsUnitUrl(campaign, unit);
  const filed = await request(app).post(`${base}/notification`).set('Authorization', `Bearer ${unitToken}`).send(notificationFor(unit)).expect(expectStatus);
  if (expectStatus !== 200) return filed.body;
  await request(app).post(`${base}/notification/scan`).set('Authorization', `Bearer ${unitToken}`).attach('file', SCAN_PDF, 'skan.pdf').expect(201);
  return filed.body;
}

/** The voivodeship accepts the unit's notification. */
export async function acceptNotification(app: Express, campaign: string, unit: string, voivodeshipToken: string) {
  const r = await request(app).post(`${csizsUnitUrl(campaign, unit)}/notification/decision`).set('Authorization', `Bearer ${voivodeshipToken}`).send({ decision: 'accept' }).expect(200);
  return r.body;
}

/** The unit files the notification and its signed scan; the voivodeship accepts it. */
export async function notifyAndAccept(app: Express, campaign: string, unit: string, tokens: { unit: string; voivodeship: string }) {
  await notify(app, campaign, unit, tokens.unit);
  return acceptNotification(app, campaign, unit, tokens.voivodeship);
}

/** The voivodeship sends the package, reads its password once and records the phone hand-over. Returns the password. */
export async function sendPackageAndHandOver(app: Express, campaign: string, unit: string, voivodeshipToken: string, handedOverAt: string) {
  const base = csizsUnitUrl(campaign, unit);
  await request(app)
    .post(`${base}/package`)
    .set('Authorization', `Bearer ${voivodeshipToken}`)
    .send({ domainSystems: ['SW'], certificates: { SW: certificateFor(unit, 'SW') } })
    .expect(200);
  const { body } = await request(app).post(`${base}/package-password/reveal`).set('Authorization', `Bearer ${voivodeshipToken}`).expect(200);
  await request(app).post(`${base}/package-password/handover`).set('Authorization', `Bearer ${voivodeshipToken}`).send({ handedOverAt }).expect(200);
  return body.password as string;
}

/** The local administrator opens the package (a ZIP with one PDF) with the password: login and temporary password from its text. */
export async function openPackage(app: Express, campaign: string, unit: string, token: string, documentId: string, password: string) {
  const file = await request(app)
    .get(`${csizsUnitUrl(campaign, unit)}/documents/${encodeURIComponent(documentId)}`)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse(binaryBody)
    .expect(200);
  const entries = await unzipWithPassword(file.body as Buffer, password);
  if (entries.length !== 1 || !entries[0].name.endsWith('.pdf')) throw new Error(`package holds ${entries.map((e) => e.name).join(', ')}`);
  const text = pdfText(entries[0].content);
  const login = /^\s*Login \(nazwa użytkownika\)\s+(\S+)\s*$/m.exec(text)?.[1];
  const temporary = /^\s*Hasło tymczasowe\s+(\S+)\s*$/m.exec(text)?.[1];
  if (!login || !temporary) throw new Error('package without login or temporary password');
  return { text, login, temporaryPassword: temporary, file: file.body as Buffer, entryName: entries[0].name };
}

/**
 * seed 004 pkt 6b: PI-MZT's "Zmiana hasła" on the sign-in screen: login, the temporary password as the old
 * one, the new one twice; no sign-in first (a temporary password signs nobody in). The step's own path.
 */
export async function changeTemporaryPassword(app: Express, login: string, temporaryPassword: string, newPassword: string) {
  const change = (currentPassword: string, next: string, repeat = next) =>
    request(app).post('/api/auth/temporary-password').send({ login, currentPassword, newPassword: next, repeatPassword: repeat });
  return { change, done: () => change(temporaryPassword, newPassword).expect(204) };
}
