import puppeteer, { type Browser } from 'puppeteer';

// One Chromium per process, shared by every PDF; relaunched only if it dies.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export interface BrowserProvider {
  get(): Promise<Browser>;
  close(): Promise<void>;
  /** How many times Chromium was launched; a shared browser keeps this at 1. */
  launches(): number;
}

export function createBrowserProvider(executablePath: string): BrowserProvider {
  let pending: Promise<Browser> | null = null;
  let count = 0;
  return {
    get() {
      if (!pending) {
        count++;
        pending = puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS }).then((b) => {
          b.on('disconnected', () => {
            pending = null;
          });
          return b;
        });
        pending.catch(() => {
          pending = null;
        });
      }
      return pending;
    },
    async close() {
      const p = pending;
      pending = null;
      if (p) await (await p).close().catch(() => undefined);
    },
    launches: () => count,
  };
}

export async function htmlToPdf(browser: Browser, html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' } });
    return Buffer.from(pdf);
  } finally {
    await page.close();
  }
}
