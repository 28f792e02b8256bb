// SuccessURL and FailURL: only the payer's browser coming back. Neither changes money; the
// ResultURL callback alone is authoritative.
import { z } from 'zod';
import { config } from '../../shared/config';
import { httpHandler } from '../../shared/http/handler';

const ReturnQuery = z.record(z.string().max(100), z.string().max(2000));

const backTo = (outcome: 'success' | 'fail') =>
  httpHandler({ access: 'anyone', query: ReturnQuery }, ({ query }) => {
    const invId = /^\d{1,10}$/.test(query.InvId ?? '') ? `&invId=${query.InvId}` : '';
    return Promise.resolve({ status: 302, headers: { Location: `${config.SITE_URL}/#/balance?payment=${outcome}${invId}` } });
  });

export const success = backTo('success');
export const fail = backTo('fail');
