import { bearerToken } from './bearer-token';

describe('bearerToken', () => {
  it.each([
    ['Bearer demo-hsi-token', 'demo-hsi-token'],
    ['bearer demo-hsi-token', 'demo-hsi-token'],
    ['BEARER demo-hsi-token', 'demo-hsi-token'],
    ['bEaReR demo-hsi-token', 'demo-hsi-token'],
    ['Bearer   demo-hsi-token', 'demo-hsi-token'],
    ['Bearer mF_9.B5f-4.1JqM', 'mF_9.B5f-4.1JqM'],
    ['Bearer a+b/c~d==', 'a+b/c~d=='],
  ])('reads %j as the token %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['trailing junk after the token', 'Bearer demo-hsi-token extra'],
    ['a second token after a comma', 'Bearer demo-hsi-token,other'],
    ['no space after the scheme', 'Bearerdemo-hsi-token'],
    ['a tab instead of a space', 'Bearer\tdemo-hsi-token'],
    ['another scheme', 'Basic ZGVtbzpkZW1v'],
    ['a scheme that only starts like Bearer', 'Bearers demo-hsi-token'],
    ['padding inside the token', 'Bearer ab=cd'],
    ['a character outside token68', 'Bearer demo"token'],
  ])('finds no token in %s', (_, header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
