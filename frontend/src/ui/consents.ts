// The two separate consents (152-FZ): the terms and the processing of personal data, each its own
// checkbox with a link to its text. Used at registration and when a text's version changes.
import { giveConsents, legalVersions } from '../api/endpoints';
import type { LegalVersions, ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { checkboxField, createForm, type Field } from './form';
import { h, fill } from './h';
import { notice } from './page';

/** The two checkboxes, each with its link (opened in a new tab so the form keeps what was typed). */
export function consentFields(): Field[] {
  const terms = checkboxField({ name: 'consentTerms', label: t.auth.consentTerms, testid: 'input-consent-terms' });
  const personalData = checkboxField({
    name: 'consentPersonalData',
    label: t.auth.consentPersonalData,
    testid: 'input-consent-personal-data',
  });
  terms.root.append(h('a', { href: '#/legal/terms', target: '_blank', rel: 'noopener', 'data-testid': 'link-terms' }, t.auth.readTerms));
  personalData.root.append(
    h('a', { href: '#/legal/personal-data', target: '_blank', rel: 'noopener', 'data-testid': 'link-personal-data' }, t.auth.readPolicy),
  );
  return [terms, personalData];
}

/** Both boxes must be ticked: each is asked for on its own, neither may be skipped. */
export function consentProblems(values: { checked(name: string): boolean }): ValidationDetail[] {
  return (['consentTerms', 'consentPersonalData'] as const)
    .filter((name) => !values.checked(name))
    .map((path) => ({ path, message: t.errors.consentRequired }));
}

/** The versions the person agreed to, as the API takes them. */
export async function consentsGiven(): Promise<{ terms: string; personalData: string }> {
  const legal: LegalVersions = await legalVersions();
  return { terms: legal.terms.version, personalData: legal.personalData.version };
}

/** Asked again after a version change (GET /api/me says consentRequired), above every page. */
export function reconsentPrompt(onDone: () => void): HTMLElement {
  const box = h('section', { class: 'card stack', 'data-testid': 'reconsent' });
  const form = createForm({
    testid: 'reconsent-form',
    submitLabel: t.auth.reconsentSubmit,
    fields: consentFields(),
    validate: consentProblems,
    onSubmit: async () => {
      await giveConsents(await consentsGiven());
      fill(box, notice(t.auth.reconsentDone, 'success', 'reconsent-done'));
      onDone();
    },
  });
  fill(
    box,
    h('h2', { class: 'card__title' }, t.auth.reconsentTitle),
    h('p', null, t.auth.reconsentIntro),
    h('p', { class: 'muted' }, t.trust.consentExplained),
    form.element,
  );
  return box;
}
