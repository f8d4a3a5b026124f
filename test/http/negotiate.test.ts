import t from 'tap'
import { negotiate } from '../../src/plugins/negotiate.js'

const OFFERS = ['application/json', 'text/markdown'] as const

t.test('Accept negotiation (RFC 9110 §12.5.1)', async (t) => {
  const cases: [string | undefined, string | null][] = [
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/markdown', 'text/markdown'],
    ['TEXT/MARKDOWN; charset=utf-8', 'text/markdown'],
    ['text/*', 'text/markdown'],
    ['text/markdown;q=0.5, application/json', 'application/json'],
    ['application/json;q=0.2, text/markdown;q=0.9', 'text/markdown'],
    ['*/*;q=0.1, text/markdown', 'text/markdown'],
    ['text/markdown;q=0, */*', 'application/json'],
    ['application/json;q=0, text/markdown;q=0', null],
    ['text/html', null],
    ['application/xml, text/html;q=0.9', null],
    ['garbage', null],
  ]
  for (const [accept, want] of cases) t.equal(negotiate(accept, OFFERS), want, String(accept))
})
