import type { EntityManager } from '@mikro-orm/postgresql';

// What a person typed into a report's form when their session had ended before "Zapisz" (seed 002: the
// draft is never lost at the idle end). Kept per account and report until the page shows it again.

/** The session behind an expired cookie: whose it was and its CSRF token (to trust the form it sent). */
export async function endedSession(em: EntityManager, sessionId: string): Promise<{ account_id: string; csrf_token: string } | null> {
  const rows = await em.getConnection().execute<{ account_id: string; csrf_token: string }[]>(
    'select account_id, csrf_token from sessions where id = ?',
    [sessionId],
  );
  return rows[0] ?? null;
}

export async function stashReportContent(em: EntityManager, s: { accountId: string; reportId: string; content: Record<string, unknown> }): Promise<void> {
  await em.getConnection().execute(
    `insert into report_page_stash (account_id, report_id, content, stashed_at) values (?, ?, ?, now())
     on conflict (account_id, report_id) do update set content = excluded.content, stashed_at = excluded.stashed_at`,
    [s.accountId, s.reportId, JSON.stringify(s.content)],
  );
}

export async function stashedReportContent(em: EntityManager, accountId: string, reportId: string): Promise<{ content: Record<string, unknown>; stashed_at: string } | null> {
  const rows = await em.getConnection().execute<{ content: Record<string, unknown>; stashed_at: string }[]>(
    'select content, stashed_at from report_page_stash where account_id = ? and report_id = ?',
    [accountId, reportId],
  );
  return rows[0] ?? null;
}
