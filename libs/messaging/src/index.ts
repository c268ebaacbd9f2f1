export {
  BusMessage,
  MESSAGE_BUS,
  MessageBus,
  MessageHandler,
  Subscription,
  SubscriptionOptions,
} from './message-bus.port';
export { KafkaBus, KafkaBusOptions } from './kafka-bus';
export { InProcessBus } from './in-process-bus';
export { CloudEventAttributes, fromCloudEventMessage, toCloudEventMessage } from './cloud-event';
export { outboundTopic } from './topics';
