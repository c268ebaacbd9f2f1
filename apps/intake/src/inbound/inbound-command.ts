import { PERSON_REFERENCE } from '@crescent/audit';
import { Agency, DomainError } from '@crescent/domain';
import { BusMessage } from '@crescent/messaging';
import { createValidationPipe, parseShallowJson } from '@crescent/runtime';
import { COMMAND_ROUTES } from '../commands/command-catalog';
import { CommandSubmission } from '../commands/agency-write-side';
import { TRACEPARENT } from '@crescent/observability';

const validation = createValidationPipe();

/**
 * Reads an inbound command message (CloudEvents binary mode): `ce_type` names the command,
 * `ce_id` is its idempotency key, `ce_subject` the record it targets (absent for a create),
 * the optional `ce_expectedversion` plays `If-Match`, `ce_onbehalfof` `X-On-Behalf-Of`, and the value is the
 * same JSON body as over HTTP.
 */
export async function readInboundCommand(message: BusMessage, agency: Agency): Promise<CommandSubmission> {
  const { ce_type: type, ce_id: id, ce_subject: subject, ce_expectedversion: expectedVersion } = message.headers;
  const route = COMMAND_ROUTES.find((candidate) => candidate.commandType === type);
  if (!route) throw new DomainError('validation', 'COMMAND.UNKNOWN_TYPE', 'ce_type names no command of the exchange');
  if (!id) throw new DomainError('validation', 'COMMAND.ID_REQUIRED', 'ce_id is required: it is the idempotency key');
  if (route.creates === (subject !== undefined)) {
    throw new DomainError(
      'validation',
      'COMMAND.SUBJECT',
      route.creates ? 'a command that creates a record takes no ce_subject' : 'ce_subject must name the record',
    );
  }
  if (expectedVersion !== undefined && !/^[0-9]+$/.test(expectedVersion)) {
    throw new DomainError('validation', 'COMMAND.EXPECTED_VERSION', 'ce_expectedversion must be a whole number');
  }
  const onBehalfOf = message.headers.ce_onbehalfof;
  if (onBehalfOf !== undefined && !PERSON_REFERENCE.test(onBehalfOf)) {
    throw new DomainError('validation', 'COMMAND.ON_BEHALF_OF', 'ce_onbehalfof must name a person as person:<uuid>');
  }
  const body = parseShallowJson(message.value);
  const validated: object = await validation.transform(body, { type: 'body', metatype: route.dto });
  return {
    agency,
    route,
    recordId: subject,
    body: validated,
    expectedVersion: expectedVersion === undefined ? undefined : Number(expectedVersion),
    idempotencyKey: `inbound:${id}`,
    correlationId: message.headers.ce_correlationid,
    traceparent: TRACEPARENT.test(message.headers.ce_traceparent ?? '') ? message.headers.ce_traceparent : undefined,
    onBehalfOf,
  };
}
