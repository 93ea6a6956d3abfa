import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

// How long the workflows give their activities and how they retry, in one place. Changing a value here
// changes no command sequence (replay compares activity types and order, not their options), but it does
// change how running cases retry from their next activity on: review it like any workflow change.

/** Read-model writes, tasks, cases and mail: a minute each, retried with backoff up to five minutes. */
export const STEP: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/** PDFs from the shared Chromium and other long pieces of work that heartbeat. */
export const DOCUMENT: ActivityOptions = {
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/** Starting a campaign's workflows with the client: long, heartbeating, progress written as it goes. */
export const STARTER: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
};

/** The activities, proxied with one of the option sets above (or a variant of one). */
export const activities = (options: ActivityOptions = STEP) => proxyActivities<Activities>(options);
