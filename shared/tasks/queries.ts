// Reading tasks: the public feed (first pages cached) and a role's own tasks.
import type { z } from 'zod';
import type { Session } from '../accounts/sessions';
import type { RequestDb } from '../db/request-db';
import { validationFailed } from '../errors';
import { JsonText } from '../json-text';
import { toPage, type Page } from '../pagination';
import { findCategory } from './categories';
import { cachedFeedPage } from './feed-cache';
import type { FeedQuery, MyTasksQuery } from './schemas';
import { asSeenBy, publicPart, type TaskAnswer } from './details';
import { TASK_COLUMNS, toTaskViews, type TaskRow } from './view';

const before = (cursor: (number | string)[] | undefined) => (cursor ? Number(cursor[0]) : 4_294_967_296);

/** A page as `viewer` may see it; the feed (cached, one page for everyone) shows everyone the public part. */
async function taskPage(db: RequestDb, rows: TaskRow[], limit: number, viewer: Session | 'public'): Promise<Page<TaskAnswer>> {
  const page = toPage(
    rows,
    limit,
    (r) => [r.id],
    (r) => r,
  );
  const views = await toTaskViews(db, page.items);
  return { items: viewer === 'public' ? views.map(publicPart) : await asSeenBy(db, views, viewer), nextCursor: page.nextCursor };
}

/** A page of the feed as JSON text: the first pages come from memcached and are sent as they are stored. */
export async function feed(db: RequestDb, query: z.output<typeof FeedQuery>): Promise<JsonText> {
  let categoryId: number | undefined;
  if (query.category !== undefined) {
    categoryId = (await findCategory(db, query.category))?.id;
    if (categoryId === undefined) throw validationFailed([{ path: 'category', message: 'no such category' }]);
  }
  const load = async (strong: boolean) => {
    const sql = `SELECT ${TASK_COLUMNS} FROM task
      WHERE status = 'actual' ${categoryId === undefined ? '' : 'AND category_id = ?'} AND id < ?
      ORDER BY id DESC LIMIT ?`;
    const params = [...(categoryId === undefined ? [] : [categoryId]), before(query.cursor), query.limit + 1];
    // A cache fill reads the primary: a lagging replica must not put a taken task back in the cache.
    const rows = strong ? await db.strongRows<TaskRow>(sql, params) : await db.rows<TaskRow>(sql, params);
    return taskPage(db, rows, query.limit, 'public');
  };
  if (query.cursor) return new JsonText(JSON.stringify(await load(false)));
  return new JsonText(await cachedFeedPage(`${categoryId ?? 'all'}:${query.limit}`, async () => JSON.stringify(await load(true))));
}

/** The feed's first page as the site asks for it, for all tasks and each category, cached where it is not. */
export async function warmFeed(db: RequestDb, limit = 20): Promise<{ pages: number }> {
  // Not the container's category list, which may be a minute old: a category added since gets its page too.
  const categories = await db.strongRows<{ id: number }>('SELECT id FROM category ORDER BY id');
  await feed(db, { limit });
  for (const category of categories) await feed(db, { limit, category: category.id });
  return { pages: categories.length + 1 };
}

export async function myTasks(db: RequestDb, session: Session, query: z.output<typeof MyTasksQuery>): Promise<Page<TaskAnswer>> {
  const column = session.role === 'customer' ? 'customer_id' : 'executor_id';
  const rows = await db.rows<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM task WHERE ${column} = ? ${query.status ? 'AND status = ?' : ''} AND id < ?
      ORDER BY id DESC LIMIT ?`,
    [session.accountId, ...(query.status ? [query.status] : []), before(query.cursor), query.limit + 1],
  );
  return taskPage(db, rows, query.limit, session);
}
