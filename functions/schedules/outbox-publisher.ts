import type { Context, ScheduledEvent } from 'aws-lambda';
import { RequestDb } from '../../shared/db/request-db';
import { publishLeftBehind, relayOutbox } from '../../shared/events/publisher';
import { log } from '../../shared/log';

/** Stops relaying this long before the time limit: the last round (a claim and a send) ends well inside it. */
const STOP_BEFORE_LIMIT_MS = 8000;

/**
 * EventBridge schedule, every minute: the reconciler (events left behind or lost), then the relay
 * of new events for the rest of the run's time limit (70 s), so the next run starts before this
 * one stops and events are sent moments after their commit at all times. Invoked by hand (not a
 * scheduled event) it reconciles only, and answers at once.
 */
export const handler = async (event: Partial<ScheduledEvent> | undefined, context: Context) => {
  if (event?.source !== 'aws.events') return publishLeftBehind(new RequestDb().strong);
  // A scheduled run relays even when the reconciler fails (the database still starting, say):
  // the relay waits for the database itself, and the next run reconciles.
  const reconciled = await publishLeftBehind(new RequestDb().strong).catch((err: Error) =>
    log.warn('outbox reconciler failed; relaying anyway', { reason: err.message }),
  );
  return { ...reconciled, relayed: await relayOutbox(() => context.getRemainingTimeInMillis() > STOP_BEFORE_LIMIT_MS) };
};
