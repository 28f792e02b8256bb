// The messages of the trust events (API.md v2 "Notifications added"): a new message in a
// conversation, a block, its lifting and an appeal's decision. Facts are read at sending time.
import type { Sql } from '../db/request-db';
import { unhandledEvent } from '../events/outbox';
import type { OutboxEvent } from './expand';
import { site, taskLink } from './links';
import type { Message } from './message';

/** A quote long enough to know what it is about; the whole text is on the site. */
const QUOTE_CHARS = 300;
const quote = (text: string) => (text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);

const appealsLink = { url: site('appeals'), label: 'Открыть апелляции' };

type TrustEvent = Extract<OutboxEvent, { type: 'message_received' | 'account_blocked' | 'account_unblocked' | 'appeal_decided' }>;

export async function composeTrustMessage(db: Sql, event: TrustEvent): Promise<Message> {
  switch (event.type) {
    case 'message_received': {
      const [m] = await db.rows<{ taskId: number; title: string; author: string; text: string; flags: string }>(
        `SELECT t.id AS taskId, t.title, CONCAT(a.fname, ' ', a.sname) AS author, m.text, m.flags
           FROM message m JOIN conversation c ON c.id = m.conversation_id JOIN task t ON t.id = c.task_id
           JOIN account a ON a.id = m.author_id WHERE m.id = ?`,
        [event.messageId],
      );
      if (!m) throw new Error(`message ${event.messageId} does not exist`);
      return {
        subject: `Новое сообщение по заданию «${m.title}»`,
        paragraphs: [
          `${m.author} пишет: «${quote(m.text)}»`,
          ...(m.flags.includes('contact')
            ? ['В сообщении, похоже, есть контакты. Сделки вне execorder не защищены: договаривайтесь и платите через execorder.']
            : []),
        ],
        link: taskLink(m.taskId),
      };
    }
    case 'account_blocked':
      return {
        subject: 'Ваша учётная запись execorder заблокирована',
        paragraphs: [
          `Причина: ${event.reason}`,
          'Вы по-прежнему можете войти, видеть свои задания, отвечать в спорах и выводить заработанные деньги. Если вы не согласны с блокировкой, подайте апелляцию.',
        ],
        link: appealsLink,
      };
    case 'account_unblocked':
      return {
        subject: 'Блокировка вашей учётной записи execorder снята',
        paragraphs: [`Комментарий администратора: ${event.comment}`],
        link: { url: site('feed'), label: 'Открыть execorder' },
      };
    case 'appeal_decided': {
      const [appeal] = await db.rows<{ status: string; answer: string | null }>('SELECT status, answer FROM appeal WHERE id = ?', [
        event.appealId,
      ]);
      if (!appeal) throw new Error(`appeal ${event.appealId} does not exist`);
      const lifted = appeal.status === 'lifted';
      return {
        subject: lifted ? 'Апелляция удовлетворена: блокировка снята' : 'Апелляция рассмотрена: блокировка остаётся',
        paragraphs: [`Ответ администратора: ${appeal.answer ?? ''}`],
        link: appealsLink,
      };
    }
    default:
      return unhandledEvent(event);
  }
}
