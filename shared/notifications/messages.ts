// What each event says to each recipient, in Russian, with a link back to the site; then as an
// e-mail (text and HTML, every value escaped) and as a Telegram message (plain text: nothing to escape).
import type { Sql } from '../db/request-db';
import { formatMoney, toKopecks } from '../money/kopecks';
import type { Party } from '../accounts/roles';
import { unhandledEvent, type EventType } from '../events/outbox';
import type { OutboxEvent } from './expand';
import { site, taskLink } from './links';
import type { Message } from './message';
import { composeTrustMessage } from './trust-messages';

export interface Rendered {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

type EventOf<T extends EventType> = Extract<OutboxEvent, { type: T }>;
type DealEventType =
  'offer_changed' | 'deadline_extended' | 'overdue_released' | 'dispute_opened' | 'dispute_answered' | 'dispute_resolved';

const rub = (decimal: string) => `${formatMoney(toKopecks(decimal))} ₽`;

interface TaskFacts {
  id: number;
  title: string;
  reward: string;
  commission: string | null;
  comment: string | null;
  customerId: number;
  categoryName: string;
  customerName: string;
  executorName: string | null;
}

async function taskFacts(db: Sql, taskId: number): Promise<TaskFacts> {
  const [task] = await db.rows<TaskFacts>(
    `SELECT t.id, t.title, t.reward, t.commission, t.comment, t.customer_id AS customerId, c.name AS categoryName,
            CONCAT(cu.fname, ' ', cu.sname) AS customerName, CONCAT(ex.fname, ' ', ex.sname) AS executorName
       FROM task t JOIN category c ON c.id = t.category_id JOIN account cu ON cu.id = t.customer_id
       LEFT JOIN account ex ON ex.id = t.executor_id
      WHERE t.id = ?`,
    [taskId],
  );
  if (!task) throw new Error(`task ${taskId} does not exist`);
  return task;
}

async function accountName(db: Sql, accountId: number): Promise<string> {
  const [row] = await db.rows<{ name: string }>("SELECT CONCAT(fname, ' ', sname) AS name FROM account WHERE id = ?", [accountId]);
  return row?.name ?? '';
}

async function amountOf(db: Sql, table: 'payment' | 'payout', id: number): Promise<{ amount: string; comment: string | null }> {
  const [row] = await db.rows<{ amount: string; comment: string | null }>(
    table === 'payment' ? 'SELECT amount, NULL AS comment FROM payment WHERE id = ?' : 'SELECT amount, comment FROM payout WHERE id = ?',
    [id],
  );
  if (!row) throw new Error(`${table} ${id} does not exist`);
  return row;
}

/** The comment of the step an event is about: its own (events since the task history), else the task's last. */
function stepComment(event: EventOf<'work_submitted' | 'work_rejected'>, task: TaskFacts): string | null {
  if (event.comment === undefined) return task.comment;
  return event.comment || null;
}

/**
 * The message of `event` for `recipientId`. Facts are read when the message is sent, from the
 * primary (the event may be newer than the replica). `resetLink` is the password-reset link.
 */
export async function composeMessage(db: Sql, event: OutboxEvent, recipientId: number, resetLink?: string): Promise<Message> {
  switch (event.type) {
    case 'task_created': {
      const task = await taskFacts(db, event.taskId);
      if (recipientId === task.customerId) {
        return {
          subject: `Баланс списан за задание «${task.title}»`,
          paragraphs: [
            `С вашего баланса зарезервировано ${rub(task.reward)} на оплату задания «${task.title}».`,
            'Деньги перейдут исполнителю, когда вы примете работу; если отменить задание до начала работы, они вернутся на баланс.',
          ],
          link: taskLink(task.id),
        };
      }
      return {
        subject: `Новое задание в категории «${task.categoryName}»: ${task.title}`,
        paragraphs: [`${task.customerName} опубликовал(а) задание «${task.title}» с вознаграждением ${rub(task.reward)}.`],
        link: taskLink(task.id),
      };
    }
    case 'task_taken': {
      const task = await taskFacts(db, event.taskId);
      const executor = await accountName(db, event.executorId);
      return {
        subject: `Исполнитель взял задание «${task.title}»`,
        paragraphs: [`${executor} взял(а) в работу ваше задание «${task.title}».`],
        link: taskLink(task.id),
      };
    }
    case 'task_applied': {
      const task = await taskFacts(db, event.taskId);
      const executor = await accountName(db, event.executorId);
      return {
        subject: `Новый отклик на задание «${task.title}»`,
        paragraphs: [`${executor} откликнулся(-ась) на ваше задание «${task.title}». Выберите исполнителя на странице задания.`],
        link: taskLink(task.id),
      };
    }
    case 'executor_chosen': {
      const task = await taskFacts(db, event.taskId);
      return {
        subject: `Вас выбрали исполнителем задания «${task.title}»`,
        paragraphs: [`${task.customerName} выбрал(а) вас исполнителем задания «${task.title}». Можно приступать к работе.`],
        link: taskLink(task.id),
      };
    }
    case 'work_submitted': {
      const task = await taskFacts(db, event.taskId);
      return {
        subject: `Работа по заданию «${task.title}» сдана`,
        paragraphs: [
          `${task.executorName ?? 'Исполнитель'} сдал(а) работу по заданию «${task.title}». Проверьте её и примите или отклоните.`,
          ...(stepComment(event, task) ? [`Комментарий исполнителя: ${stepComment(event, task)}`] : []),
        ],
        link: taskLink(task.id),
      };
    }
    case 'work_accepted': {
      const task = await taskFacts(db, event.taskId);
      const earned = formatMoney(toKopecks(task.reward) - toKopecks(task.commission ?? '0'));
      return {
        subject: `Работа по заданию «${task.title}» принята`,
        paragraphs: [
          event.automatic
            ? `Срок проверки истёк, и работа по заданию «${task.title}» принята автоматически.`
            : `${task.customerName} принял(а) вашу работу по заданию «${task.title}».`,
          `На ваш счёт зачислено ${earned} ₽.`,
        ],
        link: { url: site('salary'), label: 'Открыть заработок' },
      };
    }
    case 'work_rejected': {
      const task = await taskFacts(db, event.taskId);
      return {
        subject: `Работа по заданию «${task.title}» возвращена на доработку`,
        paragraphs: [
          `${task.customerName} отклонил(а) работу по заданию «${task.title}».`,
          ...(stepComment(event, task) ? [`Комментарий заказчика: ${stepComment(event, task)}`] : []),
        ],
        link: taskLink(task.id),
      };
    }
    case 'offer_changed':
    case 'deadline_extended':
    case 'overdue_released':
    case 'dispute_opened':
    case 'dispute_answered':
    case 'dispute_resolved':
      return dealMessage(event, await taskFacts(db, event.taskId), recipientId);
    case 'balance_topped_up': {
      const payment = await amountOf(db, 'payment', event.paymentId);
      return {
        subject: `Баланс пополнен на ${rub(payment.amount)}`,
        paragraphs: [`Платёж на ${rub(payment.amount)} получен и зачислен на ваш баланс.`],
        link: { url: site('balance'), label: 'Открыть баланс' },
      };
    }
    case 'payout_approved': {
      const payout = await amountOf(db, 'payout', event.payoutId);
      return {
        subject: `Выплата ${rub(payout.amount)} одобрена`,
        paragraphs: [`Заявка на выплату ${rub(payout.amount)} одобрена, деньги отправлены на указанные реквизиты.`],
        link: { url: site('salary'), label: 'Открыть заработок' },
      };
    }
    case 'payout_rejected': {
      const payout = await amountOf(db, 'payout', event.payoutId);
      return {
        subject: `Выплата ${rub(payout.amount)} отклонена`,
        paragraphs: [
          `Заявка на выплату ${rub(payout.amount)} отклонена, деньги вернулись на ваш счёт.`,
          ...(payout.comment ? [`Причина: ${payout.comment}`] : []),
        ],
        link: { url: site('salary'), label: 'Открыть заработок' },
      };
    }
    case 'telegram_unlinked':
      return {
        subject: 'Уведомления в Telegram отключены',
        paragraphs: [
          'Telegram не даёт боту execorder писать в ваш чат: похоже, бот заблокирован или чат удалён. Мы отвязали этот чат и больше не пишем в него.',
          'Чтобы снова получать уведомления в Telegram, откройте настройки уведомлений и привяжите чат по ссылке.',
        ],
        link: { url: site('settings'), label: 'Открыть настройки уведомлений' },
      };
    case 'password_reset_requested': {
      if (!resetLink) throw new Error('a password reset needs its link');
      return {
        subject: 'Восстановление пароля execorder',
        paragraphs: [
          'Кто-то (надеемся, вы) попросил сменить пароль вашей учётной записи execorder.',
          'Ссылка действует 1 час и работает один раз. Если вы не просили сменить пароль, просто проигнорируйте это письмо.',
        ],
        link: { url: resetLink, label: 'Задать новый пароль' },
      };
    }
    case 'message_received':
    case 'account_blocked':
    case 'account_unblocked':
    case 'appeal_decided':
      return composeTrustMessage(db, event);
    default:
      return unhandledEvent(event);
  }
}

const moscowTime = (iso: string) => new Date(iso).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' });

/** Offers, deadlines and disputes (API v2): every quoted value comes from the event, as it was at that step. */
function dealMessage(event: EventOf<DealEventType>, task: TaskFacts, recipientId: number): Message {
  const said = (label: string) => ('comment' in event && event.comment ? [`${label}: ${event.comment}`] : []);
  const party = (opener: Party) => (opener === 'customer' ? 'Заказчик' : 'Исполнитель');
  switch (event.type) {
    case 'offer_changed':
      return {
        subject: event.withdrawn ? `Отклик на задание «${task.title}» отозван` : `Отклик на задание «${task.title}» изменён`,
        paragraphs: event.withdrawn
          ? ['Исполнитель отозвал свой отклик на ваше задание.']
          : [
              'Исполнитель изменил свой отклик на ваше задание.',
              `Цена: ${event.price ? rub(event.price) : `${rub(task.reward)} (как в задании)`}; срок: ${event.days ? `${event.days} дн.` : 'как в задании'}.`,
              ...(event.message ? [`Сообщение: ${event.message}`] : []),
            ],
        link: taskLink(task.id),
      };
    case 'deadline_extended':
      return {
        subject: `Срок задания «${task.title}» продлён`,
        paragraphs: [
          `${task.customerName} продлил(а) срок на ${event.days} дн. Новый срок: ${moscowTime(event.dueAt)} (МСК).`,
          ...said('Комментарий заказчика'),
        ],
        link: taskLink(task.id),
      };
    case 'overdue_released':
      return {
        subject: `Задание «${task.title}» снято с вас: срок истёк`,
        paragraphs: ['Срок выполнения задания истёк, и оно вернулось в ленту для других исполнителей.'],
        link: taskLink(task.id),
      };
    case 'dispute_opened':
      return {
        subject: `Открыт спор по заданию «${task.title}»`,
        paragraphs: [
          `${party(event.openedBy)} открыл(а) спор. Предложение: исполнителю ${rub(event.executorAmount)} из ${rub(task.reward)}.`,
          `Причина: ${event.reason}`,
          `Ответьте до ${moscowTime(event.respondBy)} (МСК), иначе спор решится по этому предложению.`,
        ],
        link: taskLink(task.id),
      };
    case 'dispute_answered':
      return {
        subject: `Ответ в споре по заданию «${task.title}»`,
        paragraphs: [
          `Вторая сторона предложила исполнителю ${rub(event.executorAmount)} из ${rub(task.reward)}. Спор передан администратору.`,
          ...said('Комментарий'),
        ],
        link: taskLink(task.id),
      };
    case 'dispute_resolved': {
      const how = { agreement: 'по соглашению сторон', timeout: 'по истечении срока ответа', admin: 'решением администратора' }[event.by];
      return {
        subject: `Спор по заданию «${task.title}» решён`,
        paragraphs: [
          `Спор решён ${how}: исполнителю ${rub(event.executorAmount)} из ${rub(task.reward)}.`,
          recipientId === task.customerId
            ? `На ваш баланс вернулось ${rub(event.customerRefund)}.`
            : `На ваш счёт зачислено ${rub(event.executorEarned)}.`,
          ...said('Комментарий'),
        ],
        link: taskLink(task.id),
      };
    }
    default:
      return unhandledEvent(event);
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Headers mail providers expect of automated mail (RFC 3834 Auto-Submitted; RFC 2369
 * List-Unsubscribe, pointing at the notification settings, for notifications only: a password
 * reset was asked for and cannot be unsubscribed from). No List-Unsubscribe-Post: the settings
 * page is no one-click endpoint (RFC 8058).
 */
function mailHeaders(notification: boolean): Record<string, string> {
  return { 'Auto-Submitted': 'auto-generated', ...(notification ? { 'List-Unsubscribe': `<${site('settings')}>` } : {}) };
}

export function asEmail(message: Message, notification = true): Rendered {
  const text = [...message.paragraphs, `${message.link.label}: ${message.link.url}`, '—\nexecorder'].join('\n\n');
  const html = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>
<body style="font-family: Arial, sans-serif; color: #1f2933; max-width: 560px; margin: 0 auto; padding: 16px">
${message.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p><a href="${escapeHtml(message.link.url)}" style="display: inline-block; padding: 10px 16px; background: #2563eb; color: #fff; text-decoration: none; border-radius: 6px">${escapeHtml(message.link.label)}</a></p>
<p style="color: #6b7280; font-size: 12px">execorder · <a href="${escapeHtml(message.link.url)}" style="color: #6b7280">${escapeHtml(message.link.url)}</a></p>
</body></html>`;
  return { subject: message.subject, text, html, headers: mailHeaders(notification) };
}

export function asTelegram(message: Message): string {
  return [message.subject, ...message.paragraphs, `${message.link.label}: ${message.link.url}`].join('\n\n');
}
