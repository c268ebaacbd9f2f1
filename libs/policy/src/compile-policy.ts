import { ActorKind, Agency, SharableRecordType, SharingPolicy } from '@crescent/domain';
import { ActiveConsents } from './consent-evaluation';
import { Walk } from './general-walk';
import { policyTrie } from './policy-trie';
import { TransformContext } from './transforms';
import { wireWalk } from './wire-walk';

export const FIELD_OUTCOMES = ['included', 'masked', 'pseudonymized', 'generalized', 'withheld'] as const;
export type FieldOutcome = (typeof FIELD_OUTCOMES)[number];

/** One line of the disclosure ledger: what happened to one path of the event's data, and which rule or statute decided it. */
export interface FieldDecision {
  readonly path: string;
  readonly outcome: FieldOutcome;
  readonly decidedBy: string;
}

/** What one projection needs to know about the event, the recipient and the consents in force. */
export interface ProjectionRun extends TransformContext {
  readonly recipient: Agency;
  readonly originKind: ActorKind;
  /** 8 U.S.C. 1367 withholds the record's immigration-relief paths from this recipient. */
  readonly immigrationWithheld: boolean;
  /** The record was contributed by a victim service provider, so VAWA guards its PII. */
  readonly vawaApplies: boolean;
  /** The referrals of the victims the record concerns, whose consents count. */
  readonly victimReferralIds: readonly string[];
  readonly consentsOf: (referralId: string) => ActiveConsents;
}

/** What a recipient receives (the payload, the consents that granted some of it, how many fields it discloses) and the ledger's account of every field. */
export interface CompiledProjection {
  readonly payload: Record<string, unknown>;
  readonly consentIds: readonly string[];
  readonly disclosed: number;
  readonly fields: FieldDecision[];
}

/** What the relay needs of one projection: the payload as its wire JSON text, and the paths the disclosure ledger records. */
export interface WireProjection {
  /** Exactly `JSON.stringify(payload)` of the payload the general walk builds. */
  readonly json: string;
  /** The paths of `fields` disclosed and withheld, each in the same order. */
  readonly disclosedFields: string[];
  readonly withheldFields: string[];
  readonly consentIds: readonly string[];
  readonly disclosed: number;
}

/** A policy version turned once into a function of the event's data. */
export interface CompiledPolicy {
  readonly policy: SharingPolicy;
  readonly recordType: SharableRecordType;
  /** The payload and the ledger's account of every field: the general walk. */
  project(data: Record<string, unknown>, run: ProjectionRun): CompiledProjection;
  /** The payload as wire JSON text and the ledger's paths, in one generated walk that builds no payload object. */
  projectWire(data: Record<string, unknown>, run: ProjectionRun): WireProjection;
}

/**
 * Compiles one policy (a published version, or a draft under preview) into its projection: a trie of
 * the rule and statutory paths (policy-trie), walked once per event by the general walk (general-walk)
 * or by code generated from the trie (wire-walk).
 */
export function compilePolicy(policy: SharingPolicy, labelPrefix: string): CompiledPolicy {
  const { recordType } = policy;
  const top = policyTrie(policy, labelPrefix);
  const wireProjector = wireWalk(top, recordType);
  return {
    policy,
    recordType,
    project: (data, run) => {
      const walk = new Walk(run, true);
      const payload: Record<string, unknown> = {};
      walk.object(data, top, undefined, '', false, false, payload);
      return { payload, fields: walk.fields as FieldDecision[], consentIds: walk.consentIdList(), disclosed: walk.disclosed };
    },
    projectWire: (data, run) => {
      const walk = new Walk(run, false);
      const members = wireProjector(data, walk);
      return { json: `{${members}}`, disclosedFields: walk.disclosedPaths, withheldFields: walk.withheldPaths, consentIds: walk.consentIdList(), disclosed: walk.disclosed };
    },
  };
}
