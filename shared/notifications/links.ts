// Links back to the site in notifications: its hash routes under SITE_URL.
import { config } from '../config';

export const site = (route: string) => `${config.SITE_URL.replace(/\/+$/, '')}/#/${route}`;
export const taskLink = (taskId: number) => ({ url: site(`tasks/${taskId}`), label: 'Открыть задание' });
