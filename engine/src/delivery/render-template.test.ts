import { describe, expect, it } from 'vitest';
import { renderTemplate, templateProblem } from './render-template';
import { signWebhookBody, verifyWebhookSignature } from './webhook';

describe('renderTemplate', () => {
  const record = { name: 'Tom & <Jerry>', amount: '1200.50', count: 3, won: true, owner: null, account: { name: 'Acme' }, tags: ['x', 'y'] };

  it('fills fields, nested fields and lists; missing and null values render empty', () => {
    expect(renderTemplate('{{name}} / {{account.name}} / {{amount}} / {{count}} / {{won}} / [{{owner}}] / [{{nope}}]', record)).toBe(
      'Tom & <Jerry> / Acme / 1200.50 / 3 / true / [] / []',
    );
    expect(renderTemplate('{{#tags}}<{{.}}>{{/tags}}{{^owner}} unowned{{/owner}}', record)).toBe('<x><y> unowned');
  });

  it('HTML-escapes values in HTML bodies only', () => {
    expect(renderTemplate('<p>{{name}}</p>', record, { html: true })).toBe('<p>Tom &amp; &lt;Jerry&gt;</p>');
    expect(renderTemplate('<p>{{name}}</p>', record)).toBe('<p>Tom & <Jerry></p>');
  });

  it('reads only the record: no prototype properties, no partials', () => {
    expect(renderTemplate('[{{constructor}}][{{__proto__}}][{{toString}}][{{name.constructor}}][{{> secret}}]', { name: 'a' })).toBe('[][][][][]');
    expect(renderTemplate('{{#constructor}}leak{{/constructor}}', {})).toBe('');
  });

  it('is pure: the record is not changed and the same input gives the same text', () => {
    const input = { list: [{ a: 1 }], name: 'n' };
    const copy = structuredClone(input);
    expect(renderTemplate('{{#list}}{{a}}{{/list}}{{name}}', input)).toBe(renderTemplate('{{#list}}{{a}}{{/list}}{{name}}', input));
    expect(input).toEqual(copy);
  });

  it('names what is wrong with a template', () => {
    expect(templateProblem('Hello {{name}}')).toBeUndefined();
    expect(String(templateProblem('Hello {{#name}}'))).toBe('Unclosed section "name" at 15');
    expect(String(templateProblem('Hello {{name'))).toMatch(/^Unclosed tag at \d+$/);
    expect(templateProblem('Hello {{#name}}')?.in('zh-CN')).toBe('位置 15 的区块 "name" 未闭合');
  });
});

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of the raw body, checked in constant time', () => {
    // RFC 4231 test case 2.
    expect(signWebhookBody('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const body = '{"event":"deal.created"}';
    expect(verifyWebhookSignature('s3cret', body, signWebhookBody('s3cret', body))).toBe(true);
    expect(verifyWebhookSignature('s3cret', body, signWebhookBody('other', body))).toBe(false);
    expect(verifyWebhookSignature('s3cret', `${body} `, signWebhookBody('s3cret', body))).toBe(false);
    expect(verifyWebhookSignature('s3cret', body, undefined)).toBe(false);
    expect(verifyWebhookSignature('s3cret', body, 'sha256=short')).toBe(false);
  });
});
