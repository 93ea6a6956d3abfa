import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseSchema, TaskSchema, type CaseDocument, type Role } from '../db/entities';
import { insertCaseEventOnce, insertDocumentOnce } from '../db/queries/cases';
import { insertTaskOnce } from '../db/queries/tasks';

// Projections of process state into the read model. Each write carries an idempotency key or a
// deterministic id, so a retried activity changes nothing the second time.

export interface CaseEventInput {
  key: string;
  type: string;
  message: string;
  actor: string;
  at?: string;
  data?: Record<string, unknown>;
}

export interface OpenCaseInput {
  caseId: string;
  runId: string;
  type: string;
  unitCode: string;
  voivodeship: string;
  title: string;
  status: string;
  waitingFor: string | null;
  data: Record<string, unknown>;
  /** For a case about one account (e.g. a permission request): whose; that account may follow the case. */
  accountId?: string | null;
  event: CaseEventInput;
}

export interface UpdateCaseInput {
  caseId: string;
  status?: string;
  waitingFor?: string | null;
  deadline?: string | null;
  closed?: boolean;
  event?: CaseEventInput;
}

export interface OpenTaskInput {
  taskId: string;
  caseId: string;
  kind: string;
  title: string;
  role: Role;
  voivodeship?: string | null;
  unitCode?: string | null;
  dueAt?: string | null;
  event?: CaseEventInput;
}

export interface CompleteTaskInput {
  taskId: string;
  outcome: string;
  comment?: string | null;
  completedBy: string;
  event?: CaseEventInput;
}

/** A document to record on a case: the columns of CaseDocument, keyed by the caller's document id. */
export type RecordDocumentInput = Omit<CaseDocument, 'id' | 'createdAt'> & { documentId: string; event?: CaseEventInput };

export async function appendEvent(em: EntityManager, caseId: string, e: CaseEventInput): Promise<void> {
  await insertCaseEventOnce(em, {
    caseId,
    at: e.at ? new Date(e.at) : new Date(),
    actor: e.actor,
    type: e.type,
    message: e.message,
    data: JSON.stringify(e.data ?? {}),
    key: e.key,
  });
}

export function createCaseActivities({ orm }: { orm: MikroORM }) {
  const tx = <T>(fn: (em: EntityManager) => Promise<T>) => orm.em.fork().transactional(fn);

  return {
    /** Creates the case, or reopens it for a new run of the same business key. */
    async openCase(input: OpenCaseInput): Promise<void> {
      await tx(async (em) => {
        const existing = await em.findOne(CaseSchema, { id: input.caseId });
        if (!existing) {
          em.create(CaseSchema, {
            id: input.caseId,
            runId: input.runId,
            type: input.type,
            status: input.status,
            unitCode: input.unitCode,
            voivodeship: input.voivodeship,
            title: input.title,
            waitingFor: input.waitingFor,
            data: input.data,
            accountId: input.accountId ?? null,
            createdAt: new Date(),
            updatedAt: new Date(),
          });
        } else if (existing.runId !== input.runId) {
          // A later run reopening the case, or the row the API wrote before answering 201 (run_id '').
          Object.assign(existing, {
            runId: input.runId,
            accountId: input.accountId ?? existing.accountId ?? null,
            status: input.status,
            title: input.title,
            waitingFor: input.waitingFor,
            data: input.data,
            deadline: null,
            closedAt: null,
          });
        }
        await em.flush();
        await appendEvent(em, input.caseId, input.event);
      });
    },

    async updateCase(input: UpdateCaseInput): Promise<void> {
      await tx(async (em) => {
        const c = await em.findOneOrFail(CaseSchema, { id: input.caseId });
        if (input.status !== undefined) c.status = input.status;
        if (input.waitingFor !== undefined) c.waitingFor = input.waitingFor;
        if (input.deadline !== undefined) c.deadline = input.deadline ? new Date(input.deadline) : null;
        if (input.closed) c.closedAt ??= new Date();
        await em.flush();
        if (input.event) await appendEvent(em, input.caseId, input.event);
      });
    },

    async openTask(input: OpenTaskInput): Promise<void> {
      await tx(async (em) => {
        await insertTaskOnce(em, {
          id: input.taskId,
          caseId: input.caseId,
          kind: input.kind,
          title: input.title,
          role: input.role,
          voivodeship: input.voivodeship ?? null,
          unitCode: input.unitCode ?? null,
          dueAt: input.dueAt ? new Date(input.dueAt) : null,
        });
        if (input.event) await appendEvent(em, input.caseId, input.event);
      });
    },

    async completeTask(input: CompleteTaskInput): Promise<void> {
      await tx(async (em) => {
        const task = await em.findOneOrFail(TaskSchema, { id: input.taskId });
        if (task.status === 'open') {
          Object.assign(task, {
            status: 'completed',
            outcome: input.outcome,
            comment: input.comment ?? null,
            completedBy: input.completedBy,
            completedAt: new Date(),
          });
          await em.flush();
        }
        if (input.event) await appendEvent(em, task.caseId, input.event);
      });
    },

    async cancelOpenTasks(input: { caseId: string }): Promise<void> {
      await tx(async (em) => {
        await em.nativeUpdate(TaskSchema, { caseId: input.caseId, status: 'open' }, { status: 'cancelled' });
      });
    },

    async recordDocument(input: RecordDocumentInput): Promise<void> {
      await tx(async (em) => {
        await insertDocumentOnce(em, {
          id: input.documentId,
          caseId: input.caseId,
          kind: input.kind,
          title: input.title,
          mediaType: input.mediaType,
          size: input.size,
          sha256: input.sha256,
          filename: input.filename,
          source: input.source,
          createdBy: input.createdBy,
        });
        if (input.event) await appendEvent(em, input.caseId, input.event);
      });
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
