import type { ApiEvent, ApiMethod, ScorebenchApi } from '../../../src-shared/api';
import { API_METHODS, ApiError } from '../../../src-shared/api';
import type { ConnectionState, Transport } from './transport';

/** The typed API plus its event stream: what the UI talks to, whichever transport carries it. */
export type ScorebenchClient = ScorebenchApi & {
  readonly transport: Transport['kind'];
  onEvent(listener: (event: ApiEvent) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
};

/** Derives one function per API call from the method list, unwrapping each CallReply. */
export function createClient(transport: Transport): ScorebenchClient {
  const call = async (method: ApiMethod, args: unknown) => {
    const reply = await transport.call(method, args);
    if (!reply.ok) throw ApiError.fromShape(reply.error);
    return reply.result;
  };
  const methods = Object.fromEntries(
    API_METHODS.map((method) => [method, (args: unknown) => call(method, args)]),
  ) as ScorebenchApi;
  return {
    ...methods,
    transport: transport.kind,
    onEvent: (listener) => transport.subscribe(listener),
    onConnection: (listener) => transport.onConnection(listener),
  };
}
