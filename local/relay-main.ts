// The relay's process (local/relay.ts, relayService): polls the events queue until signalled.
import { childOptions, closeOnSignal } from './node-child';
import { RELAY_STARTED, startRelay, type RelayOptions } from './relay';

const relay = startRelay(childOptions<RelayOptions>());
console.log(RELAY_STARTED);
closeOnSignal(() => relay.stop());
