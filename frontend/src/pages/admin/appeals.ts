// Appeals against blocks, oldest first: read the person's text, then keep the block or lift it,
// with an answer the person is sent.
import { adminAppeals, decideAppeal } from '../../api/endpoints';
import { APPEAL_STATUSES, type Appeal } from '../../api/types';
import { t } from '../../i18n';
import type { PageContext } from '../../router';
import { adminHeader, statusFilter } from '../../ui/admin';
import { formatDateTime } from '../../ui/format';
import { createForm, inputField, radioField } from '../../ui/form';
import { h } from '../../ui/h';
import { pagedList } from '../../ui/list';
import { badge, toast } from '../../ui/page';
import { accountAdminHref } from '../../ui/moderation';
import { personLink } from '../../ui/people';

function decideForm(appeal: Appeal, onDecided: (decided: Appeal) => void): HTMLElement {
  return createForm({
    testid: 'appeal-decide-form',
    submitLabel: t.trust.decide,
    fields: [
      radioField({
        name: 'decision',
        label: t.trust.decision,
        value: 'upheld',
        options: [
          { value: 'upheld', label: t.trust.decisionUpheld },
          { value: 'lifted', label: t.trust.decisionLifted },
        ],
      }),
      inputField({
        name: 'comment',
        label: t.trust.decisionComment,
        rows: 3,
        required: true,
        maxlength: 1000,
        testid: 'input-decision-comment',
      }),
    ],
    onSubmit: async (values, key) => {
      const decision = values.value('decision') === 'lifted' ? 'lifted' : 'upheld';
      onDecided(await decideAppeal(appeal.id, { decision, comment: values.value('comment').trim() }, key));
      toast(t.trust.decided);
    },
  }).element;
}

function appealRow(appeal: Appeal): HTMLElement {
  const slot = h('div', { class: 'slot' });
  const draw = (current: Appeal): void => {
    slot.replaceChildren(
      h(
        'div',
        { class: 'row row--wrap', 'data-testid': 'appeal-row', 'data-appeal-id': current.id, 'data-status': current.status },
        h(
          'div',
          { class: 'row__main' },
          h('strong', null, t.trust.appeal(current.id), ' · ', personLink(current.account, 'appeal-account')),
          h(
            'span',
            { class: 'meta' },
            h('time', { datetime: current.createdAt }, formatDateTime(current.createdAt)),
            current.status === 'open' ? h('span', null, t.trust.appealAnswerBy(formatDateTime(current.answerBy))) : null,
            h('a', { href: accountAdminHref(current.account.id) }, t.trust.adminAccountsTitle),
          ),
          h('p', { class: 'row__comment', 'data-testid': 'appeal-text' }, current.text),
          current.answer ? h('p', { class: 'row__comment', 'data-testid': 'appeal-answer' }, `${t.trust.answer}: ${current.answer}`) : null,
        ),
        h('div', { class: 'row__end' }, badge('appeal', current.status, t.trust.appealStatus[current.status] ?? current.status)),
        current.status === 'open' ? h('div', { class: 'row__actions' }, decideForm(current, draw)) : null,
      ),
    );
  };
  draw(appeal);
  return slot;
}

export function render(ctx: PageContext): Node {
  const status = APPEAL_STATUSES.find((s) => s === ctx.query.get('status')) ?? 'open';
  const list = pagedList({
    testid: 'admin-appeals-list',
    signal: ctx.signal,
    emptyText: t.trust.appealsEmpty,
    load: (cursor, signal) => adminAppeals(status, cursor, signal),
    item: appealRow,
  });
  return h(
    'div',
    { class: 'stack' },
    adminHeader(t.trust.appealsTitle),
    statusFilter(
      '/admin/appeals',
      t.admin.status,
      status,
      APPEAL_STATUSES.map((s) => ({ value: s, label: t.trust.appealStatus[s] ?? s })),
      'admin-appeals-status',
    ),
    list.element,
  );
}
