export {
  type BusMessage,
  MESSAGE_BUS,
  type MessageBus,
  type MessageHandler,
  type Subscription,
  type SubscriptionOptions,
} from './message-bus.port';
export { createTopics, DEFAULT_TOPIC_SETTINGS, KafkaBus, type KafkaBusOptions, kafkaClient, type TopicSettings } from './kafka-bus';
export { type KafkaTokenIssuer, KafkaTokenSigner } from './kafka-token';
export { agencyGroupPrefix, agencyPrincipal, agencyTopics, BrokerAccess, EXCHANGE_PRINCIPALS, intakeGroup } from './broker-access';
export { InProcessBus } from './in-process-bus';
export { type CloudEventAttributes, fromCloudEventMessage, toCloudEventMessage } from './cloud-event';
export { commandReplyTopic, deadLetterTopic, inboundCommandTopic, outboundTopic } from './topics';
