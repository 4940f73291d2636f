import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface MqttBrokerOptions {
  /** loopback by default */
  host?: string;
  /** 0 (default): any free port */
  port?: number;
  /** when set, clients must log in with these */
  username?: string;
  password?: string;
}

export interface MqttBroker {
  /** mqtt://host:port */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * An MQTT 3.1.1 broker in this process (aedes), for the demo and tests where no broker such as
 * Mosquitto is configured. Listens on loopback unless told otherwise.
 */
export async function startMqttBroker(o: MqttBrokerOptions = {}): Promise<MqttBroker> {
  const broker = await Aedes.createBroker();
  if (o.username !== undefined) {
    broker.authenticate = (_client, user, pass, done) => {
      const ok = user === o.username && (pass?.toString('utf8') ?? '') === (o.password ?? '');
      done(null, ok);
    };
  }
  const server: Server = createServer(broker.handle);
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://${host}:${port}`,
    host,
    port,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
