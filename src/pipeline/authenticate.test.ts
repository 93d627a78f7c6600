import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.js';
import { createAuthenticator, hashKey } from './authenticate.js';

describe('authenticate', () => {
  const auth = createAuthenticator([{ name: 'team-a', sha256: hashKey('secret-a') }]);

  it('accepts a bearer key and an x-api-key', () => {
    expect(auth({ authorization: 'Bearer secret-a' })).toEqual({ keyName: 'team-a' });
    expect(auth({ authorization: 'bearer  secret-a ' })).toEqual({ keyName: 'team-a' });
    expect(auth({ 'x-api-key': 'secret-a' })).toEqual({ keyName: 'team-a' });
  });

  it.each([{}, { authorization: 'Bearer nope' }, { authorization: 'Basic secret-a' }])(
    'refuses %j with 401',
    (headers) => {
      expect(() => auth(headers)).toThrow(GatewayError);
      try {
        auth(headers);
      } catch (error) {
        expect((error as GatewayError).status).toBe(401);
      }
    },
  );

  it('is open when no keys are configured', () => {
    expect(createAuthenticator([])({})).toEqual({ keyName: 'anonymous' });
  });
});
