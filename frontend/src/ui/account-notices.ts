// The notices every page shows above its content while they apply: the account's block, with its
// reason and the appeal (filed here, or its state), and the consent asked again after a legal
// text's version changed. One persistent element, so what is typed survives navigating.
import { myAppeals, fileAppeal } from '../api/endpoints';
import type { Appeal, Block, Me } from '../api/types';
import { accountStatus, onAccountChange, refreshAccount } from '../account-status';
import { t } from '../i18n';
import { reconsentPrompt } from './consents';
import { formatDateTime } from './format';
import { createForm, inputField } from './form';
import { h, fill } from './h';
import { errorBox, loading, notice, toast } from './page';

function appealForm(onFiled: (appeal: Appeal) => void): HTMLElement {
  const form = createForm({
    testid: 'appeal-form',
    submitLabel: t.trust.appealSubmit,
    fields: [
      inputField({ name: 'text', label: t.trust.appealText, rows: 4, required: true, maxlength: 2000, testid: 'input-appeal-text' }),
    ],
    onSubmit: async (values, key) => {
      onFiled(await fileAppeal(values.value('text').trim(), key));
      toast(t.trust.appealSent);
    },
  });
  return form.element;
}

function appealState(appeal: Appeal): HTMLElement {
  return notice(t.trust.appealOpen(formatDateTime(appeal.createdAt), formatDateTime(appeal.answerBy)), 'info', 'appeal-open');
}

/** The newest appeal decides what is shown: its state while open, else the form (after the last answer). */
function appealBox(): HTMLElement {
  const box = h('div', { class: 'stack', 'data-testid': 'appeal' }, loading());
  const draw = (latest: Appeal | null): void => {
    if (latest?.status === 'open') return fill(box, appealState(latest));
    fill(
      box,
      h('h3', { class: 'notice__subtitle' }, t.trust.appealTitle),
      latest?.status === 'upheld'
        ? h('div', { 'data-testid': 'appeal-upheld' }, h('p', null, t.trust.appealUpheld), h('p', { class: 'prose' }, latest.answer ?? ''))
        : null,
      h('p', null, t.trust.appealIntro),
      appealForm(draw),
    );
  };
  const load = async (): Promise<void> => {
    try {
      draw((await myAppeals()).items[0] ?? null);
    } catch (err) {
      fill(
        box,
        errorBox(err, () => void load()),
      );
    }
  };
  void load();
  return box;
}

function blockedBanner(block: Block): HTMLElement {
  return h(
    'section',
    { class: 'card card--alert stack', 'data-testid': 'blocked-banner', 'aria-labelledby': 'blocked-title' },
    h('h2', { id: 'blocked-title', class: 'card__title' }, t.trust.blockedTitle),
    h('p', null, t.trust.blockedSince(formatDateTime(block.since))),
    h('p', { class: 'prose', 'data-testid': 'blocked-reason' }, block.reason),
    h('p', { class: 'muted' }, t.trust.blockedCan),
    appealBox(),
  );
}

function consentNotice(): HTMLElement {
  return reconsentPrompt(() => {
    toast(t.auth.reconsentDone);
    void refreshAccount();
  });
}

export function accountNotices(): HTMLElement {
  const element = h('div', { class: 'account-notices', 'data-testid': 'account-notices' });
  let shownBlock = '';
  let shownConsent = false;
  const draw = (me: Me | null): void => {
    const block = me?.blocked ?? null;
    const blockKey = block ? `${block.since} ${block.reason}` : '';
    const consent = me?.consentRequired === true;
    // Unchanged notices are kept as they are: a half-typed appeal is not wiped by a refresh.
    if (blockKey === shownBlock && consent === shownConsent) return;
    shownBlock = blockKey;
    shownConsent = consent;
    fill(element, block ? blockedBanner(block) : null, consent ? consentNotice() : null);
  };
  onAccountChange(draw);
  draw(accountStatus());
  return element;
}
