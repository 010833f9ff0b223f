// Worst cases for the redactor's patterns (each once took seconds): the test checks outcomes, the bench their time.
export const PATHOLOGICAL_TEXTS: readonly (readonly [string, string])[] = [
  ['"password." repeated (took 12 s for 10 KB before)', 'password.'.repeat(11_111)],
  ['"token-" repeated', 'token-'.repeat(16_666)],
  ['one 100 KB word', 'a'.repeat(100_000)],
  ['"a=" repeated before a key', `${'a='.repeat(50_000)}password`],
  ['a key then 100 KB of spaces', `password${' '.repeat(100_000)}`],
  ['scheme-like words', 'http://a:'.repeat(10_000)],
  ['"Bearer " repeated', 'Bearer '.repeat(15_000)],
  ['"--pass" flags without values', '--pass-'.repeat(12_500)],
  ['an opened quote after a key, never closed', `password="${'a '.repeat(50_000)}`],
  ['"redis://:" repeated', 'redis://:'.repeat(11_111)],
];
