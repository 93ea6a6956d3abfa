import type { MikroORM } from '@mikro-orm/postgresql';
import { heartbeat } from '@temporalio/activity';
import { CaseDocumentSchema, CaseSchema, UnitSchema, VoivodeshipOfficeSchema } from '../db/entities';
import { insertRegistrationFormDocumentOnce } from '../db/queries/cases';
import { putBlob } from '../lib/blobs';
import { htmlToPdf, type BrowserProvider } from '../lib/browser';
import type { Templates } from '../lib/templates';
import type { RegistrationApplication } from '../workflows/messages';
import { appendEvent } from './cases';

export interface DocumentDeps {
  orm: MikroORM;
  browser: BrowserProvider;
  templates: Templates;
}

export interface GeneratedForm {
  htmlDocumentId: string;
  pdfDocumentId: string;
}

export function createDocumentActivities({ orm, browser, templates }: DocumentDeps) {
  return {
    /** seed 000: the paper registration form, as HTML and PDF, with everything the head must sign. */
    async renderRegistrationForm(input: { caseId: string; runId: string }): Promise<GeneratedForm> {
      const base = `${input.caseId}:${input.runId}:registration-form`;
      const ids = { htmlDocumentId: `${base}.html`, pdfDocumentId: `${base}.pdf` };
      const em = orm.em.fork();
      if (await em.count(CaseDocumentSchema, { id: ids.pdfDocumentId })) return ids;

      const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
      const application = c.data.application as RegistrationApplication;
      const codes = [application.unit.terytCode, application.unit.terytCode.slice(0, 4), application.unit.terytCode.slice(0, 2)];
      const units = await em.find(UnitSchema, { code: { $in: codes } });
      const byCode = new Map(units.map((u) => [u.code, u]));
      const html = templates.render('documents/registration-form', {
        caseId: input.caseId,
        generatedAt: new Date(),
        application,
        gmina: byCode.get(application.unit.terytCode),
        powiat: byCode.get(application.unit.terytCode.slice(0, 4)),
        voivodeship: byCode.get(application.unit.terytCode.slice(0, 2)),
        office: await em.findOne(VoivodeshipOfficeSchema, { voivodeship: c.voivodeship }),
      });
      heartbeat();
      const pdf = await htmlToPdf(await browser.get(), html);
      heartbeat();

      await em.transactional(async (tx) => {
        const htmlBuf = Buffer.from(html, 'utf8');
        const htmlHash = await putBlob(tx, htmlBuf);
        const pdfHash = await putBlob(tx, pdf);
        const rows = [
          { id: ids.htmlDocumentId, mediaType: 'text/html; charset=utf-8', size: htmlBuf.length, sha256: htmlHash, filename: 'formularz-rejestracyjny.html' },
          { id: ids.pdfDocumentId, mediaType: 'application/pdf', size: pdf.length, sha256: pdfHash, filename: 'formularz-rejestracyjny.pdf' },
        ];
        for (const r of rows) {
          await insertRegistrationFormDocumentOnce(tx, { id: r.id, caseId: input.caseId, mediaType: r.mediaType, size: r.size, sha256: r.sha256, filename: r.filename });
        }
        await appendEvent(tx, input.caseId, {
          key: `${base}:generated`,
          type: 'document_generated',
          actor: 'system',
          message: 'Wygenerowano formularz rejestracyjny do wydruku i podpisu (HTML i PDF)',
          data: { documentIds: [ids.htmlDocumentId, ids.pdfDocumentId] },
        });
      });
      return ids;
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
