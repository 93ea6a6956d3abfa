// The test command's shifted-clock check (scripts/test.sh) runs jest under libfaketime, which shifts this
// process's clock. Only Node's: the Java time-skipping server and Chromium started from here run on the
// real clock (libfaketime inside the JVM made it tens of times slower), and a time-skipping server is
// then moved to this process's time as soon as it listens (test/support/system.ts), so workflows see
// the shifted date too. LD_PRELOAD is read when a process starts, so removing it here affects children only.
delete process.env.LD_PRELOAD;
delete process.env.FAKETIME;
delete process.env.FAKETIME_DONT_FAKE_MONOTONIC;

export {};
