// The relay's process (local/relay.ts, relayService): polls the events queue until signalled.
import { childOptions, closeOnSignal } from './node-child';
import { RELAY_STARTED, startRelay, type RelayOptions } from './relay';

startRelay(childOptions<RelayOptions>()).then(
  (relay) => {
    console.log(RELAY_STARTED);
    closeOnSignal(() => relay.stop());
  },
  (err: Error) => {
    console.error('relay: could not start:', err.stack);
    process.exit(1);
  },
);
