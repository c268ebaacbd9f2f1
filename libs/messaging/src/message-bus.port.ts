/** One message on a topic. Headers carry the CloudEvents attributes; the value is JSON text. */
export interface BusMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type MessageHandler = (message: BusMessage) => Promise<void>;

export interface SubscriptionOptions {
  /** Consumers sharing a group id share the work and the committed offsets. */
  readonly groupId: string;
  readonly topics: readonly string[];
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface MessageBus {
  /** Resolves once the bus holds every message durably (acknowledged by all in-sync replicas). */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /** Delivers each message at least once; a message is done when its handler resolves. A topic that does not exist yet is read once it does. */
  subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription>;
  /** Resolves when the bus answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = Symbol('MessageBus');
