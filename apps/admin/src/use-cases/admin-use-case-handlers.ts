import { Provider } from '@nestjs/common';
import { CreateSubscriptionHandler } from './create-subscription.handler';
import { EndSubscriptionHandler } from './end-subscription.handler';
import { PauseSubscriptionHandler } from './pause-subscription.handler';
import { PublishSharingPolicyHandler } from './publish-sharing-policy.handler';
import { RegisterAgencyHandler } from './register-agency.handler';
import { ReinstateAgencyHandler } from './reinstate-agency.handler';
import { ResumeSubscriptionHandler } from './resume-subscription.handler';
import { RevokeAgencyHandler } from './revoke-agency.handler';
import { RotateAgencyCredentialHandler } from './rotate-agency-credential.handler';
import { SetAgencyJurisdictionHandler } from './set-agency-jurisdiction.handler';
import { SuspendAgencyHandler } from './suspend-agency.handler';

/** The handler of every administrator's command, one per use case, each in the file named after its command. */
export const ADMIN_USE_CASE_HANDLERS: Provider[] = [
  CreateSubscriptionHandler,
  EndSubscriptionHandler,
  PauseSubscriptionHandler,
  PublishSharingPolicyHandler,
  RegisterAgencyHandler,
  ReinstateAgencyHandler,
  ResumeSubscriptionHandler,
  RevokeAgencyHandler,
  RotateAgencyCredentialHandler,
  SetAgencyJurisdictionHandler,
  SuspendAgencyHandler,
];
