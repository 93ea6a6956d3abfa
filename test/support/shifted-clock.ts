// The test command's shifted-clock check (scripts/test.sh) runs the unit and time-skipping workflow
// tests with OBIEG_CLOCK_AT set: every test file then starts at that instant, and its clock runs on from
// there. The clock is pinned here, in the test's own realm, where the API, the activities, the rules
// and the tests read it (Date.now() and new Date()); a time-skipping server is moved to this clock as
// soon as it listens (test/support/system.ts), so the workflows see the same date. libfaketime, which
// shifts the clock of the whole process, made these tests seven to ten times slower (the SDK's core
// asks the clock constantly), too slow for three dates in the test command.
const at = process.env.OBIEG_CLOCK_AT;
if (at) {
  const target = Date.parse(at);
  if (Number.isNaN(target)) throw new Error(`OBIEG_CLOCK_AT is not an instant: ${at}`);
  const Real = Date;
  const offset = target - Real.now();
  const now = () => Real.now() + offset;
  function Shifted(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return new Real(now()).toString();
    return args.length === 0 ? new Real(now()) : new (Real as unknown as new (...a: unknown[]) => Date)(...args);
  }
  Shifted.prototype = Real.prototype;
  Object.assign(Shifted, { now, parse: Real.parse, UTC: Real.UTC });
  globalThis.Date = Shifted as unknown as DateConstructor;
}

export {};
