import { randomUUID } from 'node:crypto';
import { AccessEntry, outcomeOf, PERSON_REFERENCE, RECORD_ID } from '@crescent/audit';
import { Agency } from '@crescent/domain';
import { BusMessage } from '@crescent/messaging';
import { ProblemDetails, RecordWritten } from '@crescent/runtime';
import { COMMAND_ROUTES } from '../commands/command-catalog';

/**
 * The access audit's account of one inbound command: the agency owning the topic wrote (or tried to
 * write) a record. Headers are the sender's to fill, so only a known command type and an id are kept.
 */
export function inboundAccessEntry(message: BusMessage, agency: Agency, answer: { accepted: RecordWritten } | { refused: ProblemDetails }): AccessEntry {
  const route = COMMAND_ROUTES.find((candidate) => candidate.commandType === message.headers.ce_type);
  const recordId = 'accepted' in answer ? answer.accepted.recordId : message.headers.ce_subject;
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    principal: `agency:${agency.id}`,
    action: `kafka:${route?.commandType ?? 'unknown'}`,
    category: 'record-write',
    recordType: route?.recordType ?? null,
    recordId: route && recordId !== undefined && RECORD_ID.test(recordId) ? recordId : null,
    source: message.topic,
    outcome: 'accepted' in answer ? 'success' : outcomeOf(answer.refused.status),
    status: null,
    code: 'refused' in answer ? answer.refused.code : null,
    ...(PERSON_REFERENCE.test(message.headers.ce_onbehalfof ?? '') ? { onBehalfOf: message.headers.ce_onbehalfof } : {}),
  };
}
