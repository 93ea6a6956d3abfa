import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';

// The worker's health from its own state, over HTTP (GET /healthz): 200 when the worker is RUNNING (polling
// its task queue) and Temporal answers; 503 with the reason otherwise (starting, draining, stopped, or
// Temporal unreachable). For the orchestrator's liveness/readiness probe instead of a TCP connect.

export interface WorkerHealth {
  ok: boolean;
  state: string;
  temporal: { ok: boolean; error?: string };
}

export async function workerHealth(worker: Pick<Worker, 'getState'>, client: Pick<Client, 'connection'>, timeoutMs = 3000): Promise<WorkerHealth> {
  const state = worker.getState();
  let temporal: WorkerHealth['temporal'];
  try {
    await Promise.race([
      client.connection.workflowService.getSystemInfo({}),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    temporal = { ok: true };
  } catch (err) {
    temporal = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  return { ok: state === 'RUNNING' && temporal.ok, state, temporal };
}

/** Serves GET /healthz on host:port; resolves once listening. */
export function serveHealth(address: string, health: () => Promise<WorkerHealth>): Promise<Server> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    health().then(
      (h) => res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h)),
      () => res.writeHead(503).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
