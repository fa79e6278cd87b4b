/** What the security layer adds to Express's request and response locals, for every route to read. */
import type { SessionUser } from './sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, set by `authenticate` (and by the session router). */
    user?: SessionUser;
    /** The id of the session the request belongs to. */
    sessionId?: string;
  }
  interface Locals {
    /** The AWS operation id an action started: recorded in the audit log. */
    operationId?: string;
    /** Error text for the audit log when the response body does not say it. */
    auditError?: string;
    /** Names the action and its target in the audit log instead of the route path and :name/:id. */
    audit?: { action?: string; target?: string };
    /** Set by a handler that wrote its own audit entry, so the generic middleware does not add another. */
    auditRecorded?: boolean;
    /** Set by a POST that changes nothing (a pre-flight check): it is not a mutation to audit. */
    readOnly?: boolean;
  }
}

export {};
