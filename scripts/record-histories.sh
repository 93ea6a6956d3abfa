#!/usr/bin/env bash
# Records workflow histories for the replay test (test/replay/replay.test.ts) from real runs of the tests
# that drive each workflow's paths, on the dev server and on the time-skipping server, with the CURRENT
# workflow code. See docs/evolving-workflows.md for when to run it (on purpose, never to make a failing
# replay test pass).
#
#   scripts/record-histories.sh                      # every test file in the default list
#   scripts/record-histories.sh test/api/auth.test.ts  # only these (jest paths)
#   scripts/record-histories.sh --replace …          # first delete the fixtures these test files recorded before
#
# Fixtures land in test/replay/histories/<workflowType>/<test-file>--<ending>-<shape>.json, a few per type
# and test file, chosen by shape (test/support/record-histories.ts). A fixture of the same shape is
# overwritten; fixtures of other shapes are kept unless --replace is given. Payloads stay sealed with the
# fixture key TEST_PAYLOAD_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/test/replay/histories"

replace=
if [ "${1:-}" = "--replace" ]; then replace=1; shift; fi

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(
    test/api/registration-walk.test.ts          # registration: form, scan, rejection, corrected scan, acceptance; password expiry started
    test/workflows/registration-timers.test.ts  # registration: reminders after 7 and 14 days, expiry after 30; scan stops them
    test/workflows/registration-policy.test.ts  # registration: configured reminder and expiry
    test/api/permission-request.test.ts         # permission request: accept, reject
    test/workflows/permission-timers.test.ts    # permission request: reminders, expiry; decision stops them
    test/workflows/password-expiry.test.ts      # password expiry: reminders, forced change, continue-as-new
    test/api/auth.test.ts                       # password reminder; password expiry after a change
    test/api/identity-merge.test.ts             # identity merge: confirm, approve, reject
    test/workflows/identity-merge-timers.test.ts # identity merge: expiry; confirmation stops it
    test/workflows/report-quarter.test.ts       # report: drafts, receipt, return, correction, acceptance, reminders, escalation
    test/api/report-survey.test.ts              # report campaign and its reports (survey for every gmina)
    test/api/report-schedule.test.ts            # report campaign started by a schedule
    test/api/access-matrix.test.ts              # report data request (child of a report), cancel; every route's workflow
    test/api/csizs-connection-paths.test.ts     # CSIZS: notification, package, password through their own paths
    test/api/csizs-campaign.test.ts             # CSIZS campaign and connections, steps for a few
    test/workflows/csizs-campaign-timers.test.ts # CSIZS: checkpoints, late steps, escalation (time-skipping)
    test/browser/dashboards.test.ts             # CSIZS clarification and password hand-over forms, campaign pages
    test/replay/mail-resend.test.ts             # mail resend from the outbox
    test/api/letters.test.ts                    # delivery confirmation of a letter opened by its addressee
    test/workflows/report-data-request.test.ts  # report data request: awaiting data, reminder, reply (last)
  )
fi

if [ -n "$replace" ]; then
  for f in "${files[@]}"; do
    name="$(basename "$f" .test.ts)"
    find "$out" -name "${name}--*.json" -delete 2>/dev/null || true
  done
fi

mkdir -p "$out"
export OBIEG_RECORD_HISTORIES="$out"
# One test file at a time (runInBand): each one's histories are chosen from its own systems.
status=0
OBIEG_SHIFTED_CLOCK=0 OBIEG_SKIP_TYPECHECK="${OBIEG_SKIP_TYPECHECK:-1}" bash scripts/test.sh --runInBand "${files[@]}" || status=$?
echo "histories: $(find "$out" -name '*.json' | wc -l) files, $(du -sh "$out" | cut -f1)"
exit "$status"
