import { activities, DOCUMENT } from './activity-options';

const acts = activities({ ...DOCUMENT, retry: { ...DOCUMENT.retry, maximumAttempts: 10 } });

/**
 * seed 003 (UWAGI: "urząd otrzymuje elektroniczne poświadczenie odbioru pisma"): the addressee opened a
 * letter of the office; the API recorded when, once, and starts this (id `letter-opened-<letterId>`) to
 * issue the confirmation's PDF, retried like any document.
 */
export async function deliveryConfirmationWorkflow(input: { letterId: string }): Promise<void> {
  await acts.issueDeliveryConfirmation(input);
}
