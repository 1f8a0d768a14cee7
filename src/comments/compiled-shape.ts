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

// Mixed case and an end character: a builder that changes a value (case, trim, concatenation, JSON)
// cannot leave a marker intact, and slotsOf then refuses the builder.
const MARK = '\u0000Shape-Param:';
const END = '\u0001';

const isShape = (v: unknown) => v === null || v === undefined || typeof v === 'boolean';

function shapeOf(params: Params): string {
  let key = '';
  for (const k in params) {
    const v = params[k];
    key += Array.isArray(v) ? `${v.length},` : isShape(v) ? `${String(v)},` : 'v,';
  }
  return key;
}

/** The params with a marker for each value, and where each marker stands for. */
function markers(params: Params): { marked: Params; slots: Map<string, Slot> } {
  const marked: Params = {};
  const slots = new Map<string, Slot>();
  for (const key in params) {
    const v = params[key];
    if (Array.isArray(v)) {
      marked[key] = v.map((_, index) => {
        const m = `${MARK}${key}.${index}${END}`;
        slots.set(m, { key, index });
        return m;
      });
    } else if (isShape(v)) marked[key] = v;
    else {
      const m = `${MARK}${key}${END}`;
      slots.set(m, { key, index: null });
      marked[key] = m;
    }
  }
  return { marked, slots };
}

/** Where each compiled parameter comes from; throws if a builder transformed a value (it must pass them as they are). */
function slotsOf(parameters: readonly unknown[], slots: Map<string, Slot>): Slot[] {
  return parameters.map((p) => {
    const slot = typeof p === 'string' ? slots.get(p) : undefined;
    if (slot) return slot;
    if (/shape-param:/i.test(JSON.stringify(p) ?? '')) {
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
      const { marked, slots } = markers(params);
      const template = build(db, marked as P).compile();
      s = { template, slots: slotsOf(template.parameters, slots) };
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
