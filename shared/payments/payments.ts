// Topping up a balance: a payment is created here, paid on Robokassa's page, and credited
// only by Robokassa's signed ResultURL callback, exactly once.
import { z } from 'zod';
import type { Session } from '../accounts/sessions';
import { config } from '../config';
import type { RequestDb } from '../db/request-db';
import { enqueue } from '../events/outbox';
import { amountTooLarge, badRequest, validationFailed } from '../errors';
import { logError, utf8Prefix } from '../ops/observability';
import { idBefore, PageQuery, toPage, type Page } from '../pagination';
import { formatMoney, MAX_BUCKET_KOPECKS, MoneyInput, toKopecks } from '../money/kopecks';
import { moveMoney, transfer } from '../money/ledger';
import { fiscalReceipt, outSumKopecks, paymentLink, resultSignatureValid } from './robokassa';

export const CreatePaymentBody = z.strictObject({ amount: MoneyInput });
export const PaymentsQuery = z.strictObject(PageQuery);

type PaymentStatus = 'created' | 'received' | 'rejected' | 'outdated';
export interface PaymentView {
  id: number;
  amount: string;
  status: PaymentStatus;
  createdAt: string;
}

export async function createPayment(
  db: RequestDb,
  customer: Session,
  amount: number,
  ip: string,
): Promise<PaymentView & { paymentUrl: string }> {
  if (amount < toKopecks(config.PAYMENT_MIN_AMOUNT)) {
    throw validationFailed([{ path: 'amount', message: `must be at least ${config.PAYMENT_MIN_AMOUNT}` }]);
  }
  const outSum = formatMoney(amount);
  // One transaction, checks included: a repeat with the Idempotency-Key gets its result (shared/db/request-db.ts)
  // before anything here can answer otherwise, and the link below is built from it again.
  const payment = await db.transaction(async (tx) => {
    // Refused now rather than at the callback: a balance past its DECIMAL(12,2) column cannot be credited.
    const [account] = await tx.rows<{ balance: string }>('SELECT balance FROM account WHERE id = ?', [customer.accountId]);
    if (account && toKopecks(account.balance) + amount > MAX_BUCKET_KOPECKS) {
      throw amountTooLarge(`The balance would exceed ${formatMoney(MAX_BUCKET_KOPECKS)}, the most an account holds`);
    }
    const res = await tx.exec('INSERT INTO payment (account_id, amount, ip) VALUES (?, ?, ?)', [
      customer.accountId,
      outSum,
      ip.slice(0, 45),
    ]);
    const [row] = await tx.rows<{ createdAt: Date }>('SELECT created_at AS createdAt FROM payment WHERE id = ?', [res.insertId]);
    return { id: res.insertId, createdAt: row?.createdAt ?? new Date() };
  });
  const paymentUrl = paymentLink({
    baseUrl: config.ROBOKASSA_URL,
    login: config.ROBOKASSA_LOGIN,
    password1: config.ROBOKASSA_PASSWORD1,
    algorithm: config.ROBOKASSA_HASH,
    test: config.ROBOKASSA_TEST,
    outSum,
    invId: payment.id,
    description: `Пополнение баланса execorder, платёж №${payment.id}`,
    ...(config.ROBOKASSA_RECEIPT ? { receipt: fiscalReceipt(amount, { sno: config.FISCAL_SNO, tax: config.FISCAL_TAX }) } : {}),
  });
  return { id: payment.id, amount: outSum, status: 'created', createdAt: payment.createdAt.toISOString(), paymentUrl };
}

export async function listPayments(db: RequestDb, customer: Session, query: z.output<typeof PaymentsQuery>): Promise<Page<PaymentView>> {
  const rows = await db.rows<{ id: number; amount: string; status: PaymentStatus; createdAt: Date }>(
    `SELECT id, amount, status, created_at AS createdAt FROM payment
      WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    [customer.accountId, idBefore(query.cursor), query.limit + 1],
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      amount: formatMoney(toKopecks(r.amount)),
      status: r.status,
      createdAt: r.createdAt.toISOString(),
    }),
  );
}

/** Form fields of the ResultURL call; Shp_ fields are free-form and take part in the signature. */
export const ResultForm = z
  .object({
    OutSum: z.string().min(1).max(30),
    InvId: z.string().regex(/^\d{1,10}$/),
    SignatureValue: z.string().min(1).max(200),
  })
  .catchall(z.string().max(2000));

/**
 * Robokassa's ResultURL. A valid callback marks the payment received and credits the balance in
 * one transaction; a repeat (Robokassa retries, possibly at the same moment) credits nothing.
 * A late callback for an outdated payment still credits: the payer's money did arrive.
 */
export async function handleRobokassaResult(db: RequestDb, fields: Record<string, string>, requestId: string): Promise<string> {
  const invId = Number(fields.InvId);
  const refuse = async (why: string) => {
    // At most 2 KiB of the form per refusal: anyone can post refused callbacks, and the log is not theirs to fill.
    await logError(
      requestId,
      'POST /api/robokassa/result',
      `robokassa callback refused: ${why}`,
      utf8Prefix(JSON.stringify({ ...fields, SignatureValue: '…' }), 2048),
    );
    return badRequest(why);
  };
  if (!resultSignatureValid(config.ROBOKASSA_HASH, config.ROBOKASSA_PASSWORD2, fields)) throw await refuse('Bad signature');
  const result = await db.transaction(async (tx) => {
    const [payment] = await tx.rows<{ accountId: number; amount: string; status: PaymentStatus }>(
      'SELECT account_id AS accountId, amount, status FROM payment WHERE id = ? FOR UPDATE',
      [invId],
    );
    if (!payment) return 'unknown InvId';
    if (outSumKopecks(fields.OutSum ?? '') !== toKopecks(payment.amount)) return "OutSum is not the payment's amount";
    if (payment.status === 'received') return 'credited';
    await tx.exec("UPDATE payment SET status = 'received', received_at = NOW(3) WHERE id = ?", [invId]);
    await moveMoney(tx, {
      kind: 'topup',
      paymentId: invId,
      legs: transfer(
        toKopecks(payment.amount),
        { accountId: null, bucket: 'external' },
        { accountId: payment.accountId, bucket: 'balance' },
      ),
    });
    await enqueue(tx, { type: 'balance_topped_up', paymentId: invId, accountId: payment.accountId });
    return 'credited';
  });
  if (result !== 'credited') throw await refuse(result === 'unknown InvId' ? 'Unknown InvId' : result);
  return `OK${fields.InvId}`;
}

/** Payments nobody paid within PAYMENT_TTL_HOURS become outdated; returns how many. */
export async function outdatePayments(db: RequestDb): Promise<number> {
  const res = await db.exec("UPDATE payment SET status = 'outdated' WHERE status = 'created' AND created_at < NOW(3) - INTERVAL ? SECOND", [
    Math.round(config.PAYMENT_TTL_HOURS * 3600),
  ]);
  return res.affectedRows;
}
