// Links back to the site in notifications: its hash routes under SITE_URL.
import { config } from '../config';

const siteRoot = () => config.SITE_URL.replace(/\/+$/, '');

export const site = (route: string) => `${siteRoot()}/#/${route}`;

/** The token as a real query parameter (API.md), so a standard URL parser finds it; the site reads it there. */
export const passwordResetLink = (token: string) => `${siteRoot()}/?token=${encodeURIComponent(token)}#/password-reset`;
export const taskLink = (taskId: number) => ({ url: site(`tasks/${taskId}`), label: 'Открыть задание' });
