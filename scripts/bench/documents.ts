import puppeteer from 'puppeteer';
import { CHROMIUM_ARGS, createBrowserProvider, htmlToPdf } from '../../lib/browser';
import { loadConfig } from '../../lib/config';
import { loadTemplates } from '../../lib/templates';
import { f1, f2, log, type Row, type Settings } from './util';

// Part 4: PDFs per second from the worker's shared Chromium (lib/browser.ts: launched once, a page per
// document) against a Chromium launched for each document, one document at a time both ways, the same
// receipt (UPO) template the worker renders.

export async function documents(settings: Settings, command: string): Promise<Row> {
  const { CHROMIUM_PATH } = loadConfig({ DATABASE_URL: 'postgres://unused/unused', PAYLOAD_KEY: Buffer.alloc(32, 1).toString('base64') });
  const templates = loadTemplates();
  const html = (i: number) =>
    templates.render('documents/receipt', {
      number: `UPO/2026-12-05/${String(i).padStart(12, '0')}`,
      receivedAt: new Date().toISOString(),
      subject: 'Skan podpisanego formularza rejestracyjnego',
      caseId: `registration-2661011-bench${i}`,
      submittedBy: 'bench',
      sha256: 'a'.repeat(64),
      unit: 'Kielce (gmina miejska), kod TERYT 2661011',
      office: 'Świętokrzyski Urząd Wojewódzki w Kielcach',
    });

  const shared = createBrowserProvider(CHROMIUM_PATH);
  let bytes = 0;
  let sharedMs = NaN;
  try {
    await htmlToPdf(await shared.get(), html(0)); // the worker's browser is up long before the documents
    log(`4: ${settings.pdfsShared} PDFs from the shared browser`);
    const t = performance.now();
    for (let i = 1; i <= settings.pdfsShared; i++) bytes += (await htmlToPdf(await shared.get(), html(i))).length;
    sharedMs = performance.now() - t;
  } finally {
    await shared.close();
  }
  log(`4: ${settings.pdfsPerDocument} PDFs, a browser launched for each`);
  const t = performance.now();
  for (let i = 1; i <= settings.pdfsPerDocument; i++) {
    const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    try {
      await htmlToPdf(browser, html(i));
    } finally {
      await browser.close();
    }
  }
  const perDocMs = performance.now() - t;
  const sharedRate = settings.pdfsShared / (sharedMs / 1000);
  const perDocRate = settings.pdfsPerDocument / (perDocMs / 1000);
  const ratio = sharedRate / perDocRate;
  return {
    id: '4',
    part: '4 Documents',
    engine: '—',
    figure: `Receipt PDFs, one at a time: shared browser (${settings.pdfsShared}) vs browser per document (${settings.pdfsPerDocument})`,
    measured: `${f1(sharedRate)} PDFs/s (${f1(sharedMs / settings.pdfsShared)} ms each, ${Math.round(bytes / settings.pdfsShared / 1024)} kB)`,
    reference: `${f2(perDocRate)} PDFs/s (${f1(perDocMs / settings.pdfsPerDocument)} ms each)`,
    ratio: `${f1(ratio)}×`,
    target: '≥ 20×',
    pass: ratio >= 20,
    command,
    values: { sharedPerSecond: sharedRate, perDocumentPerSecond: perDocRate, ratio, sharedMsEach: sharedMs / settings.pdfsShared, perDocumentMsEach: perDocMs / settings.pdfsPerDocument },
  };
}
