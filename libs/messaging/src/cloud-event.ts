import { BusMessage } from './message-bus.port';

/** The CloudEvents 1.0 attributes Crescent sets on every message (Kafka binary content mode). */
export interface CloudEventAttributes {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly dataschema: string;
  /** Extensions: lower-case alphanumerics only, per the spec. */
  readonly extensions: Readonly<Record<string, string>>;
}

const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/**
 * `dataJson`, when given, is the data already serialised (exactly `JSON.stringify(data)`, as a
 * projection writes its payload while cutting it), so it is not serialised twice.
 */
export function toCloudEventMessage(
  topic: string,
  attributes: CloudEventAttributes,
  data: unknown,
  dataJson?: string,
): BusMessage {
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: attributes.id,
    ce_source: attributes.source,
    ce_type: attributes.type,
    ce_subject: attributes.subject,
    ce_time: attributes.time,
    ce_dataschema: attributes.dataschema,
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(attributes.extensions)) {
    if (!EXTENSION_NAME.test(name)) throw new Error(`invalid CloudEvents extension name: ${name}`);
    headers[`ce_${name}`] = value;
  }
  return { topic, key: attributes.subject, value: dataJson ?? JSON.stringify(data), headers };
}

/** Reads a binary-mode message back; undefined when it is not a CloudEvents 1.0 JSON message. */
export function fromCloudEventMessage(message: BusMessage): { attributes: CloudEventAttributes; data: unknown } | undefined {
  const { headers } = message;
  const required = ['ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'ce_dataschema'];
  if (headers.ce_specversion !== '1.0' || !required.every((name) => typeof headers[name] === 'string')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(message.value);
  } catch {
    return undefined;
  }
  const extensions: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const extension = name.slice('ce_'.length);
    if (name.startsWith('ce_') && !required.includes(name) && name !== 'ce_specversion') extensions[extension] = value;
  }
  return {
    attributes: {
      id: headers.ce_id,
      source: headers.ce_source,
      type: headers.ce_type,
      subject: headers.ce_subject,
      time: headers.ce_time,
      dataschema: headers.ce_dataschema,
      extensions,
    },
    data,
  };
}
