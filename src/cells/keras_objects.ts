import { constraints, initializers, regularizers } from '@tensorflow/tfjs-layers';
import { serialization } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';

/** A tfjs-layers weight initializer (the public type of `tf.initializers.*`). */
export type Initializer = ReturnType<typeof initializers.glorotUniform>;
/** A tfjs-layers weight regularizer (the public type of `tf.regularizers.*`). */
export type Regularizer = ReturnType<typeof regularizers.l1l2>;
/** A tfjs-layers weight constraint (the public type of `tf.constraints.*`). */
export type Constraint = ReturnType<typeof constraints.maxNorm>;

/**
 * How users name an initializer, regularizer or constraint, as in tfjs-layers: a camelCase
 * identifier (`'glorotUniform'`), a class name (`'GlorotUniform'`), a serialized
 * `{ className, config }`, or an instance.
 */
export type KerasObjectIdentifier<T> = string | { className: string; config?: object } | T;
/** An initializer given by identifier or instance. */
export type InitializerIdentifier = KerasObjectIdentifier<Initializer>;
/** A regularizer given by identifier or instance. */
export type RegularizerIdentifier = KerasObjectIdentifier<Regularizer>;
/** A constraint given by identifier or instance. */
export type ConstraintIdentifier = KerasObjectIdentifier<Constraint>;

// tfjs-layers' own camelCase identifiers and the classes they name.
const INITIALIZER_NAMES: Record<string, string> = {
  constant: 'Constant',
  glorotNormal: 'GlorotNormal',
  glorotUniform: 'GlorotUniform',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  identity: 'Identity',
  leCunNormal: 'LeCunNormal',
  leCunUniform: 'LeCunUniform',
  ones: 'Ones',
  orthogonal: 'Orthogonal',
  randomNormal: 'RandomNormal',
  randomUniform: 'RandomUniform',
  truncatedNormal: 'TruncatedNormal',
  varianceScaling: 'VarianceScaling',
  zeros: 'Zeros',
};
const REGULARIZER_NAMES: Record<string, string> = { l1l2: 'L1L2' };
const CONSTRAINT_NAMES: Record<string, string> = {
  maxNorm: 'MaxNorm',
  minMaxNorm: 'MinMaxNorm',
  nonNeg: 'NonNeg',
  unitNorm: 'UnitNorm',
};

interface SerializableLike {
  getClassName(): string;
  getConfig(): serialization.ConfigDict;
}

function isInstance(x: unknown): x is SerializableLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as SerializableLike).getClassName === 'function' &&
    typeof (x as SerializableLike).getConfig === 'function'
  );
}

function resolve<T>(identifier: unknown, names: Record<string, string>, kind: string, option: string): T | null {
  if (identifier == null) return null;
  if (isInstance(identifier)) return identifier as unknown as T;
  let className: string | undefined;
  let config: serialization.ConfigDict = {};
  if (typeof identifier === 'string') {
    className = names[identifier] ?? identifier;
  } else if (typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    const named = identifier as { className: string; config?: serialization.ConfigDict };
    className = names[named.className] ?? named.className;
    config = named.config ?? {};
  }
  // The registry where tfjs-layers (and we) register every serializable class.
  const entry = className == null ? undefined : serialization.SerializationMap.getMap().classNameMap[className];
  if (entry == null) {
    throw new InvalidArgumentError(
      `${option}: unknown ${kind} ${JSON.stringify(identifier)}. Use one of ` +
        `${Object.keys(names)
          .map((n) => `'${n}'`)
          .join(', ')}, a registered class name, or an instance.`,
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as T;
}

/** Resolves an initializer identifier (see {@link KerasObjectIdentifier}). */
export function resolveInitializer(identifier: unknown, option: string): Initializer | null {
  return resolve<Initializer>(identifier, INITIALIZER_NAMES, 'initializer', option);
}
/** Resolves a regularizer identifier. */
export function resolveRegularizer(identifier: unknown, option: string): Regularizer | null {
  return resolve<Regularizer>(identifier, REGULARIZER_NAMES, 'regularizer', option);
}
/** Resolves a constraint identifier. */
export function resolveConstraint(identifier: unknown, option: string): Constraint | null {
  return resolve<Constraint>(identifier, CONSTRAINT_NAMES, 'constraint', option);
}

/** The `{ className, config }` form tfjs-layers writes into model JSON. */
export function serializeKerasObject(x: SerializableLike | null | undefined): serialization.ConfigDict | null {
  return x == null ? null : { className: x.getClassName(), config: x.getConfig() };
}
