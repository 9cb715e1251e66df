import type { OperationName, OutputOf, ParsedInputOf } from '../../src-shared/contract';

/** The handler of one operation: its validated input in, its output out, as the contract says. */
export type Handler<N extends OperationName> = (input: ParsedInputOf<N>) => Promise<OutputOf<N>>;

/** Every operation's handler, as core/index.ts assembles them from the area services. */
export type Handlers = { [N in OperationName]: Handler<N> };

/** The handlers one area registers: the operations it owns, each typed by the contract. */
export type AreaHandlers<N extends OperationName> = { [K in N]: Handler<K> };
