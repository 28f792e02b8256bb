// Each step of a task is kept in its history, and each notification quotes its own step.
import { describe, expect, it } from 'vitest';
import { TASK_ANSWER_SQL } from '../../shared/tasks/view';
import { connect, eventually, query } from '../helpers/db';
import { invoke } from '../helpers/invoke';
import { apiConfig, topUp } from '../helpers/money';
import { mailsTo } from '../helpers/notifications';
import { postTask } from '../helpers/tasks';
import { admin, register } from '../helpers/users';

describe('task history', () => {
  it('keeps every step oldest first, with who did it and the comment of that step', async () => {
    const customer = await register('customer', { fname: 'Ольга', sname: 'Заказова' });
    const executor = await register('executor', { fname: 'Семён', sname: 'Делов' });
    const boss = await admin();
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'первая версия' });
    await customer.post(`/api/tasks/${task.id}/reject`, { comment: 'нужны правки' });
    await boss.post(`/api/admin/tasks/${task.id}/freeze`, { comment: 'проверка' });
    await boss.post(`/api/admin/tasks/${task.id}/unfreeze`, { comment: 'всё в порядке' });
    await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'вторая версия' });
    await query('primary', 'UPDATE task SET submitted_at = NOW(3) - INTERVAL ? MINUTE WHERE id = ?', [
      apiConfig.AUTO_ACCEPT_HOURS * 60 + 1,
      task.id,
    ]);
    await invoke('autoAccept');
    const seen = await eventually(async () => {
      const answer = await customer.get(`/api/tasks/${task.id}`);
      expect(answer.body.status).toBe('done');
      return answer.body;
    });
    const executorRef = { id: executor.id, name: 'Семён Делов' };
    expect(seen.history.map((h: { action: string; by: unknown; comment: string | null }) => [h.action, h.by, h.comment])).toEqual([
      ['take', executorRef, null],
      ['submit', executorRef, 'первая версия'],
      ['reject', { id: customer.id, name: 'Ольга Заказова' }, 'нужны правки'],
      ['freeze', expect.objectContaining({ id: expect.any(Number) }), 'проверка'],
      ['unfreeze', expect.objectContaining({ id: expect.any(Number) }), 'всё в порядке'],
      ['submit', executorRef, 'вторая версия'],
      ['auto_accept', null, null],
    ]);
    expect(seen.rejections).toBe(1);
    expect(seen.comment).toBe('вторая версия');
    for (const step of seen.history) expect(new Date(step.at).toISOString()).toBe(step.at);
  });

  it('is read with its task in one statement that needs no temporary table', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '10.00');
    const task = await postTask(customer, { reward: '10.00' });
    await executor.post(`/api/tasks/${task.id}/take`);
    expect((await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'готово' })).status).toBe(200);
    const conn = await connect('primary');
    try {
      const tmpTables = async () => {
        const [status] = (await conn.query("SHOW SESSION STATUS LIKE 'Created_tmp%tables'")) as unknown as [{ Value: string }[]];
        return status.map((s) => Number(s.Value));
      };
      const before = await tmpTables();
      const [lines] = (await conn.query(TASK_ANSWER_SQL, [task.id])) as unknown as [{ stepAction: string }[]];
      const after = await tmpTables();
      expect(lines.map((l) => l.stepAction).sort()).toEqual(['submit', 'take']);
      // Every action's answer and every task page reads it: a temporary table each time (on disk:
      // the comment column is long) held the answers up under load.
      expect(after.map((n, i) => n - before[i]!)).toEqual([0, 0]);
    } finally {
      await conn.end();
    }
  });

  it('sends submit → reject → resubmit in a burst as three messages, each quoting its own comment', async () => {
    const customer = await register('customer');
    const executor = await register('executor');
    await topUp(customer, '100.00');
    const task = await postTask(customer, { reward: '100.00', title: 'Быстрые шаги' });
    await executor.post(`/api/tasks/${task.id}/take`);
    expect((await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'сдача номер один' })).status).toBe(200);
    expect((await customer.post(`/api/tasks/${task.id}/reject`, { comment: 'отказ номер один' })).status).toBe(200);
    expect((await executor.post(`/api/tasks/${task.id}/submit`, { comment: 'сдача номер два' })).status).toBe(200);
    const submitted = await eventually(async () => {
      const mails = (await mailsTo(customer.email)).filter((m) => m.subject.includes('«Быстрые шаги» сдана'));
      expect(mails).toHaveLength(2);
      return mails;
    }, 20_000);
    expect(submitted.map((m) => m.text.includes('сдача номер один'))).toContain(true);
    expect(submitted.map((m) => m.text.includes('сдача номер два'))).toContain(true);
    for (const mail of submitted) expect(mail.text.includes('сдача номер один')).not.toBe(mail.text.includes('сдача номер два'));
    const rejected = await eventually(async () => {
      const mails = (await mailsTo(executor.email)).filter((m) => m.subject.includes('«Быстрые шаги» возвращена'));
      expect(mails).toHaveLength(1);
      return mails[0]!;
    }, 20_000);
    expect(rejected.text).toContain('Комментарий заказчика: отказ номер один');
  });
});
