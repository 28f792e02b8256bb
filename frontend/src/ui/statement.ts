// The statement as a CSV file for chosen days. The request needs the bearer token, so the file is
// fetched here and handed to the browser through an object URL under the server's file name.
import { statementCsv } from '../api/endpoints';
import type { ValidationDetail } from '../api/types';
import { t } from '../i18n';
import { createForm, inputField } from './form';
import { h } from './h';
import { section, toast } from './page';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD of a UTC day: the server counts the period in UTC days. */
const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is not needed after this turn.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function statementSection(): HTMLElement {
  const today = new Date();
  const monthStart = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const form = createForm({
    testid: 'statement-form',
    submitLabel: t.trust.statementDownload,
    fields: [
      inputField({
        name: 'from',
        label: t.trust.statementFrom,
        type: 'date',
        required: true,
        value: utcDay(monthStart),
        testid: 'input-statement-from',
      }),
      inputField({
        name: 'to',
        label: t.trust.statementTo,
        type: 'date',
        required: true,
        value: utcDay(today),
        testid: 'input-statement-to',
      }),
    ],
    validate: (values) => {
      const problems: ValidationDetail[] = [];
      const from = values.value('from');
      const to = values.value('to');
      for (const [path, value] of [
        ['from', from],
        ['to', to],
      ] as const)
        if (value && !DAY.test(value)) problems.push({ path, message: t.errors.required });
      if (DAY.test(from) && DAY.test(to) && from > to) problems.push({ path: 'to', message: t.trust.statementPeriod });
      return problems;
    },
    onSubmit: async (values) => {
      const from = values.value('from');
      const to = values.value('to');
      const file = await statementCsv(from, to);
      save(file.blob, file.filename ?? `statement-${from}-${to}.csv`);
      toast(t.trust.statementReady);
    },
  });
  return section(t.trust.statementTitle, 'statement', h('p', { class: 'muted' }, t.trust.statementIntro), form.element);
}
