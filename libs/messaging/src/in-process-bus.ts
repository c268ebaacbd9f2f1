import { BusMessage, MessageBus, MessageHandler, Subscription, SubscriptionOptions } from './message-bus.port';

/**
 * The embedded bus: `publish` resolves only after every subscribed handler has handled each
 * message, so a publisher that checkpoints after publishing never outruns its consumers.
 */
export class InProcessBus implements MessageBus {
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  async publish(messages: readonly BusMessage[]): Promise<void> {
    for (const message of messages) {
      // The handlers subscribed when it was published: one that subscribes while it is handled (a consumer
      // subscribing again) would otherwise be handed it a second time.
      for (const handler of [...(this.handlers.get(message.topic) ?? [])]) await handler(message);
    }
  }

  async subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    for (const topic of options.topics) {
      const handlers = this.handlers.get(topic) ?? new Set<MessageHandler>();
      handlers.add(handler);
      this.handlers.set(topic, handlers);
    }
    return {
      stop: async () => {
        for (const topic of options.topics) this.handlers.get(topic)?.delete(handler);
      },
    };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
