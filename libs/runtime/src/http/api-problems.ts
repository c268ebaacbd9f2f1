import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ description: 'where in the body, as a dotted path (an index for a list element); never the value, nor an unknown key' })
  field!: string;
  @ApiProperty({ type: [String] })
  problems!: string[];
}

/** RFC 7807 problem details, as every error leaves the exchange: `application/problem+json`. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;
  @ApiProperty({ example: 'Unprocessable Entity' })
  title!: string;
  @ApiProperty({ example: 422 })
  status!: number;
  @ApiProperty({ description: 'a stable machine code, such as REFERRAL.NOT_ACKNOWLEDGED', example: 'REFERRAL.NOT_ACKNOWLEDGED' })
  code!: string;
  @ApiPropertyOptional({ description: 'for a person; never a submitted value' })
  detail?: string;
  @ApiPropertyOptional()
  instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'REQUEST.INVALID: each invalid field' })
  errors?: FieldProblemDto[];
}

/** A status a route can answer with, and the codes its problem can carry. */
export type ProblemAnswer = readonly [status: number, codes: string];

/** The global RateLimitGuard's answer: it counts only requests that present credentials, so any route can give it. */
export const RATE_LIMITED: ProblemAnswer = [429, 'RATE.LIMITED (too many requests with this credential, or too many failed sign-ins from this address)'];

export const AGENCY_UNAUTHENTICATED: ProblemAnswer = [401, 'AUTH.UNKNOWN_CREDENTIAL (no bearer token, or one the exchange does not know or whose grace has ended)'];
export const AGENCY_NOT_ACTIVE_CODES = 'AUTH.AGENCY_SUSPENDED, AUTH.AGENCY_REVOKED';

/** Who is asking, and whether it may: the answers of every route behind AgencyAuthGuard. */
export const AGENCY_AUTH_PROBLEMS: readonly ProblemAnswer[] = [AGENCY_UNAUTHENTICATED, [403, AGENCY_NOT_ACTIVE_CODES], RATE_LIMITED];

const RETRY_AFTER = { 'Retry-After': { description: 'seconds until the limit lifts', schema: { type: 'integer', minimum: 0 } } };

/** Documents each status a route can answer with as problem+json, with the codes it can carry. */
export function ApiProblems(...answers: readonly ProblemAnswer[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...answers.map(([status, codes]) =>
      ApiResponse({
        status,
        description: `problem+json: ${codes}`,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
        ...(status === 429 && { headers: RETRY_AFTER }),
      }),
    ),
  );
}
