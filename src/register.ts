import { serialization } from '@tensorflow/tfjs-core';
import { BRCCell } from './cells/brc_cell';
import { GRUCell } from './cells/gru_cell';
import { BlockOrthogonal } from './cells/initializers/block_orthogonal';
import { ChronoBias } from './cells/initializers/chrono_bias';
import { LSTMCell } from './cells/lstm_cell';
import { NBRCCell } from './cells/nbrc_cell';
import { BRC } from './layers/brc';
import { DoubleRNN } from './layers/double_rnn';
import { GRU } from './layers/gru';
import { LSTM } from './layers/lstm';
import { NBRC } from './layers/nbrc';

/**
 * Registers every serializable class of this library with `tf.serialization`, so that
 * `tf.loadLayersModel` restores models containing them. Runs once, on import of the package.
 * Class names carry a `WarmupRnn` prefix so they never replace tfjs-layers' own `GRU`/`LSTM`.
 */
for (const cls of [
  BlockOrthogonal,
  ChronoBias,
  BRCCell,
  NBRCCell,
  GRUCell,
  LSTMCell,
  BRC,
  NBRC,
  GRU,
  LSTM,
  DoubleRNN,
]) {
  serialization.registerClass(
    cls as unknown as serialization.SerializableConstructor<serialization.Serializable>,
    'tfjs-warmup-rnn',
  );
}
