import { isOutage } from '../../api/outage';

// Issue 14 item 5: which errors mean PostgreSQL or Temporal is out of reach (answered 503, repeat safe).

const withCode = (message: string, code: string | number, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

test('PostgreSQL refusing connections, ending them on shutdown or starting up is an outage', () => {
  expect(isOutage(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
  expect(isOutage(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
  expect(isOutage(withCode('the database system is starting up', '57P03'))).toBe(true);
  expect(isOutage(withCode('connection failure', '08006'))).toBe(true);
  expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isOutage(Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }))).toBe(true);
});

test('found through causes and through the errors of an AggregateError', () => {
  expect(isOutage(new Error('select failed', { cause: new Error('wrapped', { cause: withCode('refused', 'ECONNREFUSED') }) }))).toBe(true);
  expect(isOutage(new AggregateError([new Error('x'), withCode('refused', 'ECONNREFUSED')], 'all attempts failed'))).toBe(true);
});

test('a Temporal frontend that cannot be reached (gRPC UNAVAILABLE, DEADLINE_EXCEEDED) is an outage', () => {
  expect(isOutage(new Error('Failed to query workflow', { cause: withCode('14 UNAVAILABLE: No connection established', 14, { details: 'No connection established', metadata: {} }) }))).toBe(true);
  expect(isOutage(withCode('4 DEADLINE_EXCEEDED', 4, { details: 'Deadline exceeded' }))).toBe(true);
  // Other gRPC statuses (NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT) are answers, not an outage.
  expect(isOutage(withCode('5 NOT_FOUND', 5, { details: 'workflow not found' }))).toBe(false);
  expect(isOutage(withCode('3 INVALID_ARGUMENT', 3, { details: 'bad' }))).toBe(false);
});

test('errors of the request or of the data are not an outage', () => {
  expect(isOutage(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
  expect(isOutage(withCode('invalid byte sequence', '22021'))).toBe(false);
  expect(isOutage(new TypeError('x is undefined'))).toBe(false);
  expect(isOutage(null)).toBe(false);
  expect(isOutage('ECONNREFUSED')).toBe(false);
  const loop: Error & { cause?: unknown } = new Error('loop');
  loop.cause = loop;
  expect(isOutage(loop)).toBe(false);
});
