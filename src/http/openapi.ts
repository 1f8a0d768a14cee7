import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../shared/errors.ts';
import { zodToFieldErrors } from '../shared/validation.ts';
import type { AppEnv } from './app-env.ts';

/** A router whose schema-validation failures become our 400 problem+json, naming each field. */
export function openApiRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError(zodToFieldErrors(result.error as never));
    },
  });
}
