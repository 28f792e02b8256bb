// The one middy stack every HTTP function uses, in the contract's order:
// request id → origin check (AWS) → body parse → zod → auth (failures counted per address) → role → rate limit → handler
// (timed) → error mapper, the whole raced against the function's time limit (deadline.ts).
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { z, type ZodType } from 'zod';
import type { Role } from '../accounts/roles';
import { sessionByToken, type Session } from '../accounts/sessions';
import { overLimitFor } from '../cache/rate-limit';
import { config } from '../config';
import { RequestDb } from '../db/request-db';
import { log, LogScope } from '../log';
import { countAuthFailure, guessWindow, refuseWhileGuessing } from '../accounts/auth-failures';
import { answerBeforeTimeout } from './deadline';
import { accountBlocked, AppError, forbidden, rateLimited, unauthenticated, unavailable, validationFailed } from '../errors';
import { idempotencyKeyOf, withIdempotency } from './idempotency';
import { JsonText } from '../json-text';
import { logError, recordTiming } from '../ops/observability';
import { fromOrigin } from './origin';
import { errorReply, type Reply } from './reply';
import { clientIp, parseBody } from './request';

export type { Reply };

/** Who may call: anyone (a token is used when valid), any logged-in role, or the listed roles. */
export type Access = 'anyone' | 'session' | Role | readonly Role[];

export interface HandlerSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** State-changing POSTs (API v2): honour Idempotency-Key. */
  idempotent?: boolean;
  /** Robokassa posts form fields and has its own, higher limit. */
  form?: boolean;
  limits?: 'api' | 'robokassa';
  /** Actions a blocked account may not take: 403 account_blocked with the block's reason. */
  refuseBlocked?: boolean;
}

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  db: RequestDb;
  requestId: string;
  ip: string;
  userAgent: string;
  headers: Record<string, string | undefined>;
}

type SessionFor<A extends Access> = A extends 'anyone' ? Session | null : Session;

interface PipelineState {
  requestId: string;
  route: string;
  startedAt: number;
  db: RequestDb;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  session: Session | null;
}

type PipelineContext = Context & { execorder: PipelineState };
type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, PipelineContext>;

const JSON_TYPE = 'application/json; charset=utf-8';

const requestIdStep = {
  before: (request: Request) => {
    const given = request.event.headers?.['x-request-id'];
    const requestId = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    const route = request.event.routeKey ?? `${request.event.requestContext?.http?.method} ${request.event.rawPath}`;
    const scope = new LogScope();
    scope.tag({ requestId, route });
    request.context.execorder = { requestId, route, startedAt: performance.now(), db: new RequestDb(scope), session: null };
  },
};

/** In AWS a request that skipped CloudFront (and its WAF) lacks the origin secret: it is refused first. */
const originStep = {
  before: async (request: Request) => {
    if (!(await fromOrigin(request.event.headers ?? {}))) throw forbidden('Requests reach the API through the site');
  },
};

function parseStep(spec: HandlerSpec<ZodType, ZodType, ZodType>) {
  return {
    before: (request: Request) => {
      const state = request.context.execorder;
      const event = request.event;
      const issues: { path: string; message: string }[] = [];
      const check = (schema: ZodType | undefined, value: unknown) => {
        if (!schema) return undefined;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) {
          const path = issue.path.map(String).join('.');
          // An unknown field is reported at its own name, so a client can see which one to drop.
          if (issue.code === 'unrecognized_keys') {
            for (const k of issue.keys) issues.push({ path: path ? `${path}.${k}` : k, message: 'is not a known field' });
          } else {
            issues.push({ path, message: issue.message });
          }
        }
        return undefined;
      };
      const body = spec.body ? parseBody(event, spec.form ? 'form' : 'json') : undefined;
      state.params = check(spec.params, event.pathParameters ?? {});
      state.query = check(spec.query, event.queryStringParameters ?? {});
      state.body = check(spec.body, body);
      if (issues.length > 0) throw validationFailed(issues);
    },
  };
}

function authStep(access: Access, refuseBlocked: boolean) {
  return {
    before: async (request: Request) => {
      const state = request.context.execorder;
      const header = request.event.headers?.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      let session: Session | null = null;
      if (token) {
        const guesses = guessWindow(clientIp(request.event));
        const lookup = await sessionByToken(state.db, token, guesses);
        // Before anything tells a right token from a wrong one.
        refuseWhileGuessing(guesses, lookup.failures);
        if (!lookup.session) await countAuthFailure(guesses, lookup.failures);
        session = lookup.session;
        if (session) state.db.log.tag({ accountId: session.accountId });
      }
      if (access === 'anyone') {
        state.session = session;
      } else {
        if (!session) throw unauthenticated(token ? 'The token is unknown, expired or revoked' : 'Authentication required');
        const roles: readonly Role[] | null = access === 'session' ? null : typeof access === 'string' ? [access] : access;
        if (roles && !roles.includes(session.role)) throw forbidden(`This action needs the ${roles.join(' or ')} role`);
        state.session = session;
        if (refuseBlocked && session.blocked) throw accountBlocked(session.blocked.reason);
      }
      state.db.actFor(state.session);
    },
  };
}

