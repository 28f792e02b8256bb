// Stopping and starting the stack's services from a test (through the launcher's control server).
import { controlClient } from '../../local/control';
import type { ServiceName } from '../../local/service-control';
import { stack } from './http';

const control = controlClient(stack.urls.control!);

export const { stopService, startService, freezeService, thawService, stopExtraApis } = control;

/** Another API over the same databases and caches, with environment overrides (e.g. low rate limits). */
export async function extraApi(env: Record<string, string>): Promise<string> {
  return (await control.startExtraApi(env)).url;
}

/** Runs `work` with a service stopped, and always starts it again. */
export async function without<T>(name: ServiceName, work: () => Promise<T>): Promise<T> {
  await stopService(name);
  try {
    return await work();
  } finally {
    await startService(name);
  }
}
