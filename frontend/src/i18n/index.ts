// The active language. Adding one: write a sibling of ru.ts typed `Messages` and pick it here.
import { ru, type Messages } from './ru';

export const t: Messages = ru;
export type { Messages };
