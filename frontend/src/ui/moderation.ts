// The administrator's tools on a person: block with a reason or unblock with a comment (the
// person is told either), and hiding a review from every list and average.
import { blockAccount, hideReview, unblockAccount } from '../api/endpoints';
import type { Review } from '../api/types';
import { t } from '../i18n';
import { href } from '../router';
import { commentAction } from './actions';
import { h, fill } from './h';
import { notice, toast } from './page';

/** The admin's page of one account (block, unblock). */
export const accountAdminHref = (accountId: number): string => href('/admin/accounts', { id: String(accountId) });

/** Block or unblock, as the account's state asks; redraws itself with the answer. */
export function blockPanel(account: { id: number; blocked: boolean }): HTMLElement {
  const box = h('div', { class: 'stack', 'data-testid': 'block-panel' });
  const draw = (blocked: boolean): void => {
    box.setAttribute('data-blocked', String(blocked));
    fill(
      box,
      notice(blocked ? t.trust.accountBlocked : t.trust.accountActive, blocked ? 'error' : 'info', 'block-state'),
      blocked
        ? commentAction({
            label: t.trust.unblock,
            testid: 'account-unblock',
            kind: 'primary',
            commentLabel: t.trust.unblockComment,
            required: true,
            run: async (comment, key) => {
              await unblockAccount(account.id, comment, key);
              toast(t.trust.unblockedDone);
              draw(false);
            },
          })
        : commentAction({
            label: t.trust.block,
            testid: 'account-block',
            kind: 'danger',
            commentLabel: t.trust.blockReason,
            required: true,
            run: async (reason, key) => {
              await blockAccount(account.id, reason, key);
              toast(t.trust.blockedDone);
              draw(true);
            },
          }),
    );
  };
  draw(account.blocked);
  return box;
}

/** "Hide" under a review; the review is replaced by a note once hidden. */
export function hideReviewAction(review: Review, row: () => HTMLElement): HTMLElement {
  return commentAction({
    label: t.trust.hide,
    testid: 'review-hide',
    kind: 'danger',
    commentLabel: t.trust.hideReason,
    required: true,
    run: async (reason, key) => {
      await hideReview(review.id, reason, key);
      row().replaceChildren(notice(t.trust.hidden, 'success', 'review-hidden'));
    },
  });
}