function rateLimitStep(kind: 'api' | 'robokassa') {
  const limits =
    kind === 'robokassa'
      ? { perSecond: config.RATE_LIMIT_ROBOKASSA_PER_SECOND, perMinute: config.RATE_LIMIT_ROBOKASSA_PER_MINUTE }
      : { perSecond: config.RATE_LIMIT_PER_SECOND, perMinute: config.RATE_LIMIT_PER_MINUTE };
  return {
    before: async (request: Request) => {
      const { session } = request.context.execorder;
      const client = session ? `s${session.id}` : `ip${clientIp(request.event)}`;
      const retryAfter = await overLimitFor(`${kind}:${client}`, limits, config.RATE_LIMIT_KEY_PREFIX);
      if (retryAfter > 0) throw rateLimited(retryAfter);
    },
  };
}

function toResponse(state: { requestId: string }, reply: Reply): APIGatewayProxyResultV2 {
  const headers: Record<string, string> = { 'X-Request-Id': state.requestId, ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers, body: '' };
  if (reply.body instanceof JsonText)
    return { statusCode: reply.status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: reply.body.text };
  if (typeof reply.body === 'string')
    return { statusCode: reply.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body: reply.body };
  return { statusCode: reply.status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(reply.body) };
}

/** Timing for every answer, and after a write the session's next reads are pinned to the primary. */
const finishStep = {
  after: (request: Request) => finish(request),
  onError: (request: Request) => {
    request.response = mapError(request);
    finish(request);
  },
};

function finish(request: Request): void {
  const state = request.context.execorder;
  if (!state) return;
  const status = typeof request.response === 'object' && request.response?.statusCode ? request.response.statusCode : 500;
  recordTiming({ route: state.route, status, durationMs: performance.now() - state.startedAt, at: new Date() });
}

/** The one error mapper: every failure leaves as the contract's error body; a bug never shows its stack. */
function mapError(request: Request): APIGatewayProxyResultV2 {
  const state = request.context.execorder ?? { requestId: randomUUID(), route: 'unknown' };
  const err = request.error;
  const appError = err instanceof AppError ? err : null;
  if (!appError) {
    void logError(state.requestId, state.route, err?.message ?? String(err), err?.stack);
    return toResponse(state, {
      status: 500,
      body: { error: { code: 'internal', message: `Internal error; quote request id ${state.requestId}` } },
    });
  }
  return toResponse(state, errorReply(appError));
}

/** What a request still running near the function's time limit answers (see deadline.ts). */
function lateAnswer(context: PipelineContext): APIGatewayProxyResultV2 {
  const state = context.execorder ?? { requestId: randomUUID(), route: 'unknown' };
  (context.execorder?.db.log ?? log).error('answered 503, still running before the time limit', undefined, {
    marginMs: config.HANDLER_TIMEOUT_MARGIN_MS,
  });
  return toResponse(state, errorReply(unavailable('The request took too long; try again', 1)));
}

export function httpHandler<
  B extends ZodType = ZodType<undefined>,
  Q extends ZodType = ZodType<unknown>,
  P extends ZodType = ZodType<unknown>,
  A extends Access = Access,
>(
  spec: HandlerSpec<B, Q, P> & { access: A },
  run: (input: HandlerInput<z.output<B>, z.output<Q>, z.output<P>> & { session: SessionFor<A> }) => Promise<Reply>,
) {
  const base = async (event: APIGatewayProxyEventV2, context: PipelineContext): Promise<APIGatewayProxyResultV2> => {
    const state = context.execorder;
    const input = {
      body: state.body,
      query: state.query,
      params: state.params,
      db: state.db,
      requestId: state.requestId,
      ip: clientIp(event),
      userAgent: event.headers['user-agent'] ?? '',
      headers: event.headers,
      session: state.session,
    } as HandlerInput<z.output<B>, z.output<Q>, z.output<P>> & { session: SessionFor<A> };
    const key = spec.idempotent && state.session ? idempotencyKeyOf(event.headers) : undefined;
    const reply =
      key && state.session
        ? await withIdempotency(state.db, state.session.accountId, key, `${state.route}\n${event.rawPath}\n${event.body ?? ''}`, () =>
            run(input),
          )
        : await run(input);
    return toResponse(state, reply);
  };
  // middy's own early timeout (5 ms before the limit, around `base` only) gives way to
  // answerBeforeTimeout, which covers every step and leaves time to send the answer.
  const pipeline = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, PipelineContext>(base, { timeoutEarlyInMillis: 0 })
    .use(finishStep)
    .use(requestIdStep)
    .use(originStep)
    .use(parseStep(spec as HandlerSpec<ZodType, ZodType, ZodType>))
    .use(authStep(spec.access, spec.refuseBlocked ?? false))
    .use(rateLimitStep(spec.limits ?? 'api'));
  const guarded = answerBeforeTimeout(pipeline, config.HANDLER_TIMEOUT_MARGIN_MS, lateAnswer);
  return (event: APIGatewayProxyEventV2, context: Context) => guarded(event, context as PipelineContext);
}
