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

/** Documents each status a route can answer with as problem+json, with the codes it can carry. */
export function ApiProblems(...answers: readonly (readonly [status: number, codes: string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...answers.map(([status, codes]) =>
      ApiResponse({ status, description: `problem+json: ${codes}`, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
    ),
  );
}
