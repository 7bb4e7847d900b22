import type { EventName, EventPayload, Input, Method, Output, Result } from './contract';

/** What every host offers a client: the Electron preload bridge and the HTTP transport both implement it. */
export interface ApiBridge {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The typed client the renderer (and tests) use; typed from the contract, so nothing is declared twice. */
export interface ApiClient {
  call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function typedClient(bridge: ApiBridge): ApiClient {
  return {
    call: (method, input) => bridge.call(method, input) as never,
    on: (event, listener) => bridge.on(event, listener as (p: unknown) => void),
  };
}
