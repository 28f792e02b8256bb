// The roles a session acts in, declared once: zod enums and types derive from these lists.
export const ROLES = ['customer', 'executor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The two sides of a task: who may be a party to a deal, a dispute, a conversation or a review. */
export const PARTIES = ['customer', 'executor'] as const satisfies readonly Role[];
export type Party = (typeof PARTIES)[number];
