// What may be done to a running stack's services from outside (the control server, the tests):
// its own module, so the stack and the control server both depend on it and not on each other.
import type { ExtraApi } from './api';

export type ServiceName = 'primary' | 'replica' | 'memcached1' | 'memcached2' | 'maildev' | 'api' | 'sqs' | 'relay';

export interface ServiceControl {
  stopService(this: void, name: ServiceName): Promise<void>;
  /** Starts a stopped service again on the same port and data; a restarted primary is replicated again. */
  startService(this: void, name: ServiceName): Promise<void>;
  /** SIGSTOP to a service's process group: it holds its connections and answers nothing until thawed. */
  freezeService(this: void, name: ServiceName): Promise<void>;
  /** SIGCONT: a frozen service goes on where it stopped. */
  thawService(this: void, name: ServiceName): Promise<void>;
  /** Another API on free ports over the same databases and caches, with env overrides. */
  startExtraApi(this: void, env: Record<string, string>): Promise<ExtraApi>;
}
