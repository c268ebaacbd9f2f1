import type { OpenAPIObject } from '@nestjs/swagger';
import { asOpenApi31 } from './openapi-3-1';

const document = (schemas: Record<string, unknown>): OpenAPIObject => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } }) as OpenAPIObject;

describe('asOpenApi31', () => {
  it('says 3.1.0', () => {
    expect(asOpenApi31(document({})).openapi).toBe('3.1.0');
  });

  it('writes a nullable typed property with null among its types, an enum with null among its values', () => {
    const converted = asOpenApi31(
      document({
        Entry: {
          type: 'object',
          properties: {
            status: { type: 'number', nullable: true, description: 'the HTTP status' },
            recordType: { type: 'string', enum: ['case', 'consent'], nullable: true },
            code: { type: 'string' },
          },
        },
      }),
    );
    expect(converted.components?.schemas?.Entry).toEqual({
      type: 'object',
      properties: {
        status: { type: ['number', 'null'], description: 'the HTTP status' },
        recordType: { type: ['string', 'null'], enum: ['case', 'consent', null] },
        code: { type: 'string' },
      },
    });
  });

  it('writes a nullable reference as anyOf the reference or null, dropping the type Nest puts beside it', () => {
    const converted = asOpenApi31(
      document({ Preview: { type: 'object', properties: { projection: { nullable: true, description: 'null: nothing', type: 'object', allOf: [{ $ref: '#/components/schemas/P' }] } } } }),
    );
    expect(converted.components?.schemas?.Preview).toEqual({
      type: 'object',
      properties: { projection: { description: 'null: nothing', anyOf: [{ $ref: '#/components/schemas/P' }, { type: 'null' }] } },
    });
  });

  it('leaves a property named nullable alone, and leaves nullable: false out', () => {
    const converted = asOpenApi31(document({ Odd: { type: 'object', properties: { nullable: { type: 'boolean' }, x: { type: 'string', nullable: false } } } }));
    expect(converted.components?.schemas?.Odd).toEqual({ type: 'object', properties: { nullable: { type: 'boolean' }, x: { type: 'string' } } });
  });

  it('refuses a nullable schema it cannot express rather than publish a wrong one', () => {
    expect(() => asOpenApi31(document({ Bad: { nullable: true } }))).toThrow(/cannot be written/);
  });
});
