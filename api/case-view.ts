import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseDocumentSchema, CaseEventSchema, CaseSchema, OutboxMailSchema, TaskSchema, UnitSchema, type Case } from '../db/entities';
import { caseStatusLabel } from './labels';
import type { z } from 'zod';
import type { caseView } from './cases/schemas';
import { lettersOfCaseView } from './letters/service';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function statusLabel(c: Pick<Case, 'type' | 'status'>): string {
  return caseStatusLabel(c.type, c.status);
}

export async function findCase(em: EntityManager, id: string): Promise<Case | null> {
  return em.findOne(CaseSchema, { id });
}

export async function buildCaseView(em: EntityManager, c: Case, temporalUiUrl: string, namespace: string): Promise<z.infer<typeof caseView>> {
  const [events, tasks, documents, mails, unit, letters] = await Promise.all([
    em.find(CaseEventSchema, { caseId: c.id }, { orderBy: { at: 'asc', id: 'asc' } }),
    em.find(TaskSchema, { caseId: c.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(CaseDocumentSchema, { caseId: c.id }, { orderBy: { createdAt: 'asc' } }),
    em.find(OutboxMailSchema, { caseId: c.id }, { orderBy: { createdAt: 'asc' } }),
    em.findOne(UnitSchema, { code: c.unitCode }),
    lettersOfCaseView(em, c.id),
  ]);
  const deadlines = [];
  if (c.deadline && !c.closedAt) deadlines.push({ kind: 'case', label: 'Termin bieżącego kroku', at: c.deadline.toISOString() });
  for (const t of tasks) if (t.status === 'open' && t.dueAt) deadlines.push({ kind: 'task', label: t.title, at: t.dueAt.toISOString() });
  return {
    id: c.id,
    type: c.type,
    status: c.status,
    statusLabel: statusLabel(c),
    title: c.title,
    unit: { code: c.unitCode, name: unit ? `${unit.name} (${unit.nameExtra})` : null },
    voivodeship: c.voivodeship,
    waitingFor: c.waitingFor ?? null,
    deadlines,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: iso(c.closedAt),
    attention: c.attentionAt ? { reason: c.attentionReason ?? 'Sprawa wymaga interwencji', since: c.attentionAt.toISOString() } : null,
    history: events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, type: e.type, message: e.message })),
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      title: t.title,
      status: t.status,
      role: t.role,
      voivodeship: t.voivodeship ?? null,
      dueAt: iso(t.dueAt),
      outcome: t.outcome ?? null,
      comment: t.comment ?? null,
      completedBy: t.completedBy ?? null,
      completedAt: iso(t.completedAt),
      claimedBy: t.claimedBy ?? null,
    })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      title: d.title,
      mediaType: d.mediaType,
      size: d.size,
      sha256: d.sha256,
      filename: d.filename,
      source: d.source,
      createdAt: d.createdAt.toISOString(),
      url: `/api/cases/${encodeURIComponent(c.id)}/documents/${encodeURIComponent(d.id)}`,
    })),
    mail: mails.map((m) => ({ id: m.id, subject: m.subject, template: m.template, status: m.status, attempts: m.attempts, sentAt: iso(m.sentAt) })),
    letters,
    temporalUrl: `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(c.id)}`,
  };
}
