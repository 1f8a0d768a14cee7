// A hot Kysely query built and compiled once per shape instead of on every call. Building a query
// (operation nodes, frozen objects, the compiler's visitors) cost more of the API's CPU per POST than
// running it; the SQL text of one shape never changes, only the parameters do. The query is built once
// with a marker in place of each value, compiled, and the markers' positions in the parameter list
// remembered; a later call with the same shape only fills in the values. The shape is what changes
// the SQL text: an array's length (an `in` list), which values are null or undefined, booleans. The
// same string each time also spares the named-statement cache re-hashing a fresh 2 KB text.
import type { Compilable, CompiledQuery } from 'kysely';

type Params = Record<string, unknown>;
type Slot = { key: string; index: number | null } | { constant: unknown };

const MARK = '\u0000shape-param:';

const isShape = (v: unknown) => v === null || v === undefined || typeof v === 'boolean';

function shapeOf(params: Params): string {
  let key = '';
  for (const k in params) {
    const v = params[k];
    key += Array.isArray(v) ? `${v.length},` : isShape(v) ? `${String(v)},` : 'v,';
  }
  return key;
}

function markers(params: Params): Params {
  const out: Params = {};
  for (const k in params) {
    const v = params[k];
    out[k] = Array.isArray(v) ? v.map((_, i) => `${MARK}${k}.${i}`) : isShape(v) ? v : `${MARK}${k}`;
  }
  return out;
}

/** Where each compiled parameter comes from; throws if a builder transformed a value (it must pass them as they are). */
function slotsOf(parameters: readonly unknown[]): Slot[] {
  return parameters.map((p) => {
    if (typeof p === 'string' && p.startsWith(MARK)) {
      const [key, index] = p.slice(MARK.length).split('.');
      return { key: key!, index: index === undefined ? null : Number(index) };
    }
    if (JSON.stringify(p)?.includes('\\u0000shape-param:')) {
      throw new Error('compiledShape: a value was transformed by the query builder; pass it as it is');
    }
    return { constant: p };
  });
}

/** Returns the compiled query for `params`, building and compiling `build` only for a shape not seen before. */
export function compiledShape<D, P extends Params, R>(
  build: (db: D, params: P) => Compilable<R>,
): (db: D, params: P) => CompiledQuery<R> {
  const shapes = new Map<string, { template: CompiledQuery<R>; slots: Slot[] }>();
  return (db, params) => {
    const shape = shapeOf(params);
    let s = shapes.get(shape);
    if (!s) {
      const template = build(db, markers(params) as P).compile();
      s = { template, slots: slotsOf(template.parameters) };
      shapes.set(shape, s);
    }
    const parameters = s.slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const v = params[slot.key];
      return slot.index === null ? v : (v as unknown[])[slot.index];
    });
    return { ...s.template, parameters };
  };
}
