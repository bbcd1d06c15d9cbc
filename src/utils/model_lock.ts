import { ConcurrentUseError } from '../errors';

const inUse = new WeakMap<object, string>();

/**
 * Marks `model` as in use by `fn` until the returned release function is called; throws
 * {@link ConcurrentUseError} at once when another `warmup` or `measureVaa` holds it.
 *
 * Why: both functions await between steps. A second call on the same model would interleave
 * its steps with the first one's (weights that match neither run), and a failing call's
 * rollback would overwrite the other's progress. Call it before the first `await`, so two calls
 * made in the same tick are told apart. Values that are not objects are not locked (the
 * model check that follows rejects them).
 */
export function lockModel(model: unknown, fn: string): () => void {
  if (model === null || typeof model !== 'object') return () => undefined;
  const holder = inUse.get(model);
  if (holder !== undefined) {
    throw new ConcurrentUseError(
      `${fn}: this model is already in use by a ${holder} call that has not finished; await it before calling ${fn} on the same model (each model runs one warmup or measureVaa at a time).`,
    );
  }
  inUse.set(model, fn);
  return () => {
    inUse.delete(model);
  };
}
