import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Drops every byte both ways from now on, closing nothing: a connection that died silently. */
  blackHole(): void;
  /** Cuts every connection and refuses new ones at once, as a stopped server does. */
  refuse(): void;
  /** Forwards again; connections black-holed before are cut (their streams are broken). */
  restore(): void;
  close(): Promise<void>;
}

/** A real TCP relay to host:port, for making a connection go silent without an error. */
export async function startTcpRelay(host: string, port: number): Promise<TcpRelay> {
  let dropping = false;
  let refusing = false;
  const pairs = new Set<[Socket, Socket]>();
  const cutAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('data', (data) => dropping || upstream.write(data));
    upstream.on('data', (data) => dropping || client.write(data));
    for (const socket of pair) socket.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    blackHole: () => {
      dropping = true;
    },
    refuse: () => {
      refusing = true;
      cutAll();
    },
    restore: () => {
      cutAll();
      dropping = false;
      refusing = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
