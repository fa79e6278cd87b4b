/**
 * Routes declared once with their schemas: the Express handler validates input with the contracts'
 * schemas, and the same declarations generate the OpenAPI document at /api/openapi.json.
 */
import type { Role } from '@mfc/contracts';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { parse } from './validate.js';

export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'delete';
  /** Express-style path under /api, e.g. /applications/:name/start. */
  path: string;
  summary: string;
  tag: string;
  body?: B;
  query?: Q;
  response?: z.ZodType;
  /** Minimum role; mutations need at least operator. */
  role?: Role;
  status?: number;
}

export interface Input<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  req: Request;
  res: Response;
}

export class Api {
  readonly specs: RouteSpec[] = [];

  constructor(
    private router: Router,
    private requireRole: (role: Role, what?: string) => RequestHandler,
  ) {}

  add<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<B, Q>,
    handler: (input: Input<z.output<B>, z.output<Q>>) => Promise<unknown>,
  ): void {
    this.specs.push(spec as RouteSpec);
    const guards = spec.role ? [this.requireRole(spec.role, spec.summary)] : [];
    this.router[spec.method](spec.path, ...guards, async (req: Request, res: Response) => {
      const body = spec.body ? parse(spec.body, req.body, 'request body') : undefined;
      const query = spec.query ? parse(spec.query, req.query, 'query') : undefined;
      const result = await handler({
        body: body as z.output<B>,
        query: query as z.output<Q>,
        params: req.params as Record<string, string>,
        req,
        res,
      });
      if (!res.headersSent) res.status(spec.status ?? 200).json(result);
    });
  }
}

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

/** OpenAPI 3.1 from the route declarations. */
export function openApiDocument(
  specs: RouteSpec[],
  extra: { path: string; method: string; summary: string; tag: string; description?: string }[],
): object {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const s of specs) {
    const path = `/api${s.path.replace(/:(\w+)/g, '{$1}')}`;
    const params = [...s.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = s.query
      ? (schema(s.query) as { properties?: Record<string, unknown>; required?: string[] })
      : undefined;
    const queryParams = Object.entries(query?.properties ?? {}).map(([name, sch]) => ({
      name,
      in: 'query',
      required: query?.required?.includes(name) ?? false,
      schema: sch,
    }));
    (paths[path] ??= {})[s.method] = {
      summary: s.summary,
      tags: [s.tag],
      ...(params.length + queryParams.length > 0 ? { parameters: [...params, ...queryParams] } : {}),
      ...(s.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(s.body) } } } }
        : {}),
      ...(s.role ? { 'x-required-role': s.role } : {}),
      responses: {
        [String(s.status ?? 200)]: {
          description: 'OK',
          ...(s.response
            ? {
                content: {
                  'application/json': { schema: z.toJSONSchema(s.response, { io: 'output', unrepresentable: 'any' }) },
                },
              }
            : {}),
        },
        '400': { description: 'Invalid input', content: { 'application/json': { schema: errorRef } } },
        '401': { description: 'No session', content: { 'application/json': { schema: errorRef } } },
        '403': {
          description: 'Missing CSRF token, role or AWS permission',
          content: { 'application/json': { schema: errorRef } },
        },
        '404': { description: 'Not found', content: { 'application/json': { schema: errorRef } } },
        '409': {
          description: 'The application is not in a status that allows this, or changed meanwhile',
          content: { 'application/json': { schema: errorRef } },
        },
      },
    };
  }
  for (const e of extra)
    (paths[e.path] ??= {})[e.method] = {
      summary: e.summary,
      tags: [e.tag],
      ...(e.description ? { description: e.description } : {}),
      responses: { '200': { description: 'OK' } },
    };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Managed Flink Console BFF',
      version: '0.1.0',
      description: 'The console’s API: applications, their Flink jobs, snapshots, keys, actions and live events.',
    },
    components: {
      schemas: {
        Error: z.toJSONSchema(
          z.object({ error: z.object({ name: z.string(), message: z.string(), status: z.number() }) }),
        ),
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'mfc_session' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
    },
    security: [{ session: [], csrf: [] }],
    paths,
  };
}
