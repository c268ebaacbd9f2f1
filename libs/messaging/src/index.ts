export {
  type BusMessage,
  MESSAGE_BUS,
  type MessageBus,
  type MessageHandler,
  type Subscription,
  type SubscriptionOptions,
} from './message-bus.port';
export { KafkaBus, type KafkaBusOptions } from './kafka-bus';
export { InProcessBus } from './in-process-bus';
export { type CloudEventAttributes, fromCloudEventMessage, toCloudEventMessage } from './cloud-event';
export { commandReplyTopic, inboundCommandTopic, outboundTopic } from './topics';
