import { createServer, connect, type Server, type Socket, type AddressInfo } from 'node:net';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { OUTAGE_MESSAGE } from '../../api/outage';
import { openOrm, type MikroORM } from '../../db/orm';
import { createLogger } from '../../lib/logger';
import { application } from '../support/fixtures';
import { startSystem, type TestSystem } from '../support/system';

// Outages answered honestly (issue 14 item 5): with PostgreSQL or the Temporal server unreachable, a
// registration is answered 503 with Retry-After and a Polish message that repeating is safe, and
// repeating it once they are back gives the same case, never two. PostgreSQL is cut for real: the API's
// connections go through a TCP relay on loopback that the test closes (connections reset, new ones
// refused) and reopens. The Temporal outage is a client on a port where no server listens.

let sys: TestSystem;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.close();
});

/** A TCP relay to PostgreSQL that can be cut (every connection reset, new ones refused) and restored. */
async function relayTo(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    url: () => {
      const u = new URL(target.toString());
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.resetAndDestroy();
      });
    },
    restore: open,
  };
}

function expect503(res: request.Response) {
  expect(res.status).toBe(503);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.body.error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: OUTAGE_MESSAGE });
  expect(OUTAGE_MESSAGE).toMatch(/powtórzenie tego samego żądania jest bezpieczne/i);
}

test('Temporal unreachable: 503 with Retry-After; repeating once it is back gives one case', async () => {
  // A client on a port where nothing listens; no retries, so the outage shows at once.
  const connection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
  const dead = new Client({ connection, namespace: 'default' });
  const { app: cut } = createApp({ orm: sys.db.orm, temporal: dead, config: sys.config, log: createLogger('api-outage', 'error') });
  const body = application({ email: 'temporal.awaria@ops.example' });

  expect503(await request(cut).post('/api/registrations').send(body));
  const first = await request(sys.app).post('/api/registrations').send(body).expect(201);
  const again = await request(sys.app).post('/api/registrations').send(body).expect(200);
  expect(again.body).toMatchObject({ id: first.body.id, created: false });
  await connection.close().catch(() => undefined);
});

test('PostgreSQL unreachable: 503, not 500; repeating the same registration after it is back gives the same case, never two', async () => {
  const relay = await relayTo(new URL(sys.db.url));
  let orm: MikroORM | null = null;
  try {
    orm = await openOrm(relay.url(), 2);
    const { app } = createApp({ orm, temporal: sys.client, config: sys.config, log: createLogger('api-outage', 'error') });
    const body = application({ email: 'baza.awaria@ops.example' });
    body.unit.terytCode = '2601013';

    await relay.cut();
    expect503(await request(app).post('/api/registrations').send(body));
    // Any other request that needs the database says the same: 503, never 500.
    expect503(await request(app).get('/api/me').set('Authorization', `Bearer obg_${'A'.repeat(43)}`));

    await relay.restore();
    const answers = [];
    for (let i = 0; i < 3; i++) {
      // The pool finds its connections broken at most once more; the client repeats as told.
      let res = await request(app).post('/api/registrations').send(body);
      for (let tries = 0; res.status === 503 && tries < 5; tries++) res = await request(app).post('/api/registrations').send(body);
      answers.push(res);
    }
    expect(answers.map((r) => r.status)).toEqual([201, 200, 200]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const handle = sys.client.workflow.getHandle(answers[0].body.id);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  } finally {
    await relay.restore().catch(() => undefined);
    await orm?.close(true);
  }
});
